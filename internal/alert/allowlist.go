package alert

import (
	"fmt"
	"strings"
)

// AllowlistEntry is one known benign actor.
type AllowlistEntry struct {
	Address string `json:"address"`
	// Label names the actor, e.g. "jaredfromsubway.eth".
	Label string `json:"label"`
	// Kind classifies it, e.g. "mev-bot", "arbitrage-bot", "liquidator".
	Kind string `json:"kind,omitempty"`
}

// Allowlist is a set of known MEV, arbitrage and liquidation bots whose
// flash-loan-heavy, price-moving transactions look like attacks but are
// not. The [Aggregator] consults it (see [AllowlistMode]).
//
// An Allowlist is immutable after construction and safe for concurrent use.
type Allowlist struct {
	byAddr map[string]AllowlistEntry
}

// NewAllowlist builds an allowlist from entries. Addresses are matched
// case-insensitively. It fails on an empty or malformed address.
func NewAllowlist(entries ...AllowlistEntry) (*Allowlist, error) {
	l := &Allowlist{byAddr: make(map[string]AllowlistEntry, len(entries))}
	for _, e := range entries {
		a := normAddr(e.Address)
		if !isHexAddr(a) {
			return nil, fmt.Errorf("alert: allowlist entry %q: not a 20-byte hex address", e.Address)
		}
		e.Address = a
		l.byAddr[a] = e
	}
	return l, nil
}

// DefaultAllowlistEntries returns a small seed list of well-known Ethereum
// mainnet MEV bots. It is a starting point, not an authority: operators
// should extend it with [NewAllowlist] from their own configuration. A
// fresh slice is returned on every call.
func DefaultAllowlistEntries() []AllowlistEntry {
	return []AllowlistEntry{
		{Address: "0x6b75d8AF000000e20B7a7DDf000Ba900b4009A80", Label: "jaredfromsubway.eth", Kind: "mev-bot"},
		{Address: "0xA69babEF1cA67A37Ffaf7a485DfFF3382056e78C", Label: "MEV Bot 0xA69b…e78C", Kind: "mev-bot"},
		{Address: "0x56178a0d5F301bAf6CF3e1Cd53d9863437345Bf9", Label: "MEV Bot 0x5617…5Bf9", Kind: "mev-bot"},
	}
}

// Lookup reports whether addr is allowlisted, and its entry.
func (l *Allowlist) Lookup(addr string) (AllowlistEntry, bool) {
	if l == nil || addr == "" {
		return AllowlistEntry{}, false
	}
	e, ok := l.byAddr[normAddr(addr)]
	return e, ok
}

// Len is the number of entries.
func (l *Allowlist) Len() int {
	if l == nil {
		return 0
	}
	return len(l.byAddr)
}

// AllowlistMode says what the aggregator does with a signal whose attacker
// is allowlisted.
type AllowlistMode int

const (
	// AllowlistDowngrade keeps the signal but lowers its severity to
	// [AggregatorConfig.AllowlistSeverity] and records the match on the
	// alert. This is the default: a bot draining a protocol is still worth
	// a low-priority note.
	AllowlistDowngrade AllowlistMode = iota
	// AllowlistDrop discards the signal; the reason is recorded in
	// [Aggregator.Suppressions].
	AllowlistDrop
)

func normAddr(a string) string { return strings.ToLower(strings.TrimSpace(a)) }

func isHexAddr(a string) bool {
	if len(a) != 42 || !strings.HasPrefix(a, "0x") {
		return false
	}
	for _, c := range a[2:] {
		if !(c >= '0' && c <= '9' || c >= 'a' && c <= 'f') {
			return false
		}
	}
	return true
}
