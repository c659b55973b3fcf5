package monitor

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/store"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// errChanged means the chain changed under a block being processed; the
// caller re-checks for a reorg and retries.
var errChanged = errors.New("block changed while fetching")

// runBlocks processes blocks up to each published head.
func (m *Monitor) runBlocks(ctx context.Context, s *session, heads <-chan uint64) error {
	for {
		select {
		case <-ctx.Done():
			return nil
		case h := <-heads:
			if err := m.catchUp(ctx, s, h); err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return err
			}
		}
	}
}

// catchUp checks the processed chain is still canonical and processes
// every block up to head − confirmations.
func (m *Monitor) catchUp(ctx context.Context, s *session, head uint64) error {
	for retries := 0; ; retries++ {
		if err := m.checkReorg(ctx, s); err != nil {
			return err
		}
		if head < m.cfg.Confirmations {
			return nil
		}
		target := head - m.cfg.Confirmations
		err := func() error {
			for {
				m.mu.Lock()
				next := m.next
				m.mu.Unlock()
				if next > target || ctx.Err() != nil {
					return nil
				}
				m.backfillAdded(ctx, s)
				if err := m.processBlock(ctx, s, next, head); err != nil {
					return err
				}
			}
		}()
		if errors.Is(err, errChanged) && retries < 8 {
			continue
		}
		if err == nil && ctx.Err() == nil {
			m.caughtMu.Do(func() { close(m.caughtUp) })
		}
		return err
	}
}

// checkReorg verifies that the last processed block is still canonical
// and, if not, walks back to the common ancestor and rewinds.
func (m *Monitor) checkReorg(ctx context.Context, s *session) error {
	m.mu.Lock()
	if m.next == 0 {
		m.mu.Unlock()
		return nil
	}
	top := m.next - 1
	want, ok := m.canon[top]
	m.mu.Unlock()
	if !ok {
		return nil
	}
	hd, err := s.eth.HeaderByNumber(ctx, new(big.Int).SetUint64(top))
	if err != nil && !errors.Is(err, ethereum.NotFound) {
		return fmt.Errorf("monitor: eth_getBlockByNumber %d: %w", top, err)
	}
	if err == nil && hd.Hash() == want {
		return nil
	}
	return m.reorg(ctx, s, top)
}

// reorg finds the highest processed block at or below from that is still
// canonical, retracts everything above it and rewinds the checkpoint.
func (m *Monitor) reorg(ctx context.Context, s *session, from uint64) error {
	m.mu.Lock()
	lowest := m.canonMin
	m.mu.Unlock()
	var ancestor *store.BlockRef
	for n := from; ; n-- {
		m.mu.Lock()
		want, ok := m.canon[n]
		m.mu.Unlock()
		if !ok {
			break
		}
		hd, err := s.eth.HeaderByNumber(ctx, new(big.Int).SetUint64(n))
		if err != nil && !errors.Is(err, ethereum.NotFound) {
			return fmt.Errorf("monitor: eth_getBlockByNumber %d: %w", n, err)
		}
		if err == nil && hd.Hash() == want {
			ancestor = &store.BlockRef{Number: n, Hash: want}
			break
		}
		if n == 0 || n <= lowest {
			break
		}
	}
	fromBlock := lowest
	if ancestor != nil {
		fromBlock = ancestor.Number + 1
	} else {
		m.log.Error("monitor: reorg deeper than the tracked window; re-processing from its start",
			"window_start", lowest, "depth", m.cfg.ReorgDepth)
	}
	m.log.Warn("monitor: chain reorganisation", "from_block", fromBlock, "previous_top", from)
	m.reorgs.Add(1)
	m.cfg.Metrics.reorg()
	evs := m.agg.Reorg(m.env.ChainID, fromBlock)
	m.deliver(ctx, evs)

	m.mu.Lock()
	for n := range m.canon {
		if n >= fromBlock {
			delete(m.canon, n)
		}
	}
	for h, b := range m.mined {
		if b >= fromBlock {
			delete(m.mined, h)
		}
	}
	m.next = fromBlock
	m.mu.Unlock()
	if m.cfg.Store != nil {
		// Without a known ancestor the checkpoint is rewound to just below
		// the window with an unknown (zero) hash.
		ref := store.BlockRef{Number: fromBlock - 1}
		if ancestor != nil {
			ref = *ancestor
		}
		if fromBlock > 0 {
			if err := m.cfg.Store.Rewind(context.WithoutCancel(ctx), m.env.ChainID, ref); err != nil {
				return &fatalError{err}
			}
		}
	}
	return nil
}

