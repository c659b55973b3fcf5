package tokentestbed

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/testbed"
)

// MinAccounts is how many funded accounts Deploy needs: accounts[0] deploys
// the exchange, is a multisig owner and funds the derived accounts,
// accounts[1] is the honest creator, accounts[2] the honeypot creator,
// accounts[3..6] are the buyers. Tests use accounts from index MinAccounts
// on as fresh traders.
const MinAccounts = 7

// Token families: each is deployed by its own creator (Testbed.Creators
// index), as in reality — an honest team does not also ship honeypots, and
// a scammer's history follows its deployer key.
const (
	// FamilyHonest: the honest controls.
	FamilyHonest = iota
	// FamilyHoneypot: the tokens that cannot be sold (seven mechanisms).
	FamilyHoneypot
	// FamilyPrivilege: privilege abuse — hidden mint, balance edit,
	// allowance-free operator, fake renounce, EOA-admin proxy.
	FamilyPrivilege
	// FamilyDials: owner dials — modifiable tax, per-address fee,
	// blacklist, modifiable anti-whale limits.
	FamilyDials
	// FamilyHazard: code hazards — selfdestruct, delegatecall to a settable
	// module, external call in transfer.
	FamilyHazard
	numFamilies
)

// creatorFunds is what accounts[0] sends each derived creator (liquidity
// and gas of its family).
var creatorFunds = chain.Ether(150)

// DeadAddress returns 0x…dEaD, where burned LP tokens go.
func DeadAddress() common.Address {
	return common.HexToAddress("0x000000000000000000000000000000000000dEaD")
}

// LPFate says what happened to a pool's LP tokens after the first deposit.
type LPFate string

// The three LP fates.
const (
	// LPCreator: the creator EOA keeps the LP tokens and can pull the
	// liquidity at any time.
	LPCreator LPFate = "creator"
	// LPBurned: the LP tokens were minted to DeadAddress.
	LPBurned LPFate = "burned"
	// LPLocked: the LP tokens are time-locked for a year in the testbed's
	// LiquidityLocker.
	LPLocked LPFate = "locked"
)

// lockDuration is how long locked LP tokens stay locked.
const lockDuration = 365 * 24 * 3600

// Options configures Deploy. The zero value deploys a fresh WETH and AMM.
type Options struct {
	// WETH and AMM reuse an existing exchange (for example a
	// testbed.Testbed's WETH and AMM); both or neither must be set.
	WETH *chain.Contract
	AMM  *testbed.AMM
}

// Token is one deployed testbed token.
type Token struct {
	// Name is the contract name of the code at Address (its label's Token).
	Name string
	// Label is the ground truth.
	Label Label
	// Address is the token; Contract is bound there with the token ABI
	// (for the proxy: the implementation's ABI).
	Address  common.Address
	Contract *chain.Contract
	// Implementation is the proxy's implementation (zero for the others).
	Implementation common.Address
	// Pair is the token/WETH AMMPair.
	Pair *chain.Contract
	// Creator deployed the token and seeded the pool.
	Creator chain.Account
	// Owner is whoever controls the privileged functions after Deploy
	// (zero when nobody does): the creator, the proxy admin, the multisig
	// or the timelock. For RtGhostOwner it is the hidden controller,
	// although owner() reads zero.
	Owner common.Address
	// Holders are the non-creator holders: router buyers first (the first
	// two are the targets of per-holder traps), then airdrop recipients.
	Holders []common.Address
	// LP says what happened to the LP tokens.
	LP LPFate
	// SellAttempts are the history Deploy leaves after the trap: a holder
	// (Holders[2]) tried to sell half its tokens through SwapRouter. The
	// attempt reverted exactly when Label.SellReverts is set, so honeypots
	// carry failed sells on chain and the others a successful one.
	SellAttempts []common.Hash
}

