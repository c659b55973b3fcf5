package analysis

import (
	"context"
	"fmt"
	"reflect"
	"sort"

	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/source"
)

// Analyzer describes one detector or one shared model. Analyzers are plain
// values, usually a package-level `var Analyzer = &analysis.Analyzer{...}`
// in their own package; they must not be modified after creation.
type Analyzer struct {
	// Name is the unique kebab-case identifier ("tx-origin"), used in
	// suppressions, configuration, fingerprints and SARIF rule ids.
	Name string
	// Title is a one-line human title ("Authorization through tx.origin").
	// Result-only analyzers leave it empty.
	Title string
	// Doc is the long-form documentation shown by `aegis detectors` and in
	// reports.
	Doc Doc
	// Severity is the default impact of the findings.
	Severity Severity
	// Confidence is how likely a finding is a true positive.
	Confidence Confidence
	// Category is one of [Categories].
	Category string
	// SWC is the Smart Contract Weakness Classification id ("SWC-115"), or "".
	SWC string
	// Requires lists the analyzers whose results Run reads from
	// Pass.ResultOf. The driver runs each of them once, before this one.
	Requires []*Analyzer
	// ResultType is the type of the value Run returns, or nil if Run returns
	// no result.
	ResultType reflect.Type
	// Run applies the analyzer to a pass. It returns the analyzer's result
	// (of ResultType) or an error; it must not retain the pass.
	Run func(*Pass) (any, error)
}

// Doc is the documentation of an analyzer, in Slither's style.
type Doc struct {
	// Summary explains what the detector finds and why it matters.
	Summary string
	// Exploit is a concrete exploit scenario, possibly with code.
	Exploit string
	// Recommendation tells the developer how to fix the code.
	Recommendation string
}

// String returns the analyzer name.
func (a *Analyzer) String() string { return a.Name }

// ReportsFindings reports whether a is a detector, that is, not an analyzer
// that only computes a result for others (ResultType set, Title empty).
func (a *Analyzer) ReportsFindings() bool { return a.ResultType == nil || a.Title != "" }

// File is one parsed Solidity file of the program under analysis.
type File struct {
	// Path is the slash-separated path relative to the project root; it is
	// what findings, fingerprints and suppressions refer to.
	Path string
	// Source is the file content with its line table.
	Source *source.File
	// AST is the parsed source unit; never nil, even with parse errors.
	AST *ast.SourceUnit
	// ParseErrors are the syntax errors of the file.
	ParseErrors []source.Error
	// Dependency marks a file that is not part of the audited sources but
	// was reached through an import (a library under lib/ or
	// node_modules/). Findings in dependencies are hidden by default.
	Dependency bool
}

// Pass is one application of an analyzer to a program.
type Pass struct {
	// Analyzer is the analyzer being run.
	Analyzer *Analyzer
	// Files are all files of the program, including dependencies.
	Files []*File
	// ResultOf holds the results of the analyzers in Analyzer.Requires.
	ResultOf map[*Analyzer]any
	// Report records a finding. It is set by the driver; analyzers usually
	// call Reportf or ReportSpanf, which fill in the location.
	Report func(Finding)

	last    *File // file of the previous Reportf, tried first
	lastIdx int   // index of last in Files
	ctx     context.Context
}

// Context returns the context of the run: it is cancelled when the driver
// is interrupted, and long-running analyzers should poll it. It is never
// nil (context.Background if the driver set none).
func (p *Pass) Context() context.Context {
	if p.ctx == nil {
		return context.Background()
	}
	return p.ctx
}

// WithContext returns a shallow copy of p whose Context is ctx, like
// http.Request.WithContext; drivers call it once when building a Pass.
func (p *Pass) WithContext(ctx context.Context) *Pass {
	q := *p
	q.ctx = ctx
	return &q
}

// Reportf reports a finding at node, which must belong to the AST of one of
// p.Files. The enclosing contract and function are filled in.
func (p *Pass) Reportf(node ast.Node, format string, args ...any) {
	f := p.fileOf(node)
	if f == nil {
		// Not found in any file: report it without a location rather than
		// lose it.
		p.report(Finding{Span: node.Span(), Message: fmt.Sprintf(format, args...)})
		return
	}
	p.ReportSpanf(f, node.Span(), format, args...)
}

// ReportSeverityf is Reportf for a finding whose impact differs from the
// analyzer's default (a risk that depends on a compiler choice, say).
func (p *Pass) ReportSeverityf(node ast.Node, sev Severity, format string, args ...any) {
	fd := Finding{Severity: sev, Message: fmt.Sprintf(format, args...)}
	if f := p.fileOf(node); f != nil {
		Locate(&fd, f, node.Span())
	} else {
		fd.Span = node.Span()
	}
	p.report(fd)
}

// ReportSpanf reports a finding at span of file f.
func (p *Pass) ReportSpanf(f *File, span source.Span, format string, args ...any) {
	fd := Finding{Message: fmt.Sprintf(format, args...)}
	Locate(&fd, f, span)
	p.report(fd)
}

func (p *Pass) report(f Finding) {
	if p.Report != nil {
		p.Report(f)
	}
}

