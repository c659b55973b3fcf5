// Package rugpull implements the rug-pull detector on watched tokens and
// their pools: the owner removes most of a pool's liquidity, mints a large
// amount to itself, raises the sell tax or disables trading (the levers of
// aegis's MintableToken and of real rug pulls).
package rugpull

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/dutil"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// Name is the detector's name.
const Name = "rug-pull"

// Config holds the detector's thresholds.
type Config struct {
	// MinLiquidityShare is the share (0–1) of a pool's reserves removed in
	// one Burn that fires (default 0.5).
	MinLiquidityShare float64
	// MinMintETH is the value (ETH, pre-transaction price) of tokens minted
	// to the sender that fires (default 10); MinMintShare of the pool's
	// token reserve fires too when unpriced (default 0.5).
	MinMintETH   float64
	MinMintShare float64
	// MaxSellTaxBps is the highest sell tax not reported (default 1,000 =
	// 10%).
	MaxSellTaxBps int64
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config {
	return Config{MinLiquidityShare: 0.5, MinMintETH: 10, MinMintShare: 0.5, MaxSellTaxBps: 1000}
}

// Detector is the rug-pull detector.
type Detector struct{ cfg Config }

// New returns the detector; zero Config fields take the defaults.
func New(cfg Config) *Detector {
	d := DefaultConfig()
	if cfg.MinLiquidityShare == 0 {
		cfg.MinLiquidityShare = d.MinLiquidityShare
	}
	if cfg.MinMintETH == 0 {
		cfg.MinMintETH = d.MinMintETH
	}
	if cfg.MinMintShare == 0 {
		cfg.MinMintShare = d.MinMintShare
	}
	if cfg.MaxSellTaxBps == 0 {
		cfg.MaxSellTaxBps = d.MaxSellTaxBps
	}
	return &Detector{cfg: cfg}
}

// Meta implements detect.Detector.
func (*Detector) Meta() detect.Meta {
	return detect.Meta{
		Name:       Name,
		Title:      "Rug pull",
		Doc:        "Fires on a watched token or its pool when: a Burn removes more than MinLiquidityShare of the pool's reserves (critical); the token mints to the sender more than MinMintETH at the pre-transaction price (high); SellTaxChanged raises the sell tax above MaxSellTaxBps (high); TradingEnabledChanged(false) (high). When the monitor scored the token with the risk engine (internal/risk), the engine's level, score and top factors are added to the message.",
		Severity:   alert.SeverityHigh,
		Confidence: 0.8,
	}
}

// Topics of MintableToken's owner levers.
var (
	topicSellTax = crypto.Keccak256Hash([]byte("SellTaxChanged(uint256,uint256)"))
	topicTrading = crypto.Keccak256Hash([]byte("TradingEnabledChanged(bool)"))
)

func watched(env *detect.Env, a common.Address) bool {
	_, ok := dutil.Protocol(env, a)
	return ok
}

func f(x *big.Int) float64 {
	if x == nil {
		return 0
	}
	v, _ := new(big.Float).SetInt(x).Float64()
	return v
}

// Inspect implements detect.Detector.
func (d *Detector) Inspect(_ context.Context, env *detect.Env, tx *txmodel.Tx) ([]alert.Observation, error) {
	if !dutil.Usable(tx) {
		return nil, nil
	}
	p := dutil.Prices(env, tx)
	var out []alert.Observation
	emit := func(sev alert.Severity, conf alert.Confidence, victim common.Address, technique, msg string, nums map[string]float64) {
		o := dutil.Observation(env, tx, d.Meta(), sev, conf, msg)
		o.Victim = dutil.Victim(env, victim)
		o.Technique = technique
		for k, v := range nums {
			o.Numbers[k] = v
		}
		if note, rep := engineNote(env, tx, victim); rep != nil { // the risk engine's view of the token
			o.Message += note
			o.Numbers["risk_score"] = float64(rep.RiskScore)
		}
		out = append(out, o)
	}
	// Liquidity removal.
	for _, l := range tx.LogsOfKind(txmodel.KindV2Burn) {
		b, ok := l.Decoded.(*txmodel.V2Burn)
		pm := tx.Pool(l.Address)
		if !ok || pm == nil || pm.Reserve0Before == nil || pm.Reserve1Before == nil {
			continue
		}
		if !watched(env, l.Address) && !(pm.Token0 != nil && watched(env, *pm.Token0)) && !(pm.Token1 != nil && watched(env, *pm.Token1)) {
			continue
		}
		r0, r1 := f(pm.Reserve0Before), f(pm.Reserve1Before)
		if r0 <= 0 || r1 <= 0 {
			continue
		}
		share := max(f(b.Amount0)/r0, f(b.Amount1)/r1)
		if share < d.cfg.MinLiquidityShare {
			continue
		}
		emit(alert.SeverityCritical, 0.85, l.Address, "liquidity removal",
			fmt.Sprintf("%.0f%% of pool %s's liquidity removed by %s", 100*share, dutil.Name(env, l.Address), dutil.Short(tx.From)),
			map[string]float64{"liquidity_share": share})
	}
	// Mints to the sender.
	minted := map[common.Address]*big.Int{}
	for _, l := range tx.LogsOfKind(txmodel.KindERC20Transfer) {
		t, ok := l.Decoded.(*txmodel.Transfer)
		if !ok || t.From != (common.Address{}) || t.To != tx.From || t.Value == nil || !watched(env, l.Address) {
			continue
		}
		if minted[l.Address] == nil {
			minted[l.Address] = new(big.Int)
		}
		minted[l.Address].Add(minted[l.Address], t.Value)
	}
	for token, amt := range minted {
		v, priced := p.ETHValue(token, amt)
		share := d.mintShare(env, tx, token, amt)
		if (!priced || v < d.cfg.MinMintETH) && share < d.cfg.MinMintShare {
			continue
		}
		emit(alert.SeverityHigh, 0.75, token, "mint to the owner",
			fmt.Sprintf("%s minted %s %s to the sender (worth %.2f ETH at the pre-tx price, %.0f× the pool reserve)", dutil.Name(env, token), amt, dutil.Short(token), v, share),
			map[string]float64{"mint_eth": v, "mint_reserve_ratio": share})
	}
	// Owner levers.
	for _, l := range tx.Logs {
		if !watched(env, l.Address) || len(l.Topics) == 0 {
			continue
		}
		switch l.Topics[0] {
		case topicSellTax:
			if len(l.Data) < 64 {
				continue
			}
			prev, next := new(big.Int).SetBytes(l.Data[:32]), new(big.Int).SetBytes(l.Data[32:64])
			if next.Cmp(prev) <= 0 || next.Cmp(big.NewInt(d.cfg.MaxSellTaxBps)) <= 0 {
				continue
			}
			emit(alert.SeverityHigh, 0.8, l.Address, "sell tax raise",
				fmt.Sprintf("%s sell tax raised from %s to %s bps", dutil.Name(env, l.Address), prev, next),
				map[string]float64{"sell_tax_bps": f(next)})
		case topicTrading:
			if len(l.Data) < 32 || new(big.Int).SetBytes(l.Data[:32]).Sign() != 0 {
				continue
			}
			emit(alert.SeverityHigh, 0.8, l.Address, "trading disabled",
				fmt.Sprintf("%s trading disabled by %s", dutil.Name(env, l.Address), dutil.Short(tx.From)), nil)
		}
	}
	return out, nil
}

// mintShare is amt relative to the token's reserve in a pool of tx, when
// known (0 otherwise).
func (d *Detector) mintShare(_ *detect.Env, tx *txmodel.Tx, token common.Address, amt *big.Int) float64 {
	best := 0.0
	for _, pm := range tx.Pools {
		var r *big.Int
		switch {
		case pm.Token0 != nil && *pm.Token0 == token:
			r = pm.Reserve0Before
		case pm.Token1 != nil && *pm.Token1 == token:
			r = pm.Reserve1Before
		}
		if rf := f(r); rf > 0 {
			best = max(best, f(amt)/rf)
		}
	}
	return best
}