// Testbed is the deployed token testbed.
type Testbed struct {
	// WETH and AMM are the exchange every pool lives on.
	WETH *chain.Contract
	AMM  *testbed.AMM
	// SwapRouter is an RtFeeSwapRouter on AMM's factory: Router02's
	// fee-on-transfer-safe swap, which Sell uses.
	SwapRouter *chain.Contract
	// Locker holds the locked LP tokens.
	Locker *chain.Contract
	// Multisig (RtMultisig2of3) administers RtStableDollar; Timelock
	// (RtTimelock, 2 days) holds RtTimelockMintable's minter role.
	Multisig, Timelock *chain.Contract
	// Creators deploy the tokens, one per family (index = Family*
	// constant): accounts[1] (honest), accounts[2] (honeypots) and three
	// accounts derived from fixed seeds and funded by accounts[0].
	Creators []chain.Account
	// Insider is RtShibaKingdom's team wallet (derived, funded by
	// accounts[0]): it buys and is whitelisted, so it can sell.
	Insider chain.Account
	// Buyers bought through the router (accounts[3..6]).
	Buyers []chain.Account
	// Tokens are in Labels() order.
	Tokens []*Token
}

// Token returns the token with the given contract name, or nil.
func (tb *Testbed) Token(name string) *Token {
	for _, t := range tb.Tokens {
		if t.Name == name {
			return t
		}
	}
	return nil
}

// call is one transaction of a setup phase.
type call struct {
	from   chain.Account
	to     *chain.Contract
	gas    uint64
	value  *big.Int
	method string
	args   []any
}

// env is what specs see while Deploy runs.
type env struct {
	tb                      *Testbed
	deployer                chain.Account
	hook, tracker, vaultImp common.Address
}

// spec says how to deploy and set up one token.
type spec struct {
	name    string
	creator int // family: index into Testbed.Creators
	// args are the constructor arguments (nil: none).
	args func(e *env, t *Token) ([]any, error)
	// abi is the artifact whose ABI the token is bound with ("" = name).
	abi    string
	liqETH int64
	// liqTokens, when set, is the token amount for the pool; otherwise
	// liqPercent (default 60) of the creator's balance.
	liqTokens  *big.Int
	liqPercent int64
	lp         LPFate
	// insider: Testbed.Insider also buys (RtShibaKingdom's whitelisted team wallet).
	insider bool
	// before runs before the liquidity (creator's own steps), launch right
	// after it, trap after the buys, settle after trap (second signatures).
	before, launch, trap, settle func(e *env, t *Token) []call
	// owner is who controls the token after setup (nil: the creator).
	owner func(e *env, t *Token) common.Address
}

func withRouter(e *env, _ *Token) ([]any, error) { return []any{e.tb.AMM.Router.Address}, nil }

func by(t *Token, method string, args ...any) []call {
	return []call{{from: t.Creator, to: t.Contract, gas: 200_000, method: method, args: args}}
}

func nobody(*env, *Token) common.Address { return common.Address{} }

// proxyAdmin is RtProxy1967's admin: a second key of the privilege family's
// creator (a transparent proxy's admin cannot use the token), never funded.
func proxyAdmin() chain.Account { return chain.AccountFromSeed("tokentestbed/proxy-admin") }

// multisigCosigner is RtMultisig2of3's third owner; it never signs.
func multisigCosigner() chain.Account { return chain.AccountFromSeed("tokentestbed/multisig-cosigner") }

