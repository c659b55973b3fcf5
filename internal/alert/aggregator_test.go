package alert_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aegis-defi/aegis/internal/alert"
)

const (
	attacker  = "0xAbCd000000000000000000000000000000001234"
	attacker2 = "0x9999000000000000000000000000000000009999"
	poolAddr  = "0x1111000000000000000000000000000000001111"
	tx1       = "0xaaaa00000000000000000000000000000000000000000000000000000000aaaa"
	tx2       = "0xbbbb00000000000000000000000000000000000000000000000000000000bbbb"
	tx3       = "0xcccc00000000000000000000000000000000000000000000000000000000cccc"
)

var lendingPool = alert.Protocol{Name: "LendingPool", Address: poolAddr}

// fakeClock is a manually advanced clock.
type fakeClock struct{ t time.Time }

func (c *fakeClock) Now() time.Time          { return c.t }
func (c *fakeClock) Advance(d time.Duration) { c.t = c.t.Add(d) }

func newClock() *fakeClock {
	return &fakeClock{t: time.Date(2026, 3, 1, 12, 0, 0, 0, time.UTC)}
}

func flashLoan(tx string, stage alert.Stage, block uint64) alert.Observation {
	return alert.Observation{
		Detector: "flashloan-price-manipulation", Severity: alert.SeverityCritical, Confidence: 0.9,
		Message: "pool price moved 38% inside one flash loan",
		Numbers: map[string]float64{"loss_eth": 412, "price_impact": 0.38},
		ChainID: 1, TxHash: tx, Stage: stage, Block: block,
		Attacker: attacker, Victim: lendingPool,
		Title: "Flash-loan price manipulation", Technique: "flash-loan manipulation of the TKN/WETH pool",
	}
}

func anomaly(tx string, sev alert.Severity) alert.Observation {
	return alert.Observation{
		Detector: "volume-anomaly", Severity: sev, Confidence: 0.6, Anomaly: true,
		Message: "withdrawal volume 14σ above baseline",
		Numbers: map[string]float64{"anomaly_score": 14},
		ChainID: 1, TxHash: tx, Stage: alert.StageConfirmed, Block: 100,
		Attacker: attacker, Victim: lendingPool,
	}
}

// step is one action against the aggregator and the events it must emit.
type step struct {
	name    string
	advance time.Duration
	do      func(*alert.Aggregator) ([]alert.Event, error)
	want    []alert.EventKind // emitted kinds, in order
	check   func(t *testing.T, evs []alert.Event, a *alert.Aggregator)
}

func observe(o alert.Observation) func(*alert.Aggregator) ([]alert.Event, error) {
	return func(a *alert.Aggregator) ([]alert.Event, error) { return a.Observe(o) }
}

