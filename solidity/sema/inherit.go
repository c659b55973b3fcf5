package sema

import (
	"github.com/aegis-defi/aegis/solidity/ast"
)

// linearizeAll computes the C3 linearization of every contract.
func (m *Model) linearizeAll() {
	state := map[*Contract]uint8{} // 1 = in progress, 2 = done
	for _, c := range m.Contracts {
		m.linearize(c, state)
	}
	for _, c := range m.Contracts {
		for _, b := range c.Linearization {
			if n := len(b.Derived); n == 0 || b.Derived[n-1] != c {
				b.Derived = append(b.Derived, c)
			}
		}
	}
}

// linearize computes L(c) = c + merge(L(Bn), ..., L(B1), [Bn, ..., B1]) for
// `contract c is B1, ..., Bn` (Solidity lists bases most-base-like first).
func (m *Model) linearize(c *Contract, state map[*Contract]uint8) []*Contract {
	switch state[c] {
	case 2:
		return c.Linearization
	case 1:
		// Cyclic inheritance: break the cycle.
		return []*Contract{c}
	}
	state[c] = 1
	var seqs [][]*Contract
	for i := len(c.Bases) - 1; i >= 0; i-- {
		l := m.linearize(c.Bases[i], state)
		if len(l) == 0 {
			l = []*Contract{c.Bases[i]}
		}
		seqs = append(seqs, append([]*Contract(nil), l...))
	}
	direct := make([]*Contract, 0, len(c.Bases))
	for i := len(c.Bases) - 1; i >= 0; i-- {
		direct = append(direct, c.Bases[i])
	}
	seqs = append(seqs, direct)
	res, ok := c3merge(seqs)
	lin := append([]*Contract{c}, res...)
	if !ok {
		c.InconsistentHierarchy = true
		m.note(c.File, c.Def.Name, "linearization of inheritance graph impossible for contract %s", c.Name)
		// Fall back to a depth-first order without duplicates.
		lin = []*Contract{c}
		seen := map[*Contract]bool{c: true}
		for _, s := range seqs {
			for _, b := range s {
				if !seen[b] {
					seen[b] = true
					lin = append(lin, b)
				}
			}
		}
	}
	// Remove accidental self references from cycles.
	out := lin[:1]
	for _, b := range lin[1:] {
		if b != c {
			out = append(out, b)
		}
	}
	c.Linearization = out
	state[c] = 2
	return out
}

// c3merge merges sequences per C3; ok is false if no consistent order
// exists.
func c3merge(seqs [][]*Contract) (out []*Contract, ok bool) {
	for {
		nonEmpty := false
		for _, s := range seqs {
			if len(s) > 0 {
				nonEmpty = true
				break
			}
		}
		if !nonEmpty {
			return out, true
		}
		var cand *Contract
		for _, s := range seqs {
			if len(s) == 0 {
				continue
			}
			h := s[0]
			inTail := false
			for _, t := range seqs {
				for _, x := range t[min(1, len(t)):] {
					if x == h {
						inTail = true
						break
					}
				}
				if inTail {
					break
				}
			}
			if !inTail {
				cand = h
				break
			}
		}
		if cand == nil {
			return out, false
		}
		out = append(out, cand)
		for i, s := range seqs {
			if len(s) > 0 && s[0] == cand {
				seqs[i] = s[1:]
			}
		}
	}
}

