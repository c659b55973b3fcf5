package txmodel

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/big"
	"slices"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
)

// TxMeta is the transaction and receipt metadata a call trace lacks.
// Zero fields are left zero in the Tx (or, where noted, taken from the
// trace).
type TxMeta struct {
	// Hash is the transaction hash.
	Hash common.Hash
	// ChainID is the chain id (nil when unknown).
	ChainID *big.Int
	// Stage is pending or mined; "" means mined when BlockNumber is set,
	// pending otherwise.
	Stage Stage
	// BlockNumber, BlockHash, BlockTime and Index locate a mined
	// transaction.
	BlockNumber *uint64
	BlockHash   *common.Hash
	BlockTime   uint64
	Index       uint
	// From, To, Value and Nonce are the transaction's; From, To and Value
	// default to the trace's top frame when zero.
	From  common.Address
	To    *common.Address
	Value *big.Int
	Nonce uint64
	// GasLimit is the transaction's gas limit (default: the top frame's
	// gas); GasUsed the receipt's (default: the top frame's gasUsed).
	GasLimit uint64
	GasUsed  uint64
	// EffectiveGasPrice is the receipt's; BaseFee the block's (both nil
	// when pending).
	EffectiveGasPrice *big.Int
	BaseFee           *big.Int
	// Status is the receipt status; nil means "from the trace".
	Status *Status
	// ContractAddress is the receipt's created contract (default: the top
	// frame's To for creations).
	ContractAddress *common.Address
	// ReceiptLogs are the receipt's logs; when given (and consistent with
	// the trace) they provide Log.BlockIndex.
	ReceiptLogs []*types.Log
}

// NewTxMeta assembles a TxMeta from a transaction, its sender, and
// optionally its receipt and block header (both nil for a pending
// transaction).
func NewTxMeta(tx *types.Transaction, from common.Address, r *types.Receipt, h *types.Header) TxMeta {
	m := TxMeta{
		Hash: tx.Hash(), ChainID: tx.ChainId(), From: from, To: tx.To(), Value: tx.Value(),
		Nonce: tx.Nonce(), GasLimit: tx.Gas(), Stage: StagePending,
	}
	if r != nil {
		m.Stage = StageMined
		if r.BlockNumber != nil && r.BlockNumber.IsUint64() {
			n := r.BlockNumber.Uint64()
			m.BlockNumber = &n
		}
		bh := r.BlockHash
		m.BlockHash = &bh
		m.Index = r.TransactionIndex
		m.GasUsed = r.GasUsed
		m.EffectiveGasPrice = r.EffectiveGasPrice
		st := StatusSuccess
		if r.Status != types.ReceiptStatusSuccessful {
			st = StatusReverted
		}
		m.Status = &st
		if r.ContractAddress != (common.Address{}) {
			ca := r.ContractAddress
			m.ContractAddress = &ca
		}
		m.ReceiptLogs = r.Logs
	}
	if h != nil {
		m.BlockTime = h.Time
		m.BaseFee = h.BaseFee
		if m.BlockNumber == nil && h.Number != nil && h.Number.IsUint64() {
			n := h.Number.Uint64()
			m.BlockNumber = &n
		}
	}
	return m
}

// rawFrame is one frame of geth's callTracer output.
type rawFrame struct {
	Type         string          `json:"type"`
	From         common.Address  `json:"from"`
	To           *common.Address `json:"to"`
	Value        *hexutil.Big    `json:"value"`
	Gas          hexutil.Uint64  `json:"gas"`
	GasUsed      hexutil.Uint64  `json:"gasUsed"`
	Input        hexutil.Bytes   `json:"input"`
	Output       hexutil.Bytes   `json:"output"`
	Error        string          `json:"error"`
	RevertReason string          `json:"revertReason"`
	Calls        []rawFrame      `json:"calls"`
	Logs         []rawLog        `json:"logs"`
}

