package natspecaccess

import (
	"regexp"
	"strings"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/authutil"
	"github.com/aegis-defi/aegis/analysis/passes/internal/flowutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports public functions whose comments claim an access
// restriction that the code does not enforce.
var Analyzer = &analysis.Analyzer{
	Name:  "natspec-access-mismatch",
	Title: "Documented access restriction not enforced",
	Doc: analysis.Doc{
		Summary: "The documentation of a public function says only a privileged role may call it, but " +
			"the function has no access control.",
		Exploit: "`/// @notice Only callable by the owner. function setFee(uint256 fee) external { ... }` " +
			"was meant to carry onlyOwner; anyone sets the fee to 100% and takes every trade.",
		Recommendation: "Add the documented guard (onlyOwner, onlyRole, a msg.sender check), or fix the " +
			"documentation if the function is meant to be public.",
	},
	Severity:   analysis.Medium,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategoryAccessControl,
	SWC:        "SWC-105",
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

const roles = `(?:contract\s+)?(?:owner|admin|administrator|governance|governor|operator|guardian|minter|manager|dao|timelock|multisig|controller|deployer|creator|keeper|authorized|authority|whitelisted|ceo|dev)s?`

// restrictedRE matches statements that a function is restricted.
var restrictedRE = regexp.MustCompile(`(?i)(\bonly\s+(?:be\s+)?(?:callable|called|invoked|executable|accessible|usable)\s+(?:by|from)\b` +
	`|\bcan\s+only\s+be\s+(?:called|invoked|executed|used|triggered)\s+by\b` +
	`|\bcallable\s+(?:only\s+)?by\s+(?:the\s+)?` + roles + `\b` +
	`|\brestricted\s+to\s+(?:the\s+)?` + roles + `\b` +
	`|\bonly\s+(?:the\s+)?` + roles + `\s+(?:can|may|is\s+allowed|should|must)\b` +
	`|@dev\s+only\s+(?:the\s+)?` + roles + `\b` +
	`|\b(?:owner|admin)[\s-]only\b` +
	`|\bmust\s+be\s+called\s+by\s+(?:the\s+)?` + roles + `\b)`)

// modifierRE matches a guard modifier named in a comment (onlyOwner).
var modifierRE = regexp.MustCompile(`\bonly(?:Owner|Admin|Governance|Governor|Operator|Guardian|Minter|Manager|DAO|Dao|Timelock|Role|Authorized|Controller|Keeper|Multisig|Dev)\w*\b`)

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	rep := authutil.NewReporter(pass)
	for _, fn := range flowutil.Functions(m) {
		if !fn.IsPubliclyReachable() || fn.IsView() || authutil.TestCode(fn) || fn.Kind != ast.FuncNormal || len(fn.Def.Body.Stmts) == 0 {
			continue
		}
		text := comments(fn)
		if text == "" {
			continue
		}
		claim := restrictedRE.FindString(text)
		if claim == "" {
			claim = modifierRE.FindString(text)
		}
		if claim == "" || negated(text) || guarded(fn) {
			continue
		}
		rep.Report(fn, authutil.HeaderNode(fn), 0, "%s is documented as restricted (%q) but has no access control",
			fn.Name, strings.TrimSpace(claim))
	}
	return nil, nil
}

// negated reports comments saying the function is deliberately open.
func negated(text string) bool {
	l := strings.ToLower(text)
	for _, w := range []string{"anyone can", "anybody can", "callable by anyone", "permissionless", "no access control", "without access restriction", "not restricted"} {
		if strings.Contains(l, w) {
			return true
		}
	}
	return false
}

// guarded reports access control on fn, in its modifiers, or in an
// internal function it calls first hand.
func guarded(fn *sema.Function) bool {
	if authutil.Protected(fn) || flowutil.AccessControlled(fn) || flowutil.SignatureChecked(fn) {
		return true
	}
	for _, c := range fn.Callees() {
		if c != nil && (authutil.Protected(c) || flowutil.AccessControlled(c)) {
			return true
		}
	}
	return false
}

// comments returns the NatSpec of fn and the plain comments directly
// above it or on its header lines.
func comments(fn *sema.Function) string {
	var parts []string
	if fn.Def.Doc != nil {
		parts = append(parts, fn.Def.Doc.Text())
	}
	if fn.File == nil || fn.File.Unit == nil || fn.File.Source == nil {
		return strings.Join(parts, "\n")
	}
	src := fn.File.Source
	start, _ := src.LineCol(fn.Def.Span().Start)
	bodyLine, _ := src.LineCol(fn.Def.Body.Span().Start)
	cs := fn.File.Unit.Comments
	// Comments on the header lines.
	for _, c := range cs {
		l, _ := src.LineCol(c.Span().Start)
		if l >= start && l <= bodyLine && c.Span().Start < fn.Def.Body.Span().Start+1 {
			parts = append(parts, c.Text)
		}
	}
	// Contiguous comments ending right above the function.
	want := start - 1
	for i := len(cs) - 1; i >= 0; i-- {
		c := cs[i]
		if c.Span().Start >= fn.Def.Span().Start {
			continue
		}
		endLine, _ := src.LineCol(c.Span().End)
		if endLine != want && endLine != want+1 {
			if endLine < want {
				break
			}
			continue
		}
		parts = append(parts, c.Text)
		first, _ := src.LineCol(c.Span().Start)
		want = first - 1
	}
	return strings.Join(parts, "\n")
}
