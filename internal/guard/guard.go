package guard

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/aegis-defi/aegis/internal/chain"
)

// Config configures a Guard.
type Config struct {
	// RPC is the primary node: simulations, sending and watching.
	RPC *rpc.Client
	// Broadcast are extra endpoints the protective transactions are also
	// sent to (other builders, private relays speaking eth_sendRawTransaction).
	Broadcast []*rpc.Client
	// Signer holds the guardian key.
	Signer *Signer
	// Policies are the protected protocols.
	Policies Policies
	// Recorder receives every decision; may be nil.
	Recorder Recorder
	// Logger receives one line per decision; nil discards.
	Logger *slog.Logger
	// Clock returns the current time (rate limits, timestamps); default
	// time.Now.
	Clock func() time.Time
	// RevertDecoder names custom errors in revert data (for example
	// contracts.RevertReason); may be nil.
	RevertDecoder func(data []byte) string
	// PollInterval is how often inclusion is polled (default 20ms).
	PollInterval time.Duration
	// WatchTimeout bounds how long Handle follows an attack after acting
	// (default 2m).
	WatchTimeout time.Duration
}

// Guard turns confirmed pending attacks into protective transactions. Its
// methods are safe for concurrent use.
type Guard struct {
	cfg      Config
	policies []Policy
	chainID  *big.Int
	signer   types.Signer
	nonces   *NonceManager
	limits   *limiter
	log      *slog.Logger
	now      func() time.Time
}

// New validates cfg and connects the guard to its node (eth_chainId).
func New(ctx context.Context, cfg Config) (*Guard, error) {
	if cfg.RPC == nil {
		return nil, errors.New("guard: config.RPC is required")
	}
	if cfg.Signer == nil {
		return nil, errors.New("guard: config.Signer is required")
	}
	if err := cfg.Policies.Validate(); err != nil {
		return nil, fmt.Errorf("guard: policies: %w", err)
	}
	var id hexutil.Big
	if err := cfg.RPC.CallContext(ctx, &id, "eth_chainId"); err != nil {
		return nil, fmt.Errorf("guard: eth_chainId: %w", err)
	}
	g := &Guard{
		cfg:     cfg,
		chainID: id.ToInt(),
		signer:  types.LatestSignerForChainID(id.ToInt()),
		nonces:  NewNonceManager(cfg.Signer.Address()),
		limits:  newLimiter(),
		log:     cfg.Logger,
		now:     cfg.Clock,
	}
	for _, p := range cfg.Policies.Protocols {
		g.policies = append(g.policies, p.WithDefaults())
	}
	if g.log == nil {
		g.log = slog.New(slog.DiscardHandler)
	}
	if g.now == nil {
		g.now = time.Now
	}
	if g.cfg.PollInterval <= 0 {
		g.cfg.PollInterval = 20 * time.Millisecond
	}
	if g.cfg.WatchTimeout <= 0 {
		g.cfg.WatchTimeout = 2 * time.Minute
	}
	return g, nil
}

// Guardian is the guardian's address.
func (g *Guard) Guardian() common.Address { return g.cfg.Signer.Address() }

// Handle decides about one trigger and, when its policy is armed and the
// simulation gate passes, front-runs the attack and follows it until it is
// mined or dropped. Every decision is returned and recorded; the error is
// non-nil only when the node failed (RPC errors, a rejected send), in which
// case the decision says what was done before.
func (g *Guard) Handle(ctx context.Context, trig Trigger) (*Decision, error) {
	now := g.now()
	if trig.FirstSeen.IsZero() {
		trig.FirstSeen = now
	}
	d := &Decision{ID: newID(), Guardian: g.Guardian(), FirstSeen: trig.FirstSeen, DecidedAt: now}
	if trig.Tx != nil {
		d.AttackTx = trig.Tx.Hash()
		if from, err := types.Sender(g.signer, trig.Tx); err == nil {
			d.Attacker = from
		}
	}
	err := g.handle(ctx, trig, d)
	g.nameAssets(ctx, d)
	d.summarize()
	g.record(d)
	return d, err
}

func (g *Guard) record(d *Decision) {
	g.log.Info("guard decision", "id", d.ID, "verdict", string(d.Verdict), "protocol", d.Protocol,
		"attack_tx", d.AttackTx, "response_ms", d.ResponseMS, "summary", d.Summary)
	if g.cfg.Recorder != nil {
		g.cfg.Recorder.Record(d)
	}
}

