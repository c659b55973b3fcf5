package sema

import (
	"path"
	"strings"

	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/source"
)

// Contract is a contract, abstract contract, interface or library.
type Contract struct {
	Def      *ast.ContractDefinition
	Name     string
	Kind     ast.ContractKind
	Abstract bool
	File     *File
	// Bases are the resolved direct bases in `is` order; unresolved bases
	// are omitted and listed in UnresolvedBases.
	Bases           []*Contract
	UnresolvedBases []string
	// Linearization is the C3 linearization, most derived first
	// (Linearization[0] == c), as used by Solidity for virtual lookup and
	// super. If the hierarchy is inconsistent a best-effort order is used
	// and InconsistentHierarchy is set.
	Linearization         []*Contract
	InconsistentHierarchy bool
	// Derived lists the contracts whose linearization contains c (c
	// included), in Model.Contracts order: the inverse of Linearization,
	// computed once so "who inherits this" is not a scan of every contract.
	Derived []*Contract

	// Own members, in declaration order.
	StateVars []*Var
	Functions []*Function
	Modifiers []*Modifier
	Events    []*ast.EventDefinition
	Errors    []*ast.ErrorDefinition
	Structs   []*ast.StructDefinition
	Enums     []*ast.EnumDefinition
	UDVTs     []*ast.UserDefinedValueTypeDefinition
	Usings    []*Using

	members map[string][]Symbol
}

// String returns the contract name.
func (c *Contract) String() string { return c.Name }

// IsInterface reports whether c is an interface.
func (c *Contract) IsInterface() bool { return c.Kind == ast.KindInterface }

// IsLibrary reports whether c is a library.
func (c *Contract) IsLibrary() bool { return c.Kind == ast.KindLibrary }

// IsConcrete reports whether c is a deployable contract: not an interface,
// library or abstract contract, and without unimplemented functions.
func (c *Contract) IsConcrete() bool {
	if c.Kind != ast.KindContract || c.Abstract {
		return false
	}
	for _, f := range c.AllFunctions() {
		if !f.Implemented() {
			return false
		}
	}
	return true
}

// DerivesFrom reports whether c is base or inherits from it (transitively).
func (c *Contract) DerivesFrom(base *Contract) bool {
	for _, b := range c.Linearization {
		if b == base {
			return true
		}
	}
	return false
}

// InheritsFrom reports whether c or one of its bases is named name, also
// counting unresolved base names.
func (c *Contract) InheritsFrom(name string) bool {
	for _, b := range c.Linearization {
		if b.Name == name {
			return true
		}
		for _, u := range b.UnresolvedBases {
			if u == name || strings.HasSuffix(u, "."+name) {
				return true
			}
		}
	}
	return false
}

// lookupMember returns the symbols of the first contract in the
// linearization that declares name.
func (c *Contract) lookupMember(name string) []Symbol {
	for _, b := range c.Linearization {
		if s := b.members[name]; len(s) > 0 {
			return s
		}
	}
	return nil
}

// AllStateVars returns the state variables of c including inherited ones,
// in storage layout order (most base first).
func (c *Contract) AllStateVars() []*Var {
	var out []*Var
	for i := len(c.Linearization) - 1; i >= 0; i-- {
		out = append(out, c.Linearization[i].StateVars...)
	}
	return out
}

// StateVar returns the state variable named name visible in c (own or
// inherited), or nil.
func (c *Contract) StateVar(name string) *Var {
	for _, b := range c.Linearization {
		for _, v := range b.StateVars {
			if v.Name == name {
				return v
			}
		}
	}
	return nil
}

// AllFunctions returns the functions of c including inherited ones, one per
// signature: the most-derived implementation (or declaration, if none is
// implemented). Constructors of bases are excluded; c's own constructor is
// included.
func (c *Contract) AllFunctions() []*Function {
	seen := map[string]int{}
	var out []*Function
	for i, b := range c.Linearization {
		for _, f := range b.Functions {
			if f.Kind == ast.FuncConstructor && i > 0 {
				continue
			}
			key := f.Signature
			if f.Kind == ast.FuncFallback || f.Kind == ast.FuncReceive {
				key = f.Kind.String()
			}
			if j, ok := seen[key]; ok {
				if !out[j].Implemented() && f.Implemented() {
					out[j] = f
				}
				continue
			}
			seen[key] = len(out)
			out = append(out, f)
		}
	}
	return out
}