// rawLog is one log of a callTracer frame (withLog: true).
type rawLog struct {
	Address  common.Address `json:"address"`
	Topics   []common.Hash  `json:"topics"`
	Data     hexutil.Bytes  `json:"data"`
	Position *hexutil.Uint  `json:"position"`
}

// FromCallTrace builds a Tx from geth's callTracer output with
// {"withLog": true} (the result of debug_traceTransaction or one element of
// debug_traceBlock*/debug_traceCall) and the transaction's metadata. dec
// names and decodes; nil means NewDecoder(nil), which is slow to build:
// share one Decoder across calls.
//
// geth drops the logs of reverted frames from the trace; other nodes may
// keep them. Either way they stay on their Call but are excluded from
// Tx.Logs, Balances and Pools. Logs without a "position" field are placed
// after the frame's sub-calls.
func FromCallTrace(raw json.RawMessage, meta TxMeta, dec *Decoder) (*Tx, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return nil, errors.New("call trace: empty")
	}
	var top CallTrace
	if err := json.Unmarshal(raw, &top); err != nil {
		return nil, fmt.Errorf("call trace: %w", err)
	}
	return FromDecodedCallTrace(&top, meta, dec)
}

// CallTrace is geth's callTracer output (withLog: true) decoded but not yet
// built into a Tx. Embed it in a larger JSON result (for example each
// element of debug_traceBlockByNumber) so the trace is parsed once, then
// pass it to FromDecodedCallTrace.
//
// It has no UnmarshalJSON method on purpose: encoding/json decodes the
// embedded frame's fields in the same pass as the enclosing value, where a
// method would make it validate the trace's bytes a second time.
type CallTrace struct {
	rawFrame
}

// FromDecodedCallTrace is FromCallTrace for a trace already decoded into a
// CallTrace; it errors like FromCallTrace on a nil trace or one whose top
// frame has no type.
func FromDecodedCallTrace(ct *CallTrace, meta TxMeta, dec *Decoder) (*Tx, error) {
	if ct == nil {
		return nil, errors.New("call trace: empty")
	}
	if ct.Type == "" {
		return nil, errors.New("call trace: top frame has no type")
	}
	if dec == nil {
		dec = NewDecoder(nil)
	}
	root := convertFrame(&ct.rawFrame, nil, 0, dec)
	return assemble(root, meta, dec, false), nil
}

// FromReceipt builds a partial Tx (Partial = true) from a transaction's
// metadata and receipt logs alone, for nodes without the debug API: Root is
// a single frame with the transaction's input, Logs the receipt's logs
// (decoded), ETH balance changes only the top-level value.
func FromReceipt(meta TxMeta, input []byte, dec *Decoder) *Tx {
	if dec == nil {
		dec = NewDecoder(nil)
	}
	root := &Call{Type: CallCall, From: meta.From, Gas: meta.GasLimit, GasUsed: meta.GasUsed, Input: input}
	if meta.Value != nil && meta.Value.Sign() != 0 {
		root.Value = new(big.Int).Set(meta.Value)
	}
	switch {
	case meta.To != nil:
		root.To = *meta.To
	case meta.ContractAddress != nil:
		root.Type, root.To = CallCreate, *meta.ContractAddress
	default:
		root.Type = CallCreate
	}
	if meta.Status != nil && *meta.Status == StatusReverted {
		root.Error = "execution reverted"
	}
	setSelector(root, dec)
	for _, rl := range meta.ReceiptLogs {
		if rl == nil {
			continue
		}
		root.Logs = append(root.Logs, &Log{Address: rl.Address, Topics: rl.Topics, Data: rl.Data})
	}
	return assemble(root, meta, dec, true)
}

