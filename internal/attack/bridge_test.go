package attack

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/aegis-defi/aegis/internal/chain"
)

func bridgeEscrow(t *testing.T, staged Staged) *big.Int {
	t.Helper()
	e, err := staged.(*bridgeStaged).escrow(testCtx(t))
	if err != nil {
		t.Fatal(err)
	}
	return e
}

func TestBridgeForgeryVulnerable(t *testing.T) {
	_, staged, res := runScenario(t, BridgeForgery{}, Vulnerable, false)
	if !res.Succeeded {
		t.Fatalf("attack failed on the vulnerable replica")
	}
	atLeast(t, "attacker profit", res.AttackerProfit, ether("100"))
	// 400 WETH escrow: 100 to the attacker, 3 × 100 to copycats.
	atLeast(t, "protocol loss", res.ProtocolLoss, ether("400"))
	if e := bridgeEscrow(t, staged); e.Sign() != 0 {
		t.Errorf("escrow still holds %s wei, want drained", e)
	}
	for i, r := range res.Receipts {
		if r.Status != 1 {
			t.Errorf("forged tx %d reverted", i)
		}
	}
	weth := staged.(*bridgeStaged).weth
	for i := 1; i <= bridgeCopycats; i++ {
		got, err := weth.CallBig(testCtx(t), "balanceOf", BridgeCopycat(i).Address)
		if err != nil {
			t.Fatal(err)
		}
		t.Logf("copycat %d gained %.1f WETH", i, chain.ToEther(got))
	}
}

func TestBridgeForgerySafe(t *testing.T) {
	_, staged, res := runScenario(t, BridgeForgery{}, Safe, false)
	expectFailed(t, res)
	if e := bridgeEscrow(t, staged); e.Cmp(ether("400")) != 0 {
		t.Errorf("safe escrow holds %s wei, want exactly 400 WETH", e)
	}
}

func TestBridgeForgeryPausedByGuardian(t *testing.T) {
	_, staged, res := runScenario(t, BridgeForgery{}, Vulnerable, true)
	expectFailed(t, res)
	if e := bridgeEscrow(t, staged); e.Cmp(ether("400")) != 0 {
		t.Errorf("paused escrow holds %s wei, want exactly 400 WETH", e)
	}
}

// TestSafeReplicaHonestMessage checks the fixed bridge still releases funds
// for a message proven against a committed root.
func TestSafeReplicaHonestMessage(t *testing.T) {
	ctx := testCtx(t)
	env := newTestEnv(t)
	c, dep, user := env.Client, env.Deployer, env.Users[0]
	weth, err := deployWETH(ctx, c, dep)
	if err != nil {
		t.Fatal(err)
	}
	replica, err := deployNamed(ctx, c, dep, "SafeReplica", uint32(bridgeLocalDomain), uint32(bridgeRemoteDomain),
		bridgeRemoteRouter(), dep.Address, big.NewInt(0), env.Guardian.Address)
	if err != nil {
		t.Fatal(err)
	}
	if err := transact(ctx, replica, dep, nil, "initialize", "initialize", common.Hash{}); err != nil {
		t.Fatal(err)
	}
	if err := wrapAndApprove(ctx, weth, []chain.Account{user}, chain.Ether(10), replica.Address); err != nil {
		t.Fatal(err)
	}
	if err := transact(ctx, replica, user, nil, "lock", "send", weth.Address, chain.Ether(10), common.BytesToHash(user.Address.Bytes())); err != nil {
		t.Fatal(err)
	}
	// A one-leaf tree at index 0 with zero siblings.
	recipient := env.Users[1].Address
	msg := bridgeMessage(7, weth.Address, recipient, chain.Ether(4))
	leaf := crypto.Keccak256Hash(msg)
	var proof [32][32]byte
	root := leaf
	for i := 0; i < 32; i++ {
		root = crypto.Keccak256Hash(root.Bytes(), proof[i][:])
	}
	if err := transact(ctx, replica, dep, nil, "commit root", "update", root); err != nil {
		t.Fatal(err)
	}
	if err := transact(ctx, replica, user, nil, "prove and process", "proveAndProcess", msg, proof, big.NewInt(0)); err != nil {
		t.Fatal(err)
	}
	got, err := weth.CallBig(ctx, "balanceOf", recipient)
	if err != nil {
		t.Fatal(err)
	}
	if got.Cmp(chain.Ether(4)) != 0 {
		t.Errorf("recipient got %s wei, want 4 WETH", got)
	}
	// Replaying the processed message fails.
	if err := transact(ctx, replica, user, nil, "replay", "process", msg); err == nil {
		t.Errorf("replay of a processed message succeeded")
	}
}
