package main

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/checker"
	"github.com/aegis-defi/aegis/internal/bytecode"
	"github.com/aegis-defi/aegis/internal/risk"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
	"github.com/aegis-defi/aegis/solidity/source"
)

// sourceAudit is the outcome of auditing --source.
type sourceAudit struct {
	files    []*analysis.File
	findings []analysis.Finding
	// errs are files that did not parse and analyzers that failed.
	errs []error
}

// auditSource runs the source auditor (the default suite, as `aegis audit`
// does) on path; files is empty when path holds no Solidity.
func auditSource(ctx context.Context, path string) (*sourceAudit, error) {
	files, loadErrs, _, _, err := loadSources(ctx, []string{path}, nil)
	if err != nil {
		return nil, fmt.Errorf("--source: %w", err)
	}
	a := &sourceAudit{files: files, errs: loadErrs}
	if len(files) == 0 {
		return a, nil
	}
	res, err := checker.Run(ctx, defaultSuite(), files, checker.Options{})
	if err != nil {
		return nil, fmt.Errorf("--source: audit: %w", err)
	}
	a.findings = res.Findings
	a.errs = append(a.errs, res.Errors...)
	return a, nil
}

func toRiskFindings(fs []analysis.Finding) []risk.AuditFinding {
	var out []risk.AuditFinding
	for _, f := range fs {
		out = append(out, risk.AuditFinding{Detector: f.Detector, Severity: f.Severity.String(), Title: f.Title,
			Message: f.Message, Location: fmt.Sprintf("%s:%d:%d", f.File, f.Line, f.Column)})
	}
	return out
}

// applySourceAudit runs the source auditor on path and adds its findings to
// rep.
func applySourceAudit(ctx context.Context, rep *risk.Report, path string) error {
	a, err := auditSource(ctx, path)
	if err != nil {
		return err
	}
	if len(a.files) == 0 {
		rep.ApplyAudit(nil, false, fmt.Sprintf("no Solidity source found under %s", path))
		return nil
	}
	rep.ApplyAudit(toRiskFindings(a.findings), true, "")
	for _, e := range a.errs {
		rep.Unknowns = append(rep.Unknowns, "audit-findings: "+e.Error())
	}
	return nil
}

// sourceContract is a deployable contract of the audited source and what
// its deployed code would show: the selectors of its public functions and
// getters (those whose ABI types the source decides) and the topics of the
// events it declares or inherits.
type sourceContract struct {
	name      string
	lineage   []string
	selectors map[bytecode.Sel]bool
	topics    map[common.Hash]bool
}

// sourceContracts lists the concrete contracts of the audited files.
func sourceContracts(ctx context.Context, files []*analysis.File) ([]sourceContract, error) {
	var units []*ast.SourceUnit
	var srcs []*source.File
	for _, f := range files {
		if f.AST != nil {
			units = append(units, f.AST)
			srcs = append(srcs, f.Source)
		}
	}
	m, err := sema.BuildContext(ctx, units, srcs, sema.Options{})
	if err != nil {
		return nil, fmt.Errorf("--source: semantic model: %w", err)
	}
	kinds := map[string]string{} // user-defined type name → ABI type ("" : not decidable)
	for _, c := range m.Contracts {
		kinds[c.Name] = "address"
		for _, e := range c.Enums {
			if e.Name != nil {
				kinds[e.Name.Name] = "uint8"
			}
		}
		for _, s := range c.Structs {
			if s.Name != nil {
				kinds[s.Name.Name] = ""
			}
		}
	}
	for _, u := range units {
		for _, d := range u.Decls {
			if e, ok := d.(*ast.EnumDefinition); ok && e.Name != nil {
				kinds[e.Name.Name] = "uint8"
			}
		}
	}
	var out []sourceContract
	for _, c := range m.Contracts {
		if c.Kind != ast.KindContract || c.Abstract { // (IsConcrete also wants every interface function implemented, which public getters do)
			continue
		}
		sc := sourceContract{name: c.Name, selectors: map[bytecode.Sel]bool{}, topics: map[common.Hash]bool{}}
		for _, b := range c.Linearization {
			sc.lineage = append(sc.lineage, b.Name)
			for _, f := range b.Functions {
				if f.Kind != ast.FuncNormal || !f.IsPubliclyReachable() || f.Def == nil {
					continue
				}
				if sig, ok := abiSignature(f.Name, f.Def.Params, kinds); ok {
					sc.selectors[bytecode.Sel(crypto.Keccak256([]byte(sig))[:4])] = true
				}
			}
			for _, v := range b.StateVars {
				if v.Decl == nil || v.Decl.Visibility != ast.VisPublic || v.Decl.Type == nil {
					continue
				}
				if sig, ok := getterSignature(v.Name, v.Decl.Type, kinds); ok {
					sc.selectors[bytecode.Sel(crypto.Keccak256([]byte(sig))[:4])] = true
				}
			}
			for _, e := range b.Events {
				if e.Name == nil || e.Anonymous {
					continue
				}
				if sig, ok := abiSignature(e.Name.Name, e.Params, kinds); ok {
					sc.topics[crypto.Keccak256Hash([]byte(sig))] = true
				}
			}
		}
		if len(sc.selectors) > 0 {
			out = append(out, sc)
		}
	}
	return out, nil
}