// PublicFunctions returns AllFunctions that are externally callable
// (public or external, including fallback and receive, excluding the
// constructor).
func (c *Contract) PublicFunctions() []*Function {
	var out []*Function
	for _, f := range c.AllFunctions() {
		if f.IsPubliclyReachable() {
			out = append(out, f)
		}
	}
	return out
}

// Constructor returns c's own constructor (new-style or old-style), or nil.
func (c *Contract) Constructor() *Function {
	for _, f := range c.Functions {
		if f.Kind == ast.FuncConstructor {
			return f
		}
	}
	return nil
}

// Fallback returns the most-derived fallback function visible in c, or nil.
func (c *Contract) Fallback() *Function { return c.special(ast.FuncFallback) }

// Receive returns the most-derived receive function visible in c, or nil.
func (c *Contract) Receive() *Function { return c.special(ast.FuncReceive) }

func (c *Contract) special(k ast.FunctionKind) *Function {
	for _, b := range c.Linearization {
		for _, f := range b.Functions {
			if f.Kind == k {
				return f
			}
		}
	}
	return nil
}

// FunctionsNamed returns all functions named name visible in c (own and
// inherited, including overridden ones), most derived first.
func (c *Contract) FunctionsNamed(name string) []*Function {
	var out []*Function
	for _, b := range c.Linearization {
		for _, f := range b.Functions {
			if f.Name == name && f.Kind == ast.FuncNormal {
				out = append(out, f)
			}
		}
	}
	return out
}

// ResolveFunction returns the most-derived implementation of the function
// name taking argc arguments (argc < 0 matches any arity) as seen from c:
// the first implemented match in c's linearization, or the first declared
// match if none is implemented. Public state variable getters are not
// functions and are not returned.
func (c *Contract) ResolveFunction(name string, argc int) *Function {
	return pickImpl(c.Linearization, name, argc)
}

// ResolveSuper resolves `super.name(...)` written in a function of from
// when the most-derived contract is c: the search starts after from in c's
// linearization. It returns nil if nothing matches.
func (c *Contract) ResolveSuper(from *Contract, name string, argc int) *Function {
	for i, b := range c.Linearization {
		if b == from {
			return pickImpl(c.Linearization[i+1:], name, argc)
		}
	}
	return nil
}

func pickImpl(lin []*Contract, name string, argc int) *Function {
	var decl *Function
	for _, b := range lin {
		for _, f := range b.Functions {
			if f.Name != name || f.Kind != ast.FuncNormal || (argc >= 0 && len(f.Params) != argc) {
				continue
			}
			if f.Implemented() {
				return f
			}
			if decl == nil {
				decl = f
			}
		}
	}
	return decl
}

// ResolveModifier returns the most-derived modifier named name visible in
// c, preferring implemented ones, or nil.
func (c *Contract) ResolveModifier(name string) *Modifier {
	var decl *Modifier
	for _, b := range c.Linearization {
		for _, md := range b.Modifiers {
			if md.Name != name {
				continue
			}
			if md.Def.Body != nil {
				return md
			}
			if decl == nil {
				decl = md
			}
		}
	}
	return decl
}

// Dispatch returns the implementation that a call to fn (declared in c or
// a base of c) reaches when the most-derived contract is c: the first
// implementation with the same signature in c's linearization. Private
// functions and free or library functions are returned unchanged.
func (c *Contract) Dispatch(fn *Function) *Function {
	if fn == nil || fn.Contract == nil || fn.Contract.IsLibrary() || fn.Visibility == ast.VisPrivate || fn.Kind != ast.FuncNormal {
		return fn
	}
	for _, b := range c.Linearization {
		for _, f := range b.Functions {
			if f.Signature == fn.Signature && f.Kind == ast.FuncNormal && f.Implemented() {
				return f
			}
		}
	}
	return fn
}

