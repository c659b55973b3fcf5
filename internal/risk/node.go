package risk

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/bytecode"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/sigdb"
)

// Node is what node mode needs from a JSON-RPC endpoint; *ethclient.Client
// satisfies it.
type Node interface {
	CodeAt(ctx context.Context, account common.Address, blockNumber *big.Int) ([]byte, error)
	StorageAt(ctx context.Context, account common.Address, key common.Hash, blockNumber *big.Int) ([]byte, error)
	CallContract(ctx context.Context, call ethereum.CallMsg, blockNumber *big.Int) ([]byte, error)
	FilterLogs(ctx context.Context, q ethereum.FilterQuery) ([]types.Log, error)
	BlockNumber(ctx context.Context) (uint64, error)
	TransactionByHash(ctx context.Context, hash common.Hash) (tx *types.Transaction, isPending bool, err error)
	TransactionReceipt(ctx context.Context, txHash common.Hash) (*types.Receipt, error)
}

// RPC is a raw JSON-RPC caller (*rpc.Client) for eth_simulateV1.
type RPC interface {
	CallContext(ctx context.Context, result any, method string, args ...any) error
}

// NodeInput is the node-mode input of a pass.
type NodeInput struct {
	Client Node
	RPC    RPC
	// Address is the token.
	Address common.Address
	// Pair is the pool to sell into (--pair); zero means: the deepest pool
	// among the token's holders.
	Pair common.Address
	// Holders is how many real holders to simulate sales from.
	Holders int

	// filled while the signals run
	owners   []common.Address
	creator  *common.Address
	balances map[common.Address]*big.Int
	total    *big.Int
	pools    []pool
}

type pool struct {
	addr    common.Address
	balance *big.Int
	other   common.Address
	reserve *big.Int // the other token's reserve
}

// Options are the node-mode options.
type Options struct {
	// Pair is the pool to sell into; zero means discover.
	Pair common.Address
	// Holders is how many real holders to simulate sales from (default 5).
	Holders int
	// DB names selectors (nil: sigdb.Default()).
	DB *sigdb.DB
}

// AnalyzeToken scores a deployed token through a node: the code analysis of
// bytecode mode (following proxies to their implementation), then who holds
// the privileges, the holder distribution, pools and simulated sales. Input
// that is not a contract yields a report whose Skipped field says so.
func AnalyzeToken(ctx context.Context, c Node, rpcc RPC, addr common.Address, o Options) (*Report, error) {
	r := &Report{Mode: "node", Address: strings.ToLower(addr.Hex()), Flags: map[string]any{}}
	code, err := c.CodeAt(ctx, addr, nil)
	if err != nil {
		return nil, fmt.Errorf("risk: eth_getCode %s: %w", addr.Hex(), err)
	}
	if len(code) == 0 {
		return skip(r, fmt.Sprintf("%s has no code (an externally owned account, or not deployed / self-destructed): skipped", addr.Hex())), nil
	}
	br, err := bytecode.Fetch(ctx, c, addr, o.DB)
	if err != nil {
		return nil, fmt.Errorf("risk: %w", err)
	}
	r.CodeHash = br.CodeHash.Hex()
	if o.Holders <= 0 {
		o.Holders = 5
	}
	in := &NodeInput{Client: c, RPC: rpcc, Address: addr, Pair: o.Pair, Holders: o.Holders}
	p := newPass(br, in)
	p.HolderWeight, p.HolderDesc = WeightUnknown, "privileged address unknown"
	run(ctx, p, r)
	for _, n := range br.Notes {
		r.Unknowns = append(r.Unknowns, "bytecode: "+n)
	}
	return r, nil
}

// Well-known selectors of the interfaces node mode queries.
var (
	selOwner       = common.FromHex("0x8da5cb5b")
	selGetThresh   = bytecode.Sel{0xe7, 0x52, 0x35, 0xb8} // getThreshold()
	selGetOwners   = bytecode.Sel{0xa0, 0xe6, 0x7e, 0x2b} // getOwners()
	selMinDelay    = bytecode.Sel{0xf2, 0x7a, 0x0c, 0x92} // getMinDelay()
	selDelay       = bytecode.Sel{0x6a, 0x42, 0xb8, 0xf8} // delay()
	selRequired    = bytecode.Sel{0xdc, 0x84, 0x52, 0xcd} // required()
	selThreshold   = bytecode.Sel{0x42, 0xcd, 0xe4, 0xe8} // threshold()
	selOwnersAt    = bytecode.Sel{0x02, 0x5e, 0x7c, 0x27} // owners(uint256)
	selIsOwner     = bytecode.Sel{0x2f, 0x54, 0xbf, 0x6e} // isOwner(address)
	roleGranted    = crypto.Keccak256Hash([]byte("RoleGranted(bytes32,address,address)"))
	roleRevoked    = crypto.Keccak256Hash([]byte("RoleRevoked(bytes32,address,address)"))
	selGetReserves = common.FromHex("0x0902f1ac")
	selToken0      = common.FromHex("0x0dfe1681")
	selToken1      = common.FromHex("0xd21220a7")
	transferTopic  = crypto.Keccak256Hash([]byte("Transfer(address,address,uint256)"))
)

func (n *NodeInput) call(ctx context.Context, to common.Address, data []byte) ([]byte, error) {
	return n.Client.CallContract(ctx, ethereum.CallMsg{To: &to, Data: data}, nil)
}

// holderKind classifies a privileged address and returns its weight.
func (n *NodeInput) holderKind(ctx context.Context, a common.Address) (string, float64, error) {
	if a == (common.Address{}) {
		return "renounced (zero address)", WeightRenounced, nil
	}
	code, err := n.Client.CodeAt(ctx, a, nil)
	if err != nil {
		return "", 0, fmt.Errorf("eth_getCode %s: %w", a.Hex(), err)
	}
	if len(code) == 0 {
		return "externally owned account", WeightEOA, nil
	}
	br, err := bytecode.Analyze(code, nil)
	if err != nil {
		return "contract", WeightContract, nil
	}
	if br.Proxy != nil && br.Proxy.Kind == bytecode.ProxyEIP1167 && br.Proxy.Target != nil {
		// Safe proxies are clones or forwarders of the singleton: look at it.
		if impl, err := n.Client.CodeAt(ctx, *br.Proxy.Target, nil); err == nil && len(impl) > 0 {
			if x, err := bytecode.Analyze(impl, nil); err == nil {
				br = x
			}
		}
	}
	// A multisig: a threshold view and an owner-set view; the threshold is
	// read, so a 1-of-N wallet counts as one key.
	hasAny := func(sels ...bytecode.Sel) (bytecode.Sel, bool) {
		for _, x := range sels {
			if br.HasSelector(x) {
				return x, true
			}
		}
		return bytecode.Sel{}, false
	}
	if th, ok := hasAny(selGetThresh, selRequired, selThreshold); ok {
		if _, ok := hasAny(selGetOwners, selOwnersAt, selIsOwner); ok {
			out, err := n.call(ctx, a, th[:])
			if err == nil && len(out) == 32 {
				if k := new(big.Int).SetBytes(out); k.Cmp(big.NewInt(2)) >= 0 {
					return fmt.Sprintf("multisig (%s of N)", k), WeightMultisig, nil
				}
				return "1-of-N multisig (one key)", WeightEOA, nil
			}
		}
	}
	if d, ok := hasAny(selMinDelay, selDelay); ok {
		out, err := n.call(ctx, a, d[:])
		if err == nil && len(out) == 32 {
			if v := new(big.Int).SetBytes(out); v.Cmp(big.NewInt(86_400)) >= 0 {
				return fmt.Sprintf("timelock (%s s delay)", v), WeightTimelock, nil
			}
			return "timelock with a delay under a day", WeightContract, nil
		}
	}
	if br.Proxy != nil {
		// A Safe proxy keeps its singleton in slot 0: ask it.
		if out, err := n.call(ctx, a, selGetThresh[:]); err == nil && len(out) == 32 && new(big.Int).SetBytes(out).Cmp(big.NewInt(2)) >= 0 {
			return "multisig", WeightMultisig, nil
		}
	}
	return "contract", WeightContract, nil
}