// abiSignature is name(type,…) with ABI types; ok is false when a type is
// not decidable from the source (structs, user-defined value types).
func abiSignature(name string, params []*ast.VariableDeclaration, kinds map[string]string) (string, bool) {
	var parts []string
	for _, p := range params {
		if p == nil {
			continue
		}
		t, ok := abiType(p.Type, kinds)
		if !ok {
			return "", false
		}
		parts = append(parts, t)
	}
	return name + "(" + strings.Join(parts, ",") + ")", true
}

func abiType(tn ast.TypeName, kinds map[string]string) (string, bool) {
	switch t := tn.(type) {
	case *ast.ElementaryTypeName:
		switch t.Name {
		case "uint":
			return "uint256", true
		case "int":
			return "int256", true
		case "byte":
			return "bytes1", true
		case "fixed", "ufixed":
			return "", false
		}
		return t.Name, t.Name != ""
	case *ast.UserDefinedTypeName:
		if t.Path == nil || len(t.Path.Names) == 0 {
			return "", false
		}
		k := kinds[t.Path.Names[len(t.Path.Names)-1].Name]
		return k, k != ""
	case *ast.ArrayTypeName:
		e, ok := abiType(t.Elem, kinds)
		if !ok {
			return "", false
		}
		if t.Len == nil {
			return e + "[]", true
		}
		if l, ok := t.Len.(*ast.Literal); ok && l.Kind == ast.LitNumber && l.Unit == "" {
			return e + "[" + l.Value + "]", true
		}
	}
	return "", false
}

// getterSignature is the signature of the getter of a public state
// variable: a key per mapping level, an index per array dimension.
func getterSignature(name string, tn ast.TypeName, kinds map[string]string) (string, bool) {
	var keys []string
	for {
		switch t := tn.(type) {
		case *ast.Mapping:
			k, ok := abiType(t.Key, kinds)
			if !ok {
				return "", false
			}
			keys = append(keys, k)
			tn = t.Value
			continue
		case *ast.ArrayTypeName:
			keys = append(keys, "uint256")
			tn = t.Elem
			continue
		}
		return name + "(" + strings.Join(keys, ",") + ")", true
	}
}

// matchSource finds the source contract deployed as logic: every selector
// the source decides must be in the dispatcher; among those, the most
// selectors, then the most event topics found in the code, win. A tie
// between contracts with different findings is ambiguous.
func matchSource(logic *bytecode.Report, code []byte, cs []sourceContract) (best []sourceContract) {
	disp := map[bytecode.Sel]bool{}
	for _, s := range logic.Selectors {
		disp[s.Selector] = true
	}
	push := map[common.Hash]bool{}
	for _, in := range bytecode.Disassemble(code) {
		if in.Op == bytecode.PUSH32 && !in.Truncated {
			push[common.BytesToHash(in.Arg)] = true
		}
	}
	type scored struct {
		c         sourceContract
		sel, topc int
	}
	var cands []scored
	for _, c := range cs {
		ok := true
		for s := range c.selectors {
			if !disp[s] {
				ok = false
				break
			}
		}
		if !ok {
			continue
		}
		n := 0
		for t := range c.topics {
			if push[t] {
				n++
			}
		}
		cands = append(cands, scored{c, len(c.selectors), n})
	}
	sort.SliceStable(cands, func(i, j int) bool {
		if cands[i].sel != cands[j].sel {
			return cands[i].sel > cands[j].sel
		}
		return cands[i].topc > cands[j].topc
	})
	for _, x := range cands {
		if x.sel != cands[0].sel || x.topc != cands[0].topc {
			break
		}
		best = append(best, x.c)
	}
	return best
}

