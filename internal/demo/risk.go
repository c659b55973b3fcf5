package demo

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/risk"
	"github.com/aegis-defi/aegis/internal/risk/tokentestbed"
)

// RiskEntry is one token of the report's risk array: what `aegis risk`
// says about a token the demo deployed.
type RiskEntry struct {
	Address   string `json:"address"`
	Name      string `json:"name"`
	RiskScore int    `json:"risk_score"`
	Level     string `json:"level"`
	// IsHoneypot is the GoPlus flag ("1", "0"; "" when unknown).
	IsHoneypot string `json:"is_honeypot"`
	// Mechanism is the testbed's ground truth, for the reader.
	Mechanism string `json:"mechanism"`
	// Factors are the top contributions ("cannot-sell +90: …").
	Factors []string `json:"factors"`
}

// RiskOptions configures the risk capability.
type RiskOptions struct {
	// Out receives the narrative (nil: silent).
	Out io.Writer
	// Tokens are the testbed tokens to score (default DefaultRiskTokens).
	Tokens []string
}

// DefaultRiskTokens are the tokens the demo scores: a honeypot, a hidden
// mint, the USDC-style token behind a multisig and an honest token.
var DefaultRiskTokens = []string{"RtShibaKingdom", "RtYieldBloom", "RtStableDollar", "RtPlainToken"}

// Risk is the token-risk capability: at start it deploys the labelled token
// testbed (internal/risk/tokentestbed: each token with a pool and holders)
// and scores the chosen tokens with internal/risk in node mode (trade
// simulation, privilege probing, holders), narrates each score with its
// top factors, and adds them to the report's risk array.
func Risk(opts RiskOptions) *Hooks {
	if len(opts.Tokens) == 0 {
		opts.Tokens = DefaultRiskTokens
	}
	p := func(format string, a ...any) {
		if opts.Out != nil {
			fmt.Fprintf(opts.Out, format+"\n", a...)
		}
	}
	var entries []RiskEntry
	return &Hooks{
		OnStart: func(ctx context.Context, s *Session) error {
			start := time.Now()
			e := s.Env
			accounts := append([]chain.Account{e.Deployer, e.Guardian, e.Attacker}, e.Users...)
			tb, err := tokentestbed.Deploy(ctx, s.Client, accounts, tokentestbed.Options{})
			if err != nil {
				return fmt.Errorf("risk: %w", err)
			}
			cl, err := rpc.DialContext(ctx, s.RPCURL)
			if err != nil {
				return fmt.Errorf("risk: dial %s: %w", s.RPCURL, err)
			}
			defer cl.Close()
			eth := ethclient.NewClient(cl)
			p("\n▶ token risk: %d labelled tokens deployed with pools and holders; aegis risk scores %d of them (nothing is sent)", len(tb.Tokens), len(opts.Tokens))
			for _, name := range opts.Tokens {
				t := tb.Token(name)
				if t == nil {
					return fmt.Errorf("risk: no testbed token %q", name)
				}
				rep, err := risk.AnalyzeToken(ctx, eth, cl, t.Address, risk.Options{Pair: t.Pair.Address, Holders: 3})
				if err != nil {
					return fmt.Errorf("risk: %s: %w", name, err)
				}
				en := RiskEntry{Address: t.Address.Hex(), Name: name, RiskScore: rep.RiskScore, Level: string(rep.Level),
					IsHoneypot: rep.Flag("is_honeypot"), Mechanism: t.Label.Mechanism, Factors: []string{}}
				for i, f := range rep.Factors {
					if i == 3 || f.Points <= 0 {
						break
					}
					en.Factors = append(en.Factors, fmt.Sprintf("%s +%d: %s", f.ID, f.Points, f.Title))
				}
				entries = append(entries, en)
				hp := ""
				if en.IsHoneypot == "1" {
					hp = ", honeypot"
				}
				p("  %-15s %s  %3d/100 %-8s%s — %s", name, short(en.Address), en.RiskScore, en.Level, hp, en.Mechanism)
				for _, f := range en.Factors {
					p("      %s", f)
				}
			}
			p("  (%.1fs)", time.Since(start).Seconds())
			return nil
		},
		OnReport: func(_ context.Context, rep *Report) {
			rep.Risk = entries
		},
	}
}
