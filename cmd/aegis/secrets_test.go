package main

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aegis-defi/aegis/internal/redact"
)

// TestRPCKeyNeverPrinted points every command that takes a node URL at a
// provider-style endpoint whose API key is in the path and the query, on a
// local server that answers 401 and echoes the key in its body (as real
// providers do). Neither the logs nor the error main prints may contain it.
func TestRPCKeyNeverPrinted(t *testing.T) {
	const pathKey = "9aa3d95b3bc440fa88ea12eaa4456161"
	const queryKey = "qk7f3e2a91c04b5d"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "invalid project id "+r.URL.Path+" token "+r.URL.Query().Get("token"), http.StatusUnauthorized)
	}))
	defer srv.Close()
	rpc := srv.URL + "/v3/" + pathKey + "?token=" + queryKey
	cfg := filepath.Join(t.TempDir(), "aegis.yaml")
	if err := os.WriteFile(cfg, []byte("monitor:\n  rpc: "+rpc+"\n  watch:\n    - name: Pool\n      address: \"0x5FbDB2315678afecb367f032d93F642f64180aa3\"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"--log-level", "debug", "monitor", "--rpc", rpc, "--watch", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "--no-pending"},
		{"--log-level", "debug", "monitor", "--config", cfg, "--no-pending"},
		{"--log-level", "debug", "audit", "--address", "0x5FbDB2315678afecb367f032d93F642f64180aa3", "--rpc", rpc},
	} {
		t.Run(args[2], func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
			defer cancel()
			red := redact.New()
			var out, errb bytes.Buffer
			root := newRootCmd(&out, &errb)
			root.SetArgs(args)
			err := root.ExecuteContext(redact.WithContext(ctx, red))
			if err == nil {
				t.Fatal("want an error from a node that answers 401")
			}
			code := exitCode(&errb, red, err)
			all := out.String() + errb.String()
			if code != 2 {
				t.Errorf("exit %d, want 2", code)
			}
			if !strings.Contains(all, "401") {
				t.Errorf("the failure itself is not reported:\n%s", all)
			}
			for _, k := range []string{pathKey, queryKey} {
				if strings.Contains(all, k) {
					t.Fatalf("key %s printed:\n%s", k, all)
				}
			}
		})
	}
}
