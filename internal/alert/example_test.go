package alert_test

import (
	"context"
	"fmt"
	"os"
	"time"

	"github.com/aegis-defi/aegis/internal/alert"
)

// A pending flash-loan attack is seen in the mempool, then mined: one alert,
// promoted in place, delivered to the console (and, in production, to
// Slack, PagerDuty… through the same router).
func Example() {
	now := time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)
	agg := alert.NewAggregator(alert.AggregatorConfig{Clock: func() time.Time { return now }})
	router := alert.NewRouter(alert.RouterConfig{Timeout: 5 * time.Second},
		alert.NewConsole(alert.ConsoleConfig{Writer: os.Stdout}))
	defer router.Close(context.Background())

	obs := alert.Observation{
		Detector: "flashloan-price-manipulation", Severity: alert.SeverityCritical, Confidence: 0.9,
		Numbers: map[string]float64{"loss_eth": 412},
		ChainID: 1, TxHash: "0xaaaa00000000000000000000000000000000000000000000000000000000aaaa",
		Attacker: "0xabcd000000000000000000000000000000001234",
		Victim:   alert.Protocol{Name: "LendingPool", Address: "0x1111000000000000000000000000000000001111"},
		Title:    "Flash-loan price manipulation", Technique: "flash-loan manipulation of the TKN/WETH pool",
	}
	deliver := func(evs []alert.Event, err error) {
		if err != nil {
			fmt.Println(err)
		}
		for _, ev := range evs {
			if err := router.Send(context.Background(), ev); err != nil {
				fmt.Println(err)
			}
		}
	}
	deliver(agg.Observe(obs)) // in the mempool
	now = now.Add(12 * time.Second)
	obs.Stage, obs.Block = alert.StageConfirmed, 19_000_000
	deliver(agg.Observe(obs)) // mined: promoted, same ID
	deliver(agg.Observe(obs)) // duplicate: nothing
	// Output:
	// [CRITICAL] NEW Flash-loan price manipulation on LendingPool (chain 1, pending, id 169218c023ae7a62)
	//   0xabcd…1234 is attempting to drain 412 ETH from LendingPool via flash-loan manipulation of the TKN/WETH pool (pending transaction) · confidence 0.90 (high) · detectors: flashloan-price-manipulation · txs: 0xaaaa…aaaa (pending)
	// [CRITICAL] CONFIRMED Flash-loan price manipulation on LendingPool (chain 1, confirmed, id 169218c023ae7a62) — stage pending → confirmed
	//   0xabcd…1234 drained 412 ETH from LendingPool via flash-loan manipulation of the TKN/WETH pool · confidence 0.90 (high) · detectors: flashloan-price-manipulation · txs: 0xaaaa…aaaa (confirmed, block 19000000)
}
