package monitor

import (
	"context"
	"fmt"
	"math/big"
	"strconv"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// relevant reports whether tx touches a watched address: its recipient,
// any call frame, a log emitter, a balance change or a created contract.
// It returns the first watched address found.
func (m *Monitor) relevant(tx *txmodel.Tx) (common.Address, bool) {
	w := m.cfg.Watch
	if tx.To != nil && w.Watched(*tx.To) {
		return *tx.To, true
	}
	for _, a := range tx.Touched {
		if w.Watched(a) {
			return a, true
		}
	}
	if tx.Root != nil {
		var hit common.Address
		found := false
		tx.Root.Walk(func(c *txmodel.Call) bool {
			if found {
				return false
			}
			if w.Watched(c.To) || w.Watched(c.From) {
				hit, found = c.To, true
				if !w.Watched(c.To) {
					hit = c.From
				}
			}
			return !found
		})
		if found {
			return hit, true
		}
	}
	for _, l := range tx.Logs {
		if w.Watched(l.Address) {
			return l.Address, true
		}
	}
	for _, b := range tx.Balances {
		if w.Watched(b.Address) {
			return b.Address, true
		}
	}
	for _, a := range tx.Created {
		if w.Watched(a) {
			return a, true
		}
	}
	return common.Address{}, false
}

// inspect runs every detector on tx and completes their observations
// (chain, transaction, stage, block, attacker, victim) where they left
// fields empty. Detector errors are logged, never fatal.
func (m *Monitor) inspect(ctx context.Context, s *session, tx *txmodel.Tx, victim common.Address) []alert.Observation {
	m.detMu.Lock()
	defer m.detMu.Unlock()
	env := m.env
	if tp, ok := m.cfg.Prices.(TxPricer); ok {
		env.Prices = tp.ForTx(tx)
	}
	if env.Holdings == nil && s != nil {
		var at *big.Int // latest for pending transactions
		if tx.BlockNumber != nil && *tx.BlockNumber > 0 {
			at = new(big.Int).SetUint64(*tx.BlockNumber - 1)
		}
		env.Holdings = func(ctx context.Context, addr, asset common.Address) (*big.Int, error) {
			return holdings(ctx, s, addr, asset, at)
		}
	}
	var out []alert.Observation
	for _, d := range m.cfg.Detectors {
		name := d.Meta().Name
		start := time.Now()
		obs, err := d.Inspect(ctx, &env, tx)
		m.cfg.Metrics.latency(name, time.Since(start))
		if err != nil {
			m.log.Warn("monitor: detector failed", "detector", name, "tx", tx.Hash, "stage", tx.Stage, "err", err)
			continue
		}
		for _, o := range obs {
			if o.Detector == "" {
				o.Detector = name
			}
			m.complete(&o, tx, victim)
			out = append(out, o)
		}
	}
	return out
}

func (m *Monitor) complete(o *alert.Observation, tx *txmodel.Tx, victim common.Address) {
	if o.ChainID == 0 {
		o.ChainID = m.env.ChainID
	}
	if o.TxHash == "" {
		o.TxHash = tx.Hash.Hex()
	}
	// The pipeline owns the stage: the same detector code runs on both
	// passes.
	if tx.Stage == txmodel.StagePending {
		o.Stage, o.Block = alert.StagePending, 0
	} else {
		o.Stage = alert.StageConfirmed
		if tx.BlockNumber != nil {
			o.Block = *tx.BlockNumber
		}
	}
	if o.Attacker == "" {
		o.Attacker = tx.From.Hex()
	}
	if o.Victim.Address == "" && o.Victim.Name == "" {
		o.Victim.Address = victim.Hex()
		if p, ok := m.cfg.Watch.Protocol(victim); ok {
			o.Victim.Name = p.Name
		}
	}
}

// holdings returns addr's balance of asset (the zero address: ETH) at block
// at (nil: latest); nil, nil when asset does not answer balanceOf.
func holdings(ctx context.Context, s *session, addr, asset common.Address, at *big.Int) (*big.Int, error) {
	if asset == (common.Address{}) {
		b, err := s.eth.BalanceAt(ctx, addr, at)
		if err != nil {
			return nil, fmt.Errorf("eth_getBalance %s: %w", addr, err)
		}
		return b, nil
	}
	data := append(common.FromHex("0x70a08231"), common.LeftPadBytes(addr.Bytes(), 32)...)
	out, err := s.eth.CallContract(ctx, ethereum.CallMsg{To: &asset, Data: data}, at)
	if err != nil || len(out) < 32 {
		return nil, nil //nolint:nilerr // not an ERC-20: holdings unknown
	}
	return new(big.Int).SetBytes(out[:32]), nil
}

func obsKey(o alert.Observation) string {
	return strings.Join([]string{strconv.FormatUint(o.ChainID, 10), strings.ToLower(o.TxHash), o.Detector, string(o.Stage)}, "|")
}

// observe folds observations into the aggregator, skipping those a
// previous run already delivered, and returns the events to deliver.
func (m *Monitor) observe(ctx context.Context, obs []alert.Observation) ([]alert.Event, error) {
	var evs []alert.Event
	for _, o := range obs {
		if m.cfg.Store != nil {
			seen, err := m.cfg.Store.Observed(ctx, obsKey(o))
			if err != nil {
				return evs, err
			}
			if seen {
				m.log.Debug("monitor: observation already delivered by a previous run", "detector", o.Detector, "tx", o.TxHash, "stage", o.Stage)
				continue
			}
		}
		e, err := m.agg.Observe(o)
		if err != nil {
			m.log.Warn("monitor: observation rejected", "detector", o.Detector, "tx", o.TxHash, "err", err)
			continue
		}
		m.cfg.Metrics.alert(o.Detector, o.Severity.String())
		m.mu.Lock()
		m.byDet[o.Detector]++
		m.mu.Unlock()
		evs = append(evs, e...)
	}
	return evs, nil
}

// markDelivered records obs as delivered (after the events went out: a
// crash in between re-delivers rather than loses).
func (m *Monitor) markDelivered(ctx context.Context, obs []alert.Observation, evs []alert.Event) {
	if m.cfg.Store == nil {
		return
	}
	byTx := map[string]string{}
	for _, ev := range evs {
		for _, t := range ev.Alert.Evidence.Txs {
			byTx[t.Hash] = ev.Alert.ID
		}
	}
	for _, o := range obs {
		id := byTx[strings.ToLower(o.TxHash)]
		if err := m.cfg.Store.MarkObserved(ctx, obsKey(o), id); err != nil {
			m.log.Error("monitor: mark observation", "err", fmt.Errorf("%w", err))
		}
	}
}
