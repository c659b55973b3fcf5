// Package governance implements the governance-takeover detector: a DAO
// proposal created and executed within one transaction, or votes cast with
// voting power borrowed by a flash loan in the same transaction
// (Beanstalk).
package governance

import (
	"context"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/dutil"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// Name is the detector's name.
const Name = "governance-takeover"

// Config holds the detector's settings (none yet: the patterns are exact).
type Config struct{}

// DefaultConfig returns the defaults.
func DefaultConfig() Config { return Config{} }

// Detector is the governance-takeover detector.
type Detector struct{ cfg Config }

// New returns the detector.
func New(cfg Config) *Detector { return &Detector{cfg: cfg} }

// Meta implements detect.Detector.
func (*Detector) Meta() detect.Meta {
	return detect.Meta{
		Name:       Name,
		Title:      "Governance takeover",
		Doc:        "Fires critical when a DAO's ProposalCreated and ProposalExecuted for the same proposal appear in one transaction, or when a VoteCast's voter received a flash loan in the same transaction (voting power bought for one block).",
		Severity:   alert.SeverityCritical,
		Confidence: 0.95,
	}
}

// Inspect implements detect.Detector.
func (d *Detector) Inspect(_ context.Context, env *detect.Env, tx *txmodel.Tx) ([]alert.Observation, error) {
	if !dutil.Usable(tx) {
		return nil, nil
	}
	type key struct {
		dao common.Address
		id  string
	}
	created := map[key]*txmodel.ProposalCreated{}
	for _, l := range tx.LogsOfKind(txmodel.KindProposalCreated) {
		if pc, ok := l.Decoded.(*txmodel.ProposalCreated); ok && pc.ProposalID != nil {
			created[key{l.Address, pc.ProposalID.String()}] = pc
		}
	}
	borrowers := map[common.Address]bool{}
	for _, l := range tx.LogsOfKind(txmodel.KindFlashLoan) {
		if fl, ok := l.Decoded.(*txmodel.FlashLoan); ok {
			borrowers[fl.Receiver] = true
		}
	}
	var out []alert.Observation
	seen := map[common.Address]bool{}
	for _, l := range tx.LogsOfKind(txmodel.KindProposalExecuted) {
		pe, ok := l.Decoded.(*txmodel.ProposalExecuted)
		if !ok || pe.ProposalID == nil {
			continue
		}
		pc, ok := created[key{l.Address, pe.ProposalID.String()}]
		if !ok || seen[l.Address] {
			continue
		}
		seen[l.Address] = true
		msg := fmt.Sprintf("proposal %s of %s created by %s and executed in the same transaction", pe.ProposalID, dutil.Name(env, l.Address), dutil.Short(pc.Proposer))
		if pe.Emergency {
			msg += " (emergency execution)"
		}
		if borrowers[pc.Proposer] {
			msg += " with flash-loaned voting power"
		}
		o := dutil.Observation(env, tx, d.Meta(), alert.SeverityCritical, 0.95, msg)
		o.Victim = alert.Protocol{Name: dutil.Name(env, l.Address), Address: l.Address.Hex()}
		o.Technique = "proposal created and executed in one transaction"
		out = append(out, o)
	}
	for _, l := range tx.LogsOfKind(txmodel.KindVoteCast) {
		vc, ok := l.Decoded.(*txmodel.VoteCast)
		if !ok || !borrowers[vc.Voter] || seen[l.Address] {
			continue
		}
		seen[l.Address] = true
		msg := fmt.Sprintf("%s voted on proposal %v of %s with voting power flash-loaned in the same transaction", dutil.Short(vc.Voter), vc.ProposalID, dutil.Name(env, l.Address))
		o := dutil.Observation(env, tx, d.Meta(), alert.SeverityCritical, 0.9, msg)
		o.Victim = alert.Protocol{Name: dutil.Name(env, l.Address), Address: l.Address.Hex()}
		if vc.Weight != nil {
			w, _ := new(big.Float).SetInt(vc.Weight).Float64()
			o.Numbers["vote_weight"] = w
		}
		o.Technique = "flash-loaned voting power"
		out = append(out, o)
	}
	return out, nil
}