// handle runs the pipeline, filling d.
func (g *Guard) handle(ctx context.Context, trig Trigger, d *Decision) error {
	pol, ok := g.match(trig, d)
	if !ok {
		d.Verdict = VerdictNotTriggered
		if d.Reason == "" {
			d.Reason = "no qualifying signal for a guarded protocol"
		}
		return nil
	}
	d.Protocol, d.Mode, d.action = pol.Protocol, pol.Mode, actionText(pol.Actions)
	if trig.Tx == nil {
		d.Verdict, d.Reason = VerdictRefused, "the trigger carries no pending transaction to replay"
		return nil
	}
	if d.Attacker == (common.Address{}) {
		d.Verdict, d.Reason = VerdictRefused, "cannot recover the attack transaction's sender for chain "+g.chainID.String()
		return nil
	}
	return g.act(ctx, pol, trig.Tx, trig.FirstSeen, trig.OnSent, d, func(ctx context.Context) (*simPlan, *gateState, error) {
		return g.gate(ctx, pol, trig, d)
	})
}

// gateFunc runs one stage's simulation gate: it returns the plan and state
// to build from, or refuses by setting d.Verdict and d.Reason.
type gateFunc func(ctx context.Context) (*simPlan, *gateState, error)

// act is the part of the pipeline every stage shares once a policy
// matched: rate limits, the stage's gate, signing, dry-run or sending, and
// watching the pending transaction (the attack, or the deployment) until it
// is mined or dropped.
func (g *Guard) act(ctx context.Context, pol Policy, pending *types.Transaction, firstSeen time.Time, onSent func([]ProtectiveTx), d *Decision, gate gateFunc) error {
	if ok, why := g.limits.reserve(pol.Protocol, pol.Limits, d.DecidedAt); !ok {
		d.Verdict, d.Reason = VerdictRateLimited, why
		return nil
	}
	acted := false
	defer func() {
		if acted {
			g.limits.commit(pol.Protocol, d.DecidedAt)
		} else {
			g.limits.release(pol.Protocol)
		}
	}()

	gateStart := time.Now()
	plan, gs, err := gate(ctx)
	d.GateMS = ms(time.Since(gateStart))
	if err != nil {
		if errors.Is(err, errNoSimulate) {
			d.Verdict, d.Reason = VerdictRefused, "cannot prove the action works: "+err.Error()
			return nil
		}
		d.Verdict, d.Reason = VerdictFailed, err.Error()
		return err
	}
	if d.Verdict == VerdictRefused {
		return nil
	}
	txs, err := g.build(ctx, pol, plan, gs, pending)
	if err != nil {
		d.Verdict, d.Reason = VerdictFailed, err.Error()
		return err
	}
	for _, tx := range txs {
		d.Txs = append(d.Txs, g.describe(tx.tx, tx.label, nil))
	}
	if pol.Mode != ModeArmed {
		d.Verdict = VerdictDryRun
		acted = true // a dry run consumes the budget exactly as an action would
		g.nonces.Release()
		return nil
	}
	acted = true
	if err := g.send(ctx, firstSeen, txs, d); err != nil {
		d.Verdict, d.Reason = VerdictFailed, err.Error()
		g.nonces.Release()
		return err
	}
	d.Verdict = VerdictActed
	d.ResponseMS = d.Txs[len(d.Txs)-1].AcceptedMS
	if onSent != nil {
		onSent(append([]ProtectiveTx(nil), d.Txs...))
	}
	return g.watch(ctx, pol, plan, pending, txs, gs, d)
}