// Function is a function definition: contract member or free function.
type Function struct {
	Def *ast.FunctionDefinition
	// Name is the declared name; "" for constructor, fallback and receive
	// (except old-style constructors, which keep their name).
	Name string
	// Contract is the declaring contract; nil for free functions.
	Contract *Contract
	File     *File
	// Kind is the effective kind: old-style constructors are
	// FuncConstructor and old unnamed fallbacks are FuncFallback.
	Kind ast.FunctionKind
	// IsOldConstructor is set for a function named like its contract in a
	// file whose pragma admits versions below 0.5 (or has no pragma); it is
	// then the constructor.
	IsOldConstructor bool
	// NamedLikeContract is set for a function named like its contract in
	// 0.5+ code: a misnamed, publicly callable regular function.
	NamedLikeContract bool
	// OldFallback is set for the pre-0.6 unnamed `function()` fallback.
	OldFallback bool
	// Visibility is the effective visibility (pre-0.5 default public; free
	// functions internal; interface functions external).
	Visibility ast.Visibility
	// Mutability is the effective mutability; pre-0.5 `constant` is View.
	Mutability ast.Mutability
	Virtual    bool
	Override   bool
	Params     []*Var
	Returns    []*Var
	// Modifiers lists the modifier invocations in the header, resolved.
	Modifiers []*ModifierCall
	// Signature is name(type1,type2) with canonical parameter type names.
	Signature string

	body
	cfg        *CFG
	guards     GuardSet
	asserted   []int // see AssertedParams
	wac        []WriteAfterCall
	paramTaint []TaintSet
	retTaint   TaintSet
	taint      map[*Var]TaintSet
}

// String returns Contract.name, or the function kind for special ones.
func (f *Function) String() string {
	n := f.Name
	if n == "" {
		n = f.Kind.String()
	}
	if f.Contract != nil {
		return f.Contract.Name + "." + n
	}
	return n
}

// Implemented reports whether f has a body.
func (f *Function) Implemented() bool { return f.Def != nil && f.Def.Body != nil }

// IsPubliclyReachable reports whether f can be invoked by a transaction:
// public or external, not a constructor, and not a library function.
func (f *Function) IsPubliclyReachable() bool {
	if f.Kind == ast.FuncConstructor || f.Contract == nil || f.Contract.IsLibrary() {
		return false
	}
	return f.Visibility == ast.VisPublic || f.Visibility == ast.VisExternal
}

// IsView reports whether f is view or pure (including old `constant`).
func (f *Function) IsView() bool {
	return f.Mutability == ast.View || f.Mutability == ast.Pure
}

// IsPayable reports whether f is payable.
func (f *Function) IsPayable() bool { return f.Mutability == ast.Payable }

// HasModifier reports whether a modifier invocation named name (last path
// component) appears in f's header.
func (f *Function) HasModifier(name string) bool {
	for _, mc := range f.Modifiers {
		if mc.Name == name {
			return true
		}
	}
	return false
}

// ModifierCall is a modifier or base constructor invocation in a function
// header.
type ModifierCall struct {
	Inv *ast.ModifierInvocation
	// Name is the last component of the invoked path.
	Name string
	// Modifier is the resolved modifier (most-derived in the declaring
	// contract), or nil.
	Modifier *Modifier
	// BaseConstructor is set when the invocation names a base contract
	// (constructor arguments), not a modifier.
	BaseConstructor *Contract
}

// Modifier is a modifier definition.
type Modifier struct {
	Def      *ast.ModifierDefinition
	Name     string
	Contract *Contract
	File     *File
	Params   []*Var
	Virtual  bool
	Override bool

	body
}

// String returns Contract.name.
func (md *Modifier) String() string {
	if md.Contract != nil {
		return md.Contract.Name + "." + md.Name
	}
	return md.Name
}

// collect creates files, contracts, functions and variables.
func (m *Model) collect(units []*ast.SourceUnit, files []*source.File) {
	for i, u := range units {
		if u == nil {
			continue
		}
		var src *source.File
		if i < len(files) {
			src = files[i]
		}
		if src == nil {
			src = u.File
		}
		if src == nil {
			src = source.NewFile("", nil)
		}
		f := &File{Unit: u, Source: src, decls: map[string][]Symbol{}, model: m}
		m.Files = append(m.Files, f)
		if _, dup := m.fileOf[src]; !dup {
			m.fileOf[src] = f
		}
		for _, d := range u.Decls {
			m.collectTop(f, d)
		}
	}
	for name, syms := range m.globals {
		if len(syms) > 1 && syms[0].Kind == SymContract {
			n := 0
			for _, s := range syms {
				if s.Kind == SymContract {
					n++
				}
			}
			if n > 1 {
				m.note(syms[1].File, syms[1].Node, "contract name %q is declared %d times; unresolved references use the first declaration", name, n)
			}
		}
	}
}

