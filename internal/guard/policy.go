package guard

import (
	"errors"
	"fmt"
	"math/big"
	"reflect"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/aegis-defi/aegis/internal/alert"
)

// Mode says whether the guard sends protective transactions.
type Mode string

// Modes. The zero value behaves as ModeDryRun.
const (
	// ModeDryRun logs and records exactly what would be sent (the signed
	// transactions) without sending anything. It is the default.
	ModeDryRun Mode = "dry-run"
	// ModeArmed sends the protective transactions.
	ModeArmed Mode = "armed"
)

// Policies is the guard's configuration: one policy per protected protocol.
type Policies struct {
	Protocols []Policy `yaml:"protocols" json:"protocols"`
}

// Validate checks every policy and that protocol names are unique.
func (ps Policies) Validate() error {
	seen := map[string]bool{}
	var errs []error
	for i, p := range ps.Protocols {
		if err := p.Validate(); err != nil {
			errs = append(errs, fmt.Errorf("protocols[%d]: %w", i, err))
			continue
		}
		if seen[p.Protocol] {
			errs = append(errs, fmt.Errorf("protocols[%d].protocol: duplicate protocol %q", i, p.Protocol))
		}
		seen[p.Protocol] = true
	}
	return errors.Join(errs...)
}

// Policy says when and how the guard protects one protocol.
type Policy struct {
	// Protocol is the watched protocol's name, as detectors report it
	// (alert.Protocol.Name).
	Protocol string `yaml:"protocol" json:"protocol"`
	// Addresses are the protocol's contracts; an observation whose victim
	// address is one of them matches this policy even if the name differs.
	// The first is the main victim, whose balances are measured.
	Addresses []common.Address `yaml:"addresses" json:"addresses"`
	Trigger   TriggerRule      `yaml:"trigger" json:"trigger"`
	// Actions are the protective calls, sent in order from the guardian.
	Actions []Call `yaml:"actions" json:"actions"`
	Limits  Limits `yaml:"limits" json:"limits"`
	// Mode is dry-run (default) or armed.
	Mode Mode `yaml:"mode" json:"mode"`
	// Pricing overrides the front-running fee parameters.
	Pricing Pricing `yaml:"pricing" json:"pricing"`
	// EarlyStage lets the guard act on an earlier stage of an attack: a
	// pending contract deployment whose init code (creation bytecode or
	// constructor arguments) contains one of the protected addresses (see
	// Guard.HandleDeployment). Off by default.
	EarlyStage bool `yaml:"early_stage" json:"early_stage,omitempty"`
	// Admins are known accounts (the protocol's deployer, its multisig)
	// whose deployments never trigger EarlyStage; the guardian itself is
	// always exempt.
	Admins []common.Address `yaml:"admins" json:"admins,omitempty"`
}

// TriggerRule selects the signals that may trigger an action.
type TriggerRule struct {
	// Detectors names the detectors whose signals count; empty means any
	// non-anomaly detector.
	Detectors []string `yaml:"detectors" json:"detectors,omitempty"`
	// MinSeverity is the lowest qualifying severity (default critical:
	// acting is costlier than alerting).
	MinSeverity alert.Severity `yaml:"min_severity" json:"min_severity"`
	// MinConfidence is the lowest qualifying confidence, in [0, 1]
	// (default 0.85).
	MinConfidence alert.Confidence `yaml:"min_confidence" json:"min_confidence"`
	// Stage must be "pending" (the only stage at which acting helps); empty
	// means pending.
	Stage alert.Stage `yaml:"stage" json:"stage,omitempty"`
	// MinDetectors is how many distinct detectors must qualify
	// (corroboration). Default 2, or 1 when Detectors names exactly one.
	MinDetectors int `yaml:"min_detectors" json:"min_detectors"`
}

