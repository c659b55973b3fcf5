package main

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/launder"
	"github.com/aegis-defi/aegis/internal/store"
	"github.com/aegis-defi/aegis/internal/testchain"
	"github.com/aegis-defi/aegis/internal/trace"
)

// TestIndexTraceClusterCommands runs the README's forensics commands on a
// laundered devnet: index (then resume), labels import (a TagPack naming
// the bridge), trace in every format, cluster.
func TestIndexTraceClusterCommands(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	env := testchain.New(t)
	truth, err := launder.Run(ctx, launder.Env{Client: env.Client, Victim: env.Accounts[1], Operator: env.Accounts[0], Users: env.Accounts[2:8], Seed: "cli"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out, _, err := runCLI(t, "index", "--rpc", env.Node.HTTPURL(), "--from-block", "0", "--data-dir", dir)
	if err != nil || !strings.Contains(out, "blocks") || strings.Contains(out, "WARNING") {
		t.Fatalf("index: %v\n%s", err, out)
	}
	out, _, err = runCLI(t, "index", "--rpc", env.Node.HTTPURL(), "--data-dir", dir)
	if err != nil || !strings.Contains(out, "up to date") {
		t.Fatalf("index again: %v\n%s", err, out)
	}
	pack := filepath.Join(t.TempDir(), "bridges.yaml")
	if err := os.WriteFile(pack, []byte("title: testbed bridges\ncategory: bridge\nsource: testbed deployment record\nconfidence: ownership\ntags:\n  - address: "+truth.BridgeVault.Hex()+"\n    label: testbed lock-and-mint bridge\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, _, err = runCLI(t, "labels", "import", "--data-dir", dir, pack); err != nil || !strings.Contains(out, "1 labels") {
		t.Fatalf("labels import: %v\n%s", err, out)
	}

	out, _, err = runCLI(t, "trace", "--data-dir", dir, "--tx", truth.TheftTx.Hex(), "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var res trace.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("trace json: %v\n%s", err, out)
	}
	kinds := map[string]string{}
	for _, ep := range res.Endpoints {
		kinds[ep.Address.Hex()] = ep.Kind
	}
	for _, h := range truth.Holders {
		if kinds[h.Address.Hex()] != h.Kind {
			t.Errorf("endpoint %s kind %q, want %q", h.Address, kinds[h.Address.Hex()], h.Kind)
		}
	}
	text, _, err := runCLI(t, "trace", "--data-dir", dir, "--tx", truth.TheftTx.Hex())
	if err != nil || !strings.Contains(text, "bridge: testbed lock-and-mint bridge (source: testbed deployment record)") || !strings.Contains(text, "exchange-hot-wallet") ||
		!strings.Contains(text, "candidate (not proven) "+truth.MixerWithdrawal.Hex()) {
		t.Fatalf("trace text: %v\n%s", err, text)
	}
	dot, _, err := runCLI(t, "trace", "--data-dir", dir, "--tx", truth.TheftTx.Hex(), "--format", "dot")
	if err != nil || !strings.HasPrefix(dot, "digraph trace {") || !strings.Contains(dot, truth.HotWallet.Hex()) {
		t.Fatalf("trace dot: %v\n%s", err, dot)
	}
	csvOut, _, err := runCLI(t, "trace", "--data-dir", dir, "--tx", truth.TheftTx.Hex(), "--format", "csv")
	if err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(strings.NewReader(csvOut)).ReadAll()
	if err != nil || len(rows) != len(res.Edges)+1 || rows[0][0] != "order" {
		t.Fatalf("trace csv: %v, %d rows for %d edges", err, len(rows), len(res.Edges))
	}
	out, _, err = runCLI(t, "cluster", "--data-dir", dir, truth.AttackerDeposit.Hex())
	if err != nil || !strings.Contains(out, "exchange-deposit") || !strings.Contains(out, truth.HotWallet.Hex()) {
		t.Fatalf("cluster: %v\n%s", err, out)
	}

	// From a monitor incident.
	mon := t.TempDir()
	st, err := store.Open(ctx, mon)
	if err != nil {
		t.Fatal(err)
	}
	if err := st.SaveEvent(ctx, alert.Event{Seq: 1, At: time.Now(), Alert: &alert.Alert{ID: "inc-1", ChainID: 1337, Stage: alert.StageConfirmed,
		Evidence: alert.Evidence{Txs: []alert.TxRef{{Hash: truth.TheftTx.Hex(), Block: 1, Stage: alert.StageConfirmed}}}}}); err != nil {
		t.Fatal(err)
	}
	_ = st.Close()
	inc, _, err := runCLI(t, "trace", "--data-dir", dir, "--incident", "inc-1", "--monitor-data-dir", mon)
	if err != nil || !strings.Contains(inc, "trace forward of tx "+truth.TheftTx.Hex()) {
		t.Fatalf("trace --incident: %v\n%s", err, inc)
	}
	if _, _, err := runCLI(t, "trace", "--data-dir", dir, "--incident", "nope", "--monitor-data-dir", mon); err == nil || !strings.Contains(err.Error(), "incident nope not found") {
		t.Fatalf("unknown incident: %v", err)
	}

	// Bad input: one clear error each.
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"trace", "--data-dir", dir}, "exactly one of --tx, --address and --incident"},
		{[]string{"trace", "--data-dir", dir, "--incident", "x"}, "--monitor-data-dir"},
		{[]string{"trace", "--data-dir", dir, "--tx", "0x12"}, "32-byte hash"},
		{[]string{"trace", "--data-dir", dir, "--tx", "0x" + strings.Repeat("ab", 32)}, "not in the index"},
		{[]string{"trace", "--data-dir", dir, "--address", "0x" + strings.Repeat("ab", 20), "--model", "magic"}, "model \"magic\""},
		{[]string{"trace", "--data-dir", dir, "--address", truth.Attacker.Hex(), "--format", "xml"}, "--format \"xml\""},
		{[]string{"trace", "--data-dir", t.TempDir(), "--address", truth.Attacker.Hex()}, "no index here"},
		{[]string{"index", "--data-dir", dir}, "--rpc is required"},
		{[]string{"cluster", "--data-dir", dir, "nope"}, "20-byte hex address"},
		{[]string{"labels", "import", "--data-dir", dir, pack + ".bin"}, "--format"},
	} {
		_, _, err := runCLI(t, tc.args...)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%v: error %v, want %q", tc.args, err, tc.want)
		}
	}
}