func specs() []spec {
	return []spec{
		{name: "RtShibaKingdom", creator: FamilyHoneypot, args: withRouter, liqETH: 20, lp: LPCreator, insider: true,
			launch: func(e *env, t *Token) []call { return by(t, "excludeFromFee", e.tb.Insider.Address) }},
		{name: "RtFlokiRocket", creator: FamilyHoneypot, args: withRouter, liqETH: 15, lp: LPBurned,
			trap: func(_ *env, t *Token) []call { return by(t, "updateFees", big.NewInt(3), big.NewInt(100)) }},
		{name: "RtPepeLaunch", creator: FamilyHoneypot, args: withRouter, liqETH: 12, lp: LPCreator,
			launch: func(_ *env, t *Token) []call { return by(t, "openTrading") },
			trap:   func(_ *env, t *Token) []call { return by(t, "setSwapEnabled", false) }},
		{name: "RtDustDoge", creator: FamilyHoneypot, args: withRouter, liqETH: 10, lp: LPBurned,
			trap: func(_ *env, t *Token) []call { return by(t, "setSwapTokensAtAmount", big.NewInt(1)) }},
		{name: "RtCooldownCat", creator: FamilyHoneypot, args: withRouter, liqETH: 8, lp: LPLocked,
			trap: func(_ *env, t *Token) []call { return by(t, "setCooldown", big.NewInt(3650*24*3600)) }},
		{name: "RtSiphonMoon", creator: FamilyHoneypot, args: withRouter, liqETH: 25, lp: LPCreator},
		{name: "RtApproveTrap", creator: FamilyHoneypot, args: withRouter, liqETH: 16, lp: LPCreator},
		{name: "RtYieldBloom", creator: FamilyPrivilege, liqETH: 10, lp: LPLocked},
		{name: "RtLedgerFix", creator: FamilyPrivilege, liqETH: 6, lp: LPCreator},
		{name: "RtOperatorPull", creator: FamilyPrivilege, liqETH: 9, lp: LPBurned},
		{name: "RtGhostOwner", creator: FamilyPrivilege, args: withRouter, liqETH: 14, lp: LPBurned,
			trap: func(_ *env, t *Token) []call { return by(t, "renounceOwnership") }},
		{name: "RtProxy1967", abi: "RtVaultTokenV1", creator: FamilyPrivilege, liqETH: 18, lp: LPCreator,
			args: func(e *env, t *Token) ([]any, error) {
				impl, err := contracts.Load("RtVaultTokenV1")
				if err != nil {
					return nil, err
				}
				init, err := impl.ABI.Pack("initialize", "Vault Token", "VAULT", t.Creator.Address, chain.Ether(50_000_000))
				if err != nil {
					return nil, fmt.Errorf("pack initialize: %w", err)
				}
				return []any{e.vaultImp, proxyAdmin().Address, init}, nil
			},
			owner: func(*env, *Token) common.Address { return proxyAdmin().Address }},
		{name: "RtTaxDial", creator: FamilyDials, args: withRouter, liqETH: 11, lp: LPLocked},
		{name: "RtPersonalFee", creator: FamilyDials, args: withRouter, liqETH: 7, lp: LPCreator,
			trap: func(_ *env, t *Token) []call { return by(t, "setPartnerRate", t.Holders[0], big.NewInt(100)) }},
		{name: "RtBotBlocker", creator: FamilyDials, liqETH: 9, lp: LPBurned,
			trap: func(_ *env, t *Token) []call { return by(t, "addBots", []common.Address{t.Holders[1]}) }},
		{name: "RtWhaleGuard", creator: FamilyDials, args: withRouter, liqETH: 40, lp: LPLocked},
		{name: "RtHarborInu", creator: FamilyDials, args: withRouter, liqETH: 9, lp: LPCreator,
			trap: func(_ *env, t *Token) []call {
				return by(t, "syncHarborRoutes", []common.Address{t.Holders[1]}, true)
			}},
		{name: "RtQuietFrog", creator: FamilyDials, liqETH: 7, lp: LPBurned,
			trap: func(_ *env, t *Token) []call { return by(t, "noteRipple", t.Holders[1], true) }},
		{name: "RtTideTax", creator: FamilyDials, args: withRouter, liqETH: 10, lp: LPLocked},
		{name: "RtPhoenix", creator: FamilyHazard, liqETH: 5, lp: LPCreator},
		{name: "RtModularHook", creator: FamilyHazard, liqETH: 6, lp: LPCreator,
			args: func(e *env, _ *Token) ([]any, error) { return []any{e.hook}, nil }},
		{name: "RtDividendPay", creator: FamilyHazard, liqETH: 8, lp: LPLocked,
			args: func(e *env, _ *Token) ([]any, error) { return []any{e.tracker}, nil }},
		{name: "RtPlainToken", creator: FamilyHonest, liqETH: 30, lp: LPBurned, owner: nobody,
			args: func(*env, *Token) ([]any, error) { return []any{chain.Ether(1_000_000_000)}, nil }},
		{name: "RtWrappedEther", creator: FamilyHonest, liqETH: 40, liqTokens: chain.Ether(40), lp: LPLocked, owner: nobody,
			before: func(_ *env, t *Token) []call {
				return []call{{from: t.Creator, to: t.Contract, gas: 100_000, value: chain.Ether(41), method: "deposit"}}
			}},
		{name: "RtStableDollar", creator: FamilyHonest, liqETH: 20, liqPercent: 50, lp: LPLocked,
			args: func(e *env, t *Token) ([]any, error) {
				return []any{e.tb.Multisig.Address, t.Creator.Address, big.NewInt(10_000_000_000_000)}, nil
			},
			// the multisig mints 1,000,000 SUSD to the treasury: one owner
			// submits, a second one confirms and executes
			trap: func(e *env, t *Token) []call {
				data, _ := t.Contract.Pack("mint", t.Creator.Address, big.NewInt(1_000_000_000_000))
				return []call{{from: e.deployer, to: e.tb.Multisig, gas: 400_000, method: "submit",
					args: []any{t.Address, new(big.Int), data}}}
			},
			settle: func(e *env, t *Token) []call {
				return []call{{from: e.tb.Creators[FamilyHonest], to: e.tb.Multisig, gas: 400_000, method: "confirm", args: []any{new(big.Int)}}}
			},
			owner: func(e *env, _ *Token) common.Address { return e.tb.Multisig.Address }},
		{name: "RtReflectDrip", creator: FamilyHonest, liqETH: 12, lp: LPBurned, owner: nobody},
		{name: "RtFixedFee", creator: FamilyHonest, liqETH: 10, lp: LPBurned, owner: nobody,
			args: func(e *env, _ *Token) ([]any, error) { return []any{e.tb.AMM.Router.Address, big.NewInt(300)}, nil }},
		{name: "RtRenouncedToken", creator: FamilyHonest, liqETH: 9, lp: LPBurned, owner: nobody,
			before: func(_ *env, t *Token) []call { return by(t, "setWebsite", "https://community.example") },
			launch: func(_ *env, t *Token) []call { return by(t, "renounceOwnership") }},
		{name: "RtTimelockMintable", creator: FamilyHonest, liqETH: 10, lp: LPLocked,
			args: func(e *env, _ *Token) ([]any, error) { return []any{e.tb.Timelock.Address}, nil },
			// a mint is queued in the timelock; it cannot run for two days
			trap: func(e *env, t *Token) []call {
				data, _ := t.Contract.Pack("mint", t.Creator.Address, chain.Ether(1_000))
				return []call{{from: t.Creator, to: e.tb.Timelock, gas: 200_000, method: "queue", args: []any{t.Address, data}}}
			},
			owner: func(e *env, _ *Token) common.Address { return e.tb.Timelock.Address }},
		{name: "RtLimitsFixed", creator: FamilyHonest, args: withRouter, liqETH: 30, lp: LPBurned, owner: nobody},
	}
}

