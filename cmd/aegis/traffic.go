package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/aegis-defi/aegis/internal/demo"
	"github.com/aegis-defi/aegis/internal/testbed"
	"github.com/aegis-defi/aegis/internal/traffic"
)

// benignTraffic returns the demo's benign phase: it deploys the core
// testbed from the session's deployer (guardian as pause guardian) and runs
// n seeded transactions of the traffic generator, funded by the first user.
func benignTraffic(seed int64, n int, logger *slog.Logger) demo.Benign {
	return func(ctx context.Context, s *demo.Session) (demo.BenignReport, error) {
		if s == nil || s.Env == nil || s.Client == nil {
			return demo.BenignReport{}, errors.New("benign traffic: incomplete session")
		}
		if len(s.Env.Users) == 0 {
			return demo.BenignReport{}, errors.New("benign traffic: the session has no user account to fund the actors")
		}
		tb, err := testbed.Deploy(ctx, s.Client, s.Env.Deployer, s.Env.Guardian, testbed.Options{})
		if err != nil {
			return demo.BenignReport{}, fmt.Errorf("benign traffic: deploy testbed: %w", err)
		}
		g, err := traffic.New(traffic.Config{Seed: seed, Transactions: n}, s.Client, tb, s.Env.Users[0], logger)
		if err != nil {
			return demo.BenignReport{}, fmt.Errorf("benign traffic: %w", err)
		}
		st, err := g.Run(ctx)
		if err != nil {
			return demo.BenignReport{}, fmt.Errorf("benign traffic: %w", err)
		}
		logger.Info("benign traffic done", "transactions", st.Transactions, "setup", st.Setup,
			"blocks", st.Blocks, "reverted", st.Reverted, "liquidations", st.Liquidations,
			"duration", st.Duration)
		return demo.BenignReport{
			Transactions: st.Transactions,
			Blocks:       st.Blocks,
			ByKind:       st.ByKind,
			DurationMS:   st.Duration.Milliseconds(),
		}, nil
	}
}