var adminSignal = Signal{
	Name:  "admin-topology",
	Doc:   "Who holds the privileges: owner() or the owner slot found in the code, and the EIP-1967 admin of a proxy, each classified as renounced (zero), externally owned account, multisig (Safe-style getThreshold/getOwners), timelock (getMinDelay/delay) or other contract. Sets the holder weight of capability factors (the riskiest holder counts).",
	Needs: "node",
	Run: func(ctx context.Context, p *Pass) error {
		n := p.Node
		var holders []common.Address
		var ev []Evidence
		if m := p.code; m != nil {
			if m.rep.HasSelector(bytecode.Sel(selOwner)) {
				if out, err := n.call(ctx, n.Address, selOwner); err == nil && len(out) >= 32 {
					holders = append(holders, common.BytesToAddress(out[12:32]))
				}
			}
			if len(holders) == 0 && m.hasOwner {
				v, err := n.Client.StorageAt(ctx, n.Address, m.ownerSlot, nil)
				if err != nil {
					return fmt.Errorf("eth_getStorageAt owner slot: %w", err)
				}
				holders = append(holders, common.BytesToAddress(v)) // the low 20 bytes
			}
		}
		if len(holders) > 0 {
			p.Set("owner_address", strings.ToLower(holders[0].Hex()))
		} else if p.code != nil && !p.code.hasOwner {
			p.Set("owner_address", "")
		}
		if p.proxy != nil && p.proxy.Admin != nil {
			holders = append(holders, *p.proxy.Admin)
		}
		// Role-based access control: the current holders of any role, from
		// RoleGranted/RoleRevoked logs.
		if p.code != nil && slices.ContainsFunc(p.code.beh.Functions, func(f bytecode.Function) bool {
			return slices.ContainsFunc(f.Guards, func(g string) bool { return strings.HasPrefix(g, "map:") })
		}) {
			logs, err := n.Client.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: big.NewInt(0), Addresses: []common.Address{n.Address}, Topics: [][]common.Hash{{roleGranted, roleRevoked}}})
			if err != nil {
				return fmt.Errorf("eth_getLogs RoleGranted: %w", err)
			}
			has := map[[2]common.Hash]bool{}
			var order [][2]common.Hash
			for _, l := range logs {
				if len(l.Topics) != 4 {
					continue
				}
				k := [2]common.Hash{l.Topics[1], l.Topics[2]}
				if _, seen := has[k]; !seen {
					order = append(order, k)
				}
				has[k] = l.Topics[0] == roleGranted
			}
			for _, k := range order {
				if a := common.BytesToAddress(k[1][12:]); has[k] && !slices.Contains(holders, a) {
					holders = append(holders, a)
				}
			}
		}
		n.owners = holders
		if len(holders) == 0 {
			if p.code != nil && len(p.code.guardCount) == 0 && p.proxy == nil {
				p.HolderWeight, p.HolderDesc = WeightRenounced, "no privileged address"
				return nil
			}
			return fmt.Errorf("%w: privileged address not found (role-based or unrecognised access control)", ErrUnknown)
		}
		w, desc := -1.0, ""
		for _, h := range holders {
			kind, hw, err := n.holderKind(ctx, h)
			if err != nil {
				return err
			}
			ev = append(ev, Evidence{Address: strings.ToLower(h.Hex()), Detail: "privileged address: " + kind})
			if hw > w {
				w, desc = hw, kind+" "+h.Hex()
			}
		}
		p.HolderWeight, p.HolderDesc = w, "held by "+desc
		p.Evidence(ev...)
		return nil
	},
}

var holdersSignal = Signal{
	Name:  "holders",
	Doc:   "Holder distribution rebuilt from the token's Transfer logs: holder count, top 10 with shares, HHI, the owner's share, pools among the holders (contracts answering getReserves/token0/token1) and their LP holders, and a concentration factor when one non-pool address holds more than half the supply.",
	Needs: "node",
	Run: func(ctx context.Context, p *Pass) error {
		n := p.Node
		bal, first, err := balancesFromLogs(ctx, n.Client, n.Address)
		if err != nil {
			return err
		}
		// The creator: the sender of the deployment, when the first
		// Transfer was emitted by the deployment itself (a constructor mint).
		if first != (common.Hash{}) {
			if rc, err := n.Client.TransactionReceipt(ctx, first); err == nil && rc.ContractAddress == n.Address {
				if tx, _, err := n.Client.TransactionByHash(ctx, first); err == nil {
					if from, err := types.Sender(types.LatestSignerForChainID(tx.ChainId()), tx); err == nil {
						n.creator = &from
						p.Set("creator_address", strings.ToLower(from.Hex()))
					}
				}
			}
		}
		n.balances = bal
		total := new(big.Int)
		for _, b := range bal {
			total.Add(total, b)
		}
		if out, err := n.call(ctx, n.Address, selTotalSupply[:]); err == nil && len(out) == 32 {
			total = new(big.Int).SetBytes(out)
		}
		n.total = total
		units := n.unitsOf(ctx, n.Address)
		p.Set("total_supply", units(total))
		// Holders sorted by balance (distributionOf); shares are of the
		// reported supply, not of the sum of the logged balances.
		hs := distributionOf(bal, nil).shares
		p.Set("holder_count", fmt.Sprint(len(hs)))
		frac := func(b *big.Int) string { return fraction(b, total) }
		// Pools among the holders.
		for _, h := range hs {
			if pl, ok := n.poolAt(ctx, h.addr); ok {
				pl.balance = h.amt
				n.pools = append(n.pools, pl)
			}
		}
		if n.Pair != (common.Address{}) && !slices.ContainsFunc(n.pools, func(x pool) bool { return x.addr == n.Pair }) {
			if pl, ok := n.poolAt(ctx, n.Pair); ok {
				pl.balance = bal[n.Pair]
				if pl.balance == nil {
					pl.balance = new(big.Int)
				}
				n.pools = append([]pool{pl}, n.pools...)
			}
		}
		var top []map[string]any
		hhi := 0.0
		for i, h := range hs {
			f := ratio(h.amt, total)
			hhi += f * f * 10000
			if i >= 10 {
				continue
			}
			isC := 0
			if code, err := n.Client.CodeAt(ctx, h.addr, nil); err == nil && len(code) > 0 {
				isC = 1
			}
			e := map[string]any{"address": strings.ToLower(h.addr.Hex()), "balance": units(h.amt), "percent": frac(h.amt), "is_contract": isC, "is_locked": 0}
			if slices.ContainsFunc(n.pools, func(x pool) bool { return x.addr == h.addr }) {
				e["tag"] = "pool"
			}
			top = append(top, e)
		}
		if top == nil {
			top = []map[string]any{}
		}
		p.Set("holders", top)
		p.Evidence(Evidence{Detail: fmt.Sprintf("%d holders from Transfer logs; HHI %.0f", len(hs), hhi)})
		if o, ok := p.flags["owner_address"].(string); ok && o != "" {
			ob := bal[common.HexToAddress(o)]
			if ob == nil {
				ob = new(big.Int)
			}
			p.Set("owner_balance", units(ob))
			p.Set("owner_percent", frac(ob))
		}
		if n.creator != nil {
			cb := bal[*n.creator]
			if cb == nil {
				cb = new(big.Int)
			}
			p.Set("creator_balance", units(cb))
			p.Set("creator_percent", frac(cb))
		}
		if len(hs) > 0 && total.Sign() > 0 {
			h := hs[0]
			isPool := slices.ContainsFunc(n.pools, func(x pool) bool { return x.addr == h.addr })
			if f := ratio(h.amt, total); f > 0.5 && !isPool && !isBurn(h.addr) {
				p.Behaviour("concentrated", fmt.Sprintf("one address holds %.0f%% of the supply", f*100), 10,
					Evidence{Address: strings.ToLower(h.addr.Hex()), Detail: "top holder share " + frac(h.amt)})
			}
		}
		// DEX presence and LP holders of the deepest pool.
		p.Set("is_in_dex", boolFlag(len(n.pools) > 0))
		var dex []map[string]any
		for _, pl := range n.pools {
			dex = append(dex, map[string]any{"liquidity_type": "UniV2", "name": "uniswap-v2-style", "pair": strings.ToLower(pl.addr.Hex()), "liquidity": n.unitsOf(ctx, pl.other)(pl.reserve)})
		}
		if dex == nil {
			dex = []map[string]any{}
		}
		p.Set("dex", dex)
		if len(n.pools) > 0 {
			slices.SortStableFunc(n.pools, func(x, y pool) int {
				if x.addr == n.Pair {
					return -1
				}
				if y.addr == n.Pair {
					return 1
				}
				return y.balance.Cmp(x.balance)
			})
			lp, _, err := balancesFromLogs(ctx, n.Client, n.pools[0].addr)
			if err != nil {
				return err
			}
			lpTotal := new(big.Int)
			lpUnits := n.unitsOf(ctx, n.pools[0].addr)
			for _, b := range lp {
				lpTotal.Add(lpTotal, b)
			}
			var lps []map[string]any
			burned, locked := new(big.Int), new(big.Int)
			for a, b := range lp {
				if b.Sign() <= 0 {
					continue
				}
				e := map[string]any{"address": strings.ToLower(a.Hex()), "balance": lpUnits(b), "percent": fraction(b, lpTotal), "is_locked": 0}
				switch {
				case isBurn(a) && ratio(b, lpTotal) > 0.001: // not just V2's MINIMUM_LIQUIDITY
					e["is_locked"] = 1
					e["tag"] = "burned"
					burned.Add(burned, b)
				case n.isTimeLock(ctx, a):
					e["is_locked"] = 1
					e["tag"] = "time-lock"
					e["is_contract"] = 1
					locked.Add(locked, b)
				}
				lps = append(lps, e)
			}
			slices.SortFunc(lps, func(x, y map[string]any) int { return strings.Compare(x["address"].(string), y["address"].(string)) })
			if lps == nil {
				lps = []map[string]any{}
			}
			p.Set("lp_holders", lps)
			p.Set("lp_holder_count", fmt.Sprint(len(lps)))
			p.Set("lp_total_supply", lpUnits(lpTotal))
			p.Evidence(Evidence{Address: strings.ToLower(n.pools[0].addr.Hex()), Detail: fmt.Sprintf("deepest pool holds %s tokens; %s of its LP supply burned, %s in time-lock contracts", n.pools[0].balance, fraction(burned, lpTotal), fraction(locked, lpTotal))})
		}
		return nil
	},
}

