// Package sema builds a semantic model of parsed Solidity source units for
// static analysis: declarations and scopes, C3 inheritance linearization,
// function and modifier resolution (virtual/override, super, using-for),
// a call graph with classified external call sites, direct and transitive
// state variable accesses, per-function control flow graphs with modifier
// bodies spliced in, writes that may follow an external call, access
// guards, best-effort expression types and a simple taint analysis.
//
// The model is built once by Build and is immutable afterwards, so it may be
// queried concurrently. Build never panics and tolerates partial code:
// anything that cannot be resolved (a missing import, an unknown name) is
// recorded as unresolved and analysis continues.
package sema

import (
	"context"
	"fmt"

	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/source"
)

// Diagnostic is a note produced while building the model, such as an
// inconsistent inheritance hierarchy or an ambiguous name. Diagnostics are
// informational; they never stop model construction.
type Diagnostic struct {
	File *source.File
	Span source.Span
	Msg  string
}

// Error formats the diagnostic as file:line:col: msg.
func (d Diagnostic) Error() string {
	return source.Error{File: d.File, Span: d.Span, Msg: d.Msg}.Error()
}

// Options configures Build.
type Options struct {
	// ResolveImport maps an import path written in file from to the file it
	// denotes, or nil if unknown. When nil, imports are matched against the
	// given files by normalized relative path and then by path suffix.
	ResolveImport func(from *source.File, path string) *source.File
}

// Model is the semantic model of a set of source units.
type Model struct {
	// Files lists one File per input unit, in input order.
	Files []*File
	// Contracts lists every contract, interface and library in source order.
	Contracts []*Contract
	// Functions lists every function (contract members and free functions).
	Functions []*Function
	// Modifiers lists every modifier definition.
	Modifiers []*Modifier
	// Diagnostics lists notes produced while building the model.
	Diagnostics []Diagnostic

	opts       Options
	byName     map[string][]*Contract
	fileOf     map[*source.File]*File
	vars       map[*ast.VariableDeclaration]*Var
	refs       map[*ast.Ident]Symbol
	funcOf     map[*ast.FunctionDefinition]*Function
	modOf      map[*ast.ModifierDefinition]*Modifier
	callOf     map[*ast.CallExpr]*CallSite
	contractOf map[*ast.ContractDefinition]*Contract
	globals    map[string][]Symbol
	guardMemo  map[guardKey][]Guard // used only during Build
}

// Build constructs the semantic model of units; files[i] is the source file
// of units[i] (if files is shorter, or an entry is nil, the unit's own File
// is used). Nil units are skipped. Build never panics: an internal failure
// while analysing one declaration is recorded as a Diagnostic and that
// declaration is left partially modelled.
func Build(units []*ast.SourceUnit, files []*source.File) *Model {
	return BuildWith(units, files, Options{})
}

// BuildWith is Build with options.
func BuildWith(units []*ast.SourceUnit, files []*source.File, opts Options) *Model {
	m, _ := BuildContext(context.Background(), units, files, opts)
	return m
}

