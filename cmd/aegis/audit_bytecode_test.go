package main

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common/hexutil"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/testchain"
)

func TestAuditBytecodeFile(t *testing.T) {
	art, err := contracts.Load("MintableToken")
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "runtime.hex")
	if err := os.WriteFile(path, []byte(hexutil.Encode(art.DeployedBytecode)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	out, _, err := runCLI(t, "audit", "--bytecode", path, "--format", "json", "--fail-on", "none")
	if err != nil {
		t.Fatal(err)
	}
	var rep struct {
		Selectors  []struct{ Names []string }
		Privileged []struct{ Category string }
	}
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatalf("not JSON: %v\n%s", err, out)
	}
	cats := map[string]bool{}
	for _, p := range rep.Privileged {
		cats[p.Category] = true
	}
	if !cats["mint"] || !cats["fee"] {
		t.Errorf("MintableToken privileges = %v, want mint and fee", cats)
	}
	// The owner can mint: that is a high finding, so --fail-on high fails.
	_, _, err = runCLI(t, "audit", "--bytecode", path, "--fail-on", "high")
	var fe *FindingsError
	if !errors.As(err, &fe) {
		t.Fatalf("err = %v, want FindingsError", err)
	}
}

func TestAuditBytecodeAddress(t *testing.T) {
	env := testchain.New(t)
	art, err := contracts.Load("WETH9")
	if err != nil {
		t.Fatal(err)
	}
	weth, _, err := env.Client.Deploy(context.Background(), env.Accounts[0], art.ABI, art.Bytecode)
	if err != nil {
		t.Fatal(err)
	}
	out, _, err := runCLI(t, "audit", "--address", weth.Address.Hex(), "--rpc", env.Node.HTTPURL())
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"deposit()", "withdraw(uint256)", weth.Address.Hex()} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestAuditBytecodeBadInput(t *testing.T) {
	cases := []struct {
		args []string
		want string
	}{
		{[]string{"audit", "--bytecode", "0x60zz"}, "--bytecode: "},
		{[]string{"audit", "--address", "0x1234"}, `--address "0x1234": not a hex address`},
		{[]string{"audit", "--address", "0x0000000000000000000000000000000000000001"}, "--address needs --rpc"},
		{[]string{"audit", "--bytecode", "0x00", "--format", "sarif"}, "bytecode mode supports text or json"},
		{[]string{"audit", "--address", "0x0000000000000000000000000000000000000001", "--rpc", "http://127.0.0.1:1"}, "eth_getCode"},
	}
	for _, c := range cases {
		_, _, err := runCLI(t, c.args...)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%v: err = %v, want %q", c.args, err, c.want)
		}
	}
}