// unitsOf returns a formatter of raw amounts of token in whole-token units
// (GoPlus reports balances that way), using decimals(); raw amounts when
// decimals() does not answer.
func (n *NodeInput) unitsOf(ctx context.Context, token common.Address) func(*big.Int) string {
	out, err := n.call(ctx, token, common.FromHex("0x313ce567"))
	if err != nil || len(out) != 32 || new(big.Int).SetBytes(out).Cmp(big.NewInt(77)) > 0 {
		return func(x *big.Int) string { return x.String() }
	}
	scale := new(big.Int).Exp(big.NewInt(10), new(big.Int).SetBytes(out), nil)
	return func(x *big.Int) string {
		s := new(big.Rat).SetFrac(x, scale).FloatString(int(new(big.Int).SetBytes(out).Int64()))
		if strings.Contains(s, ".") {
			s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
		}
		return s
	}
}

// isTimeLock reports whether a is a contract that releases tokens only after
// a time: one of its functions reverts on a block-time condition and calls
// out (a liquidity locker's withdraw).
func (n *NodeInput) isTimeLock(ctx context.Context, a common.Address) bool {
	code, err := n.Client.CodeAt(ctx, a, nil)
	if err != nil || len(code) == 0 {
		return false
	}
	br, err := bytecode.Analyze(code, nil)
	if err != nil {
		return false
	}
	for _, f := range br.Behavior().Functions {
		if len(f.Calls) > 0 && slices.ContainsFunc(f.Restrictions, func(r bytecode.Restriction) bool { return r.Kind == "time" }) {
			return true
		}
	}
	return false
}

// isBurn reports whether a is a conventional burn address.
func isBurn(a common.Address) bool {
	return a == (common.Address{}) || a == common.HexToAddress("0x000000000000000000000000000000000000dEaD")
}

// poolAt reports whether a is a Uniswap-V2-style pair containing the token.
func (n *NodeInput) poolAt(ctx context.Context, a common.Address) (pool, bool) {
	code, err := n.Client.CodeAt(ctx, a, nil)
	if err != nil || len(code) == 0 {
		return pool{}, false
	}
	t0, err0 := n.call(ctx, a, selToken0)
	t1, err1 := n.call(ctx, a, selToken1)
	rs, err2 := n.call(ctx, a, selGetReserves)
	if err0 != nil || err1 != nil || err2 != nil || len(t0) < 32 || len(t1) < 32 || len(rs) < 64 {
		return pool{}, false
	}
	a0, a1 := common.BytesToAddress(t0[12:32]), common.BytesToAddress(t1[12:32])
	switch n.Address {
	case a0:
		return pool{addr: a, other: a1, reserve: new(big.Int).SetBytes(rs[32:64])}, true
	case a1:
		return pool{addr: a, other: a0, reserve: new(big.Int).SetBytes(rs[0:32])}, true
	}
	return pool{}, false
}

// balancesFromLogs replays the Transfer logs of token; first is the
// transaction of the earliest one.
func balancesFromLogs(ctx context.Context, c Node, token common.Address) (bal map[common.Address]*big.Int, first common.Hash, err error) {
	logs, err := c.FilterLogs(ctx, ethereum.FilterQuery{FromBlock: big.NewInt(0), Addresses: []common.Address{token}, Topics: [][]common.Hash{{transferTopic}}})
	if err != nil {
		return nil, first, fmt.Errorf("eth_getLogs Transfer %s: %w", token.Hex(), err)
	}
	if len(logs) > 0 {
		first = logs[0].TxHash
	}
	bal = map[common.Address]*big.Int{}
	add := func(a common.Address, v *big.Int) {
		if bal[a] == nil {
			bal[a] = new(big.Int)
		}
		bal[a].Add(bal[a], v)
	}
	for _, l := range logs {
		from, to, v, ok := erc20Transfer(l)
		if !ok {
			continue // ERC-721 or non-standard
		}
		if from != (common.Address{}) {
			add(from, new(big.Int).Neg(v))
		}
		add(to, v)
	}
	delete(bal, common.Address{})
	return bal, first, nil
}

func ratio(a, b *big.Int) float64 {
	if b == nil || b.Sign() == 0 || a == nil {
		return 0
	}
	f, _ := new(big.Rat).SetFrac(a, b).Float64()
	return f
}

// fraction formats a/b as a decimal string with 6 digits ("0.05").
func fraction(a, b *big.Int) string {
	if b == nil || b.Sign() == 0 {
		return "0"
	}
	s := new(big.Rat).SetFrac(a, b).FloatString(6)
	s = strings.TrimRight(strings.TrimRight(s, "0"), ".")
	if s == "" || s == "-0" {
		return "0"
	}
	return s
}

// Simulation plumbing (eth_simulateV1: the wire types are chain.Sim*).

// addrPtr returns a pointer to a copy of a (a call's To).
func addrPtr(a common.Address) *common.Address { return &a }

func balanceOfData(a common.Address) []byte {
	return append(slices.Clone(selBalanceOf[:]), common.LeftPadBytes(a.Bytes(), 32)...)
}

func approveData(spender common.Address, v *big.Int) []byte {
	d := append(slices.Clone(selApprove[:]), common.LeftPadBytes(spender.Bytes(), 32)...)
	return append(d, common.LeftPadBytes(v.Bytes(), 32)...)
}

