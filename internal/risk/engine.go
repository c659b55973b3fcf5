package risk

import (
	"context"
	"errors"
	"fmt"

	"github.com/aegis-defi/aegis/internal/bytecode"
	"github.com/aegis-defi/aegis/internal/sigdb"
)

// AnalyzeBytecode scores runtime bytecode offline: no node and no
// constructor state. Everything decidable from the code is decided; the
// signals that need a node are reported unknown. Malformed input never
// panics: it yields a report whose Skipped field says why nothing could be
// analysed.
func AnalyzeBytecode(ctx context.Context, code []byte, db *sigdb.DB) *Report {
	r := &Report{Mode: "bytecode", Flags: map[string]any{}}
	if len(code) == 0 {
		return skip(r, "empty bytecode: nothing to analyse")
	}
	br, err := bytecode.Analyze(code, db)
	if err != nil {
		return skip(r, fmt.Sprintf("bytecode: %v", err))
	}
	r.CodeHash = br.CodeHash.Hex()
	p := newPass(br, nil)
	p.HolderWeight, p.HolderDesc = WeightUnknown, "privileged address unknown offline"
	run(ctx, p, r)
	return r
}

// skip fills a report for input that could not be analysed at all.
func skip(r *Report, why string) *Report {
	r.Skipped = why
	for _, s := range Signals() {
		r.Signals = append(r.Signals, SignalResult{Name: s.Name, Status: StatusUnknown, Reason: why})
	}
	r.Unknowns = []string{why}
	r.finish()
	return r
}

// newPass prepares a pass over an analysed code: for a proxy whose
// implementation was fetched, the implementation's code is the model.
func newPass(br *bytecode.Report, node *NodeInput) *Pass {
	p := &Pass{Node: node, flags: map[string]any{}, proxy: br.Proxy}
	switch {
	case br.Proxy == nil:
		p.code = newCodeModel(br)
	case br.Implementation != nil:
		p.code = newCodeModel(br.Implementation)
	}
	return p
}

// run executes every signal and fills r.
func run(ctx context.Context, p *Pass, r *Report) {
	for _, s := range Signals() {
		p.signal = s.Name
		nf, ne := len(p.factors), len(p.evidence)
		var err error
		if s.Needs == "node" && p.Node == nil {
			err = fmt.Errorf("%w: needs a node (--rpc)", ErrUnknown)
		} else {
			err = s.Run(ctx, p)
		}
		res := SignalResult{Name: s.Name, Status: StatusOK}
		if err != nil {
			res.Status = StatusUnknown
			res.Reason = err.Error()
			if !errors.Is(err, ErrUnknown) {
				res.Reason = "error: " + err.Error()
			}
			r.Unknowns = append(r.Unknowns, s.Name+": "+res.Reason)
		}
		res.Evidence = append(res.Evidence, p.evidence[ne:]...)
		for _, f := range p.factors[nf:] {
			res.Evidence = append(res.Evidence, f.Evidence...)
		}
		r.Signals = append(r.Signals, res)
	}
	for _, f := range p.factors {
		if f.Kind == KindCapability {
			f.HolderWeight = p.HolderWeight
			f.Points = points(f.BasePoints, p.HolderWeight)
			if p.HolderDesc != "" {
				f.Title += " [" + p.HolderDesc + "]"
			}
		}
		r.Factors = append(r.Factors, f)
	}
	r.Flags = p.flags
	r.finish()
}