// BuildContext is BuildWith that stops early when ctx is cancelled: it
// polls ctx between phases and between the functions of each per-function
// phase, and returns the partial model with ctx's error.
func BuildContext(ctx context.Context, units []*ast.SourceUnit, files []*source.File, opts Options) (*Model, error) {
	m := &Model{
		opts:       opts,
		byName:     map[string][]*Contract{},
		fileOf:     map[*source.File]*File{},
		vars:       map[*ast.VariableDeclaration]*Var{},
		refs:       map[*ast.Ident]Symbol{},
		funcOf:     map[*ast.FunctionDefinition]*Function{},
		modOf:      map[*ast.ModifierDefinition]*Modifier{},
		callOf:     map[*ast.CallExpr]*CallSite{},
		contractOf: map[*ast.ContractDefinition]*Contract{},
		globals:    map[string][]Symbol{},
	}
	// step runs one guarded phase unless ctx is done.
	step := func(f *File, node ast.Node, fn func()) error {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("semantic analysis: %w", context.Cause(ctx))
		}
		m.guard(f, node, fn)
		return nil
	}
	phases := []func() error{
		func() error { return step(nil, nil, func() { m.collect(units, files) }) },
		func() error { return step(nil, nil, m.resolveImports) },
		func() error { return step(nil, nil, m.resolveBases) },
		func() error { return step(nil, nil, m.linearizeAll) },
		func() error { return step(nil, nil, m.resolveSignatures) },
		func() error {
			for _, fn := range m.Functions {
				if err := step(fn.File, fn.Def, func() { m.analyzeBody(&fn.body, fn, nil) }); err != nil {
					return err
				}
			}
			for _, md := range m.Modifiers {
				if err := step(md.File, md.Def, func() { m.analyzeBody(&md.body, nil, md) }); err != nil {
					return err
				}
			}
			return nil
		},
		func() error { return step(nil, nil, m.summarize) },
		func() error {
			for _, fn := range m.Functions {
				if err := step(fn.File, fn.Def, func() { m.buildCFG(fn) }); err != nil {
					return err
				}
			}
			return nil
		},
		func() error { return step(nil, nil, m.computeWritesAfterCall) },
		func() error { return step(nil, nil, m.computeAsserted) },
		func() error {
			for _, fn := range m.Functions {
				if err := step(fn.File, fn.Def, func() { m.computeGuards(fn) }); err != nil {
					return err
				}
			}
			m.guardMemo = nil
			return nil
		},
		func() error { return step(nil, nil, m.computeTaint) },
	}
	for _, ph := range phases {
		if err := ph(); err != nil {
			m.guardMemo = nil
			return m, err
		}
	}
	return m, nil
}

// guard runs f, converting a panic into a diagnostic at node.
func (m *Model) guard(f *File, node ast.Node, fn func()) {
	defer func() {
		if r := recover(); r != nil {
			d := Diagnostic{Msg: fmt.Sprintf("internal error in semantic analysis: %v", r)}
			if f != nil {
				d.File = f.Source
			}
			if node != nil && !isNilNode(node) {
				d.Span = node.Span()
			}
			m.Diagnostics = append(m.Diagnostics, d)
		}
	}()
	fn()
}

func (m *Model) note(f *File, n ast.Node, format string, args ...any) {
	d := Diagnostic{Msg: fmt.Sprintf(format, args...)}
	if f != nil {
		d.File = f.Source
	}
	if n != nil && !isNilNode(n) {
		d.Span = n.Span()
	}
	m.Diagnostics = append(m.Diagnostics, d)
}

// isNilNode reports whether n is nil or a typed nil pointer of a common
// node type.
func isNilNode(n ast.Node) bool {
	switch x := n.(type) {
	case nil:
		return true
	case *ast.FunctionDefinition:
		return x == nil
	case *ast.ModifierDefinition:
		return x == nil
	case *ast.ContractDefinition:
		return x == nil
	case *ast.Ident:
		return x == nil
	case *ast.IdentPath:
		return x == nil
	case *ast.Block:
		return x == nil
	case *ast.CallExpr:
		return x == nil
	case *ast.VariableDeclaration:
		return x == nil
	case *ast.ImportDirective:
		return x == nil
	case *ast.InheritanceSpecifier:
		return x == nil
	case *ast.ModifierInvocation:
		return x == nil
	}
	return false
}

// ContractByName returns the contracts named name across all files.
func (m *Model) ContractByName(name string) []*Contract { return m.byName[name] }

// Contract returns the first contract named name, or nil.
func (m *Model) Contract(name string) *Contract {
	if cs := m.byName[name]; len(cs) > 0 {
		return cs[0]
	}
	return nil
}

// FileOf returns the model File of src, or nil.
func (m *Model) FileOf(src *source.File) *File { return m.fileOf[src] }

// ContractOf returns the Contract modelling def, or nil.
func (m *Model) ContractOf(def *ast.ContractDefinition) *Contract { return m.contractOf[def] }

// FunctionOf returns the Function modelling def, or nil.
func (m *Model) FunctionOf(def *ast.FunctionDefinition) *Function { return m.funcOf[def] }

