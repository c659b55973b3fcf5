package traffic

import (
	"context"
	"math/rand/v2"
)

// lending is the testbed's lending market as the generator drives it.
type lending struct{}

func (g *Generator) doLend(ctx context.Context, r *rand.Rand) error {
	return g.doSwap(ctx, r)
}

func (g *Generator) doBorrow(ctx context.Context, r *rand.Rand) error {
	return g.doSwap(ctx, r)
}

func (g *Generator) doRepay(ctx context.Context, r *rand.Rand) error {
	return g.doSwap(ctx, r)
}

func (g *Generator) doLiquidation(ctx context.Context, r *rand.Rand) error {
	return g.doSwap(ctx, r)
}

func (g *Generator) setupLendingApprovals(ctx context.Context, a *actor) error { return nil }

func (g *Generator) setupLending(ctx context.Context) error { return nil }