func (m *Model) addGlobal(f *File, s Symbol) {
	if s.Name == "" {
		return
	}
	s.File = f
	f.decls[s.Name] = append(f.decls[s.Name], s)
	m.globals[s.Name] = append(m.globals[s.Name], s)
}

func identName(id *ast.Ident) string {
	if id == nil {
		return ""
	}
	return id.Name
}

func (m *Model) collectTop(f *File, d ast.Decl) {
	switch d := d.(type) {
	case *ast.PragmaDirective:
		if d.Name != nil && d.Name.Name == "solidity" && !f.Pragma.Known {
			f.Pragma = ParseVersionConstraint(d.Value)
		}
	case *ast.ImportDirective:
		p := ""
		if d.Path != nil {
			p = unquote(d.Path.Value)
		}
		f.Imports = append(f.Imports, &Import{Directive: d, Path: p})
	case *ast.ContractDefinition:
		c := m.collectContract(f, d)
		m.addGlobal(f, Symbol{Kind: SymContract, Name: c.Name, Node: d, Contract: c})
	case *ast.FunctionDefinition:
		fn := m.newFunction(f, nil, d)
		f.Functions = append(f.Functions, fn)
		m.addFuncSym(f.decls, fn)
		m.globals[fn.Name] = append(m.globals[fn.Name], Symbol{Kind: SymFunction, Name: fn.Name, Node: d, Funcs: []*Function{fn}, File: f})
	case *ast.VariableDeclaration:
		v := m.newVar(d, VarConstant, nil, -1)
		f.Constants = append(f.Constants, v)
		m.addGlobal(f, Symbol{Kind: SymVar, Name: v.Name, Node: d, Var: v})
	case *ast.StructDefinition:
		f.Structs = append(f.Structs, d)
		m.addGlobal(f, Symbol{Kind: SymStruct, Name: identName(d.Name), Node: d})
	case *ast.EnumDefinition:
		f.Enums = append(f.Enums, d)
		m.addGlobal(f, Symbol{Kind: SymEnum, Name: identName(d.Name), Node: d})
	case *ast.EventDefinition:
		f.Events = append(f.Events, d)
		m.addGlobal(f, Symbol{Kind: SymEvent, Name: identName(d.Name), Node: d})
	case *ast.ErrorDefinition:
		f.Errors = append(f.Errors, d)
		m.addGlobal(f, Symbol{Kind: SymError, Name: identName(d.Name), Node: d})
	case *ast.UserDefinedValueTypeDefinition:
		f.UDVTs = append(f.UDVTs, d)
		m.addGlobal(f, Symbol{Kind: SymUDVT, Name: identName(d.Name), Node: d})
	case *ast.UsingForDirective:
		f.Usings = append(f.Usings, &Using{Directive: d})
	}
}

// addFuncSym adds fn to the overload set for its name in tab.
func (m *Model) addFuncSym(tab map[string][]Symbol, fn *Function) {
	if fn.Name == "" {
		return
	}
	for i, s := range tab[fn.Name] {
		if s.Kind == SymFunction {
			tab[fn.Name][i].Funcs = append(s.Funcs, fn)
			return
		}
	}
	tab[fn.Name] = append(tab[fn.Name], Symbol{Kind: SymFunction, Name: fn.Name, Node: fn.Def, Funcs: []*Function{fn}, Contract: fn.Contract, File: fn.File})
}

func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') {
		return s[1 : len(s)-1]
	}
	return s
}

