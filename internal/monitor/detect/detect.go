// Package detect defines the contract between the monitor pipeline and its
// streaming detectors. A detector is a plain value behind the small Detector
// interface; it inspects one normalized transaction (txmodel.Tx), pending or
// mined, and returns observations that the alert aggregator groups into
// incidents. Detectors live one per package under internal/monitor/detectors
// and are listed explicitly (no init registration).
package detect

import (
	"context"
	"math/big"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/risk"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// Meta describes a detector: what `aegis monitor --list-detectors`, the docs
// and the alerts show.
type Meta struct {
	// Name is a kebab-case identifier, e.g. "flash-loan".
	Name string
	// Title names the attack class, e.g. "Flash-loan price manipulation".
	Title string
	// Doc explains what the detector looks for and why it matters.
	Doc string
	// Severity and Confidence are the defaults of its observations.
	Severity   alert.Severity
	Confidence alert.Confidence
	// Anomaly marks statistical detectors (never page on their own).
	Anomaly bool
}

// Protocol is a watched protocol: one or more contracts under one name.
type Protocol struct {
	Name      string
	Addresses []common.Address
}

// Watchlist answers "is this address part of a watched protocol?".
type Watchlist interface {
	// Protocol returns the watched protocol addr belongs to.
	Protocol(addr common.Address) (Protocol, bool)
	// Protocols lists every watched protocol.
	Protocols() []Protocol
}

// Pricer values assets in ETH from on-chain pool prices.
type Pricer interface {
	// ETHValue returns the value in ETH (as a float, for reports and
	// thresholds) of amount of asset (the zero address is ETH); ok is false
	// when the asset cannot be priced.
	ETHValue(asset common.Address, amount *big.Int) (eth float64, ok bool)
}

// Labels knows what an address is (mixer, known MEV bot, exchange…).
type Labels interface {
	// Label returns the label of addr, e.g. "mixer:tornado", "mev-bot".
	Label(addr common.Address) (string, bool)
}

// Env is what a detector sees besides the transaction.
type Env struct {
	ChainID uint64
	Watch   Watchlist
	Prices  Pricer
	Labels  Labels
	Now     func() time.Time
	// Holdings returns a watched address's current holdings of asset
	// (before the transaction), for "share of holdings" measures; nil when
	// unknown.
	Holdings func(ctx context.Context, addr, asset common.Address) (*big.Int, error)
	// HistoryKnown reports whether the deposits made into a watched
	// address before the monitor started were learned (the start-up
	// backfill covered it, or the monitor saw it created); nil means the
	// caller does not track history, and detectors assume it is known.
	HistoryKnown func(addr common.Address) bool
	// TokenRisk returns the monitor's latest internal/risk report of a
	// token (scored off the detection path when a pool listed it or a
	// watched pool traded it); nil when not scored or not configured. It
	// never calls the node.
	TokenRisk func(token common.Address) *risk.Report
}

// Detector inspects normalized transactions.
//
// Inspect is called for each relevant transaction, first (when the monitor
// sees it in the mempool) with tx.Stage == txmodel.StagePending, then again
// once it is mined. A stateful detector (windows, first-seen sets) must only
// update its state on mined transactions so the two calls do not double
// count. Inspect must be safe to call from one goroutine at a time; the
// pipeline does not call a detector concurrently.
type Detector interface {
	Meta() Meta
	Inspect(ctx context.Context, env *Env, tx *txmodel.Tx) ([]alert.Observation, error)
}
