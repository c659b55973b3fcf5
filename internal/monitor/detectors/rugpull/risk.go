package rugpull

import (
	"fmt"
	"strings"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/risk"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// engineNote is what the risk engine (internal/risk, scored by the monitor
// off the detection path: detect.Env.TokenRisk) says about the token of a
// rug pull's victim — the token itself, or the tokens of the victim pool —
// in the engine's own vocabulary: level, score and the top factor ids
// (mint-path, fee-modifiable, cannot-sell, …). It returns "" and nil when
// no report is known; it never calls the node.
func engineNote(env *detect.Env, tx *txmodel.Tx, victim common.Address) (string, *risk.Report) {
	if env == nil || env.TokenRisk == nil {
		return "", nil
	}
	cands := []common.Address{victim}
	if pm := tx.Pool(victim); pm != nil {
		for _, t := range []*common.Address{pm.Token0, pm.Token1} {
			if t != nil {
				cands = append(cands, *t)
			}
		}
	}
	var (
		best *risk.Report
		tok  common.Address
	)
	for _, a := range cands {
		if r := env.TokenRisk(a); r != nil && (best == nil || r.RiskScore > best.RiskScore) {
			best, tok = r, a
		}
	}
	if best == nil {
		return "", nil
	}
	var ids []string
	for i, f := range best.Factors {
		if i == 3 || f.Points <= 0 {
			break
		}
		ids = append(ids, fmt.Sprintf("%s +%d", f.ID, f.Points))
	}
	note := fmt.Sprintf("; aegis risk of %s: %s %d/100", tok.Hex(), best.Level, best.RiskScore)
	if len(ids) > 0 {
		note += " (" + strings.Join(ids, ", ") + ")"
	}
	return note, best
}