// match picks the policy the trigger fires and records every signal.
func (g *Guard) match(trig Trigger, d *Decision) (Policy, bool) {
	var sigs []signal
	for _, o := range trig.Observations {
		stage := o.Stage
		if stage == "" && o.Block == 0 {
			stage = "pending"
		}
		sigs = append(sigs, signal{Detector: o.Detector, Severity: o.Severity, Confidence: o.Confidence, Anomaly: o.Anomaly,
			Stage: stage, Victim: o.Victim, Message: o.Message})
	}
	if a := trig.Alert; a != nil {
		for _, s := range a.Evidence.Signals {
			sigs = append(sigs, signal{Detector: s.Detector, Severity: s.Severity, Confidence: s.Confidence, Anomaly: s.Anomaly,
				Stage: a.Stage, Victim: a.Protocol, Message: s.Message})
		}
	}
	var chosen *Policy
	var near string
	for j := range g.policies {
		p := &g.policies[j]
		qualified := map[string]bool{}
		for i := range sigs {
			if p.matches(sigs[i].Victim) && p.Trigger.qualifies(sigs[i]) {
				qualified[sigs[i].Detector] = true
			}
		}
		if len(qualified) == 0 {
			continue
		}
		if len(qualified) < p.Trigger.MinDetectors {
			if near == "" {
				near = fmt.Sprintf("%d of the %d corroborating detectors %s requires qualified (%s)",
					len(qualified), p.Trigger.MinDetectors, p.Protocol, strings.Join(sortedKeys(qualified), ", "))
			}
			continue
		}
		for i := range sigs {
			if qualified[sigs[i].Detector] && p.matches(sigs[i].Victim) && p.Trigger.qualifies(sigs[i]) {
				sigs[i].Qualified = true
			}
		}
		chosen = p
		break
	}
	d.Signals = sigs
	if chosen == nil {
		switch {
		case len(sigs) == 0:
			d.Reason = "the trigger carries no detector signal"
		case near != "":
			d.Reason = "only " + near
		default:
			d.Reason = fmt.Sprintf("none of %d signals met a guarded protocol's trigger (strongest: %s)", len(sigs), strongest(sigs))
		}
		return Policy{}, false
	}
	return *chosen, true
}

// strongest describes the most severe signal.
func strongest(sigs []signal) string {
	best := sigs[0]
	for _, s := range sigs[1:] {
		if s.Severity > best.Severity || (s.Severity == best.Severity && s.Confidence > best.Confidence) {
			best = s
		}
	}
	kind := ""
	if best.Anomaly {
		kind = " anomaly"
	}
	return fmt.Sprintf("%s %s%s, confidence %.2f, on %s", best.Detector, best.Severity, kind, float64(best.Confidence), best.Victim)
}

// gateState is what the gate read from the node for pricing.
type gateState struct {
	baseFee   *big.Int
	head      uint64
	protected *Simulation
}

// gate runs both simulations in one JSON-RPC batch and decides. A refusal
// sets d.Verdict and d.Reason and returns no error.
func (g *Guard) gate(ctx context.Context, pol Policy, trig Trigger, d *Decision) (*simPlan, *gateState, error) {
	plan, err := g.newPlan(pol, trig.Tx, d.Attacker)
	if err != nil {
		return nil, nil, err
	}
	if to := trig.Tx.To(); to != nil && !plan.victim[*to] {
		plan.attacker[*to] = true
	}
	if trig.Alert != nil && common.IsHexAddress(trig.Alert.Attacker) {
		if a := common.HexToAddress(trig.Alert.Attacker); !plan.victim[a] {
			plan.attacker[a] = true
		}
	}
	for _, o := range trig.Observations {
		if common.IsHexAddress(o.Attacker) {
			if a := common.HexToAddress(o.Attacker); !plan.victim[a] {
				plan.attacker[a] = true
			}
		}
	}
	plan.watch()

	rd, err := g.readGate(ctx, plan, trig.Tx, true)
	if err != nil {
		return nil, nil, err
	}
	gs := rd.state
	base, prot := rd.baseline, rd.protected
	d.AttackTip = EffectiveTip(trig.Tx, gs.baseFee).String()
	if rd.minedIn != nil {
		d.Verdict = VerdictRefused
		d.Reason = fmt.Sprintf("the attack is already mined in block %d", rd.minedIn)
		return plan, gs, nil
	}
	if d.Baseline, err = plan.evaluate("baseline", base, false, g.cfg.RevertDecoder); err != nil {
		return nil, nil, err
	}
	if d.Protected, err = plan.evaluate("protected", prot, true, g.cfg.RevertDecoder); err != nil {
		return nil, nil, err
	}
	gs.protected = d.Protected
	d.FundsAtRisk = d.Baseline.VictimLoss
	refuse := func(format string, a ...any) (*simPlan, *gateState, error) {
		d.Verdict, d.Reason = VerdictRefused, fmt.Sprintf(format, a...)
		return plan, gs, nil
	}
	bl := d.Baseline
	if !bl.AttackOK {
		return refuse("the attack reverts without protection (%s): nothing to protect", bl.Calls[len(bl.Calls)-1].Revert)
	}
	if !bl.harmful() && !bl.profitable() {
		return refuse("the simulated attack takes nothing from %s and the attacker gains nothing", pol.Protocol)
	}
	for _, c := range d.Protected.Calls[:len(plan.protect)] {
		if !c.OK {
			return refuse("%s reverts: %s", c.Label, c.Revert)
		}
	}
	pr := d.Protected
	if pr.AttackOK && (pr.profitable() || pr.harmful()) {
		return refuse("%s does not stop the attack: replayed after it, the attacker still gains %s and %s loses %s",
			actionText(pol.Actions), orNothing(amountsText(pr.AttackerGain)), pol.Protocol, orNothing(amountsText(pr.VictimLoss)))
	}
	return plan, gs, nil
}