func (m *Model) collectContract(f *File, d *ast.ContractDefinition) *Contract {
	c := &Contract{Def: d, Name: identName(d.Name), Kind: d.Kind, Abstract: d.Abstract, File: f, members: map[string][]Symbol{}}
	m.Contracts = append(m.Contracts, c)
	f.Contracts = append(f.Contracts, c)
	m.byName[c.Name] = append(m.byName[c.Name], c)
	m.contractOf[d] = c
	add := func(s Symbol) {
		if s.Name == "" {
			return
		}
		s.Contract, s.File = c, f
		c.members[s.Name] = append(c.members[s.Name], s)
	}
	for _, item := range d.Body {
		switch x := item.(type) {
		case *ast.VariableDeclaration:
			v := m.newVar(x, VarState, c, -1)
			c.StateVars = append(c.StateVars, v)
			add(Symbol{Kind: SymVar, Name: v.Name, Node: x, Var: v})
		case *ast.FunctionDefinition:
			fn := m.newFunction(f, c, x)
			c.Functions = append(c.Functions, fn)
			m.addFuncSym(c.members, fn)
		case *ast.ModifierDefinition:
			md := &Modifier{Def: x, Name: identName(x.Name), Contract: c, File: f, Virtual: x.Virtual, Override: x.Override != nil}
			for i, p := range x.Params {
				if p != nil {
					md.Params = append(md.Params, m.newVar(p, VarParam, c, i))
				}
			}
			c.Modifiers = append(c.Modifiers, md)
			m.Modifiers = append(m.Modifiers, md)
			m.modOf[x] = md
			add(Symbol{Kind: SymModifier, Name: md.Name, Node: x, Modifier: md})
		case *ast.EventDefinition:
			c.Events = append(c.Events, x)
			add(Symbol{Kind: SymEvent, Name: identName(x.Name), Node: x})
		case *ast.ErrorDefinition:
			c.Errors = append(c.Errors, x)
			add(Symbol{Kind: SymError, Name: identName(x.Name), Node: x})
		case *ast.StructDefinition:
			c.Structs = append(c.Structs, x)
			add(Symbol{Kind: SymStruct, Name: identName(x.Name), Node: x})
		case *ast.EnumDefinition:
			c.Enums = append(c.Enums, x)
			add(Symbol{Kind: SymEnum, Name: identName(x.Name), Node: x})
		case *ast.UserDefinedValueTypeDefinition:
			c.UDVTs = append(c.UDVTs, x)
			add(Symbol{Kind: SymUDVT, Name: identName(x.Name), Node: x})
		case *ast.UsingForDirective:
			c.Usings = append(c.Usings, &Using{Directive: x})
		}
	}
	return c
}

func (m *Model) newVar(d *ast.VariableDeclaration, k VarKind, c *Contract, idx int) *Var {
	if d == nil {
		return nil
	}
	v := &Var{Decl: d, Name: identName(d.Name), Kind: k, Contract: c, Index: idx}
	m.vars[d] = v
	return v
}

func (m *Model) newFunction(f *File, c *Contract, d *ast.FunctionDefinition) *Function {
	fn := &Function{Def: d, Name: identName(d.Name), Contract: c, File: f, Kind: d.Kind, OldFallback: d.OldFallback,
		Virtual: d.Virtual, Override: d.Override != nil, Visibility: d.Visibility, Mutability: d.Mutability}
	if fn.Mutability == ast.ConstantFn {
		fn.Mutability = ast.View
	}
	if c != nil && fn.Kind == ast.FuncNormal && fn.Name != "" && fn.Name == c.Name && c.Kind == ast.KindContract {
		if f.Pragma.AllowsBelow(0, 5, 0) {
			fn.IsOldConstructor = true
			fn.Kind = ast.FuncConstructor
		} else {
			fn.NamedLikeContract = true
		}
	}
	if fn.Visibility == ast.VisDefault {
		switch {
		case c == nil:
			fn.Visibility = ast.VisInternal
		case c.IsInterface() || fn.Kind == ast.FuncFallback || fn.Kind == ast.FuncReceive:
			fn.Visibility = ast.VisExternal
		default:
			fn.Visibility = ast.VisPublic
		}
	}
	for i, p := range d.Params {
		if p != nil {
			fn.Params = append(fn.Params, m.newVar(p, VarParam, c, i))
		}
	}
	for i, p := range d.Returns {
		if p != nil {
			fn.Returns = append(fn.Returns, m.newVar(p, VarReturn, c, i))
		}
	}
	parts := make([]string, 0, len(d.Params))
	for _, p := range d.Params {
		if p != nil {
			parts = append(parts, typeString(p.Type))
		}
	}
	name := fn.Name
	if name == "" {
		name = fn.Kind.String()
	}
	fn.Signature = name + "(" + strings.Join(parts, ",") + ")"
	m.Functions = append(m.Functions, fn)
	m.funcOf[d] = fn
	return fn
}