// convertFrame turns a raw frame (and its subtree) into a Call.
func convertFrame(r *rawFrame, parent *Call, depth int, dec *Decoder) *Call {
	c := &Call{
		Type: CallType(r.Type), From: r.From, Gas: uint64(r.Gas), GasUsed: uint64(r.GasUsed),
		Input: r.Input, Output: r.Output, Error: r.Error, Depth: depth, Parent: parent,
	}
	if r.To != nil {
		c.To = *r.To
	}
	if r.Value != nil && (*big.Int)(r.Value).Sign() != 0 {
		c.Value = (*big.Int)(r.Value)
	}
	setSelector(c, dec)
	if c.Error != "" {
		c.RevertReason = dec.RevertReason(c.Output)
		if c.RevertReason == "" {
			c.RevertReason = r.RevertReason
		}
	}
	if len(r.Logs) > 0 {
		c.Logs = make([]*Log, len(r.Logs))
		for i := range r.Logs {
			rl := &r.Logs[i]
			pos := -1
			if rl.Position != nil {
				pos = int(*rl.Position)
			}
			c.Logs[i] = &Log{Address: rl.Address, Topics: rl.Topics, Data: rl.Data, Depth: depth, Index: pos}
		}
		// geth reports a frame's logs in emission order, so positions never
		// decrease; restore that order if another node did not.
		if !slices.IsSortedFunc(c.Logs, cmpPosition) {
			slices.SortStableFunc(c.Logs, cmpPosition)
		}
	}
	if len(r.Calls) > 0 {
		c.Calls = make([]*Call, len(r.Calls))
		for i := range r.Calls {
			c.Calls[i] = convertFrame(&r.Calls[i], c, depth+1, dec)
		}
	}
	return c
}

// cmpPosition orders logs by raw position, missing (-1) last.
func cmpPosition(a, b *Log) int {
	pa, pb := a.Index, b.Index
	if pa < 0 {
		pa = math.MaxInt
	}
	if pb < 0 {
		pb = math.MaxInt
	}
	switch {
	case pa < pb:
		return -1
	case pa > pb:
		return 1
	}
	return 0
}

// setSelector sets c.Selector and c.Functions from c.Input.
func setSelector(c *Call, dec *Decoder) {
	if c.Type.IsCreate() || len(c.Input) < 4 {
		return
	}
	c.Selector = Selector(c.Input[:4])
	c.Functions = dec.Functions(c.Selector)
}

// balanceKey identifies one (holder, asset) pair.
type balanceKey struct {
	addr, asset common.Address
}

// builder accumulates a Tx's derived data while walking the call tree.
type builder struct {
	tx      *Tx
	dec     *Decoder
	partial bool
	touched map[common.Address]struct{}
	bal     map[balanceKey]*big.Int
	balKeys []balanceKey
}

// assemble fills a Tx from its call tree and metadata. Log.Index holds
// the raw position (or -1) on entry.
func assemble(root *Call, meta TxMeta, dec *Decoder, partial bool) *Tx {
	tx := &Tx{
		Hash: meta.Hash, ChainID: meta.ChainID, Stage: meta.Stage, Partial: partial,
		BlockNumber: meta.BlockNumber, BlockHash: meta.BlockHash, BlockTime: meta.BlockTime, Index: meta.Index,
		From: meta.From, To: meta.To, ContractAddress: meta.ContractAddress, Value: meta.Value, Nonce: meta.Nonce,
		GasLimit: meta.GasLimit, GasUsed: meta.GasUsed, Root: root,
		Selector: root.Selector, Function: root.Function(),
	}
	if tx.Stage == "" {
		tx.Stage = StagePending
		if meta.BlockNumber != nil {
			tx.Stage = StageMined
		}
	}
	if tx.From == (common.Address{}) {
		tx.From = root.From
	}
	if tx.To == nil && !root.Type.IsCreate() {
		to := root.To
		tx.To = &to
	}
	if tx.ContractAddress == nil && root.Type.IsCreate() && root.To != (common.Address{}) {
		ca := root.To
		tx.ContractAddress = &ca
	}
	if tx.Value == nil {
		tx.Value = new(big.Int)
		if root.Value != nil {
			tx.Value.Set(root.Value)
		}
	}
	if tx.GasLimit == 0 {
		tx.GasLimit = root.Gas
	}
	if tx.GasUsed == 0 {
		tx.GasUsed = root.GasUsed
	}
	if meta.EffectiveGasPrice != nil {
		tx.EffectiveGasPrice = new(big.Int).Set(meta.EffectiveGasPrice)
		tx.Fee = new(big.Int).Mul(tx.EffectiveGasPrice, new(big.Int).SetUint64(tx.GasUsed))
		if meta.BaseFee != nil {
			tip := new(big.Int).Sub(tx.EffectiveGasPrice, meta.BaseFee)
			if tip.Sign() < 0 {
				tip.SetInt64(0)
			}
			tx.EffectiveTip = tip
		}
	}
	tx.Status = StatusSuccess
	switch {
	case meta.Status != nil:
		tx.Status = *meta.Status
	case root.Error != "":
		tx.Status = StatusReverted
	}
	if tx.Status == StatusReverted {
		tx.RevertReason = root.RevertReason
		if tx.RevertReason == "" && root.Error != "" && root.Error != "execution reverted" {
			tx.RevertReason = root.Error
		}
	}
	b := &builder{tx: tx, dec: dec, partial: partial, touched: map[common.Address]struct{}{}, bal: map[balanceKey]*big.Int{}}
	b.walk(root, false)
	b.finishBalances()
	tx.Pools = buildPools(tx.Logs)
	if n := len(meta.ReceiptLogs); n > 0 && n == len(tx.Logs) {
		for i, l := range tx.Logs {
			rl := meta.ReceiptLogs[i]
			if rl == nil || rl.Address != l.Address {
				break
			}
			idx := rl.Index
			l.BlockIndex = &idx
		}
	}
	return tx
}

