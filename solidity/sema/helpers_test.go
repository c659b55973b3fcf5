package sema

import (
	"fmt"
	"strings"
	"testing"

	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/parser"
	"github.com/aegis-defi/aegis/solidity/source"
)

// build parses each source (named a.sol, b.sol, ...) and builds a model,
// failing on parse errors or internal errors.
func build(t *testing.T, srcs ...string) *Model {
	t.Helper()
	var units []*ast.SourceUnit
	var files []*source.File
	for i, s := range srcs {
		f := source.NewFile(fmt.Sprintf("%c.sol", 'a'+i), []byte(s))
		u, errs := parser.ParseFile(f)
		for _, e := range errs {
			t.Fatalf("parse: %v", e)
		}
		units = append(units, u)
		files = append(files, f)
	}
	m := Build(units, files)
	for _, d := range m.Diagnostics {
		if strings.Contains(d.Msg, "internal error") {
			t.Fatalf("diagnostic: %v", d)
		}
	}
	return m
}

func fnOf(t *testing.T, m *Model, contract, name string) *Function {
	t.Helper()
	c := m.Contract(contract)
	if c == nil {
		t.Fatalf("no contract %s", contract)
	}
	for _, f := range c.Functions {
		if f.Name == name || (name == "" && f.Kind != ast.FuncNormal) {
			return f
		}
	}
	t.Fatalf("no function %s.%s", contract, name)
	return nil
}

func linNames(c *Contract) string {
	var s []string
	for _, b := range c.Linearization {
		s = append(s, b.Name)
	}
	return strings.Join(s, ",")
}

func varNames(vs []*Var) string {
	var s []string
	for _, v := range vs {
		s = append(s, v.Name)
	}
	return strings.Join(s, ",")
}