// resolveImports links import directives to files.
func (m *Model) resolveImports() {
	byName := map[string]*File{}
	for _, f := range m.Files {
		n := path.Clean(strings.ReplaceAll(f.Source.Name(), "\\", "/"))
		if _, ok := byName[n]; !ok {
			byName[n] = f
		}
	}
	for _, f := range m.Files {
		for _, im := range f.Imports {
			if im.Path == "" {
				continue
			}
			if m.opts.ResolveImport != nil {
				if src := m.opts.ResolveImport(f.Source, im.Path); src != nil {
					im.File = m.fileOf[src]
				}
				if im.File != nil {
					continue
				}
			}
			p := im.Path
			if strings.HasPrefix(p, "./") || strings.HasPrefix(p, "../") {
				p = path.Join(path.Dir(strings.ReplaceAll(f.Source.Name(), "\\", "/")), p)
			}
			p = path.Clean(p)
			if g := byName[p]; g != nil {
				im.File = g
				continue
			}
			// Suffix match (remapped and node_modules paths).
			suffix := "/" + strings.TrimPrefix(p, "/")
			best := (*File)(nil)
			for n, g := range byName {
				if strings.HasSuffix(n, suffix) && (best == nil || len(n) < len(best.Source.Name())) {
					best = g
				}
			}
			if best == nil {
				// Try the last two path components (different roots).
				parts := strings.Split(p, "/")
				if len(parts) >= 2 {
					tail := "/" + strings.Join(parts[len(parts)-2:], "/")
					for n, g := range byName {
						if strings.HasSuffix(n, tail) && (best == nil || len(n) < len(best.Source.Name())) {
							best = g
						}
					}
				}
			}
			im.File = best
		}
	}
	state := map[*File]uint8{}
	for _, f := range m.Files {
		f.buildScope(state)
	}
}

// lookupName resolves a simple name in the scope of contract c (members
// through its linearization) and file f, falling back to global
// declarations (first declaration wins).
func (m *Model) lookupName(name string, f *File, c *Contract) []Symbol {
	if c != nil {
		if s := c.lookupMember(name); len(s) > 0 {
			return s
		}
	}
	if s := f.Lookup(name); len(s) > 0 {
		return s
	}
	return m.globals[name]
}

// lookupPath resolves a dotted path such as A, Lib.Struct or Unit.C.
func (m *Model) lookupPath(p *ast.IdentPath, f *File, c *Contract) []Symbol {
	if p == nil || len(p.Names) == 0 || p.Names[0] == nil {
		return nil
	}
	syms := m.lookupName(p.Names[0].Name, f, c)
	for _, id := range p.Names[1:] {
		if id == nil || len(syms) == 0 {
			return nil
		}
		s := syms[0]
		switch s.Kind {
		case SymContract:
			syms = s.Contract.lookupMember(id.Name)
		case SymModule:
			if s.File == nil {
				syms = m.globals[id.Name]
			} else {
				syms = s.File.Lookup(id.Name)
				if len(syms) == 0 {
					syms = m.globals[id.Name]
				}
			}
		default:
			return nil
		}
	}
	return syms
}

func firstContract(syms []Symbol) *Contract {
	for _, s := range syms {
		if s.Kind == SymContract {
			return s.Contract
		}
	}
	return nil
}

// resolveBases resolves inheritance specifiers.
func (m *Model) resolveBases() {
	for _, c := range m.Contracts {
		for _, b := range c.Def.Bases {
			if b == nil || b.Name == nil {
				continue
			}
			// Bases are looked up at file level (a contract cannot inherit
			// from its own members).
			bc := firstContract(m.lookupPath(b.Name, c.File, nil))
			if bc == nil || bc == c {
				c.UnresolvedBases = append(c.UnresolvedBases, b.Name.String())
				continue
			}
			c.Bases = append(c.Bases, bc)
			if n := len(b.Name.Names); n > 0 && b.Name.Names[n-1] != nil {
				m.refs[b.Name.Names[n-1]] = Symbol{Kind: SymContract, Name: bc.Name, Node: bc.Def, Contract: bc, File: bc.File}
			}
		}
	}
}