// Deploy deploys every testbed token on c with a token/WETH pool, holders
// and its trap state, using accounts (at least MinAccounts funded ones; see
// MinAccounts for the roles). Transactions of one phase are sent together
// and mined in as few blocks as fit, so the whole deploy takes a few dozen
// blocks.
func Deploy(ctx context.Context, c *chain.Client, accounts []chain.Account, opts Options) (*Testbed, error) {
	if len(accounts) < MinAccounts {
		return nil, fmt.Errorf("tokentestbed: need %d funded accounts, got %d", MinAccounts, len(accounts))
	}
	if (opts.WETH == nil) != (opts.AMM == nil) {
		return nil, fmt.Errorf("tokentestbed: Options.WETH and Options.AMM must be set together")
	}
	deployer := accounts[0]
	tb := &Testbed{WETH: opts.WETH, AMM: opts.AMM, Buyers: accounts[3:7], Insider: chain.AccountFromSeed("tokentestbed/insider")}
	tb.Creators = make([]chain.Account, numFamilies)
	tb.Creators[FamilyHonest], tb.Creators[FamilyHoneypot] = accounts[1], accounts[2]
	for _, f := range []int{FamilyPrivilege, FamilyDials, FamilyHazard} {
		tb.Creators[f] = chain.AccountFromSeed(fmt.Sprintf("tokentestbed/creator%d", f))
	}
	var err error
	if tb.WETH == nil {
		if tb.WETH, err = testbed.DeployWETH(ctx, c, deployer); err != nil {
			return nil, fmt.Errorf("tokentestbed: %w", err)
		}
		if tb.AMM, err = testbed.DeployAMM(ctx, c, deployer, tb.WETH.Address); err != nil {
			return nil, fmt.Errorf("tokentestbed: %w", err)
		}
	}
	e := &env{tb: tb, deployer: deployer}
	if err := deployInfra(ctx, c, e, deployer); err != nil {
		return nil, fmt.Errorf("tokentestbed: %w", err)
	}
	sp := specs()
	labels := Labels()
	if len(sp) != len(labels) {
		return nil, fmt.Errorf("tokentestbed: %d specs but %d labels", len(sp), len(labels))
	}
	if err := deployTokens(ctx, c, e, sp, labels); err != nil {
		return nil, fmt.Errorf("tokentestbed: %w", err)
	}
	if err := addLiquidity(ctx, c, e, sp); err != nil {
		return nil, fmt.Errorf("tokentestbed: %w", err)
	}
	if err := distribute(ctx, c, e, sp); err != nil {
		return nil, fmt.Errorf("tokentestbed: %w", err)
	}
	for _, phase := range []func(s spec) func(*env, *Token) []call{
		func(s spec) func(*env, *Token) []call { return s.trap },
		func(s spec) func(*env, *Token) []call { return s.settle },
	} {
		if err := runCalls(ctx, c, e, sp, phase); err != nil {
			return nil, fmt.Errorf("tokentestbed: %w", err)
		}
	}
	if err := sellHistory(ctx, c, e); err != nil {
		return nil, fmt.Errorf("tokentestbed: %w", err)
	}
	for i, t := range tb.Tokens {
		switch {
		case sp[i].owner != nil:
			t.Owner = sp[i].owner(e, t)
		default:
			t.Owner = t.Creator.Address
		}
	}
	return tb, nil
}

