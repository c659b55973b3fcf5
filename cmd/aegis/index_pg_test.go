package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/aegis-defi/aegis/internal/launder"
	"github.com/aegis-defi/aegis/internal/testchain"
	"github.com/aegis-defi/aegis/internal/testpg"
	"github.com/aegis-defi/aegis/internal/trace"
)

// TestIndexTracePostgres runs `aegis index --db postgres://…`, then
// `aegis trace --db` and `aegis cluster --db` against a real PostgreSQL.
func TestIndexTracePostgres(t *testing.T) {
	srv := testpg.StartT(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	env := testchain.New(t)
	truth, err := launder.Run(ctx, launder.Env{Client: env.Client, Victim: env.Accounts[1], Operator: env.Accounts[0], Users: env.Accounts[2:8], Seed: "cli-pg"})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	out, _, err := runCLI(t, "index", "--rpc", env.Node.HTTPURL(), "--from-block", "0", "--data-dir", dir, "--db", srv.URL)
	if err != nil || !strings.Contains(out, "blocks") {
		t.Fatalf("index: %v\n%s", err, out)
	}
	out, _, err = runCLI(t, "trace", "--db", srv.URL, "--tx", truth.TheftTx.Hex(), "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var res trace.Result
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("trace json: %v\n%s", err, out)
	}
	var hot bool
	for _, ep := range res.Endpoints {
		hot = hot || (ep.Address == truth.HotWallet && ep.Kind == trace.KindHotWallet)
	}
	if !hot {
		t.Fatalf("hot wallet %s not found in the PostgreSQL trace: %+v", truth.HotWallet, res.Endpoints)
	}
	out, _, err = runCLI(t, "cluster", "--db", srv.URL, truth.AttackerDeposit.Hex())
	if err != nil || !strings.Contains(out, "exchange-deposit") {
		t.Fatalf("cluster: %v\n%s", err, out)
	}
	// Not a PostgreSQL URL, and an unreachable server: clear errors.
	if _, _, err := runCLI(t, "trace", "--db", "mysql://x/y", "--tx", truth.TheftTx.Hex()); err == nil || !strings.Contains(err.Error(), "postgres://") {
		t.Fatalf("mysql URL: %v", err)
	}
	if _, _, err := runCLI(t, "trace", "--db", "postgres://u:hunter2@127.0.0.1:1/x?connect_timeout=2", "--tx", truth.TheftTx.Hex()); err == nil ||
		!strings.Contains(err.Error(), "connect to PostgreSQL") || strings.Contains(err.Error(), "hunter2") {
		t.Fatalf("unreachable server: %v", err)
	}
}
