package rugpull

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/risk"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

type watch map[common.Address]detect.Protocol

func (w watch) Protocol(a common.Address) (detect.Protocol, bool) { p, ok := w[a]; return p, ok }
func (w watch) Protocols() []detect.Protocol {
	var out []detect.Protocol
	for _, p := range w {
		out = append(out, p)
	}
	return out
}

// TestEngineFindings: a liquidity pull from a watched pool carries the risk
// engine's findings on the pool's token when the monitor scored it, and
// nothing extra when it did not.
func TestEngineFindings(t *testing.T) {
	pool := common.HexToAddress("0x00000000000000000000000000000000000000a1")
	tok := common.HexToAddress("0x00000000000000000000000000000000000000b2")
	weth := common.HexToAddress("0x00000000000000000000000000000000000000c3")
	tx := &txmodel.Tx{
		Hash: common.HexToHash("0x01"), From: common.HexToAddress("0x00000000000000000000000000000000000000d4"),
		Logs:  []*txmodel.Log{{Address: pool, Kind: txmodel.KindV2Burn, Decoded: &txmodel.V2Burn{Amount0: big.NewInt(90), Amount1: big.NewInt(90)}}},
		Pools: []txmodel.PoolMove{{Pool: pool, Token0: &tok, Token1: &weth, Reserve0Before: big.NewInt(100), Reserve1Before: big.NewInt(100)}},
	}
	env := &detect.Env{Watch: watch{pool: {Name: "TKN/WETH", Addresses: []common.Address{pool}}}}
	d := New(Config{})
	obs, err := d.Inspect(context.Background(), env, tx)
	if err != nil || len(obs) != 1 {
		t.Fatalf("without scores: %v %+v", err, obs)
	}
	if strings.Contains(obs[0].Message, "aegis risk") || obs[0].Numbers["risk_score"] != 0 {
		t.Errorf("no report, yet: %s %v", obs[0].Message, obs[0].Numbers)
	}
	rep := &risk.Report{RiskScore: 100, Level: risk.LevelCritical, Factors: []risk.Factor{
		{ID: "cannot-sell", Points: 90}, {ID: "mint-path", Points: 25}, {ID: "none", Points: 0},
	}}
	env.TokenRisk = func(a common.Address) *risk.Report {
		if a == tok {
			return rep
		}
		return nil
	}
	obs, err = d.Inspect(context.Background(), env, tx)
	if err != nil || len(obs) != 1 {
		t.Fatalf("with scores: %v %+v", err, obs)
	}
	want := "aegis risk of " + tok.Hex() + ": critical 100/100 (cannot-sell +90, mint-path +25)"
	if !strings.Contains(obs[0].Message, want) || obs[0].Numbers["risk_score"] != 100 {
		t.Errorf("message %q numbers %v, want %q", obs[0].Message, obs[0].Numbers, want)
	}
}
