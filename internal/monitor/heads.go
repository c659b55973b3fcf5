package monitor

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/rpc"
)

// publish puts head on the one-slot channel, replacing an unread older
// head (latest wins: the blocks component catches up to whatever it sees).
func publish(ch chan uint64, head uint64) {
	for {
		select {
		case ch <- head:
			return
		default:
		}
		select {
		case old := <-ch:
			head = max(head, old)
		default:
		}
	}
}

// runHeads publishes the chain head: the current head first (so a
// reconnect backfills at once), then every newHeads notification, or
// eth_blockNumber every PollInterval when the node cannot subscribe.
func (m *Monitor) runHeads(ctx context.Context, s *session, out chan uint64) error {
	h, err := s.eth.BlockNumber(ctx)
	if err != nil {
		return fmt.Errorf("monitor: eth_blockNumber: %w", err)
	}
	m.connected.Store(true)
	m.mu.Lock()
	m.headAt = m.cfg.Clock() // a fresh session: the head's age counts from now
	m.mu.Unlock()
	m.setHead(h)
	publish(out, h)
	if s.ws {
		ch := make(chan *types.Header, 64)
		sub, err := s.eth.SubscribeNewHead(ctx, ch)
		switch {
		case err == nil:
			defer sub.Unsubscribe()
			s.up()
			// A head mined between eth_blockNumber and the subscription
			// would otherwise wait for the next one.
			if h2, err := s.eth.BlockNumber(ctx); err == nil && h2 != h {
				m.setHead(h2)
				publish(out, h2)
			}
			for {
				select {
				case <-ctx.Done():
					return nil
				case err := <-sub.Err():
					if err == nil {
						err = errors.New("subscription closed")
					}
					return fmt.Errorf("monitor: eth_subscribe newHeads: %w", err)
				case hd := <-ch:
					n := hd.Number.Uint64()
					m.setHead(n)
					publish(out, n)
				}
			}
		case errors.Is(err, rpc.ErrNotificationsUnsupported):
			m.log.Warn("monitor: node cannot subscribe to newHeads; polling", "interval", m.cfg.PollInterval)
		default:
			return fmt.Errorf("monitor: eth_subscribe newHeads: %w", err)
		}
	}
	s.up()
	t := time.NewTicker(m.cfg.PollInterval)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return nil
		case <-t.C:
			// A node that stops answering ends the session (and the
			// monitor reconnects) instead of hanging it.
			pctx, cancel := context.WithTimeout(ctx, max(5*m.cfg.PollInterval, 10*time.Second))
			n, err := s.eth.BlockNumber(pctx)
			cancel()
			if err != nil {
				if ctx.Err() != nil {
					return nil
				}
				return fmt.Errorf("monitor: eth_blockNumber: %w", err)
			}
			m.setHead(n)
			publish(out, n)
		}
	}
}

func (m *Monitor) setHead(n uint64) {
	m.mu.Lock()
	if n != m.head || m.headAt.IsZero() {
		m.headAt = m.cfg.Clock()
	}
	m.head = n
	var lag uint64
	if m.next > 0 && n >= m.next {
		lag = n - (m.next - 1)
	}
	m.mu.Unlock()
	m.cfg.Metrics.lag(lag)
}