// resolveSignatures resolves variable types, using-for directives and
// modifier invocations.
func (m *Model) resolveSignatures() {
	for _, f := range m.Files {
		for _, v := range f.Constants {
			v.Type = m.resolveType(v.Decl.Type, f, nil)
		}
		for _, u := range f.Usings {
			m.resolveUsing(u, f, nil)
		}
	}
	for _, f := range m.Files {
		for _, sd := range f.Structs {
			m.structMembers(sd, f, nil)
		}
	}
	for _, c := range m.Contracts {
		for _, sd := range c.Structs {
			m.structMembers(sd, c.File, c)
		}
	}
	for _, c := range m.Contracts {
		for _, v := range c.StateVars {
			v.Type = m.resolveType(v.Decl.Type, c.File, c)
		}
		for _, u := range c.Usings {
			m.resolveUsing(u, c.File, c)
		}
		for _, md := range c.Modifiers {
			for _, p := range md.Params {
				p.Type = m.resolveType(p.Decl.Type, c.File, c)
			}
		}
	}
	for _, fn := range m.Functions {
		for _, p := range fn.Params {
			p.Type = m.resolveType(p.Decl.Type, fn.File, fn.Contract)
		}
		for _, p := range fn.Returns {
			p.Type = m.resolveType(p.Decl.Type, fn.File, fn.Contract)
		}
		for _, inv := range fn.Def.Modifiers {
			if inv == nil || inv.Name == nil || len(inv.Name.Names) == 0 {
				continue
			}
			last := inv.Name.Names[len(inv.Name.Names)-1]
			mc := &ModifierCall{Inv: inv, Name: identName(last)}
			fn.Modifiers = append(fn.Modifiers, mc)
			if fn.Contract == nil {
				continue
			}
			if len(inv.Name.Names) == 1 {
				if md := fn.Contract.ResolveModifier(mc.Name); md != nil {
					mc.Modifier = md
					m.refs[last] = Symbol{Kind: SymModifier, Name: md.Name, Node: md.Def, Modifier: md, Contract: md.Contract, File: md.File}
					continue
				}
			}
			syms := m.lookupPath(inv.Name, fn.File, fn.Contract)
			for _, s := range syms {
				switch s.Kind {
				case SymModifier:
					mc.Modifier = s.Modifier
				case SymContract:
					mc.BaseConstructor = s.Contract
				default:
					continue
				}
				m.refs[last] = s
				break
			}
		}
	}
}

func (m *Model) resolveUsing(u *Using, f *File, c *Contract) {
	d := u.Directive
	if d.Type != nil {
		u.Type = m.resolveType(d.Type, f, c)
	}
	if d.Library != nil {
		u.LibraryName = d.Library.String()
		u.Library = firstContract(m.lookupPath(d.Library, f, c))
	}
	for _, uf := range d.Functions {
		if uf == nil || uf.Path == nil {
			continue
		}
		for _, s := range m.lookupPath(uf.Path, f, c) {
			if s.Kind == SymFunction {
				u.Functions = append(u.Functions, s.Funcs...)
			}
		}
	}
}

// UsesLibrary reports whether a using-for directive in effect in c (own,
// inherited or file-level) attaches the library named name, resolved or
// not. For example UsesLibrary("SafeMath").
func (c *Contract) UsesLibrary(name string) bool {
	for _, u := range c.allUsings() {
		if u.LibraryName == name || (u.Library != nil && u.Library.Name == name) || hasSuffixDot(u.LibraryName, name) {
			return true
		}
	}
	return false
}

func hasSuffixDot(s, name string) bool {
	return len(s) > len(name) && s[len(s)-len(name)-1] == '.' && s[len(s)-len(name):] == name
}

// UsesSafeMath reports whether c attaches a SafeMath-style library (name
// containing "SafeMath", e.g. SafeMath, SignedSafeMath, SafeMathUpgradeable)
// with a using-for directive.
func (c *Contract) UsesSafeMath() bool {
	for _, u := range c.allUsings() {
		n := u.LibraryName
		if u.Library != nil {
			n = u.Library.Name
		}
		if containsFold(n, "safemath") {
			return true
		}
	}
	return false
}

// allUsings returns the using-for directives in effect in c: c's own,
// those of its bases (pre-0.7 semantics inherit them) and file-level ones.
func (c *Contract) allUsings() []*Using {
	var out []*Using
	for _, b := range c.Linearization {
		out = append(out, b.Usings...)
	}
	if c.File != nil {
		out = append(out, c.File.Usings...)
	}
	return out
}

func containsFold(s, sub string) bool {
	n := len(sub)
	for i := 0; i+n <= len(s); i++ {
		ok := true
		for j := 0; j < n; j++ {
			a, b := s[i+j], sub[j]
			if 'A' <= a && a <= 'Z' {
				a += 'a' - 'A'
			}
			if a != b {
				ok = false
				break
			}
		}
		if ok {
			return true
		}
	}
	return false
}

// isKind reports whether fn is a normal function (not a special one).
func (m *Model) structMembers(sd *ast.StructDefinition, f *File, c *Contract) {
	for i, mb := range sd.Members {
		if v := m.newVar(mb, VarMember, c, i); v != nil {
			v.Type = m.resolveType(mb.Type, f, c)
		}
	}
}
