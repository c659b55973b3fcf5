package risk

import (
	"context"
	"errors"
	"math/big"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/risk/tokentestbed"
	"github.com/aegis-defi/aegis/internal/testbed"
	"github.com/aegis-defi/aegis/internal/testchain"
)

// TestCreatorHistoryDevnet: the testbed's honeypot creator deploys a new,
// otherwise clean plain token, which gets the creator-rugged factor naming
// one of its earlier honeypots; the same plain token from the honest creator
// (eight earlier honest tokens, judged) and from a fresh account gets none.
func TestCreatorHistoryDevnet(t *testing.T) {
	ctx := context.Background()
	env := testchain.New(t)
	tb, err := tokentestbed.Deploy(ctx, env.Client, env.Accounts, tokentestbed.Options{})
	if err != nil {
		t.Fatal(err)
	}
	art, err := contracts.Load("RiskFxPlainToken")
	if err != nil {
		t.Fatal(err)
	}
	honeypots := map[string]bool{}
	for _, tok := range tb.Tokens {
		if tok.Label.SellReverts && tok.Creator.Address == tb.Creators[tokentestbed.FamilyHoneypot].Address {
			honeypots[strings.ToLower(tok.Address.Hex())] = true
		}
	}
	if len(honeypots) == 0 {
		t.Fatal("the testbed's honeypot creator deployed no honeypot")
	}
	ec := env.Node.Client()
	analyze := func(from chain.Account) *Report {
		t.Helper()
		c, _, err := env.Client.Deploy(ctx, from, art.ABI, art.Bytecode, chain.Ether(1_000_000))
		if err != nil {
			t.Fatal(err)
		}
		r, err := AnalyzeToken(ctx, ec, ec.Client(), c.Address, Options{Holders: 3})
		if err != nil {
			t.Fatal(err)
		}
		return r
	}

	start := time.Now()
	r := analyze(tb.Creators[tokentestbed.FamilyHoneypot])
	t.Logf("serial creator: token analysed in %v", time.Since(start))
	f := r.Factor("creator-rugged")
	if f == nil {
		t.Fatalf("serial creator: no creator-rugged factor; signals %+v", r.Signals)
	}
	if f.Points != 40 {
		t.Errorf("creator-rugged points %d want 40", f.Points)
	}
	named := 0
	for _, e := range f.Evidence {
		if honeypots[e.Address] {
			named++
		}
		t.Logf("evidence: %s %s", e.Address, e.Detail)
	}
	if named == 0 {
		t.Errorf("no evidence names one of the creator's honeypots %v", honeypots)
	}

	// A node that cannot answer the creator query: unknown, no factor.
	c, _, err := env.Client.Deploy(ctx, tb.Creators[tokentestbed.FamilyHoneypot], art.ABI, art.Bytecode, chain.Ether(1_000_000))
	if err != nil {
		t.Fatal(err)
	}
	r, err = AnalyzeToken(ctx, noMintLogs{ec}, ec.Client(), c.Address, Options{Holders: 3})
	if err != nil {
		t.Fatal(err)
	}
	if r.Factor("creator-rugged") != nil || !slices.ContainsFunc(r.Unknowns, func(u string) bool { return strings.HasPrefix(u, "creator-history: unknown: eth_getLogs") }) {
		t.Errorf("failing eth_getLogs: want creator-history unknown, got factor %v unknowns %q", r.Factor("creator-rugged"), r.Unknowns)
	}

	// The honest creator: its earlier tokens are judged and none is bad.
	r = analyze(tb.Creators[tokentestbed.FamilyHonest])
	if f := r.Factor("creator-rugged"); f != nil {
		t.Errorf("honest creator got the factor: %+v", f)
	}
	if r.Level != LevelLow {
		t.Errorf("honest creator's plain token: %s %d %+v", r.Level, r.RiskScore, r.Factors)
	}
	for _, s := range r.Signals {
		if s.Name == "creator-history" && (s.Status != StatusOK || !slices.ContainsFunc(s.Evidence, func(e Evidence) bool { return strings.Contains(e.Detail, "none rugged or unsellable") })) {
			t.Errorf("honest creator: creator-history %s %q %+v", s.Status, s.Reason, s.Evidence)
		}
	}

	fresh := env.Accounts[len(env.Accounts)-1]
	r = analyze(fresh)
	if r.Factor("creator-rugged") != nil {
		t.Errorf("fresh creator got the factor: %+v", r.Factor("creator-rugged"))
	}
	for _, s := range r.Signals {
		if s.Name == "creator-history" && s.Status != StatusOK {
			t.Errorf("fresh creator: creator-history %s: %s", s.Status, s.Reason)
		}
	}
	if r.Flag("creator_address") != strings.ToLower(fresh.Address.Hex()) {
		t.Errorf("creator_address %q want %s", r.Flag("creator_address"), fresh.Address.Hex())
	}
}

