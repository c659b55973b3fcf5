// Package launder is the laundering testbed of `aegis trace`: after a
// stolen-funds event it moves the loot the way real launderers do — a
// split, a peel chain, a swap on the testbed AMM, our fixed-denomination
// mixer (LaunderMixerPool), our lock-and-mint bridge (LaunderBridgeVault /
// LaunderBridgedETH) and a simulated exchange whose per-user deposit
// addresses sweep to one hot wallet, with benign users of the mixer and
// the exchange mixed in — and records the ground truth: where each part
// of the stolen value ended up.
//
// The tracer never sees this package's addresses: tests run the trace on
// the indexed chain and compare its endpoints with the Truth.
package launder

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/testbed"
)

// Ground-truth holder kinds.
const (
	HolderWallet   = "holder"
	HolderMixer    = "mixer"
	HolderBridge   = "bridge"
	HolderExchange = "exchange-hot-wallet"
)

// Holder is where part of the stolen value ended up.
type Holder struct {
	Address common.Address
	Kind    string
	// ETH is the stolen value it holds, in ETH (tokens at the swap's
	// rate), before gas.
	ETH float64
}

// Truth is the recorded ground truth of one laundering run.
type Truth struct {
	TheftTx   common.Hash
	Victim    common.Address
	Attacker  common.Address
	StolenETH float64
	Holders   []Holder
	// Mixer, BridgeVault, BridgedToken, HotWallet are the services.
	Mixer, BridgeVault, BridgedToken, HotWallet common.Address
	// AttackerDeposit is the exchange deposit address the attacker used
	// directly; PeelDeposits those the peel chain paid; BenignDeposits
	// the other users'.
	AttackerDeposit common.Address
	PeelDeposits    []common.Address
	BenignDeposits  []common.Address
	// Pool is the AMM pair the loot was swapped on; Token what it was
	// swapped into.
	Pool, Token common.Address
	// MixerWithdrawal is the fresh address the attacker's mixer notes
	// were withdrawn to; BridgeRecipient the bridge mint's recipient.
	MixerWithdrawal, BridgeRecipient common.Address
	// FirstBlock is the first block of the scenario (index from here).
	FirstBlock uint64
	// Poisoned had its history poisoned: a zero-value token transferFrom
	// (sent by a third party) to PoisonLookAlike, which shares the first
	// and last hex digits of PoisonGenuine, an address Poisoned paid.
	Poisoned, PoisonLookAlike, PoisonGenuine common.Address
	// WashTrader swapped ETH → Token → ETH on Pool WashRounds times
	// (round trips that move volume, not value).
	WashTrader common.Address
	WashRounds int
}

// Env is what the scenario needs from the chain: a client and funded
// accounts (victim, deployer/relayer, benign users).
type Env struct {
	Client *chain.Client
	// Victim loses the funds; Operator deploys the services and relays
	// (mixer withdrawals, bridge mints); Users are benign customers
	// (at least 5).
	Victim, Operator chain.Account
	Users            []chain.Account
	// Seed makes the fresh attacker and deposit addresses distinct per
	// run on a shared chain.
	Seed string
	// Thief, when set, already holds stolen ETH (an attack's profit,
	// stolen in TheftTx): the laundering starts from it and the scenario
	// stages no theft of its own (Victim is then unused).
	Thief   *chain.Account
	TheftTx common.Hash
	// Amount is the stolen value to launder (default 500 ETH); every
	// laundering step scales with it, the mixer's denomination included.
	Amount *big.Int
}

// gas fee caps: fixed so a sweep can send its balance minus the fee.
var (
	tipCap = big.NewInt(1_000_000_000)
	feeCap = big.NewInt(20_000_000_000)
)

func opts(v *big.Int) chain.TxOpts {
	return chain.TxOpts{Value: v, TipCap: tipCap, FeeCap: feeCap}
}

func eth(n int64) *big.Int { return chain.Ether(n) }