// fileOf returns the file whose syntax tree contains node.
func (p *Pass) fileOf(node ast.Node) *File {
	if su, ok := node.(*ast.SourceUnit); ok {
		for _, f := range p.Files {
			if f.AST == su {
				return f
			}
		}
	}
	if p.last != nil && containsNode(p.last.AST, node) {
		return p.last
	}
	// Search from the file after the previous hit, wrapping around: an
	// analyzer reporting file by file finds each file at the first try, so
	// N files with a finding each cost O(N), not O(N²).
	n := len(p.Files)
	for k := 1; k <= n; k++ {
		i := (p.lastIdx + k) % n
		if f := p.Files[i]; f != p.last && containsNode(f.AST, node) {
			p.last, p.lastIdx = f, i
			return f
		}
	}
	return nil
}

// containsNode reports whether node is in the tree rooted at root, descending
// only into nodes whose range covers node's range.
func containsNode(root *ast.SourceUnit, node ast.Node) bool {
	if root == nil {
		return false
	}
	sp := node.Span()
	// The declarations of a parsed file are in source order: only the one
	// starting last at or before node can contain it. Looking it up by
	// binary search keeps a report O(depth), not O(declarations), so a
	// file of thousands of contracts is not quadratic in its findings.
	decls := root.Decls
	i := sort.Search(len(decls), func(i int) bool { return decls[i].Span().Start > sp.Start })
	if i == 0 {
		return false
	}
	top := decls[i-1]
	if top == node {
		return true
	}
	if s := top.Span(); s.Start > sp.Start || sp.End > s.End {
		return false
	}
	found := false
	ast.Inspect(top, func(n ast.Node) bool {
		if found || n == nil {
			return false
		}
		if n == node {
			found = true
			return false
		}
		s := n.Span()
		return s.Start <= sp.Start && sp.End <= s.End
	})
	return found
}

// Locate fills in the file, line/column and the enclosing contract and
// function of finding f located at span of file.
func Locate(fd *Finding, file *File, span source.Span) {
	fd.File = file.Path
	fd.Span = span
	if file.Source != nil {
		fd.Line, fd.Column = file.Source.LineCol(span.Start)
		end := span.End
		if end > span.Start {
			end-- // last byte of the span, so a span ending a line stays on it
		}
		fd.EndLine, fd.EndColumn = file.Source.LineCol(end)
		if span.End > span.Start {
			fd.EndColumn++ // exclusive end column
		}
	}
	fd.Contract, fd.Function = Enclosing(file.AST, span)
}

// Enclosing returns the names of the contract and the function (or
// modifier, constructor, fallback, receive) whose declarations enclose span.
// Either is "" when there is none; free functions have no contract.
func Enclosing(unit *ast.SourceUnit, span source.Span) (contract, function string) {
	if unit == nil {
		return "", ""
	}
	within := func(n ast.Node) bool {
		s := n.Span()
		return s.Start <= span.Start && span.End <= s.End
	}
	// Declarations are in source order: start at the last one beginning at
	// or before span (binary search, not a scan per finding).
	decls := unit.Decls
	i := sort.Search(len(decls), func(i int) bool { return decls[i].Span().Start > span.Start })
	for _, d := range decls[max(i-1, 0):i] {
		if !within(d) {
			continue
		}
		switch d := d.(type) {
		case *ast.ContractDefinition:
			if d.Name != nil {
				contract = d.Name.Name
			}
			for _, m := range d.Body {
				if within(m) {
					if name := memberName(m); name != "" {
						function = name
					}
					break
				}
			}
		case *ast.FunctionDefinition:
			function = memberName(d)
		}
		break
	}
	return contract, function
}

// memberName returns the name of a function-like member, or "".
func memberName(d ast.Decl) string {
	switch d := d.(type) {
	case *ast.FunctionDefinition:
		if d.Name != nil {
			return d.Name.Name
		}
		if d.Kind == ast.FuncNormal {
			return "fallback"
		}
		return d.Kind.String()
	case *ast.ModifierDefinition:
		if d.Name != nil {
			return d.Name.Name
		}
	}
	return ""
}

// Finding is one reported problem. The driver fills in the detector
// metadata, fingerprint and, when missing, the location details.
type Finding struct {
	Detector    string      `json:"detector"`
	Title       string      `json:"title"`
	Severity    Severity    `json:"severity"`
	Confidence  Confidence  `json:"confidence"`
	Category    string      `json:"category"`
	SWC         string      `json:"swc,omitempty"`
	File        string      `json:"file"`
	Span        source.Span `json:"-"`
	Line        int         `json:"line"`
	Column      int         `json:"column"`
	EndLine     int         `json:"end_line"`
	EndColumn   int         `json:"end_column"`
	Contract    string      `json:"contract,omitempty"`
	Function    string      `json:"function,omitempty"`
	Message     string      `json:"message"`
	Fingerprint string      `json:"fingerprint"`
}

// String formats f as file:line:col: [detector] message.
func (f Finding) String() string {
	return fmt.Sprintf("%s:%d:%d: [%s] %s", f.File, f.Line, f.Column, f.Detector, f.Message)
}
