package bytecode

import (
	"encoding/hex"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/aegis-defi/aegis/internal/sigdb"
)

// ErrEmptyCode is returned by Analyze for empty code.
var ErrEmptyCode = errors.New("bytecode: empty code")

// Severity ranks findings.
type Severity string

// Severities, lowest first.
const (
	SeverityInfo   Severity = "info"
	SeverityLow    Severity = "low"
	SeverityMedium Severity = "medium"
	SeverityHigh   Severity = "high"
)

// Rank orders severities: info 0, low 1, medium 2, high 3 (-1 if unknown).
func (s Severity) Rank() int {
	switch s {
	case SeverityInfo:
		return 0
	case SeverityLow:
		return 1
	case SeverityMedium:
		return 2
	case SeverityHigh:
		return 3
	}
	return -1
}

// Sel is a 4-byte function selector; it prints and marshals as "0xa9059cbb".
type Sel [4]byte

// String returns the selector as 0x-prefixed hex.
func (s Sel) String() string { return "0x" + hex.EncodeToString(s[:]) }

// MarshalText encodes the selector as 0x-prefixed hex.
func (s Sel) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes 0x-prefixed or bare hex.
func (s *Sel) UnmarshalText(b []byte) error {
	v, err := hex.DecodeString(strings.TrimPrefix(string(b), "0x"))
	if err != nil || len(v) != 4 {
		return fmt.Errorf("bytecode: invalid selector %q", b)
	}
	*s = Sel(v)
	return nil
}

// Selector is a function selector found in the dispatcher.
type Selector struct {
	Selector Sel `json:"selector"`
	// Names are the candidate signatures from the signature database (empty
	// if unknown).
	Names []string `json:"names,omitempty"`
}

// Privileged is a dispatcher function that looks like an admin lever.
type Privileged struct {
	Selector Sel    `json:"selector"`
	Name     string `json:"name"`
	// Category is the sigdb privilege category ("mint", "pause", "fee", ...).
	Category string `json:"category"`
}

// Finding is one result of the analysis.
type Finding struct {
	// ID is a stable identifier, e.g. "selfdestruct" or "privileged-mint".
	ID       string   `json:"id"`
	Severity Severity `json:"severity"`
	Title    string   `json:"title"`
	Detail   string   `json:"detail,omitempty"`
}

// Opcodes summarises the capabilities used by the code part (metadata
// excluded). Except for Selfdestruct and Undefined, only instructions
// reachable from the entry point count, so embedded creation code of
// contracts deployed with "new" does not.
type Opcodes struct {
	Selfdestruct bool `json:"selfdestruct"`
	// SelfdestructReachable is set when a SELFDESTRUCT is reachable from the
	// entry point (conservatively: any JUMPDEST pushed as a constant is
	// considered a possible dynamic jump target).
	SelfdestructReachable bool `json:"selfdestruct_reachable"`
	Delegatecall          bool `json:"delegatecall"`
	Callcode              bool `json:"callcode"`
	Create                bool `json:"create"`
	Create2               bool `json:"create2"`
	// Calls is the number of CALL instructions; CallsWithValue counts CALL
	// and CALLCODE whose value is not provably zero.
	Calls          int  `json:"calls"`
	CallsWithValue int  `json:"calls_with_value"`
	Staticcalls    int  `json:"staticcalls"`
	Origin         bool `json:"origin"`
	Timestamp      bool `json:"timestamp"`
	Number         bool `json:"number"`
	Prevrandao     bool `json:"prevrandao"`
	Blockhash      bool `json:"blockhash"`
	Coinbase       bool `json:"coinbase"`
	Sstores        int  `json:"sstores"`
	Sloads         int  `json:"sloads"`
	Tstores        int  `json:"tstores"`
	Logs           int  `json:"logs"`
	// Push0, Transient (TLOAD/TSTORE), Mcopy and Blob (BLOBHASH,
	// BLOBBASEFEE) hint at the minimum hard fork the code needs.
	Push0     bool `json:"push0"`
	Transient bool `json:"transient"`
	Mcopy     bool `json:"mcopy"`
	Blob      bool `json:"blob"`
	// Undefined counts bytes that are not opcodes (in the code part).
	Undefined int `json:"undefined"`
}

