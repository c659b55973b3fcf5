package monitor

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/aegis-defi/aegis/internal/txmodel"
)

// maxSenders bounds the "seen sender" set of the prefilter; it is reset
// when full.
const maxSenders = 200_000

type pendingTx struct {
	tx   *types.Transaction
	seen time.Time
}

// runPending subscribes to newPendingTransactions (full transactions if
// the node supports it, hashes otherwise) and queues each transaction for
// the simulator. A full queue drops the transaction (counted).
func (m *Monitor) runPending(ctx context.Context, s *session, out chan<- *pendingTx) error {
	ch := make(chan json.RawMessage, 1024)
	sub, err := s.rpc.EthSubscribe(ctx, ch, "newPendingTransactions", true)
	if err != nil {
		sub, err = s.rpc.EthSubscribe(ctx, ch, "newPendingTransactions")
	}
	if err != nil {
		m.log.Warn("monitor: node cannot stream pending transactions; mempool monitoring off", "err", err)
		s.up()
		<-ctx.Done()
		return nil
	}
	defer sub.Unsubscribe()
	s.up()
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-sub.Err():
			if err == nil {
				err = errors.New("subscription closed")
			}
			return fmt.Errorf("monitor: eth_subscribe newPendingTransactions: %w", err)
		case raw := <-ch:
			seen := m.cfg.Clock()
			tx, err := m.decodePending(ctx, s, raw)
			if err != nil {
				m.log.Debug("monitor: pending transaction", "err", err)
				continue
			}
			if tx == nil {
				continue
			}
			m.pendSeen.Add(1)
			select {
			case out <- &pendingTx{tx: tx, seen: seen}:
			default:
				m.pendDrop.Add(1)
				m.finish(&PendingResult{Hash: tx.Hash(), SeenAt: seen, DoneAt: m.cfg.Clock(), Err: errors.New("pending queue full")})
			}
		}
	}
}

// runPendingPoll is runPending for nodes without subscriptions (HTTP): it
// polls an eth_newPendingTransactionFilter every PollInterval/4 (at least
// 100 ms) and fetches each new hash with eth_getTransactionByHash. A node
// without pending filters turns mempool monitoring off.
func (m *Monitor) runPendingPoll(ctx context.Context, s *session, out chan<- *pendingTx) error {
	var id string
	if err := s.rpc.CallContext(ctx, &id, "eth_newPendingTransactionFilter"); err != nil {
		m.log.Warn("monitor: node has no pending-transaction filter; mempool monitoring off", "err", err)
		s.up()
		<-ctx.Done()
		return nil
	}
	defer func() {
		uctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Second)
		defer cancel()
		var ok bool
		_ = s.rpc.CallContext(uctx, &ok, "eth_uninstallFilter", id)
	}()
	s.up()
	t := time.NewTicker(max(m.cfg.PollInterval/4, 100*time.Millisecond))
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
		}
		var hashes []common.Hash
		if err := s.rpc.CallContext(ctx, &hashes, "eth_getFilterChanges", id); err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("monitor: eth_getFilterChanges (pending transactions): %w", err)
		}
		for _, h := range hashes {
			seen := m.cfg.Clock()
			raw, err := json.Marshal(h)
			if err != nil {
				continue
			}
			tx, err := m.decodePending(ctx, s, raw)
			if err != nil || tx == nil {
				continue
			}
			m.pendSeen.Add(1)
			select {
			case out <- &pendingTx{tx: tx, seen: seen}:
			default:
				m.pendDrop.Add(1)
				m.finish(&PendingResult{Hash: tx.Hash(), SeenAt: seen, DoneAt: m.cfg.Clock(), Err: errors.New("pending queue full")})
			}
		}
	}
}

// decodePending decodes a notification: a transaction object or a hash
// (fetched with eth_getTransactionByHash; nil if already gone).
func (m *Monitor) decodePending(ctx context.Context, s *session, raw json.RawMessage) (*types.Transaction, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) > 0 && raw[0] == '"' {
		var h common.Hash
		if err := json.Unmarshal(raw, &h); err != nil {
			return nil, fmt.Errorf("decode pending hash: %w", err)
		}
		tx, isPending, err := s.eth.TransactionByHash(ctx, h)
		if err != nil {
			return nil, fmt.Errorf("eth_getTransactionByHash %s: %w", h, err)
		}
		if !isPending {
			return nil, nil
		}
		return tx, nil
	}
	tx := new(types.Transaction)
	if err := tx.UnmarshalJSON(raw); err != nil {
		return nil, fmt.Errorf("decode pending transaction: %w", err)
	}
	return tx, nil
}