func transferFromData(from, to common.Address, v *big.Int) []byte {
	d := append(slices.Clone(selTransferFrom[:]), common.LeftPadBytes(from.Bytes(), 32)...)
	d = append(d, common.LeftPadBytes(to.Bytes(), 32)...)
	return append(d, common.LeftPadBytes(v.Bytes(), 32)...)
}

func transferData(to common.Address, v *big.Int) []byte {
	d := append(slices.Clone(selTransfer[:]), common.LeftPadBytes(to.Bytes(), 32)...)
	return append(d, common.LeftPadBytes(v.Bytes(), 32)...)
}

// Deterministic simulated accounts (no key exists for them: nothing can ever
// be sent from them).
var (
	freshSeller   = common.HexToAddress("0xa11ce00000000000000000000000000000000a15")
	freshReceiver = common.HexToAddress("0xb0b0000000000000000000000000000000000b0b")
	spender       = common.HexToAddress("0x5e11e40000000000000000000000000000005e11")
	tester        = common.HexToAddress("0x7e57e70000000000000000000000000000007e57")
	freshWallet   = common.HexToAddress("0xfee1000000000000000000000000000000000fee")
)

var tradeSignal = Signal{
	Name:  "trade-simulation",
	Doc:   "One eth_simulateV1 batch on the deepest pool (nothing is sent): the RiskTradeProbe tester, injected by state override with ETH, buys (buy_tax, cannot_buy), sends half to a wallet (transfer_tax) and sells the rest (sell_tax); a fresh address whose balance entry is overridden sells by transfer and through approve + transferFrom like a router; up to N real holders sell a dust amount, 10% (by transfer and by transferFrom) and the rest (sellable fraction, cannot_sell_all). Reports gas and revert reasons and flags balance changes without matching Transfer events (siphons).",
	Needs: "node",
	Run: func(ctx context.Context, p *Pass) error {
		n := p.Node
		if n.RPC == nil {
			return fmt.Errorf("%w: no raw RPC client for eth_simulateV1", ErrUnknown)
		}
		if p.code == nil || !p.code.erc20 {
			return fmt.Errorf("%w: not an analysable ERC-20", ErrUnknown)
		}
		if len(n.pools) == 0 {
			return fmt.Errorf("%w: no pool holding the token was found (no DEX liquidity to sell into)", ErrUnknown)
		}
		pair := n.pools[0].addr
		tok := n.Address
		amount := new(big.Int).Div(n.pools[0].balance, big.NewInt(100))
		if amount.Sign() == 0 {
			return fmt.Errorf("%w: pool %s holds no tokens (no liquidity)", ErrUnknown, pair.Hex())
		}
		half := new(big.Int).Div(amount, big.NewInt(2))
		var calls []chain.SimCall
		add := func(from common.Address, data []byte) int {
			calls = append(calls, chain.SimCall{From: from, To: addrPtr(tok), Input: data, Gas: 5_000_000})
			return len(calls) - 1
		}
		addFrom := add
		// Fresh seller: its balance entry in every balance mapping holds
		// 2 × amount: half to a wallet, half sold by transfer into the pool,
		// and (approve + transferFrom by a spender, like a router) another
		// half sold. A sale is a transfer into the pool: that is where
		// sell rules and taxes trigger (to == pair).
		over := map[common.Hash]common.Hash{}
		for base := range p.code.balance {
			k := crypto.Keccak256Hash(common.LeftPadBytes(freshSeller.Bytes(), 32), base.Bytes())
			over[k] = common.BigToHash(new(big.Int).Mul(amount, big.NewInt(2)))
		}
		// Buy leg: the trade tester (contracts/src/risk/RiskTradeProbe.sol)
		// is injected with ETH and buys 1% of the pool's other reserve.
		overrides := map[common.Address]chain.SimAccount{tok: {StateDiff: over}}
		iBuy := -1
		var probeABI *abi.ABI
		if art, err := contracts.Load("RiskTradeProbe"); err == nil && n.pools[0].reserve.Sign() > 0 {
			ethIn := new(big.Int).Div(n.pools[0].reserve, big.NewInt(100))
			if data, err := art.ABI.Pack("buy", pair, tok, n.pools[0].other, ethIn); err == nil && ethIn.Sign() > 0 {
				probeABI = art.ABI
				overrides[tester] = chain.SimAccount{Code: art.DeployedBytecode, Balance: (*hexutil.Big)(new(big.Int).Mul(ethIn, big.NewInt(2)))}
				calls = append(calls, chain.SimCall{From: freshReceiver, To: addrPtr(tester), Input: data, Gas: 5_000_000})
				iBuy = len(calls) - 1
				sd, _ := art.ABI.Pack("send", tok, freshWallet)
				calls = append(calls, chain.SimCall{From: freshReceiver, To: addrPtr(tester), Input: sd, Gas: 5_000_000})
				sl, _ := art.ABI.Pack("sell", pair, tok)
				calls = append(calls, chain.SimCall{From: freshReceiver, To: addrPtr(tester), Input: sl, Gas: 5_000_000})
			}
		}
		iFB := add(freshSeller, balanceOfData(freshSeller))
		iT := add(freshSeller, transferData(freshReceiver, half))
		iR := add(freshSeller, balanceOfData(freshReceiver))
		iP1 := add(freshSeller, balanceOfData(pair))
		iS := add(freshSeller, transferData(pair, half))
		iP2 := add(freshSeller, balanceOfData(pair))
		iFA := add(freshSeller, balanceOfData(freshSeller))
		add(freshSeller, approveData(spender, half))
		iSF := addFrom(spender, transferFromData(freshSeller, pair, half))
		// Real holders: the largest that are not pools, the token, or burns.
		type hsale struct {
			a                             common.Address
			iAp, iTF, iDust, iPart, iRest int
		}
		var hsales []hsale
		type kv struct {
			a common.Address
			b *big.Int
		}
		var cands []kv
		for a, b := range n.balances {
			if b.Sign() > 0 && !isBurn(a) && a != tok && !slices.ContainsFunc(n.pools, func(x pool) bool { return x.addr == a }) {
				cands = append(cands, kv{a, b})
			}
		}
		slices.SortFunc(cands, func(x, y kv) int {
			if c := y.b.Cmp(x.b); c != 0 {
				return c
			}
			return strings.Compare(x.a.Hex(), y.a.Hex())
		})
		for _, c := range cands {
			if len(hsales) >= n.Holders {
				break
			}
			part := new(big.Int).Div(c.b, big.NewInt(10))
			if part.Sign() == 0 {
				continue
			}
			rest := new(big.Int).Sub(c.b, new(big.Int).Mul(part, big.NewInt(2)))
			rest.Sub(rest, common.Big1)
			h := hsale{a: c.a}
			h.iAp = add(c.a, approveData(spender, part))
			h.iTF = addFrom(spender, transferFromData(c.a, pair, part))
			h.iDust = add(c.a, transferData(pair, common.Big1))
			h.iPart = add(c.a, transferData(pair, part))
			h.iRest = add(c.a, transferData(pair, rest))
			hsales = append(hsales, h)
		}
		req := chain.SimRequest{BlockStateCalls: []chain.SimBlock{{StateOverrides: overrides, Calls: calls}}}
		var res []chain.SimBlockResult
		if err := n.RPC.CallContext(ctx, &res, "eth_simulateV1", req, "latest"); err != nil {
			return fmt.Errorf("%w: eth_simulateV1 failed (node without eth_simulateV1?): %v", ErrUnknown, err)
		}
		if len(res) != 1 || len(res[0].Calls) != len(calls) {
			return fmt.Errorf("%w: eth_simulateV1 returned %d blocks for 1", ErrUnknown, len(res))
		}
		rs := res[0].Calls
		pairHex := strings.ToLower(pair.Hex())
		var sellReverts []Evidence
		fresh, freshFail := false, false
		if iBuy >= 0 {
			if p.buyLeg(rs[iBuy], probeABI, pairHex) {
				// The fresh buyer sends half to a wallet and sells the rest.
				if ok, amt, got, why, err := p.moveLeg(rs[iBuy+1], probeABI, "send"); err == nil && amt.Sign() > 0 {
					if ok {
						p.Set("transfer_tax", fraction(new(big.Int).Sub(amt, got), amt))
					} else {
						p.Set("transfer_tax", "1")
						p.Behaviour("transfer-blocked", "a fresh buyer cannot transfer to another wallet", 50,
							Evidence{Address: strings.ToLower(tester.Hex()), RevertReason: why, Detail: "simulated wallet transfer by a fresh buyer reverted"})
					}
				}
				if ok, amt, got, why, err := p.moveLeg(rs[iBuy+2], probeABI, "sell"); err == nil && amt.Sign() > 0 {
					if ok {
						tax := new(big.Int).Sub(amt, got)
						p.Set("sell_tax", fraction(tax, amt))
						p.Evidence(Evidence{Address: pairHex, Detail: fmt.Sprintf("fresh buyer's sale: pool received %s of %s", got, amt)})
						p.sellTax(ratio(tax, amt))
					} else {
						freshFail = true
						p.Set("sell_tax", "1")
						sellReverts = append(sellReverts, Evidence{Address: strings.ToLower(tester.Hex()), RevertReason: why,
							Detail: fmt.Sprintf("a fresh buyer's sale into pool %s reverted", pairHex)})
					}
				}
			}
		} else {
			p.Evidence(Evidence{Detail: "buy leg not simulated (no reserve of the other token)"})
		}
		setIfUnset := func(k, v string) {
			if _, ok := p.flags[k]; !ok {
				p.Set(k, v)
			}
		}
		if b := rs[iFB].Word(); b != nil && b.Cmp(new(big.Int).Mul(amount, big.NewInt(2))) == 0 {
			fresh = true
		} else {
			p.Evidence(Evidence{Detail: "the fresh-address balance override was not honoured (balances kept at slots the code analysis did not find): fresh-address legs skipped"})
		}
		if fresh {
			_, known := p.flags["transfer_tax"]
			if rs[iT].Status != 1 && !known {
				p.Set("transfer_tax", "1")
				p.Behaviour("transfer-blocked", "a wallet-to-wallet transfer from a fresh holder reverts", 50,
					Evidence{Address: strings.ToLower(freshSeller.Hex()), RevertReason: rs[iT].Revert(), Detail: "simulated transfer to a fresh wallet reverted"})
			} else if got := rs[iR].Word(); got != nil {
				setIfUnset("transfer_tax", fraction(new(big.Int).Sub(half, got), half))
			}
			switch {
			case rs[iS].Status != 1:
				freshFail = true
				p.Set("sell_tax", "1") // a sale that reverts keeps 100%
				sellReverts = append(sellReverts, Evidence{Address: strings.ToLower(freshSeller.Hex()), RevertReason: rs[iS].Revert(),
					Detail: fmt.Sprintf("fresh holder's sale into pool %s reverted (gas %d)", pairHex, rs[iS].GasUsed)})
			case rs[iSF].Status != 1:
				freshFail = true
				p.Set("sell_tax", "1") // sales through a router fail
				sellReverts = append(sellReverts, Evidence{Address: strings.ToLower(freshSeller.Hex()), RevertReason: rs[iSF].Revert(),
					Detail: fmt.Sprintf("fresh holder's router-style sale (approve + transferFrom) into pool %s reverted", pairHex)})
			}
			if p1, p2 := rs[iP1].Word(), rs[iP2].Word(); rs[iS].Status == 1 && p1 != nil && p2 != nil {
				got := new(big.Int).Sub(p2, p1)
				tax := new(big.Int).Sub(half, got)
				p.Evidence(Evidence{Address: pairHex, Detail: fmt.Sprintf("fresh holder's sale: pool received %s of %s (gas %d)", got, half, rs[iS].GasUsed)})
				if _, ok := p.flags["sell_tax"]; !ok {
					p.Set("sell_tax", fraction(tax, half))
					p.sellTax(ratio(tax, half))
				}
				// Siphon: balances that moved more than the Transfer logs say.
				if fa, fb := rs[iFA].Word(), rs[iFB].Word(); fa != nil && fb != nil {
					debit := new(big.Int).Sub(fb, fa)
					logged := loggedOut(rs[iT].Logs, tok, freshSeller)
					logged.Add(logged, loggedOut(rs[iS].Logs, tok, freshSeller))
					if debit.Cmp(logged) != 0 {
						p.Behaviour("siphon", "balance changed without matching Transfer events", 40,
							Evidence{Address: strings.ToLower(freshSeller.Hex()), Detail: fmt.Sprintf("seller debited %s, Transfer logs say %s", debit, logged)})
					}
				}
			}
		}
		sold, failed, allBlocked := 0, 0, 0
		for _, h := range hsales {
			at := strings.ToLower(h.a.Hex())
			switch {
			case rs[h.iPart].Status != 1 || rs[h.iTF].Status != 1:
				failed++
				r := rs[h.iPart]
				how := "transfer"
				if r.Status == 1 {
					r, how = rs[h.iTF], "approve + transferFrom"
				}
				sellReverts = append(sellReverts, Evidence{Address: at, RevertReason: r.Revert(),
					Detail: fmt.Sprintf("holder's sale of 10%% into pool %s (%s) reverted", pairHex, how)})
				if rs[h.iPart].Status != 1 && rs[h.iDust].Status == 1 {
					allBlocked++ // a dust sale passes: a maximum, not a ban
				}
			case rs[h.iRest].Status != 1:
				allBlocked++
				p.Evidence(Evidence{Address: at, RevertReason: rs[h.iRest].Revert(), Detail: "holder can sell 10% but not the rest"})
			default:
				sold++
			}
		}
		if len(hsales) > 0 {
			p.Evidence(Evidence{Detail: fmt.Sprintf("real holders: %d of %d sold everything, %d blocked, %d capped", sold, len(hsales), failed, allBlocked)})
		}
		p.Set("cannot_sell_all", boolFlag(allBlocked > 0))
		honeypot := freshFail || (len(hsales) > 0 && failed*2 >= len(hsales) && failed > 0)
		if st, ok := p.flags["sell_tax"].(string); ok && ratio(mustRat(st)) >= 0.9 {
			honeypot = true
			if len(sellReverts) == 0 {
				sellReverts = append(sellReverts, Evidence{Address: pairHex, Detail: "a sale delivers less than 10% to the pool (sell tax " + st + ")"})
			}
		}
		p.Set("is_honeypot", boolFlag(honeypot))
		// A selective router path: a fresh address can transfer into the pool
		// but its approve + transferFrom sale reverts, while real holders sell
		// through approve + transferFrom — the allowance only works for
		// accounts on a list, whatever storage or key arithmetic hides it.
		if fresh && rs[iS].Status == 1 && rs[iSF].Status != 1 && sold > 0 {
			p.Set("is_whitelisted", "1")
			p.Evidence(Evidence{Detail: fmt.Sprintf("selective router sales (whitelist): %d real holder(s) sold through approve + transferFrom while a fresh holder's identical sale reverted", sold)})
		}
		switch {
		case honeypot:
			title := "the token cannot be sold"
			if r := sellReverts[0].RevertReason; r != "" {
				title += ": " + r
			}
			p.Behaviour("cannot-sell", title, 90, sellReverts...)
		case len(sellReverts) > 0:
			p.Behaviour("some-cannot-sell", "some holders cannot sell", 40, sellReverts...)
		}
		if allBlocked > 0 && !honeypot {
			p.Behaviour("cannot-sell-all", "holders cannot sell their whole balance", 25)
		}
		return nil
	},
}

