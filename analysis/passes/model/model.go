// Package model provides the semantic model of the audited project as a
// shared, result-only analyzer: detectors that need contracts, inheritance,
// call sites, read/write sets, guards, CFGs or taint list it in Requires and
// read it with Of(pass). It is computed once per run, whatever the number of
// detectors that use it.
package model

import (
	"fmt"
	"reflect"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
	"github.com/aegis-defi/aegis/solidity/source"
)

// Analyzer builds the *sema.Model of every file of the pass (dependencies
// included, so inherited code from libraries resolves).
var Analyzer = &analysis.Analyzer{
	Name: "model",
	Doc: analysis.Doc{
		Summary: "Builds the semantic model (contracts, C3 linearization, functions, call sites, " +
			"state reads and writes, guards, CFGs, taint) shared by the detectors.",
	},
	ResultType: reflect.TypeFor[*sema.Model](),
	Run:        run,
}

func run(pass *analysis.Pass) (any, error) {
	units := make([]*ast.SourceUnit, 0, len(pass.Files))
	files := make([]*source.File, 0, len(pass.Files))
	for _, f := range pass.Files {
		if f.AST == nil {
			continue
		}
		units = append(units, f.AST)
		files = append(files, f.Source)
	}
	m, err := sema.BuildContext(pass.Context(), units, files, sema.Options{})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// Of returns the model computed for pass; the pass's analyzer must list
// Analyzer in its Requires.
func Of(pass *analysis.Pass) (*sema.Model, error) {
	m, ok := pass.ResultOf[Analyzer].(*sema.Model)
	if !ok || m == nil {
		return nil, fmt.Errorf("%s: model not computed (add model.Analyzer to Requires)", pass.Analyzer.Name)
	}
	return m, nil
}
