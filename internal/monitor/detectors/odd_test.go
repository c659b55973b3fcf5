package detectors_test

import (
	"context"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// TestOddTxs feeds nil, empty, partial and reverted transactions (with and
// without an environment) to every detector: no panic, no error, and no
// observation for a reverted transaction.
func TestOddTxs(t *testing.T) {
	to := common.HexToAddress("0x01")
	bn := uint64(7)
	reverted := &txmodel.Tx{Stage: txmodel.StageMined, Status: txmodel.StatusReverted, To: &to, BlockNumber: &bn,
		Root:     &txmodel.Call{Type: txmodel.CallCall, To: to, Error: "execution reverted"},
		Balances: []txmodel.BalanceChange{{Address: to, Delta: big.NewInt(-1e18)}}}
	txs := map[string]*txmodel.Tx{
		"nil":      nil,
		"empty":    {},
		"pending":  {Stage: txmodel.StagePending, Status: txmodel.StatusSuccess},
		"partial":  {Stage: txmodel.StageMined, Status: txmodel.StatusSuccess, Partial: true, To: &to, Logs: []*txmodel.Log{{Address: to, Kind: txmodel.KindFlashLoan}}},
		"reverted": reverted,
		"pool": {Stage: txmodel.StageMined, Status: txmodel.StatusSuccess, To: &to, Root: &txmodel.Call{To: to},
			Pools: []txmodel.PoolMove{{Pool: to, PriceMin: 0, PriceMax: 5}}},
	}
	envs := map[string]*detect.Env{"nil env": nil, "empty env": {}}
	for en, env := range envs {
		for _, d := range detectors.Default(detectors.DefaultConfig()) {
			for name, tx := range txs {
				obs, err := d.Inspect(context.Background(), env, tx)
				if err != nil {
					t.Errorf("%s, %s, %s: %v", en, d.Meta().Name, name, err)
				}
				if name == "reverted" && len(obs) > 0 {
					t.Errorf("%s, %s: observation on a reverted tx: %+v", en, d.Meta().Name, obs)
				}
			}
		}
	}
}
