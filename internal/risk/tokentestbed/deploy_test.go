package tokentestbed

import (
	"context"
	"errors"
	"math"
	"math/big"
	"os"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/testbed"
	"github.com/aegis-defi/aegis/internal/testchain"
)

// TestDevnet deploys the testbed on the embedded devnet and proves every
// label against the chain.
func TestDevnet(t *testing.T) {
	env := testchain.New(t)
	ctx := context.Background()
	start := time.Now()
	tb, err := Deploy(ctx, env.Client, env.Accounts, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("devnet: deployed %d tokens in %v", len(tb.Tokens), time.Since(start))
	checkTestbed(ctx, t, env.Client, tb, env.Accounts[MinAccounts:])
}

// TestAnvil does the same on Anvil (a third-party node, auto-mining).
func TestAnvil(t *testing.T) {
	if os.Getenv("CI") == "true" && testchain.AnvilPath() == "" {
		t.Fatal("CI=true but anvil is not installed (tools/anvil)")
	}
	a := testchain.StartAnvil(t, 10)
	ctx := context.Background()
	start := time.Now()
	tb, err := Deploy(ctx, a.Client, a.Accounts, Options{})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("anvil: deployed %d tokens in %v", len(tb.Tokens), time.Since(start))
	checkTestbed(ctx, t, a.Client, tb, a.Accounts[MinAccounts:])
}

// TestDeployOnExistingExchange reuses the core testbed's WETH and AMM.
func TestDeployOnExistingExchange(t *testing.T) {
	env := testchain.New(t)
	ctx := context.Background()
	core, err := testbed.Deploy(ctx, env.Client, env.Accounts[0], env.Accounts[1], testbed.Options{})
	if err != nil {
		t.Fatal(err)
	}
	tb, err := Deploy(ctx, env.Client, env.Accounts, Options{WETH: core.WETH, AMM: core.AMM})
	if err != nil {
		t.Fatal(err)
	}
	for _, tok := range tb.Tokens {
		p, err := core.AMM.Factory.CallAddress(ctx, "getPair", tok.Address, core.WETH.Address)
		if err != nil || p != tok.Pair.Address {
			t.Errorf("%s: pair %s on the core AMM is %s (%v)", tok.Name, tok.Pair.Address, p, err)
		}
	}
	if _, err := Deploy(ctx, env.Client, env.Accounts, Options{WETH: core.WETH}); err == nil {
		t.Error("Deploy with WETH but no AMM succeeded")
	}
}

func TestDeployNeedsAccounts(t *testing.T) {
	if _, err := Deploy(context.Background(), nil, make([]chain.Account, MinAccounts-1), Options{}); err == nil {
		t.Fatal("Deploy with too few accounts succeeded")
	}
}

func balance(ctx context.Context, t *testing.T, tok *Token, who common.Address) *big.Int {
	t.Helper()
	b, err := tok.Contract.CallBig(ctx, "balanceOf", who)
	if err != nil {
		t.Fatalf("%s balanceOf %s: %v", tok.Name, who, err)
	}
	return b
}

func near(got, want, tol float64) bool { return math.Abs(got-want) <= tol }

func checkTestbed(ctx context.Context, t *testing.T, c *chain.Client, tb *Testbed, fresh []chain.Account) {
	if len(fresh) < 2 {
		t.Fatalf("need 2 fresh accounts, have %d", len(fresh))
	}
	if len(tb.Tokens) != len(Labels()) {
		t.Fatalf("%d tokens deployed, %d labelled", len(tb.Tokens), len(Labels()))
	}
	t.Run("deployed", func(t *testing.T) { checkDeployed(ctx, t, c, tb) })
	t.Run("labels", func(t *testing.T) {
		for _, tok := range tb.Tokens {
			t.Run(tok.Name, func(t *testing.T) { checkLabel(ctx, t, tb, tok, fresh[0], fresh[1].Address) })
		}
	})
	t.Run("mechanisms", func(t *testing.T) { checkMechanisms(ctx, t, c, tb, fresh[1]) })
}

// checkDeployed: code, pools with reserves, holders with balances, LP fate.
func checkDeployed(ctx context.Context, t *testing.T, c *chain.Client, tb *Testbed) {
	for _, tok := range tb.Tokens {
		code, err := c.Backend().CodeAt(ctx, tok.Address, nil)
		if err != nil || len(code) == 0 {
			t.Errorf("%s: no code at %s (%v)", tok.Name, tok.Address, err)
			continue
		}
		rTok, rWeth, _, err := tb.reserves(ctx, tok)
		if err != nil || rTok.Sign() == 0 || rWeth.Cmp(chain.Ether(5)) < 0 {
			t.Errorf("%s: pool reserves %v / %v WETH (%v)", tok.Name, rTok, rWeth, err)
		}
		if len(tok.Holders) < 5 {
			t.Errorf("%s: %d holders", tok.Name, len(tok.Holders))
		}
		for _, h := range tok.Holders {
			if balance(ctx, t, tok, h).Sign() == 0 {
				t.Errorf("%s: holder %s has no balance", tok.Name, h)
			}
		}
		if len(tok.SellAttempts) != 1 {
			t.Errorf("%s: %d history sells", tok.Name, len(tok.SellAttempts))
		}
		for _, h := range tok.SellAttempts {
			r, err := c.Backend().TransactionReceipt(ctx, h)
			if err != nil {
				t.Fatalf("%s: history sell %s: %v", tok.Name, h, err)
			}
			if reverted := r.Status == 0; reverted != tok.Label.SellReverts {
				t.Errorf("%s: history sell reverted=%v, label sell_reverts=%v", tok.Name, reverted, tok.Label.SellReverts)
			}
		}
		lpOf := func(a common.Address) *big.Int {
			v, err := tok.Pair.CallBig(ctx, "balanceOf", a)
			if err != nil {
				t.Fatalf("%s LP balanceOf: %v", tok.Name, err)
			}
			return v
		}
		holder := map[LPFate]common.Address{LPCreator: tok.Creator.Address, LPBurned: DeadAddress(), LPLocked: tb.Locker.Address}[tok.LP]
		if lpOf(holder).Sign() == 0 {
			t.Errorf("%s: LP %s but %s holds no LP tokens", tok.Name, tok.LP, holder)
		}
		if tok.LP != LPCreator && lpOf(tok.Creator.Address).Sign() != 0 {
			t.Errorf("%s: LP %s but the creator still holds LP tokens", tok.Name, tok.LP)
		}
	}
}

// checkLabel buys with a fresh account, sells half and transfers a quarter,
// and compares what happened with the label.
func checkLabel(ctx context.Context, t *testing.T, tb *Testbed, tok *Token, trader chain.Account, friend common.Address) {
	l := tok.Label
	tol := l.Taxes.Tolerance
	if tol == 0 {
		tol = 0.5
	}
	buy, err := tb.Buy(ctx, trader, tok, chain.Wei("0.3"))
	if l.BuyReverts {
		if !errors.Is(err, chain.ErrReverted) {
			t.Fatalf("buy: want a revert, got %v (%+v)", err, buy)
		}
		// an earlier buyer is stuck too
		h := tb.Buyers[0]
		bal := balance(ctx, t, tok, h.Address)
		if bal.Sign() == 0 {
			h = findBuyer(ctx, t, tb, tok)
			bal = balance(ctx, t, tok, h.Address)
		}
		if _, err := tb.Sell(ctx, h, tok, new(big.Int).Div(bal, big.NewInt(2))); !errors.Is(err, chain.ErrReverted) {
			t.Fatalf("holder sell: want a revert, got %v", err)
		}
		return
	}
	if err != nil {
		t.Fatalf("buy: %v", err)
	}
	if buy.Out.Sign() == 0 || !near(buy.Tax, l.Taxes.Buy, tol) {
		t.Errorf("buy: got %v tokens, tax %.2f%%, label %.2f%%", buy.Out, buy.Tax, l.Taxes.Buy)
	}
	sell, err := tb.Sell(ctx, trader, tok, new(big.Int).Div(buy.Out, big.NewInt(2)))
	if l.SellReverts {
		if !errors.Is(err, chain.ErrReverted) {
			t.Errorf("sell: want a revert, got %v (%+v)", err, sell)
		}
	} else {
		if err != nil {
			t.Fatalf("sell: %v", err)
		}
		if !near(sell.Tax, l.Taxes.Sell, tol) {
			t.Errorf("sell: tax %.2f%%, label %.2f%%", sell.Tax, l.Taxes.Sell)
		}
		ratio := 0.0
		if sell.Quoted.Sign() > 0 {
			ratio = 1 - taxPercent(sell.Out, sell.Quoted)/100
		}
		if l.Flags.IsHoneypot && ratio > 0.05 {
			t.Errorf("honeypot sell paid %.1f%% of the quote", 100*ratio)
		}
		if !l.Flags.IsHoneypot && ratio < 0.9-l.Taxes.Sell/100 {
			t.Errorf("sell paid %.1f%% of the quote, label sell tax %.1f%%", 100*ratio, l.Taxes.Sell)
		}
		t.Logf("buy tax %.2f%%, sell tax %.2f%%, sell paid %.2f%% of quote", buy.Tax, sell.Tax, 100*ratio)
	}
	tr, err := tb.Transfer(ctx, trader, tok, friend, new(big.Int).Div(buy.Out, big.NewInt(8)))
	if err != nil {
		t.Fatalf("transfer: %v", err)
	}
	if !near(tr.Tax, l.Taxes.Transfer, tol) {
		t.Errorf("transfer: tax %.2f%%, label %.2f%%", tr.Tax, l.Taxes.Transfer)
	}
}

func findBuyer(ctx context.Context, t *testing.T, tb *Testbed, tok *Token) chain.Account {
	t.Helper()
	for _, b := range tb.Buyers {
		if balance(ctx, t, tok, b.Address).Sign() > 0 {
			return b
		}
	}
	t.Fatalf("%s: no buyer holds tokens", tok.Name)
	return chain.Account{}
}

func mustToken(t *testing.T, tb *Testbed, name string) *Token {
	t.Helper()
	tok := tb.Token(name)
	if tok == nil {
		t.Fatalf("no token %s", name)
	}
	return tok
}

func reverts(t *testing.T, what string, err error) {
	t.Helper()
	if !errors.Is(err, chain.ErrReverted) {
		t.Errorf("%s: want a revert, got %v", what, err)
	}
}

func ok(t *testing.T, what string, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// checkMechanisms exercises the mechanisms behind the flags, with a
// negative case each (an outsider cannot, the insider can).
func checkMechanisms(ctx context.Context, t *testing.T, c *chain.Client, tb *Testbed, outsider chain.Account) {
	t.Run("whitelisted insider sells", func(t *testing.T) {
		tok := mustToken(t, tb, "RtShibaKingdom")
		insider := tb.Insider
		bal := balance(ctx, t, tok, insider.Address)
		s, err := tb.Sell(ctx, insider, tok, new(big.Int).Div(bal, big.NewInt(2)))
		ok(t, "insider sell", err)
		if s.Out.Sign() == 0 || s.Tax != 0 {
			t.Errorf("insider sell: %+v", s)
		}
	})
	t.Run("trading switch spares the owner", func(t *testing.T) {
		tok := mustToken(t, tb, "RtPepeLaunch")
		_, err := tok.Contract.Transact(ctx, tok.Creator, "transfer", outsider.Address, big.NewInt(1000))
		ok(t, "owner transfer while closed", err)
		_, err = tok.Contract.TransactOpts(ctx, outsider, chain.TxOpts{GasLimit: 200_000}, "transfer", tb.Buyers[0].Address, big.NewInt(1))
		reverts(t, "outsider transfer while closed", err)
	})
	t.Run("siphon without Transfer event", func(t *testing.T) {
		tok := mustToken(t, tb, "RtSiphonMoon")
		seller := findBuyer(ctx, t, tb, tok)
		amount := new(big.Int).Div(balance(ctx, t, tok, seller.Address), big.NewInt(2))
		collector := tok.Creator.Address
		cBefore := balance(ctx, t, tok, collector)
		pBefore := balance(ctx, t, tok, tok.Pair.Address)
		r, err := tok.Contract.TransactOpts(ctx, seller, chain.TxOpts{GasLimit: 300_000}, "transfer", tok.Pair.Address, amount)
		ok(t, "sell transfer", err)
		skim := new(big.Int).Sub(balance(ctx, t, tok, collector), cBefore)
		toPair := new(big.Int).Sub(balance(ctx, t, tok, tok.Pair.Address), pBefore)
		wantSkim := new(big.Int).Sub(amount, new(big.Int).Div(amount, big.NewInt(100)))
		if skim.Cmp(wantSkim) != 0 || new(big.Int).Add(skim, toPair).Cmp(amount) != 0 {
			t.Errorf("sold %v: collector +%v (want %v), pair +%v", amount, skim, wantSkim, toPair)
		}
		transferSig := crypto.Keccak256Hash([]byte("Transfer(address,address,uint256)"))
		for _, lg := range r.Logs {
			if lg.Topics[0] != transferSig || len(lg.Topics) != 3 {
				continue
			}
			if common.BytesToAddress(lg.Topics[2].Bytes()) == collector {
				t.Errorf("siphon emitted a Transfer to the collector")
			}
			if common.BytesToAddress(lg.Topics[2].Bytes()) == tok.Pair.Address && new(big.Int).SetBytes(lg.Data).Cmp(amount) != 0 {
				t.Errorf("Transfer to pair says %v, want the full %v", new(big.Int).SetBytes(lg.Data), amount)
			}
		}
	})
	t.Run("hidden mint", func(t *testing.T) {
		tok := mustToken(t, tb, "RtYieldBloom")
		before, err := tok.Contract.CallBig(ctx, "totalSupply")
		ok(t, "totalSupply", err)
		_, err = tok.Contract.Transact(ctx, tok.Creator, "syncRewards", tok.Creator.Address, chain.Ether(1_000_000))
		ok(t, "syncRewards", err)
		after, err := tok.Contract.CallBig(ctx, "totalSupply")
		ok(t, "totalSupply", err)
		if d := new(big.Int).Sub(after, before); d.Cmp(chain.Ether(1_000_000)) != 0 {
			t.Errorf("syncRewards grew supply by %v", d)
		}
		_, err = tok.Contract.TransactOpts(ctx, outsider, chain.TxOpts{GasLimit: 200_000}, "syncRewards", outsider.Address, chain.Ether(1))
		reverts(t, "outsider syncRewards", err)
	})
	t.Run("owner edits a balance", func(t *testing.T) {
		tok := mustToken(t, tb, "RtLedgerFix")
		victim := tok.Holders[0]
		_, err := tok.Contract.Transact(ctx, tok.Creator, "fixSnapshot", victim, big.NewInt(7))
		ok(t, "fixSnapshot", err)
		if b := balance(ctx, t, tok, victim); b.Cmp(big.NewInt(7)) != 0 {
			t.Errorf("victim balance %v after fixSnapshot(7)", b)
		}
		_, err = tok.Contract.TransactOpts(ctx, outsider, chain.TxOpts{GasLimit: 200_000}, "fixSnapshot", outsider.Address, big.NewInt(1))
		reverts(t, "outsider fixSnapshot", err)
	})
	t.Run("operator pulls without allowance", func(t *testing.T) {
		tok := mustToken(t, tb, "RtOperatorPull")
		victim := tok.Holders[1]
		bal := balance(ctx, t, tok, victim)
		_, err := tok.Contract.TransactOpts(ctx, outsider, chain.TxOpts{GasLimit: 200_000}, "transferFrom", victim, outsider.Address, bal)
		reverts(t, "outsider transferFrom", err)
		_, err = tok.Contract.Transact(ctx, tok.Creator, "transferFrom", victim, tok.Creator.Address, bal)
		ok(t, "operator transferFrom", err)
		if b := balance(ctx, t, tok, victim); b.Sign() != 0 {
			t.Errorf("victim still holds %v", b)
		}
	})
	t.Run("fake renounce", func(t *testing.T) {
		tok := mustToken(t, tb, "RtGhostOwner")
		owner, err := tok.Contract.CallAddress(ctx, "owner")
		ok(t, "owner", err)
		if owner != (common.Address{}) {
			t.Fatalf("owner() = %s after renounce", owner)
		}
		_, err = tok.Contract.TransactOpts(ctx, outsider, chain.TxOpts{GasLimit: 200_000}, "setFee", big.NewInt(100))
		reverts(t, "outsider setFee", err)
		_, err = tok.Contract.Transact(ctx, tok.Creator, "setFee", big.NewInt(100))
		ok(t, "hidden owner setFee after renounce", err)
		_, err = tok.Contract.Transact(ctx, tok.Creator, "syncOwner")
		ok(t, "syncOwner", err)
		if owner, _ = tok.Contract.CallAddress(ctx, "owner"); owner != tok.Creator.Address {
			t.Errorf("owner() = %s after syncOwner, want %s", owner, tok.Creator.Address)
		}
	})
	t.Run("EIP-1967 proxy with EOA admin", func(t *testing.T) {
		tok := mustToken(t, tb, "RtProxy1967")
		slot := func(s string) common.Address {
			v, err := c.Backend().StorageAt(ctx, tok.Address, common.HexToHash(s), nil)
			ok(t, "eth_getStorageAt", err)
			return common.BytesToAddress(v)
		}
		if a := slot("0xb53127684a568b3173ae13b9f8a6016e243e63b6e8ee1178d6a717850b5d6103"); a != tok.Owner || a == tok.Creator.Address || a == (common.Address{}) {
			t.Errorf("admin slot %s, owner %s", a, tok.Owner)
		}
		if impl := slot("0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc"); impl != tok.Implementation {
			t.Errorf("implementation slot %s, want %s", impl, tok.Implementation)
		}
		if code, _ := c.Backend().CodeAt(ctx, tok.Owner, nil); len(code) != 0 {
			t.Errorf("proxy admin %s is a contract", tok.Owner)
		}
	})
	t.Run("per-holder traps", func(t *testing.T) {
		pf := mustToken(t, tb, "RtPersonalFee")
		victim := accountOf(t, tb, pf.Holders[0])
		s, err := tb.Sell(ctx, victim, pf, new(big.Int).Div(balance(ctx, t, pf, victim.Address), big.NewInt(2)))
		reverts(t, "sell by the holder with a 100% partner rate", err)
		if s.Tax != 100 {
			t.Errorf("victim sell tax %.2f%%", s.Tax)
		}
		other := accountOf(t, tb, pf.Holders[2])
		s, err = tb.Sell(ctx, other, pf, new(big.Int).Div(balance(ctx, t, pf, other.Address), big.NewInt(2)))
		ok(t, "sell by another holder", err)
		if !near(s.Tax, 1, 0.01) || s.Out.Sign() == 0 {
			t.Errorf("other holder sold with tax %.2f%%, out %v", s.Tax, s.Out)
		}
		bb := mustToken(t, tb, "RtBotBlocker")
		listed := accountOf(t, tb, bb.Holders[1])
		_, err = bb.Contract.TransactOpts(ctx, listed, chain.TxOpts{GasLimit: 200_000}, "transfer", outsider.Address, big.NewInt(1))
		reverts(t, "blacklisted holder transfer", err)
		unlisted := accountOf(t, tb, bb.Holders[0])
		_, err = bb.Contract.Transact(ctx, unlisted, "transfer", outsider.Address, big.NewInt(1))
		ok(t, "unlisted holder transfer", err)
	})
	t.Run("honest controls held by contracts", func(t *testing.T) {
		sd := mustToken(t, tb, "RtStableDollar")
		supply, err := sd.Contract.CallBig(ctx, "totalSupply")
		ok(t, "totalSupply", err)
		if supply.Cmp(big.NewInt(11_000_000_000_000)) != 0 {
			t.Errorf("RtStableDollar supply %v, want 11,000,000 SUSD after the multisig mint", supply)
		}
		_, err = sd.Contract.TransactOpts(ctx, sd.Creator, chain.TxOpts{GasLimit: 200_000}, "pause")
		reverts(t, "an EOA pauses RtStableDollar", err)
		tm := mustToken(t, tb, "RtTimelockMintable")
		data, err := tm.Contract.Pack("mint", tm.Creator.Address, chain.Ether(1_000))
		ok(t, "pack", err)
		_, err = tb.Timelock.TransactOpts(ctx, tm.Creator, chain.TxOpts{GasLimit: 300_000}, "execute", tm.Address, data)
		reverts(t, "queued mint before the delay", err)
		_, err = tm.Contract.TransactOpts(ctx, tm.Creator, chain.TxOpts{GasLimit: 200_000}, "mint", tm.Creator.Address, big.NewInt(1))
		reverts(t, "creator mints directly", err)
		rn := mustToken(t, tb, "RtRenouncedToken")
		if o, err := rn.Contract.CallAddress(ctx, "owner"); err != nil || o != (common.Address{}) {
			t.Errorf("RtRenouncedToken owner %s (%v)", o, err)
		}
	})
}

// accountOf returns the testbed account (a buyer) with address a.
func accountOf(t *testing.T, tb *Testbed, a common.Address) chain.Account {
	t.Helper()
	for _, b := range append(append([]chain.Account{tb.Insider}, tb.Buyers...), tb.Creators...) {
		if b.Address == a {
			return b
		}
	}
	t.Fatalf("%s is not a testbed account", a)
	return chain.Account{}
}
