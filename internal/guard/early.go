package guard

import (
	"bytes"
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
)

// WatchesDeployment reports whether tx is a contract deployment (To is
// nil) whose init code contains an address protected by an early-stage
// policy. It makes no RPC call; the monitor uses it to queue only the
// deployments HandleDeployment would decide about.
func (g *Guard) WatchesDeployment(tx *types.Transaction) bool {
	if tx == nil || tx.To() != nil {
		return false
	}
	for _, p := range g.policies {
		if p.EarlyStage {
			if _, ok := p.referencedIn(tx.Data()); ok {
				return true
			}
		}
	}
	return false
}

// HandleDeployment decides about an earlier stage of an attack: a pending
// contract deployment whose init code (creation bytecode or constructor
// arguments) references an address protected by a policy with EarlyStage
// set. The decision is not-triggered unless tx is a deployment, such a
// policy matches and the sender is neither one of the policy's Admins nor
// the guardian. There is no exploit to replay yet, so the gate only proves
// that every protective call succeeds on the node's state (the deployment
// is simulated after them for the record); the decision's Basis says so.
// Rate limits, dry-run and armed modes, front-running, fee-bumped
// replacements and the audit trail are those of Handle: the guard watches
// the deployment until it is mined or dropped. Every decision is returned
// and recorded; the error is non-nil only when the node failed.
func (g *Guard) HandleDeployment(ctx context.Context, tx *types.Transaction, firstSeen time.Time) (*Decision, error) {
	now := g.now()
	if firstSeen.IsZero() {
		firstSeen = now
	}
	d := &Decision{ID: newID(), Guardian: g.Guardian(), Stage: StageDeployment, FirstSeen: firstSeen, DecidedAt: now}
	var err error
	if tx == nil {
		d.Verdict, d.Reason = VerdictNotTriggered, "no pending transaction"
	} else {
		d.AttackTx = tx.Hash()
		if from, serr := types.Sender(g.signer, tx); serr == nil {
			d.Attacker = from
		}
		err = g.handleDeployment(ctx, tx, firstSeen, d)
		g.nameAssets(ctx, d)
	}
	d.summarize()
	g.record(d)
	return d, err
}

// handleDeployment runs the early-stage pipeline, filling d.
func (g *Guard) handleDeployment(ctx context.Context, tx *types.Transaction, firstSeen time.Time, d *Decision) error {
	if tx.To() != nil {
		d.Verdict, d.Reason = VerdictNotTriggered, "not a contract deployment"
		return nil
	}
	pol, ref, ok := g.matchDeployment(tx, d)
	if !ok {
		d.Verdict = VerdictNotTriggered
		return nil
	}
	d.Protocol, d.Mode, d.action = pol.Protocol, pol.Mode, actionText(pol.Actions)
	d.Referenced = &ref
	basis := fmt.Sprintf("a deployment referencing %s (%s); no exploit to replay", pol.Protocol, ref.Hex())
	defer func() {
		switch d.Verdict {
		case VerdictActed:
			d.Basis = "acted on " + basis
		case VerdictDryRun:
			d.Basis = "dry-run on " + basis
		default:
			d.Basis = "did not act on " + basis
		}
	}()
	if d.Attacker == (common.Address{}) {
		d.Verdict, d.Reason = VerdictRefused, "cannot recover the deployment's sender for chain "+g.chainID.String()
		return nil
	}
	return g.act(ctx, pol, tx, firstSeen, nil, d, func(ctx context.Context) (*simPlan, *gateState, error) {
		return g.gateDeployment(ctx, pol, tx, d)
	})
}

// matchDeployment picks the first early-stage policy whose protected
// address appears in tx's init code and whose admins did not send it, and
// returns the referenced address. Without a match it sets d.Reason.
func (g *Guard) matchDeployment(tx *types.Transaction, d *Decision) (Policy, common.Address, bool) {
	var exempt string
	for _, p := range g.policies {
		if !p.EarlyStage {
			continue
		}
		ref, ok := p.referencedIn(tx.Data())
		if !ok {
			continue
		}
		switch {
		case d.Attacker == g.Guardian():
			exempt = fmt.Sprintf("the deployment references %s (%s) but was sent by the guardian", p.Protocol, ref.Hex())
			continue
		case d.Attacker != (common.Address{}) && slices.Contains(p.Admins, d.Attacker):
			exempt = fmt.Sprintf("the deployment references %s (%s) but was sent by its known admin %s", p.Protocol, ref.Hex(), d.Attacker.Hex())
			continue
		}
		return p, ref, true
	}
	switch {
	case exempt != "":
		d.Reason = exempt
	case !g.hasEarlyStage():
		d.Reason = "no guarded protocol acts on deployments (early_stage is off)"
	default:
		d.Reason = "the deployment's init code references no protected address of an early-stage policy"
	}
	return Policy{}, common.Address{}, false
}

// hasEarlyStage reports whether any policy has EarlyStage set.
func (g *Guard) hasEarlyStage() bool {
	for _, p := range g.policies {
		if p.EarlyStage {
			return true
		}
	}
	return false
}

// referencedIn returns the first protected address whose 20 bytes appear
// in code (a PUSH20 in the creation bytecode or an ABI-encoded constructor
// argument).
func (p Policy) referencedIn(code []byte) (common.Address, bool) {
	if len(code) < common.AddressLength {
		return common.Address{}, false
	}
	for _, a := range p.protected() {
		if bytes.Contains(code, a.Bytes()) {
			return a, true
		}
	}
	return common.Address{}, false
}

// gateDeployment is the early-stage gate: one JSON-RPC batch simulates the
// protective calls followed by the deployment on top of the latest block
// and reads the head, the guardian's nonce and whether the deployment is
// already mined. It refuses (setting d.Verdict and d.Reason) when the
// deployment is mined or a protective call reverts.
func (g *Guard) gateDeployment(ctx context.Context, pol Policy, tx *types.Transaction, d *Decision) (*simPlan, *gateState, error) {
	plan, err := g.newPlan(pol, tx, d.Attacker)
	if err != nil {
		return nil, nil, err
	}
	plan.deployment = true
	plan.watch()
	rd, err := g.readGate(ctx, plan, tx, false)
	if err != nil {
		return nil, nil, err
	}
	gs := rd.state
	prot := rd.protected
	d.AttackTip = EffectiveTip(tx, gs.baseFee).String()
	if rd.minedIn != nil {
		d.Verdict = VerdictRefused
		d.Reason = fmt.Sprintf("the deployment is already mined in block %d", rd.minedIn)
		return plan, gs, nil
	}
	if d.Protected, err = plan.evaluate("protected", prot, true, g.cfg.RevertDecoder); err != nil {
		return nil, nil, err
	}
	gs.protected = d.Protected
	for _, c := range d.Protected.Calls[:len(plan.protect)] {
		if !c.OK {
			d.Verdict, d.Reason = VerdictRefused, fmt.Sprintf("%s reverts: %s", c.Label, c.Revert)
			return plan, gs, nil
		}
	}
	return plan, gs, nil
}