// newPlan starts the simulation plan of pending (sent by sender) under
// pol: the encoded protective calls, the protected addresses as victims and
// the sender as attacker. The caller adds attacker addresses and calls
// watch.
func (g *Guard) newPlan(pol Policy, pending *types.Transaction, sender common.Address) (*simPlan, error) {
	plan := &simPlan{attacker: map[common.Address]bool{}, victim: map[common.Address]bool{}, guardian: g.Guardian(),
		attack: pending, sender: sender}
	for _, c := range pol.Actions {
		data, err := c.Encode()
		if err != nil {
			return nil, fmt.Errorf("encode %s: %w", c.Signature, err)
		}
		plan.protect = append(plan.protect, protectCall{call: c, data: data})
	}
	for _, v := range pol.protected() {
		plan.victim[v] = true
	}
	plan.attacker[sender] = true
	return plan, nil
}

// watch fills p.watched (the probed addresses) from the attacker and
// victim sets.
func (p *simPlan) watch() {
	p.watched = p.watched[:0]
	for a := range p.attacker {
		p.watched = append(p.watched, a)
	}
	for a := range p.victim {
		p.watched = append(p.watched, a)
	}
	sortAddrs(p.watched)
}

// rpcReceipt is the part of a receipt the guard reads.
type rpcReceipt struct {
	Status           hexutil.Uint64 `json:"status"`
	BlockNumber      *hexutil.Big   `json:"blockNumber"`
	TransactionIndex hexutil.Uint   `json:"transactionIndex"`
}

// signedTx is a protective transaction and its pricing.
type signedTx struct {
	tx    *types.Transaction
	label string
	fees  Fees
	call  protectCall
}

// build prices and signs the protective transactions with fresh nonces.
func (g *Guard) build(ctx context.Context, pol Policy, plan *simPlan, gs *gateState, attack *types.Transaction) ([]signedTx, error) {
	fees := PriceFor(attack, gs.baseFee, pol.Pricing)
	nonces, err := g.nonces.Reserve(ctx, nonceReader{g.cfg.RPC}, len(plan.protect))
	if err != nil {
		return nil, err
	}
	out := make([]signedTx, 0, len(plan.protect))
	for i, pc := range plan.protect {
		gas := gs.protected.Calls[i].GasUsed
		gas = gas + gas/2 + 30_000
		tx, err := g.sign(pc, nonces[i], gas, fees, pol.Pricing.Legacy)
		if err != nil {
			return nil, err
		}
		out = append(out, signedTx{tx: tx, label: pc.label(), fees: fees, call: pc})
	}
	return out, nil
}

// sign builds and signs one protective transaction.
func (g *Guard) sign(pc protectCall, nonce, gas uint64, f Fees, legacy bool) (*types.Transaction, error) {
	to := pc.call.Target
	value := pc.call.Value
	if value == nil {
		value = new(big.Int)
	}
	var inner types.TxData
	if legacy {
		inner = &types.LegacyTx{Nonce: nonce, GasPrice: f.GasPrice, Gas: gas, To: &to, Value: value, Data: pc.data}
	} else {
		inner = &types.DynamicFeeTx{ChainID: g.chainID, Nonce: nonce, GasTipCap: f.TipCap, GasFeeCap: f.FeeCap, Gas: gas,
			To: &to, Value: value, Data: pc.data}
	}
	return g.cfg.Signer.Sign(types.NewTx(inner), g.signer)
}