// processBlock fetches block n and runs the mined pass over it. Once the
// block is fetched it is processed to the end regardless of ctx.
func (m *Monitor) processBlock(ctx context.Context, s *session, n, head uint64) error {
	num := new(big.Int).SetUint64(n)
	hd, err := s.eth.HeaderByNumber(ctx, num)
	if errors.Is(err, ethereum.NotFound) {
		return errChanged // the chain got shorter
	}
	if err != nil {
		return fmt.Errorf("monitor: eth_getBlockByNumber %d: %w", n, err)
	}
	m.mu.Lock()
	prev, havePrev := m.canon[n-1]
	m.mu.Unlock()
	if n > 0 && havePrev && hd.ParentHash != prev {
		return errChanged // checkReorg finds the ancestor
	}
	var txs []*txmodel.Tx
	if hd.TxHash != types.EmptyTxsHash { // nothing to fetch (and genesis cannot be traced)
		txs, err = s.fetcher.Block(ctx, num)
	}
	if err != nil {
		return fmt.Errorf("monitor: fetch block %d (eth_getBlockByNumber, eth_getBlockReceipts, debug_traceBlockByNumber): %w", n, err)
	}
	hash := hd.Hash()
	for _, tx := range txs {
		if tx.BlockHash != nil && *tx.BlockHash != hash {
			return errChanged
		}
	}

	// From here on the block is processed to the end.
	pctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 2*time.Minute)
	defer cancel()
	m.mu.Lock()
	if m.firstTx.IsZero() {
		m.firstTx = m.cfg.Clock()
	}
	for _, tx := range txs {
		m.mined[tx.Hash] = n
		delete(m.tracked, tx.Hash)
		if len(m.senders) >= maxSenders {
			clear(m.senders)
		}
		m.senders[tx.From] = struct{}{}
		if tx.Status == txmodel.StatusSuccess {
			for _, c := range tx.Created {
				m.fresh[c] = n
			}
			if tx.ContractAddress != nil {
				m.fresh[*tx.ContractAddress] = n
			}
		}
	}
	for c, b := range m.fresh {
		if b+m.cfg.FreshBlocks < n {
			delete(m.fresh, c)
		}
	}
	m.mu.Unlock()
	for _, tx := range txs {
		m.autoWatch(tx)
		m.offerRisk(tx, n)
		m.txs.Add(1)
		m.cfg.Metrics.tx()
		if victim, ok := m.relevant(tx); ok {
			m.relevantTxs.Add(1)
			m.calls.touched(tx)
			m.runTx(pctx, s, tx, victim)
		}
		if tp, ok := m.cfg.Prices.(TxPricer); ok {
			tp.Observe(tx)
		}
	}
	m.dropStale(pctx, s, n)

	if m.cfg.Store != nil {
		if err := m.cfg.Store.CommitBlock(pctx, m.env.ChainID, store.BlockRef{Number: n, Hash: hash}, m.cfg.ReorgDepth); err != nil {
			return &fatalError{err}
		}
	}
	m.mu.Lock()
	m.canon[n] = hash
	if len(m.canon) > m.cfg.ReorgDepth && n >= uint64(m.cfg.ReorgDepth) {
		for k := range m.canon {
			if k <= n-uint64(m.cfg.ReorgDepth) {
				delete(m.canon, k)
			}
		}
	}
	m.canonMin = n
	for k := range m.canon {
		m.canonMin = min(m.canonMin, k)
	}
	for h, b := range m.mined {
		if b+uint64(m.cfg.ReorgDepth) < n {
			delete(m.mined, h)
		}
	}
	m.next = n + 1
	lag := uint64(0)
	if m.head > n {
		lag = m.head - n
	}
	var ready []chan struct{}
	keep := m.blockW[:0]
	for _, w := range m.blockW {
		if w.n <= n {
			ready = append(ready, w.ch)
		} else {
			keep = append(keep, w)
		}
	}
	m.blockW = keep
	m.mu.Unlock()
	if m.cfg.OnBlock != nil {
		m.cfg.OnBlock(n, hash)
	}
	m.cfg.Metrics.block(lag)
	saveState := m.blocks.Add(1)%100 == 0
	for _, ch := range ready { // after OnBlock: blocked WaitBlock callers return after it
		close(ch)
	}
	if saveState {
		if err := m.SaveState(pctx); err != nil {
			m.log.Error("monitor: save detector state", "err", err)
		}
	}
	m.log.Debug("monitor: block processed", "number", n, "hash", hash, "txs", len(txs), "head", head)
	return nil
}