// buyLeg reads the trade tester's buy result.
func (p *Pass) buyLeg(r chain.SimCallResult, a *abi.ABI, pairHex string) bool {
	if r.Status != 1 {
		p.Evidence(Evidence{Address: pairHex, RevertReason: r.Revert(), Detail: "the trade tester's buy failed before the swap (the other token is not WETH-like?): buy leg unknown"})
		return false
	}
	out, err := a.Unpack("buy", r.ReturnData)
	if err != nil || len(out) != 4 {
		p.Evidence(Evidence{Detail: "the trade tester's result could not be decoded: buy leg unknown"})
		return false
	}
	ok, _ := out[0].(bool)
	expected, _ := out[1].(*big.Int)
	received, _ := out[2].(*big.Int)
	reason, _ := out[3].([]byte)
	if !ok {
		p.Set("cannot_buy", "1")
		p.Set("buy_tax", "1")
		p.Behaviour("cannot-buy", "a buy on the pool reverts", 20, Evidence{Address: pairHex, RevertReason: chain.RevertReason(reason, nil), Detail: "simulated buy reverted"})
		return false
	}
	p.Set("cannot_buy", "0")
	if expected == nil || received == nil || expected.Sign() == 0 {
		return false
	}
	tax := new(big.Int).Sub(expected, received)
	if tax.Sign() < 0 {
		tax.SetInt64(0)
	}
	p.Set("buy_tax", fraction(tax, expected))
	p.Evidence(Evidence{Address: pairHex, Detail: fmt.Sprintf("buy: quote %s, received %s", expected, received)})
	if f := ratio(tax, expected); f >= 0.5 {
		p.Behaviour("buy-tax", fmt.Sprintf("buy tax %.0f%%", f*100), 30, Evidence{Detail: "measured by simulation"})
	}
	return received.Sign() > 0
}

