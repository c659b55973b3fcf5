package risk

import (
	"context"
	"strings"
	"testing"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/risk/tokentestbed"
	"github.com/aegis-defi/aegis/internal/testchain"
)

// TestCreatorHistoryDevnet: a testbed creator (who deployed honeypots and
// tokens whose liquidity it kept) deploys a new plain token, which gets the
// creator-rugged factor naming an earlier token; the same plain token from a
// fresh account gets none.
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
		if tok.Label.SellReverts && tok.Creator.Address == tb.Creators[0].Address {
			honeypots[strings.ToLower(tok.Address.Hex())] = true
		}
	}
	if len(honeypots) == 0 {
		t.Fatal("testbed creator 0 deployed no honeypot")
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

	r := analyze(tb.Creators[0])
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