func TestAggregator(t *testing.T) {
	// firstID is set by the first opened event of each case.
	var firstID string
	sameID := func(t *testing.T, evs []alert.Event, _ *alert.Aggregator) {
		t.Helper()
		for _, e := range evs {
			if e.Alert.ID != firstID {
				t.Errorf("%s event has alert ID %s, want the incident's ID %s", e.Kind, e.Alert.ID, firstID)
			}
		}
	}
	allow, err := alert.NewAllowlist(alert.AllowlistEntry{Address: attacker2, Label: "friendly-arb", Kind: "arbitrage-bot"})
	if err != nil {
		t.Fatal(err)
	}

	cases := []struct {
		name  string
		cfg   alert.AggregatorConfig
		steps []step
	}{
		{
			name: "pending promoted to confirmed keeps ID",
			steps: []step{
				{name: "mempool", do: observe(flashLoan(tx1, alert.StagePending, 0)), want: []alert.EventKind{alert.EventOpened},
					check: func(t *testing.T, evs []alert.Event, _ *alert.Aggregator) {
						a := evs[0].Alert
						if a.Stage != alert.StagePending || a.Severity != alert.SeverityCritical {
							t.Errorf("stage %s severity %s, want pending critical", a.Stage, a.Severity)
						}
						want := "0xabcd…1234 is attempting to drain 412 ETH from LendingPool via flash-loan manipulation of the TKN/WETH pool (pending transaction)"
						if a.Summary != want {
							t.Errorf("summary\n got %q\nwant %q", a.Summary, want)
						}
					}},
				{name: "mined", advance: time.Second * 12, do: observe(flashLoan(tx1, alert.StageConfirmed, 100)),
					want: []alert.EventKind{alert.EventPromoted},
					check: func(t *testing.T, evs []alert.Event, a *alert.Aggregator) {
						sameID(t, evs, a)
						al := evs[0].Alert
						if al.Stage != alert.StageConfirmed || al.Evidence.Txs[0].Block != 100 {
							t.Errorf("stage %s txs %+v", al.Stage, al.Evidence.Txs)
						}
						want := "0xabcd…1234 drained 412 ETH from LendingPool via flash-loan manipulation of the TKN/WETH pool"
						if al.Summary != want {
							t.Errorf("summary\n got %q\nwant %q", al.Summary, want)
						}
						if al.Evidence.Numbers["loss_eth"] != 412 {
							t.Errorf("loss_eth = %v, want 412 (same tx counted once)", al.Evidence.Numbers["loss_eth"])
						}
						if got := a.Stats().Incidents; got != 1 {
							t.Errorf("%d incidents, want 1", got)
						}
					}},
			},
		},
		{
			name: "cooldown suppresses duplicates",
			steps: []step{
				{name: "first", do: observe(flashLoan(tx1, alert.StageConfirmed, 100)), want: []alert.EventKind{alert.EventOpened}},
				{name: "same signal again", advance: time.Second, do: observe(flashLoan(tx1, alert.StageConfirmed, 100))},
				{name: "second detector within cooldown", advance: time.Minute, do: observe(alert.Observation{
					Detector: "oracle-deviation", Severity: alert.SeverityHigh, Confidence: 0.7, Message: "oracle deviates 30%",
					ChainID: 1, TxHash: tx1, Block: 100, Attacker: attacker, Victim: lendingPool})},
				{name: "tick within cooldown", advance: time.Minute, do: func(a *alert.Aggregator) ([]alert.Event, error) { return a.Tick(), nil }},
				{name: "tick after cooldown reports held-back change", advance: 4 * time.Minute,
					do:   func(a *alert.Aggregator) ([]alert.Event, error) { return a.Tick(), nil },
					want: []alert.EventKind{alert.EventUpdated},
					check: func(t *testing.T, evs []alert.Event, a *alert.Aggregator) {
						sameID(t, evs, a)
						if !strings.Contains(evs[0].Reason, "new detector oracle-deviation") {
							t.Errorf("reason %q", evs[0].Reason)
						}
						if got := evs[0].Alert.Detectors; len(got) != 2 {
							t.Errorf("detectors %v", got)
						}
						if c := evs[0].Alert.Confidence; c < 0.96 || c > 0.98 { // 1-(0.1*0.3)
							t.Errorf("confidence %v, want noisy-OR 0.97", c)
						}
					}},
				{name: "duplicate after cooldown is still quiet", advance: 10 * time.Minute, do: observe(flashLoan(tx1, alert.StageConfirmed, 100))},
			},
		},
		{
			name: "severity escalation re-notifies within cooldown",
			steps: []step{
				{name: "medium", do: observe(alert.Observation{Detector: "reentrancy", Severity: alert.SeverityMedium, Confidence: 0.5,
					ChainID: 1, TxHash: tx1, Block: 100, Attacker: attacker, Victim: lendingPool}), want: []alert.EventKind{alert.EventOpened}},
				{name: "critical", advance: time.Second, do: observe(flashLoan(tx1, alert.StageConfirmed, 100)),
					want: []alert.EventKind{alert.EventUpdated},
					check: func(t *testing.T, evs []alert.Event, a *alert.Aggregator) {
						sameID(t, evs, a)
						if evs[0].Alert.Severity != alert.SeverityCritical || evs[0].Reason != "severity rose from medium to critical" {
							t.Errorf("severity %s reason %q", evs[0].Alert.Severity, evs[0].Reason)
						}
					}},
				{name: "lower severity does not", advance: time.Second, do: observe(alert.Observation{Detector: "reentrancy", Severity: alert.SeverityLow,
					ChainID: 1, TxHash: tx1, Block: 100, Attacker: attacker, Victim: lendingPool})},
			},
		},
		{
			name: "reorg retracts then re-mining promotes",
			steps: []step{
				{name: "mined", do: observe(flashLoan(tx1, alert.StageConfirmed, 100)), want: []alert.EventKind{alert.EventOpened}},
				{name: "reorg below", advance: time.Second, do: func(a *alert.Aggregator) ([]alert.Event, error) { return a.Reorg(1, 101), nil }},
				{name: "other chain", do: func(a *alert.Aggregator) ([]alert.Event, error) { return a.Reorg(5, 0), nil }},
				{name: "reorg", advance: time.Second, do: func(a *alert.Aggregator) ([]alert.Event, error) { return a.Reorg(1, 99), nil },
					want: []alert.EventKind{alert.EventRetracted},
					check: func(t *testing.T, evs []alert.Event, a *alert.Aggregator) {
						sameID(t, evs, a)
						if al := evs[0].Alert; al.Stage != alert.StageRetracted || al.Evidence.Txs[0].Stage != alert.StageRetracted {
							t.Errorf("stage %s txs %+v", al.Stage, al.Evidence.Txs)
						}
					}},
				{name: "re-mined", advance: 12 * time.Second, do: observe(flashLoan(tx1, alert.StageConfirmed, 101)),
					want: []alert.EventKind{alert.EventPromoted}, check: sameID},
			},
		},
		{
			name: "pending tx dropped from mempool",
			steps: []step{
				{name: "mempool", do: observe(flashLoan(tx1, alert.StagePending, 0)), want: []alert.EventKind{alert.EventOpened}},
				{name: "unknown tx", do: func(a *alert.Aggregator) ([]alert.Event, error) { return a.Drop(1, tx3), nil }},
				{name: "gone", advance: time.Minute, do: func(a *alert.Aggregator) ([]alert.Event, error) { return a.Drop(1, strings.ToUpper(tx1[2:3])+tx1), nil }},
				{name: "gone (case-insensitive hash)", do: func(a *alert.Aggregator) ([]alert.Event, error) { return a.Drop(1, strings.ToUpper(tx1)), nil },
					want: []alert.EventKind{alert.EventDropped}, check: sameID},
			},
		},
		{
			name: "related txs by the same attacker join one incident",
			steps: []step{
				{name: "tx1", do: observe(flashLoan(tx1, alert.StageConfirmed, 100)), want: []alert.EventKind{alert.EventOpened}},
				{name: "tx2 in window", advance: 6 * time.Minute, do: observe(flashLoan(tx2, alert.StageConfirmed, 130)),
					want: []alert.EventKind{alert.EventUpdated},
					check: func(t *testing.T, evs []alert.Event, a *alert.Aggregator) {
						sameID(t, evs, a)
						al := evs[0].Alert
						if len(al.Evidence.Txs) != 2 || al.Evidence.Numbers["loss_eth"] != 824 {
							t.Errorf("txs %v loss %v, want 2 txs and 824 ETH", al.Evidence.Txs, al.Evidence.Numbers["loss_eth"])
						}
						if al.Evidence.Numbers["price_impact"] != 0.38 {
							t.Errorf("price_impact %v, want max 0.38", al.Evidence.Numbers["price_impact"])
						}
					}},
				{name: "other attacker is another incident", do: observe(func() alert.Observation {
					o := flashLoan(tx3, alert.StageConfirmed, 131)
					o.Attacker = "0x2222000000000000000000000000000000002222"
					return o
				}()), want: []alert.EventKind{alert.EventOpened},
					check: func(t *testing.T, evs []alert.Event, a *alert.Aggregator) {
						if evs[0].Alert.ID == firstID {
							t.Error("different attacker joined the incident")
						}
					}},
				{name: "after window: new incident, same dedup key", advance: 11 * time.Minute,
					do: observe(flashLoan("0xdddd", alert.StageConfirmed, 200)), want: []alert.EventKind{alert.EventOpened},
					check: func(t *testing.T, evs []alert.Event, a *alert.Aggregator) {
						if evs[0].Alert.ID == firstID {
							t.Error("attack after the window joined the old incident")
						}
						if old, _ := a.Get(firstID); old == nil || old.DedupKey != evs[0].Alert.DedupKey {
							t.Error("dedup key should identify (chain, victim, attacker)")
						}
					}},
			},
		},
		{
			name: "anomaly-only capped at medium until a rule fires",
			steps: []step{
				{name: "anomaly critical", do: observe(anomaly(tx1, alert.SeverityCritical)), want: []alert.EventKind{alert.EventOpened},
					check: func(t *testing.T, evs []alert.Event, _ *alert.Aggregator) {
						al := evs[0].Alert
						if al.Severity != alert.SeverityMedium || !al.AnomalyOnly || al.Title != "Anomalous activity on LendingPool" {
							t.Errorf("severity %s anomaly_only %v title %q", al.Severity, al.AnomalyOnly, al.Title)
						}
					}},
				{name: "second anomaly stays capped", advance: time.Second, do: observe(func() alert.Observation {
					o := anomaly(tx1, alert.SeverityHigh)
					o.Detector = "tvl-drop"
					return o
				}())},
				{name: "rule fires", advance: time.Second, do: observe(flashLoan(tx1, alert.StageConfirmed, 100)),
					want: []alert.EventKind{alert.EventUpdated},
					check: func(t *testing.T, evs []alert.Event, _ *alert.Aggregator) {
						if al := evs[0].Alert; al.Severity != alert.SeverityCritical || al.AnomalyOnly {
							t.Errorf("severity %s anomaly_only %v", al.Severity, al.AnomalyOnly)
						}
					}},
			},
		},
		{
			name: "allowlisted attacker dropped",
			cfg:  alert.AggregatorConfig{Allowlist: allow, AllowlistMode: alert.AllowlistDrop},
			steps: []step{
				{name: "bot", do: observe(func() alert.Observation {
					o := flashLoan(tx1, alert.StageConfirmed, 100)
					o.Attacker = strings.ToUpper(attacker2[2:]) // case-insensitive, no 0x
					o.Attacker = "0x" + o.Attacker
					return o
				}()), check: func(t *testing.T, _ []alert.Event, a *alert.Aggregator) {
					s := a.Suppressions()
					if len(s) != 1 || !strings.Contains(s[0].Reason, "friendly-arb") || !strings.Contains(s[0].Reason, "dropped") {
						t.Errorf("suppressions %+v", s)
					}
					if st := a.Stats(); st.Suppressed != 1 || st.Incidents != 0 {
						t.Errorf("stats %+v", st)
					}
				}},
			},
		},
		{
			name: "allowlisted attacker downgraded",
			cfg:  alert.AggregatorConfig{Allowlist: allow},
			steps: []step{
				{name: "bot", do: observe(func() alert.Observation {
					o := flashLoan(tx1, alert.StageConfirmed, 100)
					o.Attacker = attacker2
					return o
				}()), want: []alert.EventKind{alert.EventOpened},
					check: func(t *testing.T, evs []alert.Event, _ *alert.Aggregator) {
						al := evs[0].Alert
						if al.Severity != alert.SeverityInfo || al.Allowlisted == nil || al.Allowlisted.Label != "friendly-arb" ||
							!strings.Contains(al.Allowlisted.Reason, "downgraded to info") {
							t.Errorf("severity %s allowlisted %+v", al.Severity, al.Allowlisted)
						}
					}},
			},
		},
		{
			name: "guard response always notifies",
			steps: []step{
				{name: "mined", do: observe(flashLoan(tx1, alert.StageConfirmed, 100)), want: []alert.EventKind{alert.EventOpened}},
				{name: "respond", advance: time.Second, do: func(a *alert.Aggregator) ([]alert.Event, error) {
					ev, err := a.Respond(firstID, alert.Response{Action: "paused LendingPool", Block: 101,
						Outcome: "attack 0xaaaa…aaaa reverted", FundsProtectedETH: 412})
					return []alert.Event{ev}, err
				}, want: []alert.EventKind{alert.EventUpdated},
					check: func(t *testing.T, evs []alert.Event, a *alert.Aggregator) {
						sameID(t, evs, a)
						want := "paused LendingPool in block 101; attack 0xaaaa…aaaa reverted; 412 ETH protected"
						if evs[0].Reason != "guard responded" || evs[0].Alert.Response == nil || evs[0].Alert.Response.String() != want {
							t.Errorf("reason %q response %+v, want %q", evs[0].Reason, evs[0].Alert.Response, want)
						}
						if _, err := a.Respond("nope", alert.Response{}); err == nil {
							t.Error("Respond to unknown id: no error")
						}
					}},
			},
		},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			clk := newClock()
			cfg := tc.cfg
			cfg.Clock = clk.Now
			agg := alert.NewAggregator(cfg)
			firstID = ""
			for _, st := range tc.steps {
				clk.Advance(st.advance)
				evs, err := st.do(agg)
				if err != nil {
					t.Fatalf("%s: %v", st.name, err)
				}
				var kinds []alert.EventKind
				for _, e := range evs {
					kinds = append(kinds, e.Kind)
					if e.Kind == alert.EventOpened && firstID == "" {
						firstID = e.Alert.ID
					}
				}
				if strings.Join(kindStrings(kinds), ",") != strings.Join(kindStrings(st.want), ",") {
					t.Fatalf("%s: events %v, want %v", st.name, kinds, st.want)
				}
				if st.check != nil {
					st.check(t, evs, agg)
				}
			}
		})
	}
}

