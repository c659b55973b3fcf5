package alert_test

import (
	"encoding/json"
	"testing"

	"github.com/aegis-defi/aegis/internal/alert"
)

// TestAggregatorRestore: an alert stored by a previous process (JSON round
// trip) and restored into a fresh aggregator is promoted in place when its
// transaction is mined, with a sequence above the stored one; Forget
// removes it so the same hash opens a new incident.
func TestAggregatorRestore(t *testing.T) {
	clk := newClock()
	a1 := alert.NewAggregator(alert.AggregatorConfig{Clock: clk.Now})
	other := flashLoan(tx2, alert.StagePending, 0) // another incident first: seq 1
	other.Attacker = attacker2
	if _, err := a1.Observe(other); err != nil {
		t.Fatal(err)
	}
	evs, err := a1.Observe(flashLoan(tx1, alert.StagePending, 0))
	if err != nil || len(evs) != 1 {
		t.Fatalf("observe: %v %v", evs, err)
	}
	stored := evs[len(evs)-1]
	body, err := json.Marshal(stored.Alert)
	if err != nil {
		t.Fatal(err)
	}
	var back alert.Alert
	if err := json.Unmarshal(body, &back); err != nil {
		t.Fatal(err)
	}

	a2 := alert.NewAggregator(alert.AggregatorConfig{Clock: clk.Now})
	a2.Restore(&back, stored.Seq)
	a2.Restore(&back, stored.Seq) // idempotent
	if st := a2.Stats(); st.Incidents != 1 {
		t.Fatalf("incidents %d after restore", st.Incidents)
	}
	evs, err = a2.Observe(flashLoan(tx1, alert.StageConfirmed, 120))
	if err != nil || len(evs) != 1 {
		t.Fatalf("confirmed: %v %v", evs, err)
	}
	ev := evs[0]
	if ev.Kind != alert.EventPromoted || ev.Alert.ID != stored.Alert.ID || ev.Alert.Stage != alert.StageConfirmed || ev.Seq <= stored.Seq {
		t.Fatalf("event %s %s %s seq %d (stored seq %d), want promoted %s", ev.Kind, ev.Alert.ID, ev.Alert.Stage, ev.Seq, stored.Seq, stored.Alert.ID)
	}
	if ev.Alert.Title != "Flash-loan price manipulation on LendingPool" || ev.Alert.Evidence.Numbers["loss_eth"] != 412 {
		t.Fatalf("restored incident lost its title or numbers: %q %v", ev.Alert.Title, ev.Alert.Evidence.Numbers)
	}

	a2.Forget(1)
	if st := a2.Stats(); st.Incidents != 0 {
		t.Fatalf("incidents %d after Forget", st.Incidents)
	}
	evs, err = a2.Observe(flashLoan(tx1, alert.StagePending, 0))
	if err != nil || len(evs) != 1 || evs[0].Kind != alert.EventOpened || evs[0].Alert.ID == stored.Alert.ID {
		t.Fatalf("after Forget: %v %v, want a new incident", evs, err)
	}
}