// deployInfra deploys the locker, the multisig, the timelock and the
// helpers some tokens point to.
func deployInfra(ctx context.Context, c *chain.Client, e *env, deployer chain.Account) error {
	b := newBatch(c)
	tb := e.tb
	for _, f := range []int{FamilyPrivilege, FamilyDials, FamilyHazard} {
		if err := b.pay(ctx, deployer, tb.Creators[f].Address, creatorFunds); err != nil {
			return err
		}
	}
	if err := b.pay(ctx, deployer, tb.Insider.Address, chain.Ether(2)); err != nil {
		return err
	}
	if err := b.wait(ctx); err != nil {
		return err
	}
	locker, err := b.deploy(ctx, deployer, "LiquidityLocker")
	if err != nil {
		return err
	}
	swap, err := b.deploy(ctx, deployer, "RtFeeSwapRouter", tb.AMM.Factory.Address)
	if err != nil {
		return err
	}
	ms, err := b.deploy(ctx, deployer, "RtMultisig2of3", deployer.Address, tb.Creators[FamilyHonest].Address, multisigCosigner().Address)
	if err != nil {
		return err
	}
	tl, err := b.deploy(ctx, tb.Creators[FamilyHonest], "RtTimelock", tb.Creators[FamilyHonest].Address, big.NewInt(2*24*3600))
	if err != nil {
		return err
	}
	if e.hook, err = b.deploy(ctx, tb.Creators[FamilyHazard], "RtHookNoop"); err != nil {
		return err
	}
	if e.tracker, err = b.deploy(ctx, tb.Creators[FamilyHazard], "RtRewardTracker"); err != nil {
		return err
	}
	if e.vaultImp, err = b.deploy(ctx, tb.Creators[FamilyPrivilege], "RtVaultTokenV1"); err != nil {
		return err
	}
	if err := b.wait(ctx); err != nil {
		return err
	}
	for _, x := range []struct {
		dst  **chain.Contract
		name string
		addr common.Address
	}{{&tb.Locker, "LiquidityLocker", locker}, {&tb.SwapRouter, "RtFeeSwapRouter", swap}, {&tb.Multisig, "RtMultisig2of3", ms}, {&tb.Timelock, "RtTimelock", tl}} {
		k, err := testbed.Bind(c, x.name, x.addr)
		if err != nil {
			return err
		}
		*x.dst = k
	}
	return nil
}