// Run performs the theft (Victim sends 500 ETH — or Amount — to a fresh
// attacker, as in a key compromise; or the given Thief already holds the
// loot) and the laundering, and returns the ground truth.
func Run(ctx context.Context, e Env) (*Truth, error) {
	if len(e.Users) < 5 {
		return nil, fmt.Errorf("launder: need 5 benign users, got %d", len(e.Users))
	}
	total := eth(500)
	if e.Amount != nil {
		total = e.Amount
	}
	if total.Cmp(eth(1)) < 0 {
		return nil, fmt.Errorf("launder: amount %s wei: need at least 1 ETH to launder", total)
	}
	// part is n/500 of the loot (the steps below are written for 500 ETH).
	part := func(n int64) *big.Int {
		return new(big.Int).Div(new(big.Int).Mul(total, big.NewInt(n)), big.NewInt(500))
	}
	partETH := func(n int64) float64 { return chain.ToEther(part(n)) }
	c, op := e.Client, e.Operator
	acct := func(name string) chain.Account { return chain.AccountFromSeed("aegis/launder/" + e.Seed + "/" + name) }
	send := func(from chain.Account, to common.Address, v *big.Int) (common.Hash, error) {
		var r *types.Receipt
		err := retry(ctx, c, from, func() (err error) {
			r, err = c.Transact(ctx, from, &to, nil, opts(v))
			return err
		})
		if err != nil {
			return common.Hash{}, fmt.Errorf("launder: send %s from %s to %s: %w", v, from.Address, to, err)
		}
		return r.TxHash, nil
	}
	sweep := func(from chain.Account, to common.Address) error {
		bal, err := c.Backend().BalanceAt(ctx, from.Address, nil)
		if err != nil {
			return fmt.Errorf("launder: balance of %s: %w", from.Address, err)
		}
		fee := new(big.Int).Mul(feeCap, big.NewInt(21000))
		if bal.Cmp(fee) <= 0 {
			return fmt.Errorf("launder: %s cannot pay a sweep", from.Address)
		}
		o := opts(new(big.Int).Sub(bal, fee))
		o.GasLimit = 21000
		err = retry(ctx, c, from, func() error {
			_, err := c.Transact(ctx, from, &to, nil, o)
			return err
		})
		if err != nil {
			return fmt.Errorf("launder: sweep %s to %s: %w", from.Address, to, err)
		}
		return nil
	}
	head, err := c.Backend().BlockNumber(ctx)
	if err != nil {
		return nil, fmt.Errorf("launder: %w", err)
	}
	t := &Truth{FirstBlock: head + 1, Victim: e.Victim.Address, StolenETH: chain.ToEther(total)}

	// Services: AMM with a WETH/TKN pool, mixer, bridge, exchange.
	weth, err := testbed.DeployWETH(ctx, c, op)
	if err != nil {
		return nil, err
	}
	tkn, err := testbed.DeployToken(ctx, c, op, "Launder Token", "LTK", eth(10_000_000))
	if err != nil {
		return nil, err
	}
	amm, err := testbed.DeployAMM(ctx, c, op, weth.Address)
	if err != nil {
		return nil, err
	}
	if err := testbed.WrapETH(ctx, op, weth, eth(2000)); err != nil {
		return nil, err
	}
	pair, err := amm.CreatePairWithLiquidity(ctx, op, weth, tkn, eth(2000), eth(2_000_000))
	if err != nil {
		return nil, err
	}
	t.Pool, t.Token = pair.Address, tkn.Address
	mixer, err := testbed.DeployContract(ctx, c, op, "LaunderMixerPool", part(10))
	if err != nil {
		return nil, err
	}
	vault, err := testbed.DeployContract(ctx, c, op, "LaunderBridgeVault", op.Address)
	if err != nil {
		return nil, err
	}
	bridged, err := testbed.DeployContract(ctx, c, op, "LaunderBridgedETH", op.Address)
	if err != nil {
		return nil, err
	}
	t.Mixer, t.BridgeVault, t.BridgedToken = mixer.Address, vault.Address, bridged.Address
	hot := acct("exchange/hot")
	t.HotWallet = hot.Address
	deposit := func(name string) chain.Account { return acct("exchange/deposit/" + name) }

	// Benign exchange customers deposit and the exchange sweeps.
	for i, u := range e.Users[:5] {
		d := deposit(fmt.Sprintf("user%d", i))
		t.BenignDeposits = append(t.BenignDeposits, d.Address)
		if _, err := send(u, d.Address, eth(int64(3+i))); err != nil {
			return nil, err
		}
		if err := sweep(d, hot.Address); err != nil {
			return nil, err
		}
	}
	// Benign mixer users.
	var benignNotes [][32]byte
	for i, u := range e.Users[:3] {
		s, err := note()
		if err != nil {
			return nil, err
		}
		benignNotes = append(benignNotes, s)
		if _, err := mixer.TransactOpts(ctx, u, opts(part(10)), "deposit", crypto.Keccak256Hash(s[:])); err != nil {
			return nil, fmt.Errorf("launder: benign mixer deposit %d: %w", i, err)
		}
	}

	// The theft.
	a0 := acct("attacker")
	if e.Thief != nil {
		a0, t.TheftTx, t.Victim = *e.Thief, e.TheftTx, common.Address{}
	} else if t.TheftTx, err = send(e.Victim, a0.Address, total); err != nil {
		return nil, err
	}
	t.Attacker = a0.Address
	// Split.
	a1, a2, a3, a4 := acct("a1"), acct("a2"), acct("a3"), acct("a4")
	for _, s := range []struct {
		to chain.Account
		v  int64
	}{{a1, 150}, {a2, 150}, {a3, 100}, {a4, 99}} {
		if _, err := send(a0, s.to.Address, part(s.v)); err != nil {
			return nil, err
		}
	}
	// Peel chain: a1 → (5 to a deposit address) → a5 → (5 to another) → a6.
	a5, a6 := acct("a5"), acct("a6")
	d1, d2 := deposit("peel1"), deposit("peel2")
	t.PeelDeposits = []common.Address{d1.Address, d2.Address}
	if _, err := send(a1, d1.Address, part(5)); err != nil {
		return nil, err
	}
	if _, err := send(a1, a5.Address, part(144)); err != nil {
		return nil, err
	}
	if _, err := send(a5, d2.Address, part(5)); err != nil {
		return nil, err
	}
	if _, err := send(a5, a6.Address, part(138)); err != nil {
		return nil, err
	}
	for _, d := range []chain.Account{d1, d2} {
		if err := sweep(d, hot.Address); err != nil {
			return nil, err
		}
	}
	// Swap 50 ETH for TKN, paid to a7.
	a7 := acct("a7")
	if err := retry(ctx, c, a2, func() error {
		_, err := amm.Router.TransactOpts(ctx, a2, opts(part(50)), "swapExactETHForTokens", big.NewInt(1),
			[]common.Address{weth.Address, tkn.Address}, a7.Address, testbed.Deadline())
		return err
	}); err != nil {
		return nil, fmt.Errorf("launder: swap: %w", err)
	}
	// Mixer: ten 10 ETH notes, half withdrawn to a fresh address.
	var notes [][32]byte
	for i := 0; i < 9; i++ {
		s, err := note()
		if err != nil {
			return nil, err
		}
		notes = append(notes, s)
		if _, err := mixer.TransactOpts(ctx, a2, opts(part(10)), "deposit", crypto.Keccak256Hash(s[:])); err != nil {
			return nil, fmt.Errorf("launder: mixer deposit %d: %w", i, err)
		}
	}
	fresh := acct("fresh/mixer-out")
	t.MixerWithdrawal = fresh.Address
	for _, s := range notes[:4] {
		if _, err := mixer.TransactOpts(ctx, op, opts(nil), "withdraw", s, fresh.Address); err != nil {
			return nil, fmt.Errorf("launder: mixer withdraw: %w", err)
		}
	}
	for i, s := range benignNotes[:2] {
		if _, err := mixer.TransactOpts(ctx, op, opts(nil), "withdraw", s, e.Users[i].Address); err != nil {
			return nil, fmt.Errorf("launder: benign mixer withdraw: %w", err)
		}
	}
	// Bridge: lock 99 ETH, the relayer mints on the "other chain".
	recip := acct("fresh/bridge-out")
	t.BridgeRecipient = recip.Address
	if err := retry(ctx, c, a3, func() error {
		_, err := vault.TransactOpts(ctx, a3, opts(part(99)), "lock", recip.Address, big.NewInt(10))
		return err
	}); err != nil {
		return nil, fmt.Errorf("launder: bridge lock: %w", err)
	}
	if _, err := bridged.TransactOpts(ctx, op, opts(nil), "mint", big.NewInt(0), recip.Address, part(99)); err != nil {
		return nil, fmt.Errorf("launder: bridge mint: %w", err)
	}
	// Exchange: the attacker's own deposit address.
	d3 := deposit("attacker")
	t.AttackerDeposit = d3.Address
	if _, err := send(a4, d3.Address, part(98)); err != nil {
		return nil, err
	}
	if err := sweep(d3, hot.Address); err != nil {
		return nil, err
	}
	// Address poisoning: a third party plants a zero-value transfer from
	// a5 to a look-alike of the deposit address a5 paid (transferFrom of
	// 0 needs no allowance).
	poisoner := acct("poisoner")
	if _, err := send(op, poisoner.Address, eth(1)); err != nil {
		return nil, err
	}
	look := d2.Address
	for i := 4; i < 16; i++ {
		look[i] ^= 0x5a
	}
	t.Poisoned, t.PoisonLookAlike, t.PoisonGenuine = a5.Address, look, d2.Address
	if err := retry(ctx, c, poisoner, func() error {
		_, err := tkn.TransactOpts(ctx, poisoner, opts(nil), "transferFrom", a5.Address, look, big.NewInt(0))
		return err
	}); err != nil {
		return nil, fmt.Errorf("launder: poisoning: %w", err)
	}
	// Wash trading: a1 round-trips what the peel left it on the pool.
	t.WashTrader, t.WashRounds = a1.Address, 2
	washIn := new(big.Int).Div(part(1), big.NewInt(2))
	if err := retry(ctx, c, a1, func() error {
		_, err := tkn.TransactOpts(ctx, a1, opts(nil), "approve", amm.Router.Address, new(big.Int).Lsh(big.NewInt(1), 255))
		return err
	}); err != nil {
		return nil, fmt.Errorf("launder: wash approve: %w", err)
	}
	for i := 0; i < t.WashRounds; i++ {
		if _, err := amm.Router.TransactOpts(ctx, a1, opts(washIn), "swapExactETHForTokens", big.NewInt(1),
			[]common.Address{weth.Address, tkn.Address}, a1.Address, testbed.Deadline()); err != nil {
			return nil, fmt.Errorf("launder: wash buy: %w", err)
		}
		bal, err := tkn.CallBig(ctx, "balanceOf", a1.Address)
		if err != nil {
			return nil, fmt.Errorf("launder: wash balance: %w", err)
		}
		if _, err := amm.Router.TransactOpts(ctx, a1, opts(nil), "swapExactTokensForETH", bal, big.NewInt(1),
			[]common.Address{tkn.Address, weth.Address}, a1.Address, testbed.Deadline()); err != nil {
			return nil, fmt.Errorf("launder: wash sell: %w", err)
		}
	}
	// Ground truth (gas aside), per 500 stolen: a6 138 ETH, a7 50 ETH as
	// TKN, mixer 90, bridge 99, exchange 98 + 5 + 5; the remaining ~15 ETH
	// stay spread over a0..a5 (change and gas money).
	t.Holders = []Holder{
		{a6.Address, HolderWallet, partETH(138)},
		{a7.Address, HolderWallet, partETH(50)},
		{mixer.Address, HolderMixer, partETH(90)},
		{vault.Address, HolderBridge, partETH(99)},
		{hot.Address, HolderExchange, partETH(108)},
	}
	return t, nil
}

// retry runs fn, retrying briefly while the node's pool has not yet seen
// the block that funded a fresh sender ("insufficient funds").
func retry(ctx context.Context, c *chain.Client, from chain.Account, fn func() error) error {
	for i := 0; ; i++ {
		err := fn()
		if err == nil || i == 50 || !strings.Contains(err.Error(), "insufficient funds") {
			return err
		}
		c.ResetNonce(from.Address)
		select {
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// note returns a random mixer secret.
func note() ([32]byte, error) {
	var s [32]byte
	if _, err := rand.Read(s[:]); err != nil {
		return s, fmt.Errorf("launder: note secret: %w", err)
	}
	return s, nil
}
