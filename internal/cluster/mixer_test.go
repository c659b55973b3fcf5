package cluster_test

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/cluster"
	"github.com/aegis-defi/aegis/internal/index"
	"github.com/aegis-defi/aegis/internal/testbed"
	"github.com/aegis-defi/aegis/internal/testchain"
)

// TestMixerGasPriceFastPath indexes mixer deposits and withdrawals with
// the indexer's fast path (block + call traces, no receipts) and asks for
// the depositor's withdrawal candidates: the withdrawal sent at the
// deposit's distinctive gas price gets the gas-price evidence and a
// higher confidence; withdrawals at the common price do not.
func TestMixerGasPriceFastPath(t *testing.T) {
	ctx := context.Background()
	env := testchain.New(t)
	deployer, depositor, relayer := env.Accounts[0], env.Accounts[1], env.Accounts[5]
	users := env.Accounts[2:5]
	denom := chain.Ether(1)
	pool, err := testbed.DeployContract(ctx, env.Client, deployer, "LaunderMixerPool", denom)
	if err != nil {
		t.Fatal(err)
	}
	common1 := chain.TxOpts{TipCap: big.NewInt(1_000_000_000), FeeCap: big.NewInt(20_000_000_000)}
	// Fee cap = tip: the effective price is exactly this (base fee below it).
	distinct := big.NewInt(77_777_777_777)
	odd := chain.TxOpts{TipCap: distinct, FeeCap: distinct}
	note := func(i byte) ([32]byte, common.Hash) {
		s := [32]byte{31: i}
		return s, crypto.Keccak256Hash(s[:])
	}
	withValue := func(o chain.TxOpts) chain.TxOpts { o.Value = denom; return o }
	for i, u := range users {
		_, c := note(byte(i + 1))
		if _, err := pool.TransactOpts(ctx, u, withValue(common1), "deposit", c); err != nil {
			t.Fatal(err)
		}
	}
	_, c := note(9)
	dep, err := pool.TransactOpts(ctx, depositor, withValue(odd), "deposit", c)
	if err != nil {
		t.Fatal(err)
	}
	for i, u := range users {
		s, _ := note(byte(i + 1))
		if _, err := pool.TransactOpts(ctx, u, common1, "withdraw", s, u.Address); err != nil {
			t.Fatal(err)
		}
	}
	key, err := crypto.GenerateKey()
	if err != nil {
		t.Fatal(err)
	}
	fresh := crypto.PubkeyToAddress(key.PublicKey)
	s, _ := note(9)
	if _, err := pool.TransactOpts(ctx, relayer, odd, "withdraw", s, fresh); err != nil {
		t.Fatal(err)
	}

	// Both ways the fast path reads a block: debug_getRawBlock, and
	// eth_getBlockByNumber with bodies where a node lacks the former.
	for _, c := range []struct{ name, url string }{
		{"raw block", env.Node.HTTPURL()},
		{"block bodies", withoutRawBlock(t, env.Node.HTTPURL())},
	} {
		t.Run(c.name, func(t *testing.T) {
			checkGasPriceLink(t, ctx, c.url, pool.Address, depositor.Address, fresh, dep.TxHash, distinct, len(users))
		})
	}
}

func checkGasPriceLink(t *testing.T, ctx context.Context, url string, pool, depositor, fresh common.Address, dep common.Hash, distinct *big.Int, benign int) {
	rc, err := rpc.DialContext(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	defer rc.Close()
	ix, err := index.New(ctx, rc, t.TempDir(), index.Options{})
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	res, err := ix.Run(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Untraced != 0 || res.Flows == 0 {
		t.Fatalf("index: %+v, want every block traced (the fast path)", res)
	}
	g := ix.Graph()
	var gp string
	if err := g.SQL().QueryRowContext(ctx, `SELECT gas_price FROM txs WHERE hash_key = ?`, dep.Bytes()).Scan(&gp); err != nil {
		t.Fatal(err)
	}
	if gp != distinct.String() {
		t.Errorf("deposit's stored gas price %s, want %s", gp, distinct)
	}
	links, err := cluster.New(g).MixerCandidates(ctx, depositor, pool)
	if err != nil {
		t.Fatal(err)
	}
	var got int
	for _, l := range links {
		if !l.Candidate || l.Kind != cluster.LinkMixerCandidate {
			t.Errorf("link %+v is not a mixer candidate", l)
		}
		same := strings.Contains(l.Evidence, "same gas price "+distinct.String())
		switch l.To {
		case fresh:
			got++
			if !same || l.Confidence <= 0.2 {
				t.Errorf("withdrawal at the deposit's gas price: %+v, want gas-price evidence and confidence > 0.2", l)
			}
		default:
			if same || l.Confidence != 0.2 {
				t.Errorf("withdrawal at the common gas price: %+v, want no gas-price evidence, confidence 0.2", l)
			}
		}
	}
	if got != 1 || len(links) != 1+benign {
		t.Fatalf("candidates %+v: want the fresh address once among %d", links, 1+benign)
	}
}

// withoutRawBlock forwards JSON-RPC (single or batched) to target but
// answers debug_getRawBlock with "method not found".
func withoutRawBlock(t *testing.T, target string) string {
	t.Helper()
	return testchain.RPCProxy(t, target, func(m string) bool { return m == "debug_getRawBlock" },
		-32601, "the method %s does not exist/is not available").URL
}