// describe records a signed transaction.
func (g *Guard) describe(tx *types.Transaction, label string, replaces *common.Hash) ProtectiveTx {
	raw, _ := tx.MarshalBinary()
	f := Fees{}
	if tx.Type() == types.LegacyTxType {
		f.GasPrice = tx.GasPrice()
	} else {
		f.TipCap, f.FeeCap = tx.GasTipCap(), tx.GasFeeCap()
	}
	return ProtectiveTx{Label: label, Hash: tx.Hash(), To: *tx.To(), Data: hexutil.Encode(tx.Data()), Nonce: tx.Nonce(),
		GasLimit: tx.Gas(), Fees: f, Raw: hexutil.Encode(raw), Replaces: replaces}
}

// send sends txs in nonce order to the primary node, then (concurrently) to
// every extra endpoint, and records acceptance times.
func (g *Guard) send(ctx context.Context, firstSeen time.Time, txs []signedTx, d *Decision) error {
	for i, st := range txs {
		idx := len(d.Txs) - len(txs) + i
		if err := g.sendOne(ctx, firstSeen, st.tx, &d.Txs[idx]); err != nil {
			return err
		}
	}
	return nil
}

// sendOne sends one transaction and fills rec's acceptance time and
// broadcast results.
func (g *Guard) sendOne(ctx context.Context, firstSeen time.Time, tx *types.Transaction, rec *ProtectiveTx) error {
	raw, err := tx.MarshalBinary()
	if err != nil {
		return fmt.Errorf("encode protective tx: %w", err)
	}
	if err := g.cfg.RPC.CallContext(ctx, nil, "eth_sendRawTransaction", hexutil.Bytes(raw)); err != nil {
		return fmt.Errorf("eth_sendRawTransaction %s: %w", tx.Hash(), err)
	}
	rec.AcceptedMS = ms(time.Since(firstSeen))
	if len(g.cfg.Broadcast) == 0 {
		return nil
	}
	results := make([]string, len(g.cfg.Broadcast))
	var wg sync.WaitGroup
	for i, c := range g.cfg.Broadcast {
		wg.Add(1)
		go func() {
			defer wg.Done()
			bctx, cancel := context.WithTimeout(ctx, 2*time.Second)
			defer cancel()
			if err := c.CallContext(bctx, nil, "eth_sendRawTransaction", hexutil.Bytes(raw)); err != nil {
				results[i] = "eth_sendRawTransaction: " + err.Error()
				return
			}
			results[i] = "ok"
		}()
	}
	wg.Wait()
	rec.Broadcast = results
	return nil
}

// nonceReader reads pending nonces over raw RPC.
type nonceReader struct{ c *rpc.Client }

// PendingNonceAt implements NonceSource.
func (r nonceReader) PendingNonceAt(ctx context.Context, a common.Address) (uint64, error) {
	var n hexutil.Uint64
	if err := r.c.CallContext(ctx, &n, "eth_getTransactionCount", a, "pending"); err != nil {
		return 0, err
	}
	return uint64(n), nil
}

func sortedKeys(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func newID() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "g-" + hex.EncodeToString(b[:])
}

func sortAddrs(as []common.Address) {
	for i := 1; i < len(as); i++ {
		for j := i; j > 0 && as[j].Cmp(as[j-1]) < 0; j-- {
			as[j], as[j-1] = as[j-1], as[j]
		}
	}
}