// Call is one protective call.
type Call struct {
	// Name labels the target in summaries, e.g. "VulnerableBank"; defaults
	// to the policy's protocol name.
	Name string `yaml:"name" json:"name,omitempty"`
	// Target is the contract called.
	Target common.Address `yaml:"target" json:"target"`
	// Signature is the function, e.g. "pause()", "pauseMarket(address)",
	// "setBorrowCap(address,uint256)".
	Signature string `yaml:"signature" json:"signature"`
	// Args are the arguments as strings, encoded by the signature's types:
	// addresses and bytes in hex, integers in decimal or 0x-hex, bools as
	// true/false.
	Args []string `yaml:"args" json:"args,omitempty"`
	// Value is wei sent with the call (usually nil).
	Value *big.Int `yaml:"value" json:"value,omitempty"`
}

// Limits bound how often the guard acts on one protocol.
type Limits struct {
	// MaxActionsPerHour caps actions in any sliding hour (default 3).
	MaxActionsPerHour int `yaml:"max_actions_per_hour" json:"max_actions_per_hour"`
	// Cooldown is the minimum time between two actions (default 10m).
	Cooldown time.Duration `yaml:"cooldown" json:"cooldown"`
}

// Pricing are the front-running fee parameters.
type Pricing struct {
	// MarginPercent is how far above the attacker's effective tip the
	// guard bids, in percent (default 25).
	MarginPercent int64 `yaml:"margin_percent" json:"margin_percent"`
	// FloorWei is added to the tip (default 1 gwei).
	FloorWei *big.Int `yaml:"floor_wei" json:"floor_wei,omitempty"`
	// MaxReplacements caps fee-bumped replacements (default 3).
	MaxReplacements int `yaml:"max_replacements" json:"max_replacements"`
	// Legacy sends type-0 transactions with a gas price instead of EIP-1559.
	Legacy bool `yaml:"legacy" json:"legacy,omitempty"`
}

// Defaults applied by WithDefaults.
const (
	DefaultMinSeverity       = alert.SeverityCritical
	DefaultMinConfidence     = alert.Confidence(0.85)
	DefaultMinDetectors      = 2
	DefaultMaxActionsPerHour = 3
	DefaultCooldown          = 10 * time.Minute
	DefaultMarginPercent     = 25
	DefaultMaxReplacements   = 3
)

// WithDefaults returns p with zero fields set to their defaults. A zero
// MinSeverity (info) is taken as unset.
func (p Policy) WithDefaults() Policy {
	if p.Mode == "" {
		p.Mode = ModeDryRun
	}
	if p.Trigger.MinSeverity == alert.SeverityInfo {
		p.Trigger.MinSeverity = DefaultMinSeverity
	}
	if p.Trigger.MinConfidence == 0 {
		p.Trigger.MinConfidence = DefaultMinConfidence
	}
	if p.Trigger.Stage == "" {
		p.Trigger.Stage = alert.StagePending
	}
	if p.Trigger.MinDetectors == 0 {
		p.Trigger.MinDetectors = DefaultMinDetectors
		if len(p.Trigger.Detectors) == 1 {
			p.Trigger.MinDetectors = 1
		}
	}
	if p.Limits.MaxActionsPerHour == 0 {
		p.Limits.MaxActionsPerHour = DefaultMaxActionsPerHour
	}
	if p.Limits.Cooldown == 0 {
		p.Limits.Cooldown = DefaultCooldown
	}
	if p.Pricing.MarginPercent == 0 {
		p.Pricing.MarginPercent = DefaultMarginPercent
	}
	if p.Pricing.FloorWei == nil {
		p.Pricing.FloorWei = big.NewInt(1_000_000_000)
	}
	if p.Pricing.MaxReplacements == 0 {
		p.Pricing.MaxReplacements = DefaultMaxReplacements
	}
	for i := range p.Actions {
		if p.Actions[i].Name == "" {
			p.Actions[i].Name = p.Protocol
		}
	}
	return p
}

