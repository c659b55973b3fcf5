package main

import (
	"encoding/json"
	"slices"
	"strings"
	"testing"
)

// checkDemoTrace checks the demo's `trace` object (the trace capability:
// one exploit's loot laundered, indexed and traced forward) against the
// laundering testbed's ground truth printed beside it: ≥ 90% of the
// stolen value's final holders found, the exchange's hot wallet and the
// attacker's deposit address named, the mixer and the bridge flagged.
func checkDemoTrace(t *testing.T, out string) {
	t.Helper()
	type endpoint struct {
		Address   string   `json:"address"`
		Kind      string   `json:"kind"`
		AmountETH *float64 `json:"amount_eth"`
		Hops      *int     `json:"hops"`
		Deposits  []string `json:"deposits"`
	}
	var rep struct {
		Trace *struct {
			Scenario  string     `json:"scenario"`
			ExploitTx string     `json:"exploit_tx"`
			StolenETH float64    `json:"stolen_eth"`
			Nodes     int        `json:"nodes_visited"`
			Endpoints []endpoint `json:"endpoints"`
			Findings  []struct {
				Pattern   string   `json:"pattern"`
				Addresses []string `json:"addresses"`
			} `json:"findings"`
			Truth struct {
				Holders         []endpoint `json:"holders"`
				AttackerDeposit string     `json:"attacker_deposit"`
				HotWallet       string     `json:"hot_wallet"`
				Mixer           string     `json:"mixer"`
				Bridge          string     `json:"bridge"`
			} `json:"truth"`
		} `json:"trace"`
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("stdout is not one JSON object: %v", err)
	}
	tr := rep.Trace
	if tr == nil {
		t.Fatal("no trace in the demo report")
	}
	if tr.Scenario != "reentrancy" || !strings.HasPrefix(tr.ExploitTx, "0x") || tr.StolenETH < 49 || tr.StolenETH > 51 {
		t.Fatalf("trace of %q tx %q stolen %.4f ETH, want the reentrancy's ~50 ETH", tr.Scenario, tr.ExploitTx, tr.StolenETH)
	}
	if tr.Nodes == 0 || tr.Nodes > 1000 || len(tr.Truth.Holders) < 5 {
		t.Fatalf("trace visited %d nodes, truth has %d holders", tr.Nodes, len(tr.Truth.Holders))
	}
	byAddr := map[string]endpoint{}
	for _, e := range tr.Endpoints {
		if e.Address == "" || e.Kind == "" || e.AmountETH == nil || e.Hops == nil {
			t.Fatalf("incomplete endpoint %+v", e)
		}
		byAddr[e.Address] = e
	}
	var found, total float64
	for _, h := range tr.Truth.Holders {
		total += *h.AmountETH
		e, ok := byAddr[h.Address]
		if !ok {
			t.Errorf("holder %s (%s, %.4f ETH) not found", h.Address, h.Kind, *h.AmountETH)
			continue
		}
		if e.Kind != h.Kind {
			t.Errorf("holder %s: kind %s, want %s", h.Address, e.Kind, h.Kind)
		}
		found += min(*e.AmountETH, *h.AmountETH)
	}
	t.Logf("demo trace: %.4f of %.4f ETH of final holdings found (%.1f%%), %d nodes, %d endpoints", found, total, 100*found/total, tr.Nodes, len(tr.Endpoints))
	if found < 0.9*total {
		t.Errorf("recall %.3f < 0.9", found/total)
	}
	hw, ok := byAddr[tr.Truth.HotWallet]
	if !ok || hw.Kind != "exchange-hot-wallet" || !slices.Contains(hw.Deposits, tr.Truth.AttackerDeposit) {
		t.Errorf("hot wallet %s: %+v, want kind exchange-hot-wallet with deposit %s", tr.Truth.HotWallet, hw, tr.Truth.AttackerDeposit)
	}
	if e := byAddr[tr.Truth.Mixer]; e.Kind != "mixer" {
		t.Errorf("mixer %s: kind %q", tr.Truth.Mixer, e.Kind)
	}
	if e := byAddr[tr.Truth.Bridge]; e.Kind != "bridge" {
		t.Errorf("bridge %s: kind %q", tr.Truth.Bridge, e.Kind)
	}
	var chunked bool
	for _, f := range tr.Findings {
		chunked = chunked || (f.Pattern == "mixer-chunking" && slices.Contains(f.Addresses, tr.Truth.Mixer))
	}
	if !chunked {
		t.Errorf("no mixer-chunking finding at %s: %+v", tr.Truth.Mixer, tr.Findings)
	}
}