// nameAssets fills the symbol and decimals of the tokens in the decision's
// amounts (best effort, after any transaction was sent).
func (g *Guard) nameAssets(ctx context.Context, d *Decision) {
	lists := [][]Amount{d.FundsAtRisk}
	for _, s := range []*Simulation{d.Baseline, d.Protected} {
		if s != nil {
			lists = append(lists, s.AttackerGain, s.VictimLoss)
		}
	}
	type meta struct {
		sym string
		dec int
	}
	cache := map[string]meta{}
	for _, l := range lists {
		for i := range l {
			a := &l[i]
			if a.Asset == "" || a.Symbol != "" {
				continue
			}
			m, ok := cache[a.Asset]
			if !ok {
				m = meta{dec: 18}
				tok := common.HexToAddress(a.Asset)
				var symRaw, decRaw hexutil.Bytes
				batch := []rpc.BatchElem{
					{Method: "eth_call", Args: []any{map[string]any{"to": tok, "input": hexutil.Bytes(common.FromHex("0x95d89b41"))}, "latest"}, Result: &symRaw},
					{Method: "eth_call", Args: []any{map[string]any{"to": tok, "input": hexutil.Bytes(common.FromHex("0x313ce567"))}, "latest"}, Result: &decRaw},
				}
				if g.cfg.RPC.BatchCallContext(ctx, batch) == nil {
					if batch[0].Error == nil {
						m.sym = decodeSymbol(symRaw)
					}
					if batch[1].Error == nil && len(decRaw) == 32 {
						if v := new(big.Int).SetBytes(decRaw); v.IsInt64() && v.Int64() <= 36 {
							m.dec = int(v.Int64())
						}
					}
				}
				cache[a.Asset] = m
			}
			a.Symbol, a.Decimals = m.sym, m.dec
		}
	}
}

// decodeSymbol decodes an ABI string (or a bytes32) returned by symbol().
func decodeSymbol(b []byte) string {
	if len(b) >= 64 {
		n := new(big.Int).SetBytes(b[32:64])
		if n.IsInt64() && n.Int64() <= 32 && len(b) >= 64+int(n.Int64()) {
			return string(b[64 : 64+n.Int64()])
		}
	}
	if len(b) == 32 {
		return strings.TrimRight(string(b), "\x00")
	}
	return ""
}

// gateRead is what both gates read from the node in one JSON-RPC batch.
type gateRead struct {
	// baseline (only when asked for) simulates the pending transaction
	// alone; protected simulates the protective calls, then it.
	baseline, protected []chain.SimBlockResult
	state               *gateState
	// minedIn is the block the pending transaction is already mined in,
	// or nil.
	minedIn *big.Int
}

// readGate sends the gate's batch: eth_simulateV1 of the plan (with and,
// if baseline, without the protective calls) on the latest block, the head,
// the guardian's pending nonce and the pending transaction's receipt.
func (g *Guard) readGate(ctx context.Context, plan *simPlan, pending *types.Transaction, baseline bool) (*gateRead, error) {
	var (
		rd   gateRead
		head struct {
			Number  hexutil.Uint64 `json:"number"`
			BaseFee *hexutil.Big   `json:"baseFeePerGas"`
		}
		nonce   hexutil.Uint64
		receipt *rpcReceipt
	)
	batch := []rpc.BatchElem{
		{Method: "eth_simulateV1", Args: []any{plan.request(true), "latest"}, Result: &rd.protected},
		{Method: "eth_getBlockByNumber", Args: []any{"latest", false}, Result: &head},
		{Method: "eth_getTransactionCount", Args: []any{g.Guardian(), "pending"}, Result: &nonce},
		{Method: "eth_getTransactionReceipt", Args: []any{pending.Hash()}, Result: &receipt},
	}
	sims := 1
	if baseline {
		batch = append([]rpc.BatchElem{{Method: "eth_simulateV1", Args: []any{plan.request(false), "latest"}, Result: &rd.baseline}}, batch...)
		sims = 2
	}
	if err := g.cfg.RPC.BatchCallContext(ctx, batch); err != nil {
		return nil, fmt.Errorf("gate batch (eth_simulateV1 ×%d, eth_getBlockByNumber, eth_getTransactionCount, eth_getTransactionReceipt): %w", sims, err)
	}
	for i, e := range batch {
		if e.Error == nil {
			continue
		}
		if i < sims {
			return nil, simulateErr(e.Error)
		}
		return nil, fmt.Errorf("%s: %w", e.Method, e.Error)
	}
	g.nonces.Observe(uint64(nonce))
	rd.state = &gateState{baseFee: new(big.Int), head: uint64(head.Number)}
	if head.BaseFee != nil {
		rd.state.baseFee = head.BaseFee.ToInt()
	}
	if receipt != nil {
		rd.minedIn = receipt.BlockNumber.ToInt()
	}
	return &rd, nil
}
