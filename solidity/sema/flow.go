package sema

import (
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/source"
)

// summarize classifies external calls and computes transitive summaries
// (state reads/writes, callees, external calls) over the call graph,
// including modifier bodies of functions.
func (m *Model) summarize() {
	bodies := make([]*body, 0, len(m.Functions)+len(m.Modifiers))
	succ := map[*body][]*body{}
	fnOf := map[*body]*Function{}
	for _, fn := range m.Functions {
		bodies = append(bodies, &fn.body)
		fnOf[&fn.body] = fn
	}
	for _, md := range m.Modifiers {
		bodies = append(bodies, &md.body)
	}
	for _, b := range bodies {
		for _, cs := range b.calls {
			switch cs.Kind {
			case CallLowLevel, CallSend, CallTransfer, CallHighLevel, CallCreation:
				cs.external = true
			case CallLibrary:
				if cs.Callee == nil {
					if cb, ok := externalLibHelpers[cs.Method]; ok {
						cs.external = true
						cs.Callback = cb
					}
				}
			}
			if (cs.Kind == CallInternal || cs.Kind == CallLibrary) && cs.Callee != nil {
				succ[b] = append(succ[b], &cs.Callee.body)
			}
		}
	}
	for _, fn := range m.Functions {
		for _, mc := range fn.Modifiers {
			if mc.Modifier != nil {
				succ[&fn.body] = append(succ[&fn.body], &mc.Modifier.body)
			}
		}
	}
	reads := map[*body]map[*Var]bool{}
	writes := map[*body]map[*Var]bool{}
	for _, b := range bodies {
		r, w := map[*Var]bool{}, map[*Var]bool{}
		for _, a := range b.accesses {
			if a.Write {
				w[a.Var] = true
			} else {
				r[a.Var] = true
			}
		}
		reads[b], writes[b] = r, w
		for _, cs := range b.calls {
			if cs.external && b.transExt == nil {
				b.transExt = cs
			}
		}
	}
	for changed, iter := true, 0; changed && iter < 100; iter++ {
		changed = false
		for _, b := range bodies {
			for _, s := range succ[b] {
				if s == b {
					continue
				}
				for v := range reads[s] {
					if !reads[b][v] {
						reads[b][v] = true
						changed = true
					}
				}
				for v := range writes[s] {
					if !writes[b][v] {
						writes[b][v] = true
						changed = true
					}
				}
				if b.transExt == nil && s.transExt != nil {
					b.transExt = s.transExt
					changed = true
				}
			}
		}
	}
	for _, b := range bodies {
		for _, cs := range b.calls {
			if cs.Kind == CallLibrary && cs.Callee != nil && cs.Callee.transExt != nil {
				cs.external = true
				if cs.Callback == CallbackNone {
					cs.Callback = cs.Callee.transExt.Callback
					if cb, ok := externalLibHelpers[cs.Method]; ok && cb > cs.Callback {
						cs.Callback = cb
					}
				}
			}
		}
		b.transReads = sortedVars(reads[b])
		b.transWrites = sortedVars(writes[b])
		// Callees by DFS.
		seen := map[*body]bool{b: true}
		stack := append([]*body(nil), succ[b]...)
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if seen[x] {
				continue
			}
			seen[x] = true
			if f := fnOf[x]; f != nil {
				b.callees = append(b.callees, f)
			}
			stack = append(stack, succ[x]...)
		}
	}
}

func sortedVars(set map[*Var]bool) []*Var {
	out := make([]*Var, 0, len(set))
	for v := range set {
		out = append(out, v)
	}
	// Order by declaration position for determinism.
	for i := 1; i < len(out); i++ {
		for j := i; j > 0 && varLess(out[j], out[j-1]); j-- {
			out[j], out[j-1] = out[j-1], out[j]
		}
	}
	return out
}

func varLess(a, b *Var) bool {
	fa, fb := "", ""
	if a.Contract != nil && a.Contract.File != nil {
		fa = a.Contract.File.Source.Name()
	}
	if b.Contract != nil && b.Contract.File != nil {
		fb = b.Contract.File.Source.Name()
	}
	if fa != fb {
		return fa < fb
	}
	return a.Decl.Pos() < b.Decl.Pos()
}