// walk visits c in execution order: logs interleaved with sub-calls by
// position.
func (b *builder) walk(c *Call, reverted bool) {
	reverted = reverted || c.Error != ""
	if c.Depth > b.tx.MaxDepth {
		b.tx.MaxDepth = c.Depth
	}
	if c.Type != CallSelfDestruct && c.To != (common.Address{}) {
		if _, ok := b.touched[c.To]; !ok {
			b.touched[c.To] = struct{}{}
			b.tx.Touched = append(b.tx.Touched, c.To)
		}
	}
	if !reverted {
		if c.Value != nil && c.Value.Sign() > 0 && c.Type.TransfersValue() {
			b.add(c.From, common.Address{}, c.Value, true)
			b.add(c.To, common.Address{}, c.Value, false)
		}
		if c.Type.IsCreate() && c.To != (common.Address{}) {
			b.tx.Created = append(b.tx.Created, c.To)
		}
	}
	j := 0
	for i, sub := range c.Calls {
		for j < len(c.Logs) && c.Logs[j].Index >= 0 && c.Logs[j].Index <= i {
			b.log(c, c.Logs[j], reverted)
			j++
		}
		b.walk(sub, reverted)
	}
	for ; j < len(c.Logs); j++ {
		b.log(c, c.Logs[j], reverted)
	}
}

// log numbers, decodes and accounts one log of frame c.
func (b *builder) log(c *Call, l *Log, reverted bool) {
	b.dec.decodeLog(l)
	if reverted {
		l.Index = -1
		return
	}
	l.Index = len(b.tx.Logs)
	b.tx.Logs = append(b.tx.Logs, l)
	switch ev := l.Decoded.(type) {
	case *Transfer:
		b.add(ev.From, l.Address, ev.Value, true)
		b.add(ev.To, l.Address, ev.Value, false)
	case *WETHDeposit:
		// WETH9 emits Deposit from deposit(), a frame that received
		// exactly wad; other contracts' Deposit(address,uint256) do not
		// wrap ETH.
		if c.To != l.Address || c.Type != CallCall || c.Value == nil || c.Value.Cmp(ev.Wad) != 0 {
			l.Kind, l.Decoded = "", nil
			return
		}
		b.add(ev.Dst, l.Address, ev.Wad, false)
	case *WETHWithdrawal:
		if !b.paysOut(c, l.Address, ev.Wad) {
			l.Kind, l.Decoded = "", nil
			return
		}
		b.add(ev.Src, l.Address, ev.Wad, true)
	}
}