// runSimulator simulates queued pending transactions one at a time.
func (m *Monitor) runSimulator(ctx context.Context, s *session, in <-chan *pendingTx) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case p := <-in:
			m.simulate(ctx, s, p)
		}
	}
}

// prefilter decides whether a pending transaction is worth simulating
// (see the package documentation).
func (m *Monitor) prefilter(tx *types.Transaction) bool {
	w := m.cfg.Watch
	if to := tx.To(); to == nil || w.Watched(*to) {
		return true
	}
	m.mu.Lock()
	_, fresh := m.fresh[*tx.To()]
	m.mu.Unlock()
	if fresh {
		return true
	}
	if data := tx.Data(); len(data) >= 20 {
		for _, a := range w.Addresses() {
			if bytes.Contains(data, a.Bytes()) {
				return true
			}
		}
	}
	from, ok := sender(tx)
	if m.calls.wants(tx, from, ok) {
		return true
	}
	if !ok {
		return false
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if _, seen := m.senders[from]; seen {
		return false
	}
	if len(m.senders) >= maxSenders {
		clear(m.senders)
	}
	m.senders[from] = struct{}{}
	return true
}

func (m *Monitor) simulate(ctx context.Context, s *session, p *pendingTx) {
	h := p.tx.Hash()
	res := &PendingResult{Hash: h, SeenAt: p.seen}
	m.mu.Lock()
	_, mined := m.mined[h]
	_, done := m.results[h]
	head := m.head
	m.mu.Unlock()
	if done {
		return
	}
	if !mined {
		m.offerDeployment(p) // early stage: before the (slower) trace
	}
	if mined || !m.prefilter(p.tx) {
		m.finish(res)
		return
	}
	if m.cfg.Store != nil {
		if seen, err := m.cfg.Store.PendingSeen(ctx, m.env.ChainID, h); err == nil && seen {
			m.finish(res) // simulated by a previous run
			return
		}
	}
	ptx, err := s.fetcher.Pending(ctx, p.tx)
	if errors.Is(err, txmodel.ErrNonceUsed) {
		m.finish(res) // mined while queued: the block pass judges it
		return
	}
	m.pendSim.Add(1)
	m.cfg.Metrics.simulated()
	res.Simulated = true
	if err != nil {
		if ctx.Err() == nil {
			m.log.Warn("monitor: simulate pending transaction (debug_traceCall)", "tx", h, "err", err)
		}
		res.Err = err
		m.finish(res)
		return
	}
	if victim, ok := m.relevant(ptx); ok {
		res.Relevant = true
		m.calls.touched(ptx)
		pctx := context.WithoutCancel(ctx)
		if obs := m.inspect(pctx, s, ptx, victim); len(obs) > 0 {
			evs, err := m.observe(pctx, obs)
			if err != nil {
				m.log.Error("monitor: observe", "tx", h, "err", err)
			}
			res.Observations, res.Events = obs, evs
			// The guard first: front-running is time-critical, sinks
			// (webhooks with retries) are not.
			m.offerGuard(p, res)
			m.deliver(pctx, evs)
			m.markDelivered(pctx, obs, evs)
		}
	}
	m.mu.Lock()
	if _, mined := m.mined[h]; !mined {
		m.tracked[h] = &tracked{block: head, alerting: len(res.Observations) > 0}
	}
	m.mu.Unlock()
	if m.cfg.Store != nil {
		if err := m.cfg.Store.MarkPending(context.WithoutCancel(ctx), m.env.ChainID, h, head); err != nil {
			m.log.Error("monitor: mark pending", "err", err)
		}
	}
	m.finish(res)
}

// finish publishes a pending result and wakes its waiters.
func (m *Monitor) finish(res *PendingResult) {
	res.DoneAt = m.cfg.Clock()
	m.mu.Lock()
	m.results[res.Hash] = res
	ws := m.waiters[res.Hash]
	delete(m.waiters, res.Hash)
	if len(m.results) > 4096 {
		for k := range m.results {
			if _, t := m.tracked[k]; !t {
				delete(m.results, k)
			}
			if len(m.results) <= 2048 {
				break
			}
		}
	}
	m.mu.Unlock()
	for _, ch := range ws {
		close(ch)
	}
}