// WriteAfterCall is a state variable write that may execute after an
// external call in the same transaction: the pattern reentrancy detectors
// look for.
type WriteAfterCall struct {
	// Call is the external call.
	Call *CallSite
	// CallVia is the internal call in the analysed function through which
	// Call is made (nil if Call is directly in the function or one of its
	// modifiers).
	CallVia *CallSite
	// Var is the written state variable.
	Var *Var
	// Node is the writing expression (assignment target, ++/delete
	// operand, push/pop call) or the internal call performing the write.
	Node ast.Node
	// Through is the internal call whose callee performs the write (nil if
	// the write is direct).
	Through *CallSite
}

// WritesAfterCall returns the state writes that may follow an external
// call on some CFG path of f (including spliced modifier bodies, loop back
// edges, and writes inside internal callees invoked after the call, or
// after an external call inside the same callee). Internal calls are
// resolved in the context of f's declaring contract.
func (f *Function) WritesAfterCall() []WriteAfterCall { return f.wac }

type extEvent struct {
	call *CallSite
	via  *CallSite
	pos  source.Pos
}

type writeEvent struct {
	v       *Var
	node    ast.Node
	through *CallSite
	pos     source.Pos
}

func (m *Model) computeWritesAfterCall() {
	state := map[*Function]uint8{}
	for _, fn := range m.Functions {
		m.wacOf(fn, state)
	}
}

func (m *Model) wacOf(fn *Function, state map[*Function]uint8) []WriteAfterCall {
	switch state[fn] {
	case 1:
		return nil // recursion
	case 2:
		return fn.wac
	}
	state[fn] = 1
	defer func() { state[fn] = 2 }()
	g := fn.cfg
	if g == nil {
		return nil
	}
	type key struct {
		c *CallSite
		v *Var
		n ast.Node
	}
	seen := map[key]bool{}
	var out []WriteAfterCall
	addOut := func(w WriteAfterCall) {
		k := key{w.Call, w.Var, w.Node}
		if !seen[k] {
			seen[k] = true
			out = append(out, w)
		}
	}
	type nodeEvents struct {
		node   *Node
		exts   []extEvent
		writes []writeEvent
	}
	var evs []nodeEvents
	for _, n := range g.Nodes() {
		b := &fn.body
		if n.Modifier != nil {
			b = &n.Modifier.body
		}
		nf := b.facts[n.AST]
		if nf == nil {
			continue
		}
		ne := nodeEvents{node: n}
		for _, cs := range nf.calls {
			internal := (cs.Kind == CallInternal || cs.Kind == CallLibrary) && cs.Callee != nil
			if cs.external && !internal {
				ne.exts = append(ne.exts, extEvent{call: cs, pos: cs.at()})
			} else if internal && cs.Callee.transExt != nil {
				ne.exts = append(ne.exts, extEvent{call: cs.Callee.transExt, via: cs, pos: cs.at()})
			}
			if internal {
				for _, v := range cs.Callee.transWrites {
					if v.IsState() {
						ne.writes = append(ne.writes, writeEvent{v: v, node: cs.Expr, through: cs, pos: cs.at()})
					}
				}
				for _, w := range m.wacOf(cs.Callee, state) {
					w2 := w
					if w2.CallVia == nil {
						w2.CallVia = cs
					}
					if w2.Through == nil {
						w2.Through = cs
					}
					addOut(w2)
				}
			}
		}
		for _, a := range nf.accesses {
			if a.Write {
				ne.writes = append(ne.writes, writeEvent{v: a.Var, node: a.Expr, pos: a.pos})
			}
		}
		if len(ne.exts) > 0 || len(ne.writes) > 0 {
			evs = append(evs, ne)
		}
	}
	for _, e := range evs {
		for _, x := range e.exts {
			for _, w := range evs {
				same := w.node == e.node
				if !same && !g.Reaches(e.node, w.node) {
					continue
				}
				loop := same && g.Reaches(e.node, w.node)
				for _, wr := range w.writes {
					if x.via != nil && wr.through == x.via {
						continue // ordering inside the callee is handled by its own summary
					}
					if same && !loop && wr.pos < x.pos {
						continue
					}
					addOut(WriteAfterCall{Call: x.call, CallVia: x.via, Var: wr.v, Node: wr.node, Through: wr.through})
				}
			}
		}
	}
	fn.wac = out
	return out
}