// autoWatch watches the contracts tx created when its sender is one of
// Config.WatchCreatedBy.
func (m *Monitor) autoWatch(tx *txmodel.Tx) {
	if len(m.cfg.WatchCreatedBy) == 0 || tx.Status != txmodel.StatusSuccess || !slices.Contains(m.cfg.WatchCreatedBy, tx.From) {
		return
	}
	created := tx.Created
	if tx.ContractAddress != nil && !slices.Contains(created, *tx.ContractAddress) {
		created = append(slices.Clone(created), *tx.ContractAddress)
	}
	for _, a := range created {
		if !m.cfg.Watch.Watched(a) {
			m.cfg.Watch.Add(detect.Protocol{Name: "contract " + a.Hex(), Addresses: []common.Address{a}})
			m.setHistory([]common.Address{a}) // seen from its creation on
		}
	}
}

// runTx runs the detectors on one transaction and delivers the events.
func (m *Monitor) runTx(ctx context.Context, s *session, tx *txmodel.Tx, victim common.Address) ([]alert.Observation, []alert.Event) {
	obs := m.inspect(ctx, s, tx, victim)
	if len(obs) == 0 {
		return nil, nil
	}
	evs, err := m.observe(ctx, obs)
	if err != nil {
		m.log.Error("monitor: observe", "tx", tx.Hash, "err", err)
	}
	m.deliver(ctx, evs)
	m.markDelivered(ctx, obs, evs)
	return obs, evs
}

// dropStale drops alerting pending transactions that were neither mined
// nor kept by the node's pool DropAfter blocks after they were seen.
func (m *Monitor) dropStale(ctx context.Context, s *session, n uint64) {
	type cand struct {
		hash     common.Hash
		alerting bool
	}
	var cands []cand
	m.mu.Lock()
	for h, t := range m.tracked {
		if n >= t.block+m.cfg.DropAfter {
			cands = append(cands, cand{h, t.alerting})
		}
	}
	m.mu.Unlock()
	for _, c := range cands {
		if !c.alerting {
			m.forget(c.hash)
			continue
		}
		var raw *struct {
			BlockNumber *string `json:"blockNumber"`
		}
		err := s.rpc.CallContext(ctx, &raw, "eth_getTransactionByHash", c.hash)
		if err != nil {
			m.log.Warn("monitor: eth_getTransactionByHash for a stale pending tx", "tx", c.hash, "err", err)
			continue
		}
		switch {
		case raw == nil: // gone
			m.forget(c.hash)
			m.deliver(ctx, m.agg.Drop(m.env.ChainID, c.hash.Hex()))
		case raw.BlockNumber != nil: // mined; the mined pass handles it
			m.forget(c.hash)
		default: // still in the pool: check again next block
		}
	}
}

func (m *Monitor) forget(h common.Hash) {
	m.mu.Lock()
	delete(m.tracked, h)
	delete(m.results, h)
	m.mu.Unlock()
}