func deployTokens(ctx context.Context, c *chain.Client, e *env, sp []spec, labels []Label) error {
	b := newBatch(c)
	for i, s := range sp {
		if labels[i].Token != s.name {
			return fmt.Errorf("spec %d is %s but label %d is %s", i, s.name, i, labels[i].Token)
		}
		t := &Token{Name: s.name, Label: labels[i], Creator: e.tb.Creators[s.creator], LP: s.lp}
		var args []any
		if s.args != nil {
			var err error
			if args, err = s.args(e, t); err != nil {
				return fmt.Errorf("%s constructor args: %w", s.name, err)
			}
		}
		addr, err := b.deploy(ctx, t.Creator, s.name, args...)
		if err != nil {
			return err
		}
		t.Address = addr
		abiName := s.abi
		if abiName == "" {
			abiName = s.name
		} else {
			t.Implementation = e.vaultImp
		}
		if t.Contract, err = testbed.Bind(c, abiName, addr); err != nil {
			return err
		}
		e.tb.Tokens = append(e.tb.Tokens, t)
	}
	return b.wait(ctx)
}

// addLiquidity runs each token's before steps, seeds its pool through the
// router and runs its launch steps (all from the creator, in order).
func addLiquidity(ctx context.Context, c *chain.Client, e *env, sp []spec) error {
	b := newBatch(c)
	router := e.tb.AMM.Router
	for i, s := range sp {
		t := e.tb.Tokens[i]
		if err := sendCalls(ctx, b, t, "before", s.before, e); err != nil {
			return err
		}
		amount := s.liqTokens
		if amount == nil {
			bal, err := t.Contract.CallBig(ctx, "balanceOf", t.Creator.Address)
			if err != nil {
				return fmt.Errorf("%s balanceOf creator: %w", t.Name, err)
			}
			pct := s.liqPercent
			if pct == 0 {
				pct = 60
			}
			amount = new(big.Int).Div(new(big.Int).Mul(bal, big.NewInt(pct)), big.NewInt(100))
		}
		if err := b.send(ctx, t.Creator, t.Contract, 100_000, nil, t.Name+" approve router", "approve", router.Address, amount); err != nil {
			return err
		}
		to := t.Creator.Address
		if s.lp == LPBurned {
			to = DeadAddress()
		}
		if err := b.send(ctx, t.Creator, router, 4_500_000, chain.Ether(s.liqETH), t.Name+" addLiquidityETH", "addLiquidityETH",
			t.Address, amount, amount, chain.Ether(s.liqETH), to, testbed.Deadline()); err != nil {
			return err
		}
		if err := sendCalls(ctx, b, t, "launch", s.launch, e); err != nil {
			return err
		}
	}
	if err := b.wait(ctx); err != nil {
		return err
	}
	for _, t := range e.tb.Tokens {
		p, err := e.tb.AMM.Pair(ctx, t.Address, e.tb.WETH.Address)
		if err != nil {
			return fmt.Errorf("%s: %w", t.Name, err)
		}
		t.Pair = p
	}
	return nil
}