// ModifierOf returns the Modifier modelling def, or nil.
func (m *Model) ModifierOf(def *ast.ModifierDefinition) *Modifier { return m.modOf[def] }

// VarOf returns the Var declared by decl (state variable, constant,
// parameter, return variable or local), or nil.
func (m *Model) VarOf(decl *ast.VariableDeclaration) *Var { return m.vars[decl] }

// Ref returns what the identifier id refers to. Identifiers in function and
// modifier bodies, type names and inheritance lists are resolved; the
// result has Kind SymUnresolved if id is unknown.
func (m *Model) Ref(id *ast.Ident) Symbol { return m.refs[id] }

// CallSiteOf returns the call site recorded for call, or nil if call is not
// a call site (type conversions, struct constructors, event arguments).
func (m *Model) CallSiteOf(call *ast.CallExpr) *CallSite { return m.callOf[call] }

// Subcontracts returns the contracts that (transitively) inherit from c,
// excluding c.
func (m *Model) Subcontracts(c *Contract) []*Contract {
	var out []*Contract
	for _, d := range m.Contracts {
		if d != c && d.DerivesFrom(c) {
			out = append(out, d)
		}
	}
	return out
}

// File is the model of one source unit.
type File struct {
	Unit   *ast.SourceUnit
	Source *source.File
	// Pragma is the `pragma solidity` constraint (unknown if absent; the
	// first solidity pragma wins if there are several).
	Pragma VersionConstraint
	// Imports lists the import directives with their resolved target file.
	Imports []*Import

	Contracts []*Contract
	// Functions lists free (file-level) functions.
	Functions []*Function
	// Constants lists file-level constants.
	Constants []*Var
	Structs   []*ast.StructDefinition
	Enums     []*ast.EnumDefinition
	Events    []*ast.EventDefinition
	Errors    []*ast.ErrorDefinition
	UDVTs     []*ast.UserDefinedValueTypeDefinition
	// Usings lists file-level using-for directives.
	Usings []*Using

	decls map[string][]Symbol // own file-level declarations
	scope map[string][]Symbol // own and imported declarations
	model *Model
}

// Import is an import directive and the file it resolved to.
type Import struct {
	Directive *ast.ImportDirective
	Path      string
	// File is the imported file, or nil if it was not found.
	File *File
}

// Lookup returns the symbols visible under name at file level: the file's
// own declarations, then imported ones (import-all transitively, aliases
// and unit aliases).
func (f *File) Lookup(name string) []Symbol {
	if f == nil {
		return nil
	}
	if s := f.decls[name]; len(s) > 0 {
		return s
	}
	return f.scope[name]
}

// buildScope computes the file's import scope (memoized; import cycles
// yield partial scopes).
func (f *File) buildScope(state map[*File]uint8) map[string][]Symbol {
	if f == nil {
		return nil
	}
	switch state[f] {
	case 1:
		return f.decls
	case 2:
		return f.scope
	}
	state[f] = 1
	sc := map[string][]Symbol{}
	for k, v := range f.decls {
		sc[k] = v
	}
	add := func(name string, syms []Symbol) {
		if _, ok := sc[name]; !ok && len(syms) > 0 {
			sc[name] = syms
		}
	}
	for _, im := range f.Imports {
		d := im.Directive
		switch {
		case d.HasBrace:
			if im.File == nil {
				continue
			}
			g := im.File.buildScope(state)
			for _, s := range d.Symbols {
				if s == nil || s.Name == nil {
					continue
				}
				alias := s.Name.Name
				if s.Alias != nil {
					alias = s.Alias.Name
				}
				add(alias, g[s.Name.Name])
			}
		case d.Alias != nil:
			add(d.Alias.Name, []Symbol{{Kind: SymModule, Name: d.Alias.Name, Node: d, File: im.File}})
		default:
			if im.File == nil {
				continue
			}
			for k, v := range im.File.buildScope(state) {
				add(k, v)
			}
		}
	}
	f.scope = sc
	state[f] = 2
	return sc
}

// SolidityAtLeast08 reports whether every version admitted by the file's
// pragma is at least 0.8.0, i.e. arithmetic is checked by default. Files
// without a pragma report false.
func (f *File) SolidityAtLeast08() bool {
	return f.Pragma.Known && !f.Pragma.AllowsBelow(0, 8, 0)
}