// Validate checks the policy; errors name the offending field.
func (p Policy) Validate() error {
	var errs []error
	bad := func(field, format string, a ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", field, fmt.Sprintf(format, a...)))
	}
	if strings.TrimSpace(p.Protocol) == "" {
		bad("protocol", "must name the protocol")
	}
	for i, a := range p.Addresses {
		if a == (common.Address{}) {
			bad(fmt.Sprintf("addresses[%d]", i), "zero address")
		}
	}
	for i, a := range p.Admins {
		if a == (common.Address{}) {
			bad(fmt.Sprintf("admins[%d]", i), "zero address")
		}
	}
	switch p.Mode {
	case "", ModeDryRun, ModeArmed:
	default:
		bad("mode", "unknown mode %q (want dry-run or armed)", p.Mode)
	}
	t := p.Trigger
	if !t.MinSeverity.Valid() {
		bad("trigger.min_severity", "invalid severity %d", int(t.MinSeverity))
	}
	if t.MinConfidence < 0 || t.MinConfidence > 1 {
		bad("trigger.min_confidence", "%v is outside [0, 1]", float64(t.MinConfidence))
	}
	if t.Stage != "" && t.Stage != alert.StagePending {
		bad("trigger.stage", "%q is not supported: the guard acts only on pending transactions", t.Stage)
	}
	if t.MinDetectors < 0 {
		bad("trigger.min_detectors", "must not be negative")
	}
	if len(t.Detectors) > 0 && t.MinDetectors > len(t.Detectors) {
		bad("trigger.min_detectors", "%d exceeds the %d listed detectors", t.MinDetectors, len(t.Detectors))
	}
	for i, d := range t.Detectors {
		if strings.TrimSpace(d) == "" {
			bad(fmt.Sprintf("trigger.detectors[%d]", i), "empty detector name")
		}
	}
	if len(p.Actions) == 0 {
		bad("actions", "at least one protective call is required")
	}
	for i, c := range p.Actions {
		if _, err := c.Encode(); err != nil {
			bad(fmt.Sprintf("actions[%d]", i), "%v", err)
		}
	}
	if p.Limits.MaxActionsPerHour < 0 {
		bad("limits.max_actions_per_hour", "must not be negative")
	}
	if p.Limits.Cooldown < 0 {
		bad("limits.cooldown", "must not be negative")
	}
	if p.Pricing.MarginPercent < 0 {
		bad("pricing.margin_percent", "must not be negative")
	}
	if p.Pricing.FloorWei != nil && p.Pricing.FloorWei.Sign() < 0 {
		bad("pricing.floor_wei", "must not be negative")
	}
	if p.Pricing.MaxReplacements < 0 {
		bad("pricing.max_replacements", "must not be negative")
	}
	return errors.Join(errs...)
}

// protected returns the policy's protected addresses: Addresses, or the
// actions' targets when Addresses is empty.
func (p Policy) protected() []common.Address {
	if len(p.Addresses) > 0 {
		return p.Addresses
	}
	var out []common.Address
	for _, c := range p.Actions {
		out = append(out, c.Target)
	}
	return out
}

// matches reports whether the victim belongs to this policy.
func (p Policy) matches(v alert.Protocol) bool {
	if v.Name != "" && v.Name == p.Protocol {
		return true
	}
	if v.Address == "" || !common.IsHexAddress(v.Address) {
		return false
	}
	a := common.HexToAddress(v.Address)
	for _, x := range p.Addresses {
		if x == a {
			return true
		}
	}
	return false
}

// qualifies reports whether one signal may trigger this policy.
func (t TriggerRule) qualifies(s signal) bool {
	if s.Anomaly || s.Severity < t.MinSeverity || s.Confidence < t.MinConfidence {
		return false
	}
	if s.Stage != "" && s.Stage != t.Stage {
		return false
	}
	if len(t.Detectors) == 0 {
		return true
	}
	for _, d := range t.Detectors {
		if d == s.Detector {
			return true
		}
	}
	return false
}