// findingsOf returns the findings located in c or the contracts it inherits.
func findingsOf(fs []analysis.Finding, c sourceContract) []analysis.Finding {
	var out []analysis.Finding
	for _, f := range fs {
		if f.Contract != "" && slices.Contains(c.lineage, f.Contract) {
			out = append(out, f)
		}
	}
	return out
}

// applyProtocolSource audits path and attaches each finding to the
// protocol contracts whose deployed code matches the source contract it is
// in (dispatcher selectors and event topics, see matchSource). Contracts
// no source matches get the audit signal unknown with the reason.
func applyProtocolSource(ctx context.Context, n risk.Node, pr *risk.ProtocolReport, path string) error {
	a, err := auditSource(ctx, path)
	if err != nil {
		return err
	}
	var cs []sourceContract
	if len(a.files) > 0 {
		if cs, err = sourceContracts(ctx, a.files); err != nil {
			return err
		}
	}
	used := map[string]bool{}
	for i := range pr.Contracts {
		cr := &pr.Contracts[i]
		if cr.Report == nil {
			continue
		}
		if len(a.files) == 0 {
			cr.Report.ApplyAudit(nil, false, fmt.Sprintf("no Solidity source found under %s", path))
			continue
		}
		addr := common.HexToAddress(cr.Address)
		br, err := bytecode.Fetch(ctx, n, addr, nil)
		if err != nil {
			return fmt.Errorf("--source: %s: %w", cr.Address, err)
		}
		logic, at := br, addr
		if br.Implementation != nil && br.Proxy != nil && br.Proxy.Implementation != nil {
			logic, at = br.Implementation, *br.Proxy.Implementation
		}
		code, err := n.CodeAt(ctx, at, nil)
		if err != nil {
			return fmt.Errorf("--source: eth_getCode %s: %w", at.Hex(), err)
		}
		best := matchSource(logic, code, cs)
		switch {
		case len(best) == 0:
			cr.Report.ApplyAudit(nil, false, "no contract of the source matches this contract's dispatcher")
		case len(best) > 1:
			var names []string
			for _, b := range best {
				names = append(names, b.name)
			}
			cr.Report.ApplyAudit(nil, false, "source contracts "+strings.Join(names, ", ")+" match this contract's code equally (same selectors and events): findings not attached")
		default:
			used[best[0].name] = true
			cr.Report.ApplyAudit(toRiskFindings(findingsOf(a.findings, best[0])), true, "")
			cr.Report.Signals[len(cr.Report.Signals)-1].Evidence = append(cr.Report.Signals[len(cr.Report.Signals)-1].Evidence,
				risk.Evidence{Address: cr.Address, Detail: fmt.Sprintf("deployed code matches source contract %s (%d selectors in the dispatcher)", best[0].name, len(best[0].selectors))})
		}
		for _, e := range a.errs {
			cr.Report.Unknowns = append(cr.Report.Unknowns, "audit-findings: "+e.Error())
		}
	}
	// Findings of source contracts that match no analysed address.
	seen := map[string]bool{}
	for _, f := range a.findings {
		if f.Contract == "" || seen[f.Contract] {
			continue
		}
		inUsed := false
		for _, c := range cs {
			if used[c.name] && slices.Contains(c.lineage, f.Contract) {
				inUsed = true
			}
		}
		if !inUsed {
			seen[f.Contract] = true
			pr.SourceUnmatched = append(pr.SourceUnmatched, f.Contract)
		}
	}
	slices.Sort(pr.SourceUnmatched)
	pr.Rescore()
	return nil
}
