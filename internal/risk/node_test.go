package risk

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"math/big"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/rpc"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/testchain"
)

// scenario is a set of tokens with pools and holders on a chain.
type scenario struct {
	tokens map[string]common.Address
	pairs  map[string]common.Address
	safe   common.Address
	eoa    common.Address
	// rigger deployed and rigged the honeypots (a different key from the
	// honest deployer eoa, as in reality).
	rigger common.Address
	spot   common.Address
	twap   common.Address
}

func load(t *testing.T, name string) *contracts.Artifact {
	t.Helper()
	a, err := contracts.Load(name)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// deployAs deploys the artifact name from from, failing the test on error.
func deployAs(t *testing.T, c *chain.Client, from chain.Account, name string, args ...any) *chain.Contract {
	t.Helper()
	a := load(t, name)
	k, _, err := c.Deploy(context.Background(), from, a.ABI, a.Bytecode, args...)
	if err != nil {
		t.Fatalf("deploy %s: %v", name, err)
	}
	return k
}

// mustTx sends method on k from from, failing the test on error.
func mustTx(t *testing.T, k *chain.Contract, from chain.Account, method string, args ...any) {
	t.Helper()
	if _, err := k.Transact(context.Background(), from, method, args...); err != nil {
		t.Fatalf("%s: %v", method, err)
	}
}

// deployScenario deploys WETH, a factory and each fixture token with a
// pool (1,000 tokens against 10 WETH) and three holders: the honest tokens
// from acc[0], the rigged ones from acc[4].
func deployScenario(t *testing.T, c *chain.Client, acc []chain.Account) scenario {
	t.Helper()
	ctx := context.Background()
	dep, rig := acc[0], acc[4]
	deployBy := func(from chain.Account, name string, args ...any) *chain.Contract {
		t.Helper()
		return deployAs(t, c, from, name, args...)
	}
	tx := func(k *chain.Contract, from chain.Account, method string, args ...any) {
		t.Helper()
		mustTx(t, k, from, method, args...)
	}
	deploy := func(name string, args ...any) *chain.Contract { return deployBy(dep, name, args...) }
	weth := deploy("WETH9")
	if _, err := weth.TransactValue(ctx, dep, chain.Ether(100), "deposit"); err != nil {
		t.Fatal(err)
	}
	factory := deploy("AMMFactory")
	pairABI := load(t, "AMMPair").ABI
	sup := new(big.Int).Mul(chain.Ether(1), big.NewInt(1_000_000))
	safe := deploy("RiskFxMultisig", []common.Address{acc[1].Address, acc[2].Address, acc[3].Address}, big.NewInt(2))
	spot := deploy("SpotOracle", factory.Address, weth.Address)
	twap := deploy("TwapOracle", factory.Address, weth.Address, uint32(600), uint64(3600))
	s := scenario{spot: spot.Address, twap: twap.Address, tokens: map[string]common.Address{}, pairs: map[string]common.Address{}, safe: safe.Address, eoa: dep.Address, rigger: rig.Address}

	mk := map[string]func() *chain.Contract{
		"plain": func() *chain.Contract { return deploy("RiskFxPlainToken", sup) },
		"stable": func() *chain.Contract {
			k := deploy("RiskFxStableToken", dep.Address)
			tx(k, dep, "configureMinter", dep.Address, true)
			tx(k, dep, "mint", dep.Address, sup)
			return k
		},
		"trading-off": func() *chain.Contract { return deployBy(rig, "MintableToken", "T", "T", sup) },
		"tax-100":     func() *chain.Contract { return deployBy(rig, "MintableToken", "T", "T", sup) },
	}
	for name, f := range mk {
		tok := f()
		owner := dep
		if name == "trading-off" || name == "tax-100" {
			owner = rig
		}
		tx(factory, dep, "createPair", tok.Address, weth.Address)
		out, err := factory.Call(ctx, "getPair", tok.Address, weth.Address)
		if err != nil {
			t.Fatal(err)
		}
		pair := out[0].(common.Address)
		tx(tok, owner, "transfer", pair, chain.Ether(1000))
		tx(weth, dep, "transfer", pair, chain.Ether(10))
		tx(c.Bind(pair, pairABI), owner, "mint", owner.Address)
		for i := 1; i <= 3; i++ {
			tx(tok, owner, "transfer", acc[i].Address, chain.Ether(int64(100*i)))
		}
		switch name {
		case "stable":
			tx(tok, owner, "transferOwnership", safe.Address)
		case "trading-off":
			tx(tok, owner, "setTradingEnabled", false)
		case "tax-100":
			tx(tok, owner, "setAmmPair", pair, true)
			tx(tok, owner, "setSellTax", big.NewInt(10000))
		}
		s.tokens[name], s.pairs[name] = tok.Address, pair
	}
	return s
}

func checkScenario(t *testing.T, ec *ethclient.Client, rc *rpc.Client, s scenario) {
	ctx := context.Background()
	type want struct {
		level Level
		flags map[string]string
	}
	cases := map[string]want{
		"plain": {LevelLow, map[string]string{"is_honeypot": "0", "sell_tax": "0", "transfer_tax": "0", "is_in_dex": "1",
			"creator_address": strings.ToLower(s.eoa.Hex()),
			"holder_count":    "5", "cannot_sell_all": "0", "is_mintable": "0"}},
		"stable": {LevelMedium, map[string]string{"is_honeypot": "0", "sell_tax": "0", "is_blacklisted": "1", "transfer_pausable": "1",
			"is_mintable": "1", "owner_address": strings.ToLower(s.safe.Hex())}},
		"trading-off": {LevelCritical, map[string]string{"is_honeypot": "1", "transfer_pausable": "1", "owner_address": strings.ToLower(s.rigger.Hex()),
			"creator_address": strings.ToLower(s.rigger.Hex())}},
		"tax-100": {LevelCritical, map[string]string{"is_honeypot": "1", "sell_tax": "1", "slippage_modifiable": "1"}},
	}
	for name, w := range cases {
		t.Run(name, func(t *testing.T) {
			r, err := AnalyzeToken(ctx, ec, rc, s.tokens[name], Options{Holders: 3})
			if err != nil {
				t.Fatal(err)
			}
			if r.Level != w.level {
				t.Errorf("level %s (score %d), want %s; factors %+v; unknowns %v", r.Level, r.RiskScore, w.level, r.Factors, r.Unknowns)
			}
			for k, v := range w.flags {
				if got := r.Flag(k); got != v {
					t.Errorf("%s = %q, want %q (unknowns %v)", k, got, v, r.Unknowns)
				}
			}
			for _, sr := range r.Signals {
				if (sr.Name == "trade-simulation" || sr.Name == "holders" || sr.Name == "admin-topology") && sr.Status != StatusOK {
					t.Errorf("%s: %s", sr.Name, sr.Reason)
				}
			}
			var probe SignalResult
			for _, sr := range r.Signals {
				if sr.Name == "privilege-probing" {
					probe = sr
				}
			}
			minted := slices.ContainsFunc(probe.Evidence, func(e Evidence) bool {
				return e.Name == "mint(address,uint256)" && strings.Contains(e.Detail, "from the owner raised totalSupply")
			})
			if probe.Status != StatusOK || minted != (name == "trading-off" || name == "tax-100") {
				t.Errorf("privilege probing: status %s %s, mint seen %v: %+v", probe.Status, probe.Reason, minted, probe.Evidence)
			}
			if name == "trading-off" {
				f := r.Factor("cannot-sell")
				if f == nil || !strings.Contains(f.Evidence[0].RevertReason, "TradingDisabled") && f.Evidence[0].RevertReason == "" {
					t.Errorf("cannot-sell factor without revert reason: %+v", f)
				}
			}
		})
	}
	// An EOA is skipped with a reason, not scored.
	r, err := AnalyzeToken(ctx, ec, rc, s.eoa, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if r.Skipped == "" || r.Flag("is_honeypot") != "" {
		t.Errorf("EOA: skipped %q flags %v", r.Skipped, r.Flags)
	}
}

func TestNodeModeDevnet(t *testing.T) {
	env := testchain.New(t)
	s := deployScenario(t, env.Client, env.Accounts)
	ec := env.Node.Client()
	checkScenario(t, ec, ec.Client(), s)
	t.Run("no-simulate", func(t *testing.T) { checkNoSimulate(t, ec, ec.Client(), s) })
	t.Run("protocol", func(t *testing.T) { checkProtocol(t, ec, ec.Client(), s) })
	t.Run("serve", func(t *testing.T) { checkServe(t, ec, ec.Client(), env.Node.ChainID().String(), s) })
}

// noSimulate is the devnet seen through a node that does not serve
// eth_simulateV1 (as many public endpoints do not).
type noSimulate struct{ rc *rpc.Client }

func (n noSimulate) CallContext(ctx context.Context, result any, method string, args ...any) error {
	if method == "eth_simulateV1" {
		return errors.New("the method eth_simulateV1 does not exist/is not available")
	}
	return n.rc.CallContext(ctx, result, method, args...)
}

func checkNoSimulate(t *testing.T, ec *ethclient.Client, rc *rpc.Client, s scenario) {
	r, err := AnalyzeToken(context.Background(), ec, noSimulate{rc}, s.tokens["trading-off"], Options{Holders: 2})
	if err != nil {
		t.Fatal(err)
	}
	for _, sr := range r.Signals {
		if sr.Name == "trade-simulation" || sr.Name == "privilege-probing" {
			if sr.Status != StatusUnknown || !strings.Contains(sr.Reason, "eth_simulateV1") {
				t.Errorf("%s: %+v", sr.Name, sr)
			}
		}
	}
	for _, k := range []string{"is_honeypot", "sell_tax", "cannot_sell_all"} {
		if _, ok := r.Flags[k]; ok {
			t.Errorf("%s guessed without simulation: %v", k, r.Flags[k])
		}
	}
	if r.Flag("transfer_pausable") != "1" || r.Flag("is_in_dex") != "1" {
		t.Errorf("code and history signals lost: %v", r.Flags)
	}
}

func checkProtocol(t *testing.T, ec *ethclient.Client, rc *rpc.Client, s scenario) {
	pr, err := AnalyzeProtocol(context.Background(), ec, rc, []common.Address{s.tokens["stable"], s.spot, s.twap, s.eoa}, Options{Holders: 1})
	if err != nil {
		t.Fatal(err)
	}
	if len(pr.Contracts) != 4 {
		t.Fatalf("%d contracts", len(pr.Contracts))
	}
	st := pr.Contracts[0]
	if !st.Pausable || st.Upgradeable || len(st.Admins) != 1 || !strings.HasPrefix(st.Admins[0].Kind, "multisig") {
		t.Errorf("stable: %+v", st)
	}
	kinds := func(c ContractRisk) []string {
		var out []string
		for _, o := range c.Oracles {
			out = append(out, o.Kind)
		}
		return out
	}
	if k := kinds(pr.Contracts[1]); !slices.Contains(k, OracleSpot) || slices.Contains(k, OracleTWAP) {
		t.Errorf("spot oracle kinds %v", k)
	}
	if k := kinds(pr.Contracts[2]); !slices.Contains(k, OracleTWAP) {
		t.Errorf("twap oracle kinds %v", k)
	}
	if len(kinds(pr.Contracts[0])) != 0 {
		t.Errorf("token reads oracles: %v", kinds(pr.Contracts[0]))
	}
	if pr.Contracts[1].Report.Factor("spot-oracle") == nil {
		t.Errorf("spot oracle: no spot-oracle factor")
	}
	if pr.Contracts[3].Skipped == "" {
		t.Errorf("EOA not skipped: %+v", pr.Contracts[3])
	}
}

func checkServe(t *testing.T, ec *ethclient.Client, rc *rpc.Client, chainID string, s scenario) {
	reg := prometheus.NewRegistry()
	srv, err := NewServer(ec, rc, chainID, reg, reg, Options{Holders: 2})
	if err != nil {
		t.Fatal(err)
	}
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	get := func(path string) (int, string) {
		t.Helper()
		resp, err := http.Get(hs.URL + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	q := "/api/v1/token_security/" + chainID + "?contract_addresses=" + s.tokens["plain"].Hex() + "," + s.tokens["trading-off"].Hex()
	code, body := get(q)
	if code != 200 {
		t.Fatalf("%d %s", code, body)
	}
	var resp GoPlusResponse
	if err := json.Unmarshal([]byte(body), &resp); err != nil {
		t.Fatal(err)
	}
	validateGoPlus(t, []byte(body))
	if got := resp.Result[strings.ToLower(s.tokens["trading-off"].Hex())]["is_honeypot"]; got != "1" {
		t.Errorf("trading-off is_honeypot %v", got)
	}
	if got := resp.Result[strings.ToLower(s.tokens["plain"].Hex())]["is_honeypot"]; got != "0" {
		t.Errorf("plain is_honeypot %v", got)
	}
	if code, _ := get(q); code != 200 {
		t.Fatal(code)
	}
	if _, m := get("/metrics"); !strings.Contains(m, "aegis_risk_cache_hits_total 2") || !strings.Contains(m, "aegis_risk_cache_misses_total 2") {
		t.Errorf("metrics: want 2 hits and 2 misses:\n%s", m)
	}
	if code, _ := get("/healthz"); code != 200 {
		t.Errorf("healthz %d", code)
	}
	for _, bad := range []string{"/api/v1/token_security/999999?contract_addresses=" + s.tokens["plain"].Hex(),
		"/api/v1/token_security/" + chainID + "?contract_addresses=0xnothex",
		"/api/v1/token_security/" + chainID} {
		if code, body := get(bad); code != 400 || !strings.Contains(body, `"message"`) {
			t.Errorf("%s: %d %s", bad, code, body)
		}
	}
}

// startAnvil starts Anvil; in CI a missing Anvil fails the test.
func startAnvil(t *testing.T, n int) *testchain.Anvil {
	t.Helper()
	if os.Getenv("CI") == "true" && testchain.AnvilPath() == "" {
		t.Fatal("CI=true but anvil is not installed (tools/anvil)")
	}
	return testchain.StartAnvil(t, n)
}

func TestNodeModeAnvil(t *testing.T) {
	a := startAnvil(t, 5)
	s := deployScenario(t, a.Client, a.Accounts)
	checkScenario(t, ethclient.NewClient(a.RPC), a.RPC, s)
}