// SymbolKind classifies a Symbol.
type SymbolKind uint8

// Symbol kinds.
const (
	SymUnresolved SymbolKind = iota
	SymVar                   // state variable, constant, parameter or local
	SymFunction              // overload set of functions
	SymModifier
	SymContract // contract, interface or library
	SymStruct
	SymEnum
	SymEvent
	SymError
	SymUDVT    // user-defined value type
	SymBuiltin // msg, block, tx, this, super, now, abi, require, ...
	SymModule  // import unit alias
)

var symKindNames = [...]string{"unresolved", "variable", "function", "modifier", "contract", "struct", "enum", "event", "error", "user-defined value type", "builtin", "module"}

// String returns a name for k.
func (k SymbolKind) String() string {
	if int(k) < len(symKindNames) {
		return symKindNames[k]
	}
	return "?"
}

// Symbol is what a name refers to.
type Symbol struct {
	Kind SymbolKind
	Name string
	// Node is the declaring node (nil for builtins and unresolved names).
	Node ast.Node
	// Var is set for SymVar.
	Var *Var
	// Funcs is the overload set for SymFunction.
	Funcs []*Function
	// Modifier is set for SymModifier.
	Modifier *Modifier
	// Contract is the contract for SymContract, and the declaring contract
	// of contract-level structs, enums, events and errors.
	Contract *Contract
	// File is the target file of a SymModule (nil if unresolved) and the
	// declaring file otherwise, when known.
	File *File
}

// Resolved reports whether s refers to something.
func (s Symbol) Resolved() bool { return s.Kind != SymUnresolved }

// VarKind classifies a Var.
type VarKind uint8

// Variable kinds.
const (
	VarState    VarKind = iota // contract state variable (incl. constant/immutable)
	VarConstant                // file-level constant
	VarParam                   // function, modifier or catch parameter
	VarReturn                  // named or unnamed return variable
	VarLocal                   // local variable
	VarMember                  // struct member
)

// Var is a declared variable.
type Var struct {
	Decl *ast.VariableDeclaration
	Name string // "" for unnamed parameters
	Kind VarKind
	// Contract is the declaring contract of state variables (and of
	// parameters and locals of contract members); nil at file level.
	Contract *Contract
	// Type is the declared type, resolved best-effort (nil for `var`).
	Type *Type
	// Index is the parameter or return position; -1 otherwise.
	Index int
}

// IsState reports whether v is a contract state variable that occupies
// storage (not constant or immutable).
func (v *Var) IsState() bool {
	return v != nil && v.Kind == VarState && !v.Decl.Constant && !v.Decl.Immutable
}

// IsStoragePointer reports whether v is a local or parameter referring to
// storage (declared `storage`, or a struct, array or mapping local without
// location in pre-0.5 code).
func (v *Var) IsStoragePointer() bool {
	if v == nil || v.Kind == VarState || v.Kind == VarConstant {
		return false
	}
	if v.Decl.Location == ast.LocStorage {
		return true
	}
	return false
}

// String returns the variable name, qualified by its contract for state
// variables.
func (v *Var) String() string {
	if v == nil {
		return "<nil>"
	}
	if v.Kind == VarState && v.Contract != nil {
		return v.Contract.Name + "." + v.Name
	}
	return v.Name
}

// Using is a `using ... for ...` directive.
type Using struct {
	Directive *ast.UsingForDirective
	// Library is the resolved library of the `using L for T` form (nil if
	// unresolved or for the braced form).
	Library *Contract
	// LibraryName is the written library path ("" for the braced form).
	LibraryName string
	// Functions lists resolved functions of the braced form.
	Functions []*Function
	// Type is the target type; nil for `*`.
	Type *Type
}

// appliesTo reports whether u attaches functions to values of type t
// (unknown types match conservatively).
func (u *Using) appliesTo(t *Type) bool {
	if u.Type == nil || t == nil || t.Kind == TypeUnknown {
		return true
	}
	return u.Type.sameBase(t)
}