// Report is the result of analysing one piece of runtime bytecode.
type Report struct {
	// Address is set by Fetch.
	Address *common.Address `json:"address,omitempty"`
	// Size is the full code size in bytes; CodeSize excludes the metadata
	// trailer.
	Size     int `json:"size"`
	CodeSize int `json:"code_size"`
	// CodeHash is keccak256 of the full code (what EXTCODEHASH returns).
	CodeHash common.Hash `json:"code_hash"`
	// Compiler is the compiler named in the metadata, e.g. "solc 0.8.28".
	Compiler string    `json:"compiler,omitempty"`
	Metadata *Metadata `json:"metadata,omitempty"`
	// Instructions is the number of instructions of the code part;
	// JumpDests the number of valid jump destinations.
	Instructions int `json:"instructions"`
	JumpDests    int `json:"jump_dests"`
	// Selectors are the dispatcher's function selectors, sorted;
	// SelectorSource says how they were found: "dispatcher" (symbolic walk
	// of the dispatcher), "pattern" (PUSH4/EQ/JUMPI byte patterns) or "".
	Selectors      []Selector   `json:"selectors"`
	SelectorSource string       `json:"selector_source,omitempty"`
	Proxy          *Proxy       `json:"proxy,omitempty"`
	Opcodes        Opcodes      `json:"opcodes"`
	Privileged     []Privileged `json:"privileged"`
	Findings       []Finding    `json:"findings"`
	// Implementation is the analysis of the proxy's implementation (Fetch
	// only).
	Implementation *Report `json:"implementation,omitempty"`
	// Notes are non-fatal problems, e.g. an implementation that could not be
	// resolved.
	Notes []string `json:"notes,omitempty"`

	runtimeSize int // > 0 when the code looks like creation code
	exe         []byte
	ins         []Instruction
	jd          []bool
	entries     map[[4]byte]int
	entryStacks map[[4]byte]stack
	behavior    *Behavior
}

// Behavior returns what every dispatcher function does (storage written,
// caller checks, revert conditions, fee arithmetic, calls), computed on
// first use by walking each function body from its dispatcher entry. It is
// empty for code without a recognised dispatcher.
func (r *Report) Behavior() *Behavior {
	if r.behavior == nil {
		sels := make([][4]byte, 0, len(r.Selectors))
		for _, s := range r.Selectors {
			sels = append(sels, [4]byte(s.Selector))
		}
		r.behavior = analyzeBehavior(r.exe, r.ins, r.jd, r.entries, r.entryStacks, sels)
	}
	return r.behavior
}

// HasSelector reports whether the dispatcher has selector s.
func (r *Report) HasSelector(s Sel) bool {
	return slices.ContainsFunc(r.Selectors, func(x Selector) bool { return x.Selector == s })
}

// Finding returns the finding with the given ID, or nil.
func (r *Report) Finding(id string) *Finding {
	for i := range r.Findings {
		if r.Findings[i].ID == id {
			return &r.Findings[i]
		}
	}
	return nil
}

// MaxSeverity returns the highest severity among the findings, including
// the implementation's ("" if there are none).
func (r *Report) MaxSeverity() Severity {
	var best Severity
	for _, f := range r.Findings {
		if f.Severity.Rank() > best.Rank() {
			best = f.Severity
		}
	}
	if r.Implementation != nil {
		if s := r.Implementation.MaxSeverity(); s.Rank() > best.Rank() {
			best = s
		}
	}
	return best
}

