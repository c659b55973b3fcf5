package defiutil

import (
	"strings"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Expected is the expected return types of a standard function, keyed by
// its canonical signature; an empty slice means no return value.
type Expected map[string][]string

// CheckInterface reports the functions of contracts that look like the
// standard (declare at least minMatch of its signatures, own or inherited)
// whose return types differ from want. Contracts for which skip returns
// true are ignored.
func CheckInterface(pass *analysis.Pass, m *sema.Model, standard string, want Expected, minMatch int, skip func(*sema.Contract) bool) {
	reported := map[*sema.Function]bool{}
	for _, c := range m.Contracts {
		if c.IsLibrary() || skip != nil && skip(c) {
			continue
		}
		fns := c.AllFunctions()
		n := 0
		for _, fn := range fns {
			if _, ok := want[fn.Signature]; ok {
				n++
			}
		}
		if n < minMatch {
			continue
		}
		for _, fn := range fns {
			exp, ok := want[fn.Signature]
			if !ok || reported[fn] || fn.Def == nil {
				continue
			}
			got := make([]string, len(fn.Returns))
			for i, r := range fn.Returns {
				if r.Type != nil {
					got[i] = r.Type.String()
				}
			}
			if sameTypes(got, exp) {
				continue
			}
			reported[fn] = true
			at := ast.Node(fn.Def)
			if fn.Def.Name != nil {
				at = fn.Def.Name
			}
			pass.Reportf(at, "%s %s returns (%s) instead of (%s) as %s requires: callers compiled against the standard interface revert or misread the result", c.Name, fn.Signature, strings.Join(got, ", "), strings.Join(exp, ", "), standard)
		}
	}
}

func sameTypes(got, want []string) bool {
	if len(got) != len(want) {
		return false
	}
	for i := range got {
		if got[i] != "" && got[i] != want[i] {
			return false
		}
	}
	return true
}
