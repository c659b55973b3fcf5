package risk

import (
	"context"
	"encoding/hex"
	"encoding/json"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/bytecode"
	"github.com/aegis-defi/aegis/internal/risk/tokentestbed"
	"github.com/aegis-defi/aegis/internal/testchain"
)

// percentiles reports p50 and p99 of ds in milliseconds.
func percentiles(b *testing.B, ds []time.Duration) {
	slices.Sort(ds)
	at := func(q float64) float64 { return float64(ds[int(q*float64(len(ds)-1))]) / 1e6 }
	b.ReportMetric(at(0.50), "p50-ms")
	b.ReportMetric(at(0.99), "p99-ms")
}

// BenchmarkOffline scores every embedded runtime (the token testbed, the
// DeFi testbed, attack contracts) in bytecode mode, one core.
func BenchmarkOffline(b *testing.B) {
	var codes [][]byte
	for _, n := range contracts.Names() {
		if a, err := contracts.Load(n); err == nil && len(a.DeployedBytecode) > 0 {
			codes = append(codes, a.DeployedBytecode)
		}
	}
	var ds []time.Duration
	start := time.Now()
	n := 0
	for b.Loop() {
		for _, c := range codes {
			t := time.Now()
			AnalyzeBytecode(context.Background(), c, nil)
			ds = append(ds, time.Since(t))
			n++
		}
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "contracts/s")
	b.ReportMetric(float64(len(codes)), "distinct")
	percentiles(b, ds)
}

func benchNode(b *testing.B, ec *ethclient.Client, rc *rpc.Client, tb *tokentestbed.Testbed) {
	var ds []time.Duration
	for b.Loop() {
		for _, tok := range tb.Tokens {
			t := time.Now()
			if _, err := AnalyzeToken(context.Background(), ec, rc, tok.Address, Options{Holders: 3}); err != nil {
				b.Fatal(err)
			}
			ds = append(ds, time.Since(t))
		}
	}
	percentiles(b, ds)
}

// BenchmarkNodeDevnet is one full token report (code, admin, holders,
// pools, simulated sales) per testbed token on the embedded devnet.
func BenchmarkNodeDevnet(b *testing.B) {
	env, err := testchain.Start(context.Background(), 10)
	if err != nil {
		b.Fatal(err)
	}
	defer env.Close()
	tb, err := tokentestbed.Deploy(context.Background(), env.Client, env.Accounts, tokentestbed.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ec := env.Node.Client()
	benchNode(b, ec, ec.Client(), tb)
}

// BenchmarkNodeAnvil is the same on Anvil.
func BenchmarkNodeAnvil(b *testing.B) {
	a := testchain.StartAnvil(b, 10)
	tb, err := tokentestbed.Deploy(context.Background(), a.Client, a.Accounts, tokentestbed.Options{})
	if err != nil {
		b.Fatal(err)
	}
	benchNode(b, ethclient.NewClient(a.RPC), a.RPC, tb)
}

// BenchmarkServeWarm is requests per second of the GoPlus API with a warm
// cache (two addresses per request).
func BenchmarkServeWarm(b *testing.B) {
	env, err := testchain.Start(context.Background(), 10)
	if err != nil {
		b.Fatal(err)
	}
	defer env.Close()
	tb, err := tokentestbed.Deploy(context.Background(), env.Client, env.Accounts, tokentestbed.Options{})
	if err != nil {
		b.Fatal(err)
	}
	ec := env.Node.Client()
	reg := prometheus.NewRegistry()
	srv, err := NewServer(ec, ec.Client(), env.Node.ChainID().String(), reg, reg, Options{Holders: 3})
	if err != nil {
		b.Fatal(err)
	}
	h := srv.Handler()
	url := "/api/v1/token_security/" + env.Node.ChainID().String() + "?contract_addresses=" + tb.Tokens[0].Address.Hex() + "," + tb.Tokens[1].Address.Hex()
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", url, nil))
	start := time.Now()
	n := 0
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", url, nil))
		if w.Code != 200 {
			b.Fatal(w.Code, w.Body.String())
		}
		n++
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "req/s")
}

// BenchmarkOfflineCorpus scores the real-world token corpus that
// bench/risk/corpus.mjs builds (OpenZeppelin 3/4/5 ERC-20 with their stock
// extensions and owner models, solmate, Uniswap v2, the risk testbed;
// solc 0.5.16–0.8.28, optimizer off / runs 200 / runs 1e6 / via-IR) in
// bytecode mode. AEGIS_RISK_CORPUS names the directory; runtimes that
// differ only in their metadata trailer count once. It also reports how
// many runtimes were skipped, how many had a code signal left unknown, how
// many had a function walk cut short (step, state or per-pc loop budget)
// and the share of functions whose walk was cut.
func BenchmarkOfflineCorpus(b *testing.B) {
	dir := os.Getenv("AEGIS_RISK_CORPUS")
	if dir == "" {
		b.Skip("AEGIS_RISK_CORPUS not set: run bench/risk/run.sh")
	}
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		b.Fatalf("no corpus files in %s (%v)", dir, err)
	}
	seen := map[string]bool{}
	var codes [][]byte
	for _, f := range files {
		raw, err := os.ReadFile(f)
		if err != nil {
			b.Fatal(err)
		}
		var m map[string]string
		if err := json.Unmarshal(raw, &m); err != nil {
			b.Fatalf("%s: %v", f, err)
		}
		for _, h := range m {
			code, err := hex.DecodeString(h)
			if err != nil {
				b.Fatalf("%s: %v", f, err)
			}
			key := string(stripMetadata(code))
			if seen[key] {
				continue
			}
			seen[key] = true
			codes = append(codes, code)
		}
	}
	// One checked pass: skipped reports, unknown code signals, budget hits.
	skipped, unknownCode, budget, fns, cut := 0, 0, 0, 0, 0
	for _, c := range codes {
		r := AnalyzeBytecode(context.Background(), c, nil)
		if r.Skipped != "" {
			skipped++
		}
		for _, s := range r.Signals {
			if s.Status == StatusUnknown && !strings.Contains(s.Reason, "needs a node") {
				unknownCode++
				break
			}
		}
		if br, err := bytecode.Analyze(c, nil); err == nil {
			hit := false
			for _, fn := range br.Behavior().Functions {
				fns++
				if fn.Incomplete {
					cut++
					hit = true
				}
			}
			if hit {
				budget++
			}
		}
	}
	var ds []time.Duration
	start := time.Now()
	n := 0
	for b.Loop() {
		for _, c := range codes {
			t := time.Now()
			AnalyzeBytecode(context.Background(), c, nil)
			ds = append(ds, time.Since(t))
			n++
		}
	}
	b.ReportMetric(float64(n)/time.Since(start).Seconds(), "contracts/s")
	b.ReportMetric(float64(len(codes)), "distinct")
	b.ReportMetric(float64(skipped), "skipped")
	b.ReportMetric(float64(unknownCode), "code-unknown")
	b.ReportMetric(float64(budget), "budget-hit")
	b.ReportMetric(100*float64(cut)/float64(max(fns, 1)), "fns-cut-%")
	b.ReportMetric(float64(slices.Max(ds))/1e6, "max-ms")
	percentiles(b, ds)
}

// stripMetadata drops the CBOR metadata trailer solc appends (its length
// is the last two bytes), so that recompiles differing only in source
// names or comments count once.
func stripMetadata(code []byte) []byte {
	if len(code) < 2 {
		return code
	}
	n := int(code[len(code)-2])<<8 | int(code[len(code)-1])
	if n+2 > len(code) {
		return code
	}
	return code[:len(code)-n-2]
}