// TestCreatorHistoryLiquidityRemoved: a creator that launched a token with a
// pool and pulled the liquidity, then launched another, gets the factor on
// the second; a creator that launched and left the liquidity does not.
func TestCreatorHistoryLiquidityRemoved(t *testing.T) {
	ctx := context.Background()
	env := testchain.New(t)
	weth, err := testbed.DeployWETH(ctx, env.Client, env.Accounts[0])
	if err != nil {
		t.Fatal(err)
	}
	amm, err := testbed.DeployAMM(ctx, env.Client, env.Accounts[0], weth.Address)
	if err != nil {
		t.Fatal(err)
	}
	art, err := contracts.Load("RiskFxPlainToken")
	if err != nil {
		t.Fatal(err)
	}
	ec := env.Node.Client()
	// launch deploys a token with a token/WETH pool; pull removes the
	// creator's liquidity right after. It returns the next token's report.
	run := func(from chain.Account, pull bool) (*Report, common.Address) {
		t.Helper()
		first, _, err := env.Client.Deploy(ctx, from, art.ABI, art.Bytecode, chain.Ether(1_000_000))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := weth.TransactValue(ctx, from, chain.Ether(10), "deposit"); err != nil {
			t.Fatal(err)
		}
		pair, err := amm.CreatePairWithLiquidity(ctx, from, first, weth, chain.Ether(500_000), chain.Ether(10))
		if err != nil {
			t.Fatal(err)
		}
		if pull {
			lp, err := pair.CallBig(ctx, "balanceOf", from.Address)
			if err != nil {
				t.Fatal(err)
			}
			if err := testbed.Approve(ctx, from, pair, amm.Router.Address, lp); err != nil {
				t.Fatal(err)
			}
			if _, err := amm.Router.Transact(ctx, from, "removeLiquidity", first.Address, weth.Address, lp, big.NewInt(0), big.NewInt(0), from.Address, testbed.Deadline()); err != nil {
				t.Fatal(err)
			}
		}
		next, _, err := env.Client.Deploy(ctx, from, art.ABI, art.Bytecode, chain.Ether(1_000_000))
		if err != nil {
			t.Fatal(err)
		}
		r, err := AnalyzeToken(ctx, ec, ec.Client(), next.Address, Options{Holders: 3})
		if err != nil {
			t.Fatal(err)
		}
		return r, first.Address
	}

	r, first := run(env.Accounts[1], true)
	f := r.Factor("creator-rugged")
	if f == nil {
		t.Fatalf("liquidity puller: no creator-rugged factor; signals %+v", r.Signals)
	}
	if len(f.Evidence) != 1 || f.Evidence[0].Address != strings.ToLower(first.Hex()) || !strings.Contains(f.Evidence[0].Detail, "removed liquidity") {
		t.Errorf("evidence %+v, want the first token %s with removed liquidity", f.Evidence, first.Hex())
	}
	t.Logf("evidence: %s", f.Evidence[0].Detail)

	r, _ = run(env.Accounts[2], false)
	if f := r.Factor("creator-rugged"); f != nil {
		t.Errorf("creator that kept the liquidity in got the factor: %+v", f)
	}
	for _, s := range r.Signals {
		if s.Name == "creator-history" {
			if s.Status != StatusOK || len(s.Evidence) == 0 || !strings.Contains(s.Evidence[0].Detail, "1 judged") {
				t.Errorf("honest creator: creator-history %s %q %+v", s.Status, s.Reason, s.Evidence)
			}
		}
	}
}

// noMintLogs is a node whose eth_getLogs fails for queries filtering on
// three topics (the creator's mints), as a node with a log-range limit would.
type noMintLogs struct{ *ethclient.Client }

func (n noMintLogs) FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error) {
	if len(q.Topics) == 3 {
		return nil, errors.New("query returned more than 10000 results")
	}
	return n.Client.FilterLogs(ctx, q)
}