// paysOut reports whether frame c (executing at weth) sent exactly wad wei
// in a successful sub-call, as WETH9.withdraw does. Partial (receipt-only)
// transactions cannot tell; there a withdrawal is trusted when the
// transaction called weth directly.
func (b *builder) paysOut(c *Call, weth common.Address, wad *big.Int) bool {
	if c.Context() != weth {
		return false
	}
	if b.partial {
		return c.Depth == 0 && c.To == weth
	}
	for _, sub := range c.Calls {
		if sub.Error == "" && sub.From == weth && sub.Type.TransfersValue() && sub.Value != nil && sub.Value.Cmp(wad) == 0 {
			return true
		}
	}
	return false
}

// add adds (or, with neg, subtracts) v to addr's balance of asset. The
// zero address is not a holder: mints and burns only change the
// counterparty.
func (b *builder) add(addr, asset common.Address, v *big.Int, neg bool) {
	if addr == (common.Address{}) || v == nil || v.Sign() == 0 {
		return
	}
	k := balanceKey{addr, asset}
	d, ok := b.bal[k]
	if !ok {
		d = new(big.Int)
		b.bal[k] = d
		b.balKeys = append(b.balKeys, k)
	}
	if neg {
		d.Sub(d, v)
	} else {
		d.Add(d, v)
	}
}

// finishBalances sorts the non-zero balance changes into tx.Balances.
func (b *builder) finishBalances() {
	for _, k := range b.balKeys {
		if d := b.bal[k]; d.Sign() != 0 {
			b.tx.Balances = append(b.tx.Balances, BalanceChange{Address: k.addr, Asset: k.asset, Delta: d})
		}
	}
	slices.SortFunc(b.tx.Balances, func(x, y BalanceChange) int {
		if c := bytes.Compare(x.Address[:], y.Address[:]); c != 0 {
			return c
		}
		return bytes.Compare(x.Asset[:], y.Asset[:])
	})
}

// poolState tracks one pool while scanning logs.
type poolState struct {
	move *PoolMove
	// sync is a Sync not yet matched with the Swap/Mint/Burn that follows
	// it in the same operation.
	sync *V2Sync
	// seen is set once the pool's first state is known or known to be
	// unknowable.
	seen bool
}

// buildPools derives the pool moves from logs in execution order.
func buildPools(logs []*Log) []PoolMove {
	var (
		order []common.Address
		state map[common.Address]*poolState
	)
	get := func(addr common.Address, proto Protocol) *poolState {
		if state == nil {
			state = map[common.Address]*poolState{}
		}
		s, ok := state[addr]
		if !ok {
			s = &poolState{move: &PoolMove{Pool: addr, Protocol: proto}}
			state[addr] = s
			order = append(order, addr)
		}
		return s
	}
	for _, l := range logs {
		switch ev := l.Decoded.(type) {
		case *V2Sync:
			s := get(l.Address, ProtocolUniswapV2)
			if s.sync != nil {
				s.applySync(s.sync, nil, nil)
			}
			s.sync = ev
		case *V2Swap:
			s := get(l.Address, ProtocolUniswapV2)
			s.move.Swaps++
			if s.sync != nil {
				// before = sync - in + out
				r0 := new(big.Int).Sub(s.sync.Reserve0, ev.Amount0In)
				r0.Add(r0, ev.Amount0Out)
				r1 := new(big.Int).Sub(s.sync.Reserve1, ev.Amount1In)
				r1.Add(r1, ev.Amount1Out)
				s.applySync(s.sync, r0, r1)
				s.sync = nil
			}
		case *V2Mint:
			s := get(l.Address, ProtocolUniswapV2)
			s.move.Mints++
			if s.sync != nil {
				r0 := new(big.Int).Sub(s.sync.Reserve0, ev.Amount0)
				r1 := new(big.Int).Sub(s.sync.Reserve1, ev.Amount1)
				s.applySync(s.sync, r0, r1)
				s.sync = nil
			}
		case *V2Burn:
			s := get(l.Address, ProtocolUniswapV2)
			s.move.Burns++
			if s.sync != nil {
				r0 := new(big.Int).Add(s.sync.Reserve0, ev.Amount0)
				r1 := new(big.Int).Add(s.sync.Reserve1, ev.Amount1)
				s.applySync(s.sync, r0, r1)
				s.sync = nil
			}
		case *V3Swap:
			s := get(l.Address, ProtocolUniswapV3)
			s.move.Swaps++
			m := s.move
			m.SqrtPriceX96After = ev.SqrtPriceX96
			tick := ev.Tick
			m.TickAfter = &tick
			s.price(sqrtPriceToPrice(ev.SqrtPriceX96))
		}
	}
	if len(order) == 0 {
		return nil
	}
	out := make([]PoolMove, 0, len(order))
	for _, a := range order {
		s := state[a]
		if s.sync != nil {
			s.applySync(s.sync, nil, nil)
		}
		if len(s.move.Prices) == 0 && s.move.PriceBefore == nil {
			s.move.Prices = []float64{}
		}
		out = append(out, *s.move)
	}
	return out
}