func kindStrings(ks []alert.EventKind) []string {
	s := make([]string, len(ks))
	for i, k := range ks {
		s[i] = string(k)
	}
	return s
}

func TestAggregatorEventsAreSnapshots(t *testing.T) {
	clk := newClock()
	agg := alert.NewAggregator(alert.AggregatorConfig{Clock: clk.Now})
	evs, _ := agg.Observe(flashLoan(tx1, alert.StagePending, 0))
	first := evs[0].Alert
	clk.Advance(time.Second)
	if _, err := agg.Observe(flashLoan(tx1, alert.StageConfirmed, 100)); err != nil {
		t.Fatal(err)
	}
	if first.Stage != alert.StagePending || first.Evidence.Txs[0].Stage != alert.StagePending {
		t.Error("an emitted alert changed after a later observation")
	}
}

func TestAggregatorRejectsBadObservations(t *testing.T) {
	agg := alert.NewAggregator(alert.AggregatorConfig{})
	for _, o := range []alert.Observation{
		{Severity: alert.SeverityHigh, Victim: lendingPool},
		{Detector: "d", Severity: 9, Victim: lendingPool},
		{Detector: "d", Severity: alert.SeverityHigh},
		{Detector: "d", Severity: alert.SeverityHigh, Victim: lendingPool, Stage: alert.StageDropped},
	} {
		if _, err := agg.Observe(o); err == nil {
			t.Errorf("Observe(%+v): no error", o)
		}
	}
}