// Encode returns the call's ABI-encoded calldata: the 4-byte selector of
// Signature followed by the encoded Args.
func (c Call) Encode() ([]byte, error) {
	if c.Target == (common.Address{}) {
		return nil, errors.New("target: zero address")
	}
	name, params, ok := strings.Cut(strings.ReplaceAll(c.Signature, " ", ""), "(")
	if !ok || name == "" || !strings.HasSuffix(params, ")") {
		return nil, fmt.Errorf("signature: %q is not name(type,...)", c.Signature)
	}
	params = strings.TrimSuffix(params, ")")
	var types []string
	if params != "" {
		types = strings.Split(params, ",")
	}
	if len(types) != len(c.Args) {
		return nil, fmt.Errorf("args: %s takes %d arguments, got %d", c.Signature, len(types), len(c.Args))
	}
	var args abi.Arguments
	var vals []any
	for i, ts := range types {
		typ, err := abi.NewType(ts, "", nil)
		if err != nil {
			return nil, fmt.Errorf("signature: parameter %d type %q: %w", i, ts, err)
		}
		v, err := parseArg(typ, c.Args[i])
		if err != nil {
			return nil, fmt.Errorf("args[%d]: %w", i, err)
		}
		args = append(args, abi.Argument{Type: typ})
		vals = append(vals, v)
	}
	enc, err := args.Pack(vals...)
	if err != nil {
		return nil, fmt.Errorf("args: %w", err)
	}
	sel := crypto.Keccak256([]byte(name + "(" + strings.Join(types, ",") + ")"))[:4]
	return append(sel, enc...), nil
}

// parseArg converts a string to the Go value go-ethereum's ABI packer
// expects for typ.
func parseArg(typ abi.Type, s string) (any, error) {
	s = strings.TrimSpace(s)
	switch typ.T {
	case abi.AddressTy:
		if !common.IsHexAddress(s) {
			return nil, fmt.Errorf("%q is not an address", s)
		}
		return common.HexToAddress(s), nil
	case abi.BoolTy:
		switch strings.ToLower(s) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
		return nil, fmt.Errorf("%q is not a bool", s)
	case abi.UintTy, abi.IntTy:
		n, ok := new(big.Int).SetString(s, 0)
		if !ok {
			return nil, fmt.Errorf("%q is not an integer", s)
		}
		if typ.T == abi.UintTy && n.Sign() < 0 {
			return nil, fmt.Errorf("%q is negative for %s", s, typ)
		}
		return smallInt(typ, n)
	case abi.BytesTy:
		return common.FromHex(s), nil
	case abi.StringTy:
		return s, nil
	case abi.FixedBytesTy:
		b := common.FromHex(s)
		if len(b) != typ.Size {
			return nil, fmt.Errorf("%q is not %d bytes", s, typ.Size)
		}
		arr := reflect.New(typ.GetType()).Elem()
		reflect.Copy(arr, reflect.ValueOf(b))
		return arr.Interface(), nil
	}
	return nil, fmt.Errorf("unsupported argument type %s", typ)
}

// smallInt returns n as the exact Go integer type go-ethereum's packer wants
// for typ: *big.Int above 64 bits, uint8…int64 otherwise.
func smallInt(typ abi.Type, n *big.Int) (any, error) {
	if typ.Size > 64 {
		return n, nil
	}
	if typ.T == abi.UintTy {
		if n.BitLen() > typ.Size {
			return nil, fmt.Errorf("%s overflows %s", n, typ)
		}
		u := n.Uint64()
		switch typ.Size {
		case 8:
			return uint8(u), nil
		case 16:
			return uint16(u), nil
		case 32:
			return uint32(u), nil
		case 64:
			return u, nil
		}
		return n, nil
	}
	if !n.IsInt64() || n.BitLen() >= typ.Size {
		return nil, fmt.Errorf("%s overflows %s", n, typ)
	}
	i := n.Int64()
	switch typ.Size {
	case 8:
		return int8(i), nil
	case 16:
		return int16(i), nil
	case 32:
		return int32(i), nil
	case 64:
		return i, nil
	}
	return n, nil
}