// moveLeg decodes the trade tester's send/sell result.
func (p *Pass) moveLeg(r chain.SimCallResult, a *abi.ABI, method string) (ok bool, amount, received *big.Int, reason string, err error) {
	if r.Status != 1 {
		return false, nil, nil, "", fmt.Errorf("tester %s failed: %s", method, r.Revert())
	}
	out, err := a.Unpack(method, r.ReturnData)
	if err != nil || len(out) != 4 {
		return false, nil, nil, "", fmt.Errorf("tester %s: undecodable result", method)
	}
	ok, _ = out[0].(bool)
	amount, _ = out[1].(*big.Int)
	received, _ = out[2].(*big.Int)
	data, _ := out[3].([]byte)
	if amount == nil || received == nil {
		return false, nil, nil, "", fmt.Errorf("tester %s: undecodable result", method)
	}
	return ok, amount, received, chain.RevertReason(data, nil), nil
}

// mustRat parses a decimal fraction into a/b (0/1 on error).
func mustRat(s string) (*big.Int, *big.Int) {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		return new(big.Int), big.NewInt(1)
	}
	return r.Num(), r.Denom()
}

// sellTax adds the factor for a measured sell tax.
func (p *Pass) sellTax(f float64) {
	switch {
	case f >= 0.5:
		p.Behaviour("sell-tax", fmt.Sprintf("sell tax %.0f%%", f*100), 50, Evidence{Detail: "measured by simulation"})
	case f > 0.1:
		p.Behaviour("sell-tax", fmt.Sprintf("sell tax %.0f%%", f*100), 15, Evidence{Detail: "measured by simulation"})
	}
}

// loggedOut sums the token's Transfer amounts out of a in logs.
func loggedOut(logs []chain.SimLog, token, a common.Address) *big.Int {
	s := new(big.Int)
	for _, l := range logs {
		if l.Address != token || len(l.Topics) != 3 || l.Topics[0] != transferTopic || len(l.Data) != 32 {
			continue
		}
		if common.BytesToAddress(l.Topics[1][12:]) == a {
			s.Add(s, new(big.Int).SetBytes(l.Data))
		}
	}
	return s
}

