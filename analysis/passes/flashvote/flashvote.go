package flashvote

import (
	"regexp"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/internal/defiutil"
	"github.com/aegis-defi/aegis/analysis/passes/model"
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/sema"
)

// Analyzer reports flash-loanable voting power.
var Analyzer = &analysis.Analyzer{
	Name:  "flashloan-voting-power",
	Title: "Voting power read from the current balance",
	Doc: analysis.Doc{
		Summary: "A governance contract reads voting power or the proposal threshold from the " +
			"current token balance (balanceOf, getVotes(account)) instead of a snapshot at a past " +
			"block, or executes proposals without any delay. Flash-loaned tokens then carry full " +
			"voting power for one transaction.",
		Exploit: "The attacker flash-borrows two thirds of the governance token, proposes a call " +
			"that transfers the treasury to themselves, votes with the borrowed balance, executes " +
			"the proposal through the emergency path in the same transaction and repays the loan " +
			"(Beanstalk, April 2022, $182M).",
		Recommendation: "Count votes with checkpoints at a block before the proposal was created " +
			"(ERC20Votes getPastVotes / Compound getPriorVotes) and enforce a voting delay, a " +
			"voting period and a timelock before execution.",
	},
	Severity:   analysis.High,
	Confidence: analysis.ConfidenceMedium,
	Category:   analysis.CategoryGovernance,
	Requires:   []*analysis.Analyzer{model.Analyzer},
	Run:        run,
}

var (
	govFunc  = regexp.MustCompile(`(?i)^_?(propose|castvote|vote|execute|commit|emergency|queue)`)
	execFunc = regexp.MustCompile(`(?i)^_?(execute|commit|emergencycommit|emergencyexecute)`)
	snapshot = map[string]bool{
		"getPastVotes": true, "getPriorVotes": true, "balanceOfAt": true, "getPastTotalSupply": true,
		"totalSupplyAt": true, "getVotesAt": true, "checkpoints": true, "getPastVotingPower": true,
	}
)

func run(pass *analysis.Pass) (any, error) {
	m, err := model.Of(pass)
	if err != nil {
		return nil, err
	}
	reported := make(map[ast.Node]bool)
	for _, c := range m.Contracts {
		if c.Kind != ast.KindContract || !governance(c) {
			continue
		}
		for _, fn := range c.PublicFunctions() {
			if !fn.Implemented() || fn.IsView() || !govFunc.MatchString(fn.Name) {
				continue
			}
			bodies := append([]*sema.Function{fn}, fn.Callees()...)
			var calls []*sema.CallSite
			snap := false
			for _, b := range bodies {
				for _, cs := range b.Calls() {
					calls = append(calls, cs)
					if snapshot[cs.Method] || cs.Method == "getVotes" && len(cs.Args) >= 2 {
						snap = true
					}
				}
			}
			if !snap {
				for _, cs := range calls {
					if cs.Expr == nil || reported[cs.Expr] || !currentPower(cs) {
						continue
					}
					reported[cs.Expr] = true
					pass.Reportf(cs.Expr, "voting power read from the current balance (%s) in %s: flash-loaned tokens can vote; use a snapshot such as getPastVotes(account, proposalSnapshot)", cs.Method, fn)
				}
			}
			if execFunc.MatchString(fn.Name) && makesLowLevelCall(bodies) && !readsTime(bodies) && fn.Def != nil && !reported[fn.Def] {
				reported[fn.Def] = true
				at := ast.Node(fn.Def)
				if fn.Def.Name != nil {
					at = fn.Def.Name
				}
				defiutil.ReportSeverity(pass, at, analysis.Medium, "%s executes proposals without any voting period or timelock (no block.timestamp/block.number check): a proposal can be created, voted and executed in one transaction", fn)
			}
		}
	}
	return nil, nil
}

// governance reports a contract with propose and vote functions.
func governance(c *sema.Contract) bool {
	var propose, vote bool
	for _, fn := range c.AllFunctions() {
		propose = propose || defiutil.HasWord(fn.Name, "propose")
		vote = vote || defiutil.HasWord(fn.Name, "vote")
	}
	return propose && vote
}

// currentPower reports a read of the caller's or a voter's current token
// balance or votes.
func currentPower(cs *sema.CallSite) bool {
	if cs.Kind != sema.CallHighLevel && cs.Kind != sema.CallInternal && cs.Kind != sema.CallUnresolved {
		return false
	}
	switch cs.Method {
	case "balanceOf", "getVotes", "getCurrentVotes", "votingPower", "getVotingPower":
		if len(cs.Args) == 1 && !defiutil.IsThis(cs.Args[0]) {
			if cs.Kind == sema.CallInternal && cs.Callee != nil && cs.Callee.Contract != nil && cs.Method == "balanceOf" {
				return false // the contract's own token ledger, not an external balance
			}
			return cs.Kind == sema.CallHighLevel || cs.Method != "balanceOf"
		}
	}
	return false
}

// makesLowLevelCall reports a low-level call in one of bodies.
func makesLowLevelCall(bodies []*sema.Function) bool {
	for _, b := range bodies {
		for _, cs := range b.Calls() {
			if cs.Kind == sema.CallLowLevel && !cs.IsStatic() {
				return true
			}
		}
	}
	return false
}

// readsTime reports block.timestamp, block.number, now or clock() in one
// of bodies (or their modifiers).
func readsTime(bodies []*sema.Function) bool {
	timeRef := func(n ast.Node) bool {
		switch x := n.(type) {
		case *ast.MemberExpr:
			return ast.IsMember(x, "block", "timestamp") || ast.IsMember(x, "block", "number")
		case *ast.Ident:
			return x.Name == "now"
		case *ast.CallExpr:
			return defiutil.CallName(x) == "clock"
		}
		return false
	}
	for _, b := range bodies {
		if b.Def != nil && ast.Contains(b.Def.Body, timeRef) {
			return true
		}
		for _, mc := range b.Modifiers {
			if mc.Modifier != nil && mc.Modifier.Def != nil && ast.Contains(mc.Modifier.Def.Body, timeRef) {
				return true
			}
		}
	}
	return false
}
