package attack

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/chain"
)

func TestGovernanceTakeoverVulnerable(t *testing.T) {
	_, staged, res := runScenario(t, GovernanceTakeover{}, Vulnerable, false)
	if !res.Succeeded {
		t.Fatalf("attack failed on the vulnerable DAO")
	}
	// Treasury: 4 × 25 ETH + 100 WETH.
	atLeast(t, "attacker profit", res.AttackerProfit, ether("199"))
	atLeast(t, "protocol loss", res.ProtocolLoss, ether("200"))
	left, err := staged.(*governanceStaged).treasury(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if left.Sign() != 0 {
		t.Errorf("treasury still holds %s wei, want drained", left)
	}
}

func TestGovernanceTakeoverSafe(t *testing.T) {
	_, staged, res := runScenario(t, GovernanceTakeover{}, Safe, false)
	expectFailed(t, res)
	left, err := staged.(*governanceStaged).treasury(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if left.Cmp(ether("200")) != 0 {
		t.Errorf("safe treasury holds %s wei, want exactly 200 ETH", left)
	}
}

func TestGovernanceTakeoverPausedByGuardian(t *testing.T) {
	_, staged, res := runScenario(t, GovernanceTakeover{}, Vulnerable, true)
	expectFailed(t, res)
	left, err := staged.(*governanceStaged).treasury(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	if left.Cmp(ether("200")) != 0 {
		t.Errorf("paused treasury holds %s wei, want exactly 200 ETH", left)
	}
}

// TestSafeDAOHonestProposal checks the fixed governor still works for its
// token holders: propose, wait the voting delay, vote with snapshot power,
// queue after the period and execute after the (here zero) timelock.
func TestSafeDAOHonestProposal(t *testing.T) {
	ctx := testCtx(t)
	env := newTestEnv(t)
	c, dep := env.Client, env.Deployer
	token, err := deployNamed(ctx, c, dep, "VoteToken", "Gov", "GOV", chain.Ether(govSupply))
	if err != nil {
		t.Fatal(err)
	}
	dao, err := deployNamed(ctx, c, dep, "SafeDAO", token.Address, chain.Ether(govThreshold),
		big.NewInt(1), big.NewInt(3), big.NewInt(0), env.Guardian.Address)
	if err != nil {
		t.Fatal(err)
	}
	voters := env.Users[:3]
	for _, u := range voters {
		if err := transact(ctx, token, dep, nil, "distribute", "transfer", u.Address, chain.Ether(200_000)); err != nil {
			t.Fatal(err)
		}
		if err := transact(ctx, token, u, nil, "delegate", "delegate", u.Address); err != nil {
			t.Fatal(err)
		}
	}
	if err := sendETH(ctx, c, dep, dao.Address, chain.Ether(10)); err != nil {
		t.Fatal(err)
	}
	grantee := env.Users[3].Address
	before, err := ethBalance(ctx, c, grantee)
	if err != nil {
		t.Fatal(err)
	}
	if err := transact(ctx, dao, voters[0], nil, "propose", "propose",
		[]common.Address{grantee}, []*big.Int{chain.Ether(1)}, [][]byte{{}}, "grant"); err != nil {
		t.Fatal(err)
	}
	// Voting opens one block after the proposal. Each Transact mines one
	// block, and gas estimation runs at the latest block's number, so a
	// filler block is needed before the first vote and before queueing.
	mineOne := func() {
		t.Helper()
		if err := sendETH(ctx, c, dep, env.Guardian.Address, big.NewInt(1)); err != nil {
			t.Fatal(err)
		}
	}
	mineOne()
	for _, u := range voters {
		if err := transact(ctx, dao, u, nil, "vote", "vote", big.NewInt(1), true); err != nil {
			t.Fatal(err)
		}
	}
	if err := transact(ctx, dao, voters[0], nil, "queue too early", "queue", big.NewInt(1)); err == nil {
		t.Fatal("queue during the voting period succeeded")
	}
	mineOne()
	if err := transact(ctx, dao, voters[0], nil, "queue", "queue", big.NewInt(1)); err != nil {
		t.Fatal(err)
	}
	if err := transact(ctx, dao, voters[1], nil, "execute", "execute", big.NewInt(1)); err != nil {
		t.Fatal(err)
	}
	after, err := ethBalance(ctx, c, grantee)
	if err != nil {
		t.Fatal(err)
	}
	if got := new(big.Int).Sub(after, before); got.Cmp(chain.Ether(1)) != 0 {
		t.Errorf("grantee received %s wei, want 1 ETH", got)
	}
}
