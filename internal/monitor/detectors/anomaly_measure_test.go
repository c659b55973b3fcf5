package detectors_test

import (
	"context"
	"fmt"
	"math/big"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/attack"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/txanomaly"
	"github.com/aegis-defi/aegis/internal/monitor/pricing"
	"github.com/aegis-defi/aegis/internal/sigdb"
	"github.com/aegis-defi/aegis/internal/testbed"
	"github.com/aegis-defi/aegis/internal/testchain"
	"github.com/aegis-defi/aegis/internal/traffic"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// TestAnomalyBaseline measures what the Half-Space-Trees anomaly detector
// adds to the rules (issue 9, item 7; docs/generalisation.md): benign
// traffic from the generator (its false-alarm rate), then every scenario of
// the library and of the generalisation set (where it fired on a pending
// exploit tx, alongside the rules or alone). It asserts the detector's
// contract — statistical, at most medium —, that nothing on the benign
// traffic is high or critical, and that the rules catch every scenario
// pending; the rest is a measurement, printed with -v. Set
// AEGIS_ANOMALY_TRAFFIC (default 400) to change the benign volume.
//
//	go test ./internal/monitor/detectors -run TestAnomalyBaseline -v
func TestAnomalyBaseline(t *testing.T) {
	if testing.Short() {
		t.Skip("devnet measurement")
	}
	n := 400
	if v := os.Getenv("AEGIS_ANOMALY_TRAFFIC"); v != "" {
		if _, err := fmt.Sscan(v, &n); err != nil {
			t.Fatalf("AEGIS_ANOMALY_TRAFFIC=%q: %v", v, err)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Minute)
	defer cancel()
	tc := testchain.New(t)
	ec := tc.Node.Client()
	rpcc := ec.Client()
	deployer, guardian := tc.Accounts[0], tc.Accounts[1]
	tb, err := testbed.Deploy(ctx, tc.Client, deployer, guardian, testbed.Options{})
	if err != nil {
		t.Fatalf("deploy testbed: %v", err)
	}
	watch := &watchlist{}
	for _, c := range tb.Contracts() {
		watch.add(c.Name, c.Contract.Address)
	}
	prices := pricing.New(pricing.Config{WETH: []common.Address{tb.WETH.Address}})
	for _, pair := range []*chain.Contract{tb.Pair, tb.Pair2} {
		t0, err0 := pair.Call(ctx, "token0")
		t1, err1 := pair.Call(ctx, "token1")
		res, err2 := pair.Call(ctx, "getReserves")
		if err0 != nil || err1 != nil || err2 != nil {
			t.Fatalf("pair state: %v %v %v", err0, err1, err2)
		}
		prices.SetPool(pricing.Pool{Address: pair.Address, Token0: t0[0].(common.Address), Token1: t1[0].(common.Address),
			Reserve0: res[0].(*big.Int), Reserve1: res[1].(*big.Int)})
	}
	head, err := ec.BlockNumber(ctx)
	if err != nil {
		t.Fatal(err)
	}
	h := &harness{t: t, ec: ec, prices: prices, next: head + 1,
		fetcher: txmodel.NewFetcher(rpcc, txmodel.NewDecoder(sigdb.Default()), txmodel.WithTokenResolver(txmodel.NewRPCTokenResolver(rpcc))),
		dets:    detectors.Default(detectors.DefaultConfig())}
	h.env = &detect.Env{ChainID: 1337, Watch: watch, Prices: prices, Now: time.Now, Holdings: h.holdings,
		Labels: labels{deployer.Address: "deployer", guardian.Address: "guardian"}}
	check := func(o alert.Observation) {
		if o.Detector == txanomaly.Name && (!o.Anomaly || o.Severity > alert.SeverityMedium) {
			t.Errorf("anomaly observation breaks its contract (statistical, ≤ medium): %+v", o)
		}
	}

	// The traffic runs in rounds of at most 400 transactions, each traced
	// right after it (the devnet keeps only recent states to trace).
	st := traffic.Stats{ByKind: map[string]int{}}
	var benign []alert.Observation
	for round := 0; round*400 < n; round++ {
		gen, err := traffic.New(traffic.Config{Seed: int64(11 + round), Transactions: min(400, n-round*400)}, tc.Client, tb, tc.Accounts[2], nil)
		if err != nil {
			t.Fatal(err)
		}
		rs, err := gen.Run(ctx)
		if err != nil {
			t.Fatalf("traffic: %v", err)
		}
		st.Transactions += rs.Transactions
		st.Setup += rs.Setup
		for k, v := range rs.ByKind {
			st.ByKind[k] += v
		}
		benign = append(benign, h.mined(ctx)...)
	}
	flagged := map[string]alert.Severity{}
	pooledFlags := 0
	for _, o := range benign {
		check(o)
		if o.Severity >= alert.SeverityHigh {
			t.Errorf("benign tx %s: %s %s: %s", o.TxHash, o.Detector, o.Severity, o.Message)
		}
		if o.Detector == txanomaly.Name {
			flagged[o.TxHash] = max(flagged[o.TxHash], o.Severity)
			if strings.Contains(o.Message, "against all watched") {
				pooledFlags++
			}
		}
	}
	bySev := map[alert.Severity]int{}
	for _, s := range flagged {
		bySev[s]++
	}
	total := st.Transactions + st.Setup
	t.Logf("benign: %d txs (%d main, %d setup) %v; anomaly flagged %d txs (%.1f%%): low %d, medium %d; %d observations by the pooled model (protocols still in their own warm-up)",
		total, st.Transactions, st.Setup, st.ByKind, len(flagged), 100*float64(len(flagged))/float64(total), bySev[alert.SeverityLow], bySev[alert.SeverityMedium], pooledFlags)

	aenv := &attack.Env{Client: tc.Client, Deployer: deployer, Guardian: guardian, Attacker: tc.Accounts[3], Users: tc.Accounts[4:]}
	var fired, alone, withRules int
	all := append(attack.Library(), attack.Generalisation()...)
	for _, sc := range all {
		name := sc.Info().Name
		staged, err := sc.Setup(ctx, aenv, attack.Vulnerable)
		if err != nil {
			t.Fatalf("%s setup: %v", name, err)
		}
		for _, tg := range staged.Targets() {
			if _, ok := watch.Protocol(tg.Address); !ok {
				watch.add(name+"/"+tg.Name, tg.Address)
			}
		}
		for _, o := range h.mined(ctx) {
			check(o)
		}
		var ruleHigh bool
		var anom alert.Severity
		var anomMsg string
		_, err = attack.Execute(ctx, tc.Client, staged, func(ctx context.Context, tx *types.Transaction) error {
			ptx, err := h.fetcher.Pending(ctx, tx)
			if err != nil {
				return fmt.Errorf("simulate pending: %w", err)
			}
			for _, o := range h.inspect(ctx, ptx) {
				check(o)
				switch {
				case o.Detector == txanomaly.Name:
					if o.Severity >= anom {
						anom, anomMsg = o.Severity, o.Message
					}
				case o.Severity >= alert.SeverityHigh:
					ruleHigh = true
				}
			}
			return nil
		})
		if err != nil {
			t.Fatalf("%s execute: %v", name, err)
		}
		for _, o := range h.mined(ctx) {
			check(o)
		}
		if !ruleHigh {
			t.Errorf("%s: no rule raised high/critical on a pending exploit tx", name)
		}
		if anomMsg != "" {
			fired++
			if ruleHigh {
				withRules++
			} else {
				alone++
			}
		}
		t.Logf("%-26s rules high pending=%v anomaly pending=%s %s", name, ruleHigh, map[bool]string{true: anom.String(), false: "-"}[anomMsg != ""], anomMsg)
	}
	t.Logf("scenarios: %d; anomaly fired on %d (alongside the rules %d, alone %d)", len(all), fired, withRules, alone)
}
