package ast

import (
	"testing"

	"github.com/aegis-defi/aegis/solidity/source"
)

func TestInspect(t *testing.T) {
	id := func(name string, at int) *Ident {
		return &Ident{Loc: Loc{Src: source.Span{Start: source.Pos(at), End: source.Pos(at + len(name))}}, Name: name}
	}
	call := &CallExpr{Fun: id("f", 0), Args: []Expr{id("a", 2), &Literal{Value: "1"}}}
	body := &Block{Stmts: []Stmt{&ExprStmt{X: call}, &ReturnStmt{}}}
	fn := &FunctionDefinition{Name: id("g", 0), Body: body}
	unit := &SourceUnit{Decls: []Decl{fn}}

	var order []string
	Inspect(unit, func(n Node) bool {
		if n == nil {
			return false
		}
		switch n := n.(type) {
		case *Ident:
			order = append(order, n.Name)
		case *ReturnStmt:
			order = append(order, "return")
		}
		return true
	})
	want := []string{"g", "f", "a", "return"}
	if len(order) != len(want) {
		t.Fatalf("got %v, want %v", order, want)
	}
	for i := range want {
		if order[i] != want[i] {
			t.Fatalf("got %v, want %v", order, want)
		}
	}

	// Returning false prunes the subtree.
	count := 0
	Inspect(unit, func(n Node) bool {
		if n != nil {
			count++
		}
		_, isFn := n.(*FunctionDefinition)
		return !isFn
	})
	if count != 2 {
		t.Errorf("pruned count = %d, want 2", count)
	}
}

func TestNames(t *testing.T) {
	p := &IdentPath{Names: []*Ident{{Name: "A"}, {Name: "B"}}}
	if p.String() != "A.B" {
		t.Errorf("path = %q", p.String())
	}
	if VisExternal.String() != "external" || View.String() != "view" || LocCalldata.String() != "calldata" ||
		KindLibrary.String() != "library" || FuncReceive.String() != "receive" {
		t.Error("enum names")
	}
	a := &AssemblyStmt{Flags: []*Literal{{Value: `"memory-safe"`}}}
	if !a.MemorySafe() {
		t.Error("memory-safe")
	}
}