func TestSeverityParseFormatJSON(t *testing.T) {
	for s := alert.SeverityInfo; s <= alert.SeverityCritical; s++ {
		got, err := alert.ParseSeverity(strings.ToUpper(s.String()))
		if err != nil || got != s {
			t.Errorf("ParseSeverity(%q) = %v, %v", s, got, err)
		}
	}
	if _, err := alert.ParseSeverity("urgent"); err == nil {
		t.Error("ParseSeverity(urgent): no error")
	}
	if !(alert.SeverityLow < alert.SeverityHigh) {
		t.Error("severities not ordered")
	}
	b, err := json.Marshal(map[string]alert.Severity{"s": alert.SeverityHigh})
	if err != nil || string(b) != `{"s":"high"}` {
		t.Errorf("marshal: %s %v", b, err)
	}
	var back map[string]alert.Severity
	if err := json.Unmarshal(b, &back); err != nil || back["s"] != alert.SeverityHigh {
		t.Errorf("unmarshal: %v %v", back, err)
	}
}

func TestAlertJSONIsSnakeCase(t *testing.T) {
	agg := alert.NewAggregator(alert.AggregatorConfig{Clock: newClock().Now})
	evs, _ := agg.Observe(flashLoan(tx1, alert.StageConfirmed, 100))
	b, err := json.Marshal(evs[0])
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	al := m["alert"].(map[string]any)
	for _, k := range []string{"id", "dedup_key", "severity", "confidence", "title", "summary", "stage", "chain_id",
		"protocol", "attacker", "victim", "detectors", "evidence", "first_seen", "detected_at", "updated_at"} {
		if _, ok := al[k]; !ok {
			t.Errorf("alert JSON lacks %q: %s", k, b)
		}
	}
	if al["severity"] != "critical" || al["stage"] != "confirmed" {
		t.Errorf("severity %v stage %v", al["severity"], al["stage"])
	}
}