// applySync records the reserves of sync as the pool's current state;
// r0Before/r1Before are the reserves before the operation when it is the
// pool's first one (nil when unknown).
func (s *poolState) applySync(sync *V2Sync, r0Before, r1Before *big.Int) {
	m := s.move
	if !s.seen {
		s.seen = true
		if r0Before != nil && r1Before != nil && r0Before.Sign() >= 0 && r1Before.Sign() >= 0 {
			m.Reserve0Before, m.Reserve1Before = r0Before, r1Before
			p := ratio(r1Before, r0Before)
			m.PriceBefore = &p
			s.price(p)
		}
	}
	m.Reserve0After, m.Reserve1After = sync.Reserve0, sync.Reserve1
	s.price(ratio(sync.Reserve1, sync.Reserve0))
}

// price appends p to the trajectory and updates the extremes and
// PriceAfter.
func (s *poolState) price(p float64) {
	m := s.move
	if len(m.Prices) == 0 {
		m.PriceMin, m.PriceMax = p, p
	}
	m.Prices = append(m.Prices, p)
	m.PriceMin = min(m.PriceMin, p)
	m.PriceMax = max(m.PriceMax, p)
	m.PriceAfter = p
	s.seen = true
}

// ratio returns num/den as a finite float64 (0 when den is 0).
func ratio(num, den *big.Int) float64 {
	if den.Sign() == 0 {
		return 0
	}
	f, _ := new(big.Float).Quo(new(big.Float).SetInt(num), new(big.Float).SetInt(den)).Float64()
	return finite(f)
}

// sqrtPriceToPrice converts a V3 sqrtPriceX96 into token1 per token0.
func sqrtPriceToPrice(sp *big.Int) float64 {
	f := new(big.Float).SetInt(sp)
	f.SetMantExp(f, -96)
	f.Mul(f, f)
	v, _ := f.Float64()
	return finite(v)
}

// finite clamps ±Inf (which JSON cannot encode) to ±MaxFloat64 and NaN to 0.
func finite(f float64) float64 {
	switch {
	case math.IsNaN(f):
		return 0
	case math.IsInf(f, 1):
		return math.MaxFloat64
	case math.IsInf(f, -1):
		return -math.MaxFloat64
	}
	return f
}

// UnmarshalJSON implements json.Unmarshaler, restoring the Call.Parent
// pointers.
func (t *Tx) UnmarshalJSON(b []byte) error {
	type plain Tx
	if err := json.Unmarshal(b, (*plain)(t)); err != nil {
		return err
	}
	if t.Root != nil {
		linkParents(t.Root, nil)
	}
	return nil
}

func linkParents(c, parent *Call) {
	c.Parent = parent
	for _, sub := range c.Calls {
		if sub != nil {
			linkParents(sub, c)
		}
	}
}