var probeSignal = Signal{
	Name:  "privilege-probing",
	Doc:   "Dynamic privilege probing (nothing is sent): every dispatcher selector except the ERC-20 entry points is simulated in eth_simulateV1 from the privileged address(es) and from a stranger, with nine argument patterns, each valid ABI for several shapes since the selectors are usually unknown (a real holder and a large amount, the holder and zero, the holder alone, true, the holder and true — (address,bool) —, [holder] and ([holder], false) — (address[]) and (address[],bool) —, (5, 5, 5) and (0, 0, 0) — small parameters under a fee cap, (uint256,uint256)), and totalSupply() and the holder's balanceOf() are read after each call. A call that raises the supply is a mint, one that changes the holder's balance an edit — whatever the function is called and wherever its storage lives. The calls that succeed from a privileged address and revert from the stranger are traced again (one batch of debug_traceCall, prestateTracer diffMode) and every slot they write is classified: the argument's balance entry (edit), another mapping keyed by the argument — the holder passed directly or inside an array — (per-address setting), the supply or owner slot, a fixed slot (switch/parameter), another contract — with before/after, joined to the code factor it supports. A real holder's small sale is also replayed after each selector called by the privileged address with seven patterns ((holder, 1e24), zeros, 5000, (50, 50, 50), (holder, true), [holder], (10, 10, 10)): a sale that starts to revert shows a switch, or a blacklist when the holder was in the arguments, one that delivers less a tax setter.",
	Needs: "node",
	Run: func(ctx context.Context, p *Pass) error {
		n := p.Node
		if n.RPC == nil {
			return fmt.Errorf("%w: no raw RPC client for eth_simulateV1", ErrUnknown)
		}
		if p.code == nil || !p.code.erc20 {
			return fmt.Errorf("%w: not an analysable ERC-20", ErrUnknown)
		}
		// Real holders, largest first (pools, owners and burn addresses
		// excluded); the probing calls use the largest.
		type held struct {
			a common.Address
			b *big.Int
		}
		var holders []held
		for a, b := range n.balances {
			if isBurn(a) || slices.ContainsFunc(n.pools, func(x pool) bool { return x.addr == a }) || slices.Contains(n.owners, a) {
				continue
			}
			holders = append(holders, held{a, b})
		}
		slices.SortFunc(holders, func(x, y held) int {
			if c := y.b.Cmp(x.b); c != 0 {
				return c
			}
			return strings.Compare(x.a.Hex(), y.a.Hex())
		})
		var holder common.Address
		var best *big.Int
		if len(holders) > 0 {
			holder, best = holders[0].a, holders[0].b
		}
		if best == nil {
			return fmt.Errorf("%w: no holder to probe with", ErrUnknown)
		}
		stranger := common.HexToAddress("0x57a2a6e200000000000000000000000000057a2a")
		callers := append([]common.Address{stranger}, n.owners...)
		patterns := probePatterns(holder)
		skip := map[bytecode.Sel]bool{selTransfer: true, selTransferFrom: true, selApprove: true}
		type probe struct {
			sel           bytecode.Sel
			from          common.Address
			pat           int
			data          []byte
			iCall, iS, iB int
		}
		var probes []probe
		var blocks []chain.SimBlock
		cur := chain.SimBlock{}
		addTo := func(from common.Address, data []byte, gas uint64) int {
			cur.Calls = append(cur.Calls, chain.SimCall{From: from, To: addrPtr(n.Address), Input: data, Gas: hexutil.Uint64(gas)})
			return len(blocks)*1000 + len(cur.Calls) - 1
		}
		flush := func() {
			if len(cur.Calls) > 0 {
				blocks = append(blocks, cur)
				cur = chain.SimBlock{}
			}
		}
		iS0 := addTo(stranger, selTotalSupply[:], 200_000)
		iB0 := addTo(stranger, balanceOfData(holder), 200_000)
		count := 0
		for _, sel := range p.code.ownerWritersLast() {
			if skip[sel.Selector] || count >= 64 {
				continue
			}
			count++
			for _, from := range callers {
				for pi, pat := range patterns {
					data := append(slices.Clone(sel.Selector[:]), pat...)
					pr := probe{sel: sel.Selector, from: from, pat: pi, data: data}
					pr.iCall = addTo(from, data, 1_000_000)
					pr.iS = addTo(stranger, selTotalSupply[:], 200_000)
					pr.iB = addTo(stranger, balanceOfData(holder), 200_000)
					probes = append(probes, pr)
					if len(cur.Calls) >= 300 {
						flush()
					}
				}
			}
		}
		flush()
		req := chain.SimRequest{BlockStateCalls: blocks}
		var res []chain.SimBlockResult
		if err := n.RPC.CallContext(ctx, &res, "eth_simulateV1", req, "latest"); err != nil {
			return fmt.Errorf("%w: eth_simulateV1 failed (node without eth_simulateV1?): %v", ErrUnknown, err)
		}
		if len(res) != len(blocks) {
			return fmt.Errorf("%w: eth_simulateV1 returned %d blocks for %d", ErrUnknown, len(res), len(blocks))
		}
		get := func(i int) (chain.SimCallResult, bool) {
			b, c := i/1000, i%1000
			if b >= len(res) || c >= len(res[b].Calls) {
				return chain.SimCallResult{}, false
			}
			return res[b].Calls[c], true
		}
		prevS, prevB := func() *big.Int { r, _ := get(iS0); return r.Word() }(), func() *big.Int { r, _ := get(iB0); return r.Word() }()
		if prevS == nil || prevB == nil {
			return fmt.Errorf("%w: totalSupply()/balanceOf() not readable in simulation", ErrUnknown)
		}
		var mintOwner, mintAny, editOwner, editAny []Evidence
		seen := map[string]bool{}
		outcomes := make([]probeOutcome, len(probes))
		for i, pr := range probes {
			c, _ := get(pr.iCall)
			outcomes[i] = probeOutcome{diffCall: diffCall{sel: pr.sel, from: pr.from, data: pr.data}, pat: pr.pat, ok: c.Status == 1}
		}
		privileged := accessControlled(outcomes, stranger)
		for _, pr := range probes {
			c, _ := get(pr.iCall)
			rS, _ := get(pr.iS)
			rB, _ := get(pr.iB)
			sNow, bNow := rS.Word(), rB.Word()
			if sNow == nil || bNow == nil {
				continue
			}
			if c.Status == 1 {
				who := "owner"
				if pr.from == stranger {
					who = "stranger"
				}
				k := pr.sel.String() + who
				e := Evidence{Selector: pr.sel.String(), Name: p.code.name(pr.sel), Address: strings.ToLower(pr.from.Hex())}
				switch {
				case sNow.Cmp(prevS) > 0 && !seen[k+"mint"]:
					seen[k+"mint"] = true
					e.Detail = fmt.Sprintf("simulated call from the %s raised totalSupply by %s", who, new(big.Int).Sub(sNow, prevS))
					if who == "stranger" {
						mintAny = append(mintAny, e)
					} else {
						mintOwner = append(mintOwner, e)
					}
				case sNow.Cmp(prevS) == 0 && bNow.Cmp(prevB) != 0 && !seen[k+"edit"]:
					seen[k+"edit"] = true
					e.Detail = fmt.Sprintf("simulated call from the %s changed holder %s's balance from %s to %s without moving supply", who, holder.Hex(), prevB, bNow)
					if who == "stranger" {
						editAny = append(editAny, e)
					} else {
						editOwner = append(editOwner, e)
					}
				}
			}
			prevS, prevB = sNow, bNow
		}
		p.Evidence(Evidence{Detail: fmt.Sprintf("probed %d selectors × %d callers × %d argument patterns", count, len(callers), len(patterns))})
		// The state diffs of the privileged calls are traced while the
		// sales are replayed (two independent batches).
		type traced struct {
			diffs [][]slotWrite
			errs  []error
			err   error
		}
		done := make(chan traced, 1)
		batcher, canBatch := n.RPC.(BatchRPC)
		if canBatch && len(privileged) > 0 {
			go func() {
				d, e, err := traceDiffs(ctx, batcher, n.Address, privileged)
				done <- traced{d, e, err}
			}()
		}
		// The sale replays need a holder who can sell now: when the
		// largest cannot (blacklisted, say), the next ones are tried.
		for i := 0; i < len(holders) && i < saleProbeHolders; i++ {
			err := p.probeSales(ctx, holders[i].a, holders[i].b)
			if err == nil {
				break
			}
			if !errors.Is(err, errNoBaselineSale) || i+1 == min(len(holders), saleProbeHolders) {
				p.Evidence(Evidence{Detail: fmt.Sprintf("sale-rule probing skipped: %v (holder %s)", err, strings.ToLower(holders[i].a.Hex()))})
				break
			}
		}
		p.Evidence(mintOwner...)
		p.Evidence(editOwner...)
		if len(mintOwner)+len(mintAny) > 0 {
			p.Set("is_mintable", "1")
			if p.Factor("mint-path") == nil {
				p.Capability("mint-probe", "a simulated call raised the supply: "+joinNames(append(mintOwner, mintAny...)), 50, append(mintOwner, mintAny...)...)
			}
		}
		if len(mintAny) > 0 {
			p.Behaviour("anyone-mint", "anyone can mint: "+joinNames(mintAny), 80, mintAny...)
		}
		if len(editOwner)+len(editAny) > 0 {
			p.Set("owner_change_balance", "1")
			if p.Factor("owner-change-balance") == nil && p.Factor("anyone-change-balance") == nil {
				p.Behaviour("owner-change-balance", "a simulated privileged call changed a holder's balance: "+joinNames(append(editOwner, editAny...)), 80, append(editOwner, editAny...)...)
			}
		}
		switch {
		case len(privileged) == 0:
			p.Evidence(Evidence{Detail: "state diff: no call succeeded from a privileged address while reverting from a stranger"})
		case !canBatch:
			p.Evidence(Evidence{Detail: "state diff of privileged calls: unknown (the RPC client cannot batch debug_traceCall)"})
		default:
			t := <-done
			if t.err == nil && len(t.errs) > 0 && !slices.Contains(t.errs, nil) {
				t.err = t.errs[0]
			}
			if t.err != nil {
				p.Evidence(Evidence{Detail: fmt.Sprintf("state diff of %d privileged call(s): unknown (debug_traceCall with prestateTracer diffMode failed: %v)", len(privileged), t.err)})
				break
			}
			p.privilegedDiffs(privileged, t.diffs, t.errs, holder)
		}
		return nil
	},
}

// abiWords concatenates 32-byte ABI words.
func abiWords(ws ...*big.Int) []byte {
	out := make([]byte, 0, 32*len(ws))
	for _, w := range ws {
		out = append(out, common.LeftPadBytes(w.Bytes(), 32)...)
	}
	return out
}

// probePatterns returns the argument patterns every dispatcher selector is
// probed with. Selectors of unverified tokens are usually unknown, so the
// argument shape is guessed; each pattern is valid ABI for several shapes
// (Solidity ignores trailing calldata, and its decoder reverts on a bool
// word other than 0 or 1, on short calldata and on a bad array offset):
//
//   - (holder, 1e24): (address,uint256) with a large amount (mint, balance edit);
//   - (holder, 0): (address,uint256|bool) zero / false;
//   - (holder): (address);
//   - (1): (uint256|bool) one / true;
//   - (holder, 1): (address,bool) true — blacklist(a, true),
//     excludeFromFee(a, true) — and (address,uint256) a small amount;
//   - (0x20, 1, holder): (address[]) [holder], and (address[],bool) read as
//     ([holder], true) — the length word is the bool;
//   - (0x40, 0, 1, holder): (address[],bool) ([holder], false), and
//     (address[]) [holder] — so a holder already listed is unlisted;
//   - (5, 5, 5): one to three small parameters, under the usual fee caps
//     (setFees(buy, sell) with require(fee <= 10));
//   - (0, 0, 0): the same set to zero / false.
//
// Every pattern that names the holder carries it in a whole word, which is
// how the state diff relates mapping keys to "the argument"
// (holderArgument).
func probePatterns(holder common.Address) [][]byte {
	h, zero, one := holder.Big(), new(big.Int), big.NewInt(1)
	five := big.NewInt(5)
	return [][]byte{
		abiWords(h, new(big.Int).Exp(big.NewInt(10), big.NewInt(24), nil)),
		abiWords(h, zero),
		abiWords(h),
		abiWords(one),
		abiWords(h, one),
		abiWords(big.NewInt(0x20), one, h),
		abiWords(big.NewInt(0x40), zero, one, h),
		abiWords(five, five, five),
		abiWords(zero, zero, zero),
	}
}