// Analyze analyses runtime bytecode. db names selectors and classifies
// privileged functions; nil means sigdb.Default(). It fails only on empty
// code: any other input, however malformed, yields a report.
func Analyze(code []byte, db *sigdb.DB) (*Report, error) {
	if len(code) == 0 {
		return nil, ErrEmptyCode
	}
	if db == nil {
		db = sigdb.Default()
	}
	exe, md := SplitMetadata(code)
	r := &Report{
		Size:       len(code),
		CodeSize:   len(exe),
		CodeHash:   crypto.Keccak256Hash(code),
		Metadata:   md,
		Selectors:  []Selector{},
		Privileged: []Privileged{},
		Findings:   []Finding{},
	}
	if md != nil {
		r.Compiler = md.Compiler
	}
	ins := Disassemble(exe)
	jd := JumpDests(exe)
	r.Instructions = len(ins)
	for _, ok := range jd {
		if ok {
			r.JumpDests++
		}
	}
	w := walk(exe, ins, jd)
	r.exe, r.ins, r.jd, r.entries, r.entryStacks = exe, ins, jd, w.entries, w.entryStacks

	// Selectors.
	sels := w.selectors
	r.SelectorSource = "dispatcher"
	if len(sels) == 0 && !w.sawSel {
		if _, ok := MinimalProxyTarget(code); !ok {
			if rt, ok := RuntimeFromInit(code); ok {
				// Creation code: its dispatcher is in the embedded runtime.
				r.runtimeSize = len(rt)
			} else {
				sels = patternSelectors(ins, jd)
				r.SelectorSource = "pattern"
			}
		}
	}
	if len(sels) == 0 {
		r.SelectorSource = ""
	}
	slices.SortFunc(sels, func(a, b [4]byte) int { return strings.Compare(string(a[:]), string(b[:])) })
	for _, s := range sels {
		r.Selectors = append(r.Selectors, Selector{Selector: Sel(s), Names: db.Function(s)})
		if cat, ok := db.Privilege(s); ok {
			name := ""
			for _, e := range db.FunctionEntries(s) {
				if e.Category == cat {
					name = e.Signature
					break
				}
			}
			r.Privileged = append(r.Privileged, Privileged{Selector: Sel(s), Name: name, Category: cat})
		}
	}

	r.Opcodes = opcodeFlags(ins, jd)
	if r.runtimeSize == 0 {
		r.Proxy = detectProxy(code, ins, w, r)
	}
	r.Findings = findings(r)
	return r, nil
}

func opcodeFlags(ins []Instruction, jd []bool) Opcodes {
	var o Opcodes
	reach := reachable(ins, jd)
	for i, in := range ins {
		if !in.Op.Defined() {
			o.Undefined++
		}
		if in.Op == SELFDESTRUCT {
			o.Selfdestruct = true
		}
		if !reach[i] {
			continue
		}
		switch in.Op {
		case SELFDESTRUCT:
			o.SelfdestructReachable = true
		case DELEGATECALL:
			o.Delegatecall = true
		case CALLCODE:
			o.Callcode = true
		case CREATE:
			o.Create = true
		case CREATE2:
			o.Create2 = true
		case CALL:
			o.Calls++
		case STATICCALL:
			o.Staticcalls++
		case ORIGIN:
			o.Origin = true
		case TIMESTAMP:
			o.Timestamp = true
		case NUMBER:
			o.Number = true
		case PREVRANDAO:
			o.Prevrandao = true
		case BLOCKHASH:
			o.Blockhash = true
		case COINBASE:
			o.Coinbase = true
		case SSTORE:
			o.Sstores++
		case SLOAD:
			o.Sloads++
		case TSTORE:
			o.Tstores++
			o.Transient = true
		case TLOAD:
			o.Transient = true
		case PUSH0:
			o.Push0 = true
		case MCOPY:
			o.Mcopy = true
		case BLOBHASH, BLOBBASEFEE:
			o.Blob = true
		}
		if in.Op >= LOG0 && in.Op <= LOG4 {
			o.Logs++
		}
	}
	if o.Calls > 0 || o.Callcode {
		o.CallsWithValue = valueCalls(ins, reach)
	}
	return o
}

// patternSelectors finds selectors by byte pattern when the dispatcher walk
// recognised no selector computation: PUSH4 sel, then EQ (possibly after a
// DUP/SWAP), then PUSHn dest and JUMPI to a valid JUMPDEST.
func patternSelectors(ins []Instruction, jd []bool) [][4]byte {
	var out [][4]byte
	seen := map[[4]byte]bool{}
	for i, in := range ins {
		if in.Op != PUSH4 || in.Truncated {
			continue
		}
		j := i + 1
		for j < len(ins) && j <= i+2 && ((ins[j].Op >= DUP1 && ins[j].Op <= DUP16) || (ins[j].Op >= SWAP1 && ins[j].Op <= SWAP16)) {
			j++
		}
		if j+2 >= len(ins) || ins[j].Op != EQ || ins[j+1].Op.PushSize() == 0 || ins[j+2].Op != JUMPI {
			continue
		}
		dest, ok := (value{k: vConst, c: ins[j+1].Value()}).small()
		if !ok || dest >= uint64(len(jd)) || !jd[dest] {
			continue
		}
		s := [4]byte(in.Arg)
		if !seen[s] {
			seen[s] = true
			out = append(out, s)
		}
	}
	return out
}
