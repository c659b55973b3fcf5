package monitor

import (
	"slices"
	"sync"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/monitor/detect"
)

// Watchlist is the set of watched protocols. It implements
// detect.Watchlist, is safe for concurrent use and can grow while the
// monitor runs (the demo adds each scenario's targets once staged).
type Watchlist struct {
	mu        sync.RWMutex
	protocols []detect.Protocol
	byAddr    map[common.Address]int // index into protocols
}

// NewWatchlist returns a watchlist holding ps.
func NewWatchlist(ps ...detect.Protocol) *Watchlist {
	w := &Watchlist{byAddr: map[common.Address]int{}}
	for _, p := range ps {
		w.Add(p)
	}
	return w
}

// Add watches p's addresses under p.Name. An address already watched keeps
// its first protocol; addresses of a protocol with the same name are merged
// into it. An unnamed protocol is named after its first address.
func (w *Watchlist) Add(p detect.Protocol) {
	if len(p.Addresses) == 0 {
		return
	}
	if p.Name == "" {
		p.Name = p.Addresses[0].Hex()
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	idx := slices.IndexFunc(w.protocols, func(q detect.Protocol) bool { return q.Name == p.Name })
	if idx < 0 {
		w.protocols = append(w.protocols, detect.Protocol{Name: p.Name})
		idx = len(w.protocols) - 1
	}
	for _, a := range p.Addresses {
		if _, ok := w.byAddr[a]; ok {
			continue
		}
		w.byAddr[a] = idx
		w.protocols[idx].Addresses = append(w.protocols[idx].Addresses, a)
	}
}

// Set watches p's addresses under p.Name, moving addresses already
// watched under another protocol to p (Add keeps the first name).
func (w *Watchlist) Set(p detect.Protocol) {
	w.mu.Lock()
	for _, a := range p.Addresses {
		i, ok := w.byAddr[a]
		if !ok {
			continue
		}
		delete(w.byAddr, a)
		old := &w.protocols[i]
		old.Addresses = slices.DeleteFunc(old.Addresses, func(x common.Address) bool { return x == a })
	}
	w.mu.Unlock()
	w.Add(p)
}

// Protocol implements detect.Watchlist.
func (w *Watchlist) Protocol(addr common.Address) (detect.Protocol, bool) {
	w.mu.RLock()
	defer w.mu.RUnlock()
	i, ok := w.byAddr[addr]
	if !ok {
		return detect.Protocol{}, false
	}
	p := w.protocols[i]
	p.Addresses = slices.Clone(p.Addresses)
	return p, true
}

// Protocols implements detect.Watchlist.
func (w *Watchlist) Protocols() []detect.Protocol {
	w.mu.RLock()
	defer w.mu.RUnlock()
	out := make([]detect.Protocol, len(w.protocols))
	for i, p := range w.protocols {
		out[i] = detect.Protocol{Name: p.Name, Addresses: slices.Clone(p.Addresses)}
	}
	return out
}

// Watched reports whether addr is watched.
func (w *Watchlist) Watched(addr common.Address) bool {
	w.mu.RLock()
	defer w.mu.RUnlock()
	_, ok := w.byAddr[addr]
	return ok
}

// Addresses returns every watched address.
func (w *Watchlist) Addresses() []common.Address {
	w.mu.RLock()
	defer w.mu.RUnlock()
	out := make([]common.Address, 0, len(w.byAddr))
	for a := range w.byAddr {
		out = append(out, a)
	}
	return out
}

var _ detect.Watchlist = (*Watchlist)(nil)