// holderArgument reports whether ABI-encoded arguments (no selector) carry
// holder as one of their 32-byte words: a direct address argument or an
// element of an array argument.
func holderArgument(args []byte, holder common.Address) bool {
	if holder == (common.Address{}) {
		return false
	}
	want := common.LeftPadBytes(holder.Bytes(), 32)
	for i := 0; i+32 <= len(args); i += 32 {
		if bytes.Equal(args[i:i+32], want) {
			return true
		}
	}
	return false
}

// BatchRPC is an RPC that sends JSON-RPC batches (*rpc.Client does).
type BatchRPC interface {
	BatchCallContext(ctx context.Context, b []rpc.BatchElem) error
}

// saleProbeSelectors bounds the selectors probeSales replays a sale after.
const saleProbeSelectors = 30

// errNoBaselineSale: the holder's sale alone fails, so nothing can be
// compared with it (the caller tries another holder).
var errNoBaselineSale = errors.New("the holder's baseline sale does not succeed")

// saleProbeHolders is how many holders, largest first, the sale replays
// try before giving up.
const saleProbeHolders = 3

// probeSales simulates, for every selector (at most saleProbeSelectors)
// called by the privileged address with seven argument patterns (the holder
// and a large amount; zeros; 5000; 50 and 10 as one to three parameters —
// (uint256,uint256) fee setters under a cap; (holder, true) for
// (address,bool); [holder] for (address[]) and (address[],bool)), a small
// sale by a real holder right after it — each in its own eth_simulateV1
// request from the latest state — and compares it with the sale alone: a
// sale that starts to revert reveals a pause/trading switch (or a blacklist
// when the holder was in the arguments), a sale that delivers less reveals
// a tax setter. Names and storage layout do not matter.
func (p *Pass) probeSales(ctx context.Context, holder common.Address, bal *big.Int) error {
	n := p.Node
	b, ok := n.RPC.(BatchRPC)
	if !ok {
		return errors.New("the RPC client cannot batch requests")
	}
	if len(n.owners) == 0 || n.owners[0] == (common.Address{}) || len(n.pools) == 0 {
		return errors.New("no live privileged address or no pool")
	}
	owner, pair := n.owners[0], n.pools[0].addr
	amt := new(big.Int).Div(bal, big.NewInt(1000))
	if amt.Sign() == 0 {
		return errors.New("holder balance too small")
	}
	h, zero, one := holder.Big(), new(big.Int), big.NewInt(1)
	patterns := [][]byte{
		abiWords(h, new(big.Int).Exp(big.NewInt(10), big.NewInt(24), nil)),
		abiWords(zero, zero, zero),
		abiWords(big.NewInt(5000)),
		abiWords(big.NewInt(50), big.NewInt(50), big.NewInt(50)),
		abiWords(h, one),
		abiWords(big.NewInt(0x20), one, h),
		abiWords(big.NewInt(10), big.NewInt(10), big.NewInt(10)),
	}
	sale := func(pre *chain.SimCall) chain.SimRequest {
		var calls []chain.SimCall
		if pre != nil {
			calls = append(calls, *pre)
		}
		calls = append(calls,
			chain.SimCall{From: holder, To: addrPtr(n.Address), Input: balanceOfData(pair), Gas: 200_000},
			chain.SimCall{From: holder, To: addrPtr(n.Address), Input: transferData(pair, amt), Gas: 2_000_000},
			chain.SimCall{From: holder, To: addrPtr(n.Address), Input: balanceOfData(pair), Gas: 200_000})
		return chain.SimRequest{BlockStateCalls: []chain.SimBlock{{Calls: calls}}}
	}
	type job struct {
		sel bytecode.Sel
		pat int
	}
	skip := map[bytecode.Sel]bool{selTransfer: true, selTransferFrom: true, selApprove: true}
	var jobs []job
	elems := []rpc.BatchElem{{Method: "eth_simulateV1", Args: []any{sale(nil), "latest"}, Result: new([]chain.SimBlockResult)}}
	for _, sel := range p.code.rep.Selectors {
		if skip[sel.Selector] || len(jobs) >= saleProbeSelectors*len(patterns) {
			continue
		}
		for i, pat := range patterns {
			pre := chain.SimCall{From: owner, To: addrPtr(n.Address), Input: append(slices.Clone(sel.Selector[:]), pat...), Gas: 1_000_000}
			jobs = append(jobs, job{sel.Selector, i})
			elems = append(elems, rpc.BatchElem{Method: "eth_simulateV1", Args: []any{sale(&pre), "latest"}, Result: new([]chain.SimBlockResult)})
		}
	}
	if err := b.BatchCallContext(ctx, elems); err != nil {
		return fmt.Errorf("eth_simulateV1 batch: %w", err)
	}
	type outcome struct {
		probeOK, saleOK bool
		got             *big.Int
		reason          string
	}
	read := func(e rpc.BatchElem, withPre bool) (outcome, bool) {
		if e.Error != nil {
			return outcome{}, false
		}
		res := *(e.Result.(*[]chain.SimBlockResult))
		if len(res) != 1 {
			return outcome{}, false
		}
		cs := res[0].Calls
		o := outcome{probeOK: true}
		if withPre {
			if len(cs) != 4 {
				return outcome{}, false
			}
			o.probeOK = cs[0].Status == 1
			cs = cs[1:]
		}
		if len(cs) != 3 {
			return outcome{}, false
		}
		o.saleOK = cs[1].Status == 1
		o.reason = cs[1].Revert()
		if b0, b1 := cs[0].Word(), cs[2].Word(); b0 != nil && b1 != nil {
			o.got = new(big.Int).Sub(b1, b0)
		}
		return o, true
	}
	base, ok := read(elems[0], false)
	if !ok || !base.saleOK || base.got == nil {
		return errNoBaselineSale
	}
	var blocks, lists, taxes []Evidence
	seen := map[string]bool{}
	for i, j := range jobs {
		o, ok := read(elems[i+1], true)
		if !ok || !o.probeOK {
			continue
		}
		e := Evidence{Selector: j.sel.String(), Name: p.code.name(j.sel), Address: strings.ToLower(owner.Hex())}
		switch {
		case !o.saleOK && !seen[j.sel.String()+"block"]:
			seen[j.sel.String()+"block"] = true
			e.RevertReason = o.reason
			if holderArgument(patterns[j.pat], holder) {
				e.Detail = "after this call by the privileged address with the holder as argument, the holder's sale reverts"
				lists = append(lists, e)
			} else {
				e.Detail = "after this call by the privileged address, the holder's sale reverts"
				blocks = append(blocks, e)
			}
		case o.saleOK && o.got != nil && o.got.Cmp(base.got) < 0 && !seen[j.sel.String()+"tax"]:
			seen[j.sel.String()+"tax"] = true
			e.Detail = fmt.Sprintf("after this call the pool receives %s instead of %s from the same sale", o.got, base.got)
			taxes = append(taxes, e)
		}
	}
	p.Evidence(blocks...)
	p.Evidence(lists...)
	p.Evidence(taxes...)
	// The code analysis decides the flags; probing adds evidence, and
	// decides only what the code analysis left unknown (an argument
	// pattern can also break a sale by nonsense values, so a revert after
	// a call is not proof of a pause or a blacklist on its own).
	setIfUnknown := func(k string) {
		if _, ok := p.flags[k]; !ok {
			p.Set(k, "1")
		}
	}
	if len(blocks)+len(lists) > 0 {
		setIfUnknown("transfer_pausable")
	}
	if len(taxes) > 0 {
		setIfUnknown("slippage_modifiable")
	}
	return nil
}

// Factor returns the factor with id recorded so far, or nil.
func (p *Pass) Factor(id string) *Factor {
	for i := range p.factors {
		if p.factors[i].ID == id {
			return &p.factors[i]
		}
	}
	return nil
}
