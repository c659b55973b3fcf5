package main

import (
	"context"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/testchain"
)

func runtimeHexFile(t *testing.T, name string) string {
	t.Helper()
	art, err := contracts.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), name+".hex")
	if err := os.WriteFile(path, []byte(hexutil.Encode(art.DeployedBytecode)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestRiskTokenBytecode(t *testing.T) {
	rigged := runtimeHexFile(t, "RiskFxRiggedToken")
	out, _, err := runCLI(t, "risk", "token", "--bytecode", rigged)
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"level CRITICAL", "owner_change_balance           1", "hidden_owner                   1", "trade-simulation: unknown: needs a node"} {
		if !strings.Contains(out, want) {
			t.Errorf("text output lacks %q:\n%s", want, out)
		}
	}
	out, _, err = runCLI(t, "risk", "token", "--bytecode", runtimeHexFile(t, "RiskFxPlainToken"), "--format", "goplus")
	if err != nil {
		t.Fatal(err)
	}
	var gp struct {
		Code   int
		Result map[string]map[string]any
	}
	if err := json.Unmarshal([]byte(out), &gp); err != nil || gp.Code != 1 || len(gp.Result) != 1 {
		t.Fatalf("goplus output: %v\n%s", err, out)
	}
	for _, r := range gp.Result {
		if r["is_mintable"] != "0" || r["owner_change_balance"] != "0" {
			t.Errorf("plain token flags %v", r)
		}
		if _, ok := r["is_honeypot"]; ok {
			t.Errorf("is_honeypot guessed offline: %v", r)
		}
	}
}

func TestRiskTokenBadInput(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"risk", "token", "--bytecode", "0x60zz"}, "invalid hex at offset 4"},
		{[]string{"risk", "token", "--bytecode", "0x601"}, "odd number of hex digits"},
		{[]string{"risk", "token", "0x5FbDB2315678afecb367f032d93F642f64180aa3"}, "needs --rpc"},
		{[]string{"risk", "token", "nothex", "--rpc", "http://127.0.0.1:1"}, "not a hex address"},
		{[]string{"risk", "token", "--bytecode", "0x00", "--format", "xml"}, "--format"},
		{[]string{"risk", "batch"}, "--input"},
		{[]string{"risk", "serve"}, "--rpc"},
		{[]string{"risk", "protocol", "0x01"}, "--rpc"},
	}
	for _, c := range cases {
		_, _, err := runCLI(t, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err %v, want %q", c.args, err, c.want)
		}
	}
	// Code that is not a token: every token signal is unknown, with a line
	// on stderr saying why; no flag is guessed.
	out, errOut, err := runCLI(t, "risk", "token", "--bytecode", "0x6001", "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut, "mint: unknown: no function dispatcher") {
		t.Errorf("stderr lacks the reason:\n%s", errOut)
	}
	if strings.Contains(out, `"is_mintable"`) {
		t.Errorf("is_mintable guessed:\n%s", out)
	}
}

func TestRiskBatch(t *testing.T) {
	dir := t.TempDir()
	art, err := contracts.Load("RiskFxStableToken")
	if err != nil {
		t.Fatal(err)
	}
	in := filepath.Join(dir, "in.jsonl")
	lines := `{"file":"` + runtimeHexFile(t, "RiskFxRiggedToken") + `"}
{"bytecode":"` + hexutil.Encode(art.DeployedBytecode) + `"}

{"bytecode":"0xzz"}
{"address":"0x5FbDB2315678afecb367f032d93F642f64180aa3"}
`
	if err := os.WriteFile(in, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	out, errOut, err := runCLI(t, "risk", "batch", "--input", in, "--workers", "2")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut, "4/4") {
		t.Errorf("no progress on stderr: %q", errOut)
	}
	var res []batchResult
	for _, l := range strings.Split(strings.TrimSpace(out), "\n") {
		var r batchResult
		if err := json.Unmarshal([]byte(l), &r); err != nil {
			t.Fatalf("%v: %s", err, l)
		}
		res = append(res, r)
	}
	if len(res) != 4 {
		t.Fatalf("%d results", len(res))
	}
	if res[0].Line != 1 || res[0].Report == nil || res[0].Report.Level != "critical" {
		t.Errorf("line 1: %+v", res[0])
	}
	if res[1].Report == nil || res[1].Report.Level != "medium" {
		t.Errorf("line 2 (USDC-style): %+v", res[1].Report)
	}
	if res[2].Line != 4 || !strings.Contains(res[2].Error, "invalid hex") {
		t.Errorf("line 4: %+v", res[2])
	}
	if !strings.Contains(res[3].Error, "--rpc") {
		t.Errorf("line 5: %+v", res[3])
	}
	bad := filepath.Join(dir, "bad.jsonl")
	_ = os.WriteFile(bad, []byte(`{"adress":"0x01"}`+"\n"), 0o600)
	if _, _, err := runCLI(t, "risk", "batch", "--input", bad); err == nil || !strings.Contains(err.Error(), "bad.jsonl:1") {
		t.Errorf("unknown key: %v", err)
	}
}

func TestRiskTokenNodeNoPool(t *testing.T) {
	env := testchain.New(t)
	art, err := contracts.Load("RiskFxPlainToken")
	if err != nil {
		t.Fatal(err)
	}
	k, _, err := env.Client.Deploy(context.Background(), env.Accounts[0], art.ABI, art.Bytecode, big.NewInt(1e18))
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := runCLI(t, "risk", "token", k.Address.Hex(), "--rpc", env.Node.HTTPURL(), "--format", "json")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Flags   map[string]any
		Signals []struct{ Name, Status, Reason string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if rep.Flags["is_in_dex"] != "0" || rep.Flags["holder_count"] != "1" || rep.Flags["owner_address"] != "" {
		t.Errorf("flags %v", rep.Flags)
	}
	if _, ok := rep.Flags["is_honeypot"]; ok {
		t.Errorf("is_honeypot guessed without a pool: %v", rep.Flags)
	}
	for _, s := range rep.Signals {
		if s.Name == "trade-simulation" && (s.Status != "unknown" || !strings.Contains(s.Reason, "no pool")) {
			t.Errorf("trade-simulation: %+v", s)
		}
	}
	// An address without code is skipped with a line saying so.
	_, errOut, err := runCLI(t, "risk", "token", env.Accounts[1].Address.Hex(), "--rpc", env.Node.HTTPURL())
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(errOut, "skipped") || !strings.Contains(errOut, "no code") {
		t.Errorf("EOA: stderr %q", errOut)
	}
}