// distribute has the buyers buy through the router, the creators airdrop
// to two fresh addresses per token and lock LP tokens where the spec says so.
func distribute(ctx context.Context, c *chain.Client, e *env, sp []spec) error {
	b := newBatch(c)
	tb := e.tb
	head, err := c.Backend().HeaderByNumber(ctx, nil)
	if err != nil {
		return fmt.Errorf("eth_getBlockByNumber latest: %w", err)
	}
	unlock := head.Time + lockDuration
	path := func(t *Token) []common.Address { return []common.Address{tb.WETH.Address, t.Address} }
	for i, s := range sp {
		t := tb.Tokens[i]
		buyers := []chain.Account{tb.Buyers[i%4], tb.Buyers[(i+1)%4], tb.Buyers[(i+2)%4]}
		if s.insider {
			buyers = append(buyers, tb.Insider)
		}
		for k, buyer := range buyers {
			// 0.10 to 0.55 ETH, varied per token and buyer
			eth := new(big.Int).Mul(big.NewInt(int64(10+5*((i*7+k*3)%10))), big.NewInt(1e16))
			if err := b.send(ctx, buyer, tb.AMM.Router, 800_000, eth, fmt.Sprintf("%s buy by %s", t.Name, buyer.Address),
				"swapExactETHForTokens", new(big.Int), path(t), buyer.Address, testbed.Deadline()); err != nil {
				return err
			}
			t.Holders = append(t.Holders, buyer.Address)
		}
		bal, err := t.Contract.CallBig(ctx, "balanceOf", t.Creator.Address)
		if err != nil {
			return fmt.Errorf("%s balanceOf creator: %w", t.Name, err)
		}
		for k := range 2 {
			to := chain.AccountFromSeed(fmt.Sprintf("tokentestbed/%s/holder%d", t.Name, k)).Address
			amt := new(big.Int).Div(bal, big.NewInt(int64(200*(k+1))))
			if err := b.send(ctx, t.Creator, t.Contract, 300_000, nil, t.Name+" airdrop", "transfer", to, amt); err != nil {
				return err
			}
			t.Holders = append(t.Holders, to)
		}
		if s.lp == LPLocked {
			lp, err := t.Pair.CallBig(ctx, "balanceOf", t.Creator.Address)
			if err != nil {
				return fmt.Errorf("%s LP balance: %w", t.Name, err)
			}
			if err := b.send(ctx, t.Creator, t.Pair, 100_000, nil, t.Name+" approve LP", "approve", tb.Locker.Address, lp); err != nil {
				return err
			}
			if err := b.send(ctx, t.Creator, tb.Locker, 300_000, nil, t.Name+" lock LP", "lock", t.Pair.Address, lp, t.Creator.Address, unlock); err != nil {
				return err
			}
		}
	}
	return b.wait(ctx)
}

// sellHistory has Holders[2] of every token try to sell half its balance
// through SwapRouter, after the traps are set.
func sellHistory(ctx context.Context, c *chain.Client, e *env) error {
	b := newBatch(c)
	for _, t := range e.tb.Tokens {
		seller, ok := e.account(t.Holders[2])
		if !ok {
			return fmt.Errorf("%s: holder %s is not a testbed account", t.Name, t.Holders[2])
		}
		bal, err := t.Contract.CallBig(ctx, "balanceOf", seller.Address)
		if err != nil {
			return fmt.Errorf("%s balanceOf: %w", t.Name, err)
		}
		amount := new(big.Int).Div(bal, big.NewInt(2))
		if err := b.send(ctx, seller, t.Contract, 300_000, nil, t.Name+" history approve", "approve", e.tb.SwapRouter.Address, amount); err != nil {
			return err
		}
		path := []common.Address{t.Address, e.tb.WETH.Address}
		tx, err := b.sendExpect(ctx, t.Label.SellReverts, seller, e.tb.SwapRouter, 1_500_000, nil, t.Name+" history sell",
			"swapExactTokensForTokensSupportingFeeOnTransferTokens", amount, new(big.Int), path, seller.Address, testbed.Deadline())
		if err != nil {
			return err
		}
		t.SellAttempts = append(t.SellAttempts, tx.Hash())
	}
	return b.wait(ctx)
}

// account returns the testbed account with address a.
func (e *env) account(a common.Address) (chain.Account, bool) {
	for _, x := range append(append([]chain.Account{e.tb.Insider}, e.tb.Buyers...), e.tb.Creators...) {
		if x.Address == a {
			return x, true
		}
	}
	return chain.Account{}, false
}

// runCalls sends the calls phase(spec) returns for every token as one batch.
func runCalls(ctx context.Context, c *chain.Client, e *env, sp []spec, phase func(spec) func(*env, *Token) []call) error {
	b := newBatch(c)
	for i, s := range sp {
		if err := sendCalls(ctx, b, e.tb.Tokens[i], "setup", phase(s), e); err != nil {
			return err
		}
	}
	return b.wait(ctx)
}

func sendCalls(ctx context.Context, b *batch, t *Token, stage string, f func(*env, *Token) []call, e *env) error {
	if f == nil {
		return nil
	}
	for _, k := range f(e, t) {
		what := fmt.Sprintf("%s %s %s", t.Name, stage, k.method)
		if err := b.send(ctx, k.from, k.to, k.gas, k.value, what, k.method, k.args...); err != nil {
			return err
		}
	}
	return nil
}
