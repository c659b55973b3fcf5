package txanomaly_test

import (
	"context"
	"math/big"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/txanomaly"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

type oneProtocol struct{ addr common.Address }

func (w oneProtocol) Protocol(a common.Address) (detect.Protocol, bool) {
	if a == w.addr {
		return detect.Protocol{Name: "Pool", Addresses: []common.Address{w.addr}}, true
	}
	return detect.Protocol{}, false
}
func (w oneProtocol) Protocols() []detect.Protocol {
	return []detect.Protocol{{Name: "Pool", Addresses: []common.Address{w.addr}}}
}

func eth(f float64) *big.Int {
	v, _ := new(big.Float).Mul(big.NewFloat(f), big.NewFloat(1e18)).Int(nil)
	return v
}

// tx builds a normalized transaction in which sender moves delta ETH into
// pool (negative: out of it).
func tx(stage txmodel.Stage, sender, pool common.Address, delta float64, gas uint64, depth int, touched int) *txmodel.Tx {
	to := pool
	t := &txmodel.Tx{
		Stage: stage, From: sender, To: &to, Value: new(big.Int), Status: txmodel.StatusSuccess,
		GasUsed: gas, MaxDepth: depth,
		Root: &txmodel.Call{Type: txmodel.CallCall, From: sender, To: to, Value: new(big.Int)},
		Balances: []txmodel.BalanceChange{
			{Address: pool, Asset: common.Address{}, Delta: eth(delta)},
			{Address: sender, Asset: common.Address{}, Delta: eth(-delta)},
		},
	}
	for i := range touched {
		t.Touched = append(t.Touched, common.BigToAddress(big.NewInt(int64(1000+i))))
	}
	t.Touched = append(t.Touched, pool)
	return t
}

// TestAnomalyAfterWarmup learns a protocol's ordinary deposits, then scores
// a drain that looks like nothing it has seen (large loss, deep call tree,
// many contracts, high gas) as anomalous — capped at medium and explained —
// while an ordinary pending deposit stays silent.
func TestAnomalyAfterWarmup(t *testing.T) {
	ctx := context.Background()
	pool := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	env := &detect.Env{ChainID: 1337, Watch: oneProtocol{pool}}
	d, err := txanomaly.New(txanomaly.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(7, 7))
	users := make([]common.Address, 20)
	for i := range users {
		users[i] = common.BigToAddress(big.NewInt(int64(i + 1)))
	}
	// Warm-up: ordinary deposits and withdrawals of 0.1–3 ETH.
	for i := range 600 {
		delta := 0.1 + 2.9*r.Float64()
		if i%3 == 0 {
			delta = -delta
		}
		obs, err := d.Inspect(ctx, env, tx(txmodel.StageMined, users[r.IntN(len(users))], pool, delta, 60_000+uint64(r.IntN(20_000)), 2, 1))
		if err != nil {
			t.Fatal(err)
		}
		for _, o := range obs {
			if o.Severity > alert.SeverityMedium {
				t.Fatalf("ordinary traffic scored %v", o.Severity)
			}
		}
	}
	normal, err := d.Inspect(ctx, env, tx(txmodel.StagePending, users[3], pool, 1.2, 70_000, 2, 1))
	if err != nil {
		t.Fatal(err)
	}
	if len(normal) != 0 {
		t.Errorf("ordinary pending deposit flagged: %+v", normal)
	}
	attacker := common.HexToAddress("0x00000000000000000000000000000000000bad00")
	drain, err := d.Inspect(ctx, env, tx(txmodel.StagePending, attacker, pool, -5000, 3_000_000, 24, 14))
	if err != nil {
		t.Fatal(err)
	}
	if len(drain) == 0 {
		t.Fatal("drain not flagged as anomalous")
	}
	o := drain[0]
	if !o.Anomaly || o.Severity > alert.SeverityMedium {
		t.Errorf("anomaly observation %+v: want Anomaly and severity ≤ medium", o)
	}
	if !strings.Contains(o.Message, "loss_eth") && !strings.Contains(o.Message, "call_depth") && !strings.Contains(o.Message, "gas_used") {
		t.Errorf("message does not explain with the drain's features: %q", o.Message)
	}
	t.Logf("drain: %s (%v, score %.2f)", o.Message, o.Severity, o.Numbers["anomaly_score"])
}

// twoProtocols watches an established pool and a newly deployed one.
type twoProtocols struct{ old, fresh common.Address }

func (w twoProtocols) Protocol(a common.Address) (detect.Protocol, bool) {
	switch a {
	case w.old:
		return detect.Protocol{Name: "Pool", Addresses: []common.Address{w.old}}, true
	case w.fresh:
		return detect.Protocol{Name: "NewPool", Addresses: []common.Address{w.fresh}}, true
	}
	return detect.Protocol{}, false
}

func (w twoProtocols) Protocols() []detect.Protocol {
	return []detect.Protocol{{Name: "Pool", Addresses: []common.Address{w.old}}, {Name: "NewPool", Addresses: []common.Address{w.fresh}}}
}

// TestAnomalyPooledForNewProtocol: a protocol with too little history of
// its own is scored against the traffic of every watched protocol, so a
// drain of a just-deployed contract is flagged (medium, saying which model)
// while an ordinary first deposit into it is not; without the pooled
// history (a fresh detector) nothing is scored.
func TestAnomalyPooledForNewProtocol(t *testing.T) {
	ctx := context.Background()
	pool, fresh := common.HexToAddress("0xaa"), common.HexToAddress("0xbb")
	env := &detect.Env{ChainID: 1337, Watch: twoProtocols{pool, fresh}}
	attacker := common.HexToAddress("0x0bad00")
	drainTx := tx(txmodel.StagePending, attacker, fresh, -5000, 3_000_000, 24, 14)

	cold, err := txanomaly.New(txanomaly.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	if obs, err := cold.Inspect(ctx, env, drainTx); err != nil || len(obs) != 0 {
		t.Fatalf("no history at all: %+v %v, want nothing scored", obs, err)
	}

	d, err := txanomaly.New(txanomaly.DefaultConfig())
	if err != nil {
		t.Fatal(err)
	}
	r := rand.New(rand.NewPCG(3, 3))
	users := make([]common.Address, 20)
	for i := range users {
		users[i] = common.BigToAddress(big.NewInt(int64(i + 1)))
	}
	for i := range 600 {
		delta := 0.1 + 2.9*r.Float64()
		if i%3 == 0 {
			delta = -delta
		}
		if _, err := d.Inspect(ctx, env, tx(txmodel.StageMined, users[r.IntN(len(users))], pool, delta, 60_000+uint64(r.IntN(20_000)), 2, 1)); err != nil {
			t.Fatal(err)
		}
	}
	// The new protocol's first, ordinary deposit.
	if obs, err := d.Inspect(ctx, env, tx(txmodel.StageMined, users[2], fresh, 1.5, 70_000, 2, 1)); err != nil || len(obs) != 0 {
		t.Fatalf("ordinary first deposit into the new protocol: %+v %v", obs, err)
	}
	obs, err := d.Inspect(ctx, env, drainTx)
	if err != nil {
		t.Fatal(err)
	}
	if len(obs) != 1 || obs[0].Severity != alert.SeverityMedium || !obs[0].Anomaly || !strings.Contains(obs[0].Message, "against all watched protocols") {
		t.Fatalf("drain of the new protocol: %+v, want one medium anomaly from the pooled model", obs)
	}
}
