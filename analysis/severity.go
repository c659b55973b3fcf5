package analysis

import (
	"fmt"
	"strings"
)

// Severity is the impact of a finding if it is a true positive.
type Severity int

// Severities, from least to most severe.
const (
	Info Severity = iota + 1
	Low
	Medium
	High
	Critical
)

// Severities returns every valid severity, least severe first.
func Severities() []Severity { return []Severity{Info, Low, Medium, High, Critical} }

// String returns the lowercase name of s ("info" … "critical").
func (s Severity) String() string {
	switch s {
	case Info:
		return "info"
	case Low:
		return "low"
	case Medium:
		return "medium"
	case High:
		return "high"
	case Critical:
		return "critical"
	}
	return fmt.Sprintf("severity(%d)", int(s))
}

// Valid reports whether s is one of the defined severities.
func (s Severity) Valid() bool { return s >= Info && s <= Critical }

// ParseSeverity parses a severity name, case-insensitively. "informational"
// is accepted for info.
func ParseSeverity(name string) (Severity, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "info", "informational":
		return Info, nil
	case "low":
		return Low, nil
	case "medium":
		return Medium, nil
	case "high":
		return High, nil
	case "critical":
		return Critical, nil
	}
	return 0, fmt.Errorf("unknown severity %q (want info, low, medium, high or critical)", name)
}

// MarshalText implements encoding.TextMarshaler.
func (s Severity) MarshalText() ([]byte, error) {
	if !s.Valid() {
		return nil, fmt.Errorf("invalid severity %d", int(s))
	}
	return []byte(s.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (s *Severity) UnmarshalText(b []byte) error {
	v, err := ParseSeverity(string(b))
	if err != nil {
		return err
	}
	*s = v
	return nil
}

// Confidence is how likely a finding of a detector is a true positive.
type Confidence int

// Confidence levels.
const (
	ConfidenceLow Confidence = iota + 1
	ConfidenceMedium
	ConfidenceHigh
)

// String returns the lowercase name of c ("low", "medium" or "high").
func (c Confidence) String() string {
	switch c {
	case ConfidenceLow:
		return "low"
	case ConfidenceMedium:
		return "medium"
	case ConfidenceHigh:
		return "high"
	}
	return fmt.Sprintf("confidence(%d)", int(c))
}

// Valid reports whether c is one of the defined confidence levels.
func (c Confidence) Valid() bool { return c >= ConfidenceLow && c <= ConfidenceHigh }

// ParseConfidence parses a confidence name, case-insensitively.
func ParseConfidence(name string) (Confidence, error) {
	switch strings.ToLower(strings.TrimSpace(name)) {
	case "low":
		return ConfidenceLow, nil
	case "medium":
		return ConfidenceMedium, nil
	case "high":
		return ConfidenceHigh, nil
	}
	return 0, fmt.Errorf("unknown confidence %q (want low, medium or high)", name)
}

// MarshalText implements encoding.TextMarshaler.
func (c Confidence) MarshalText() ([]byte, error) {
	if !c.Valid() {
		return nil, fmt.Errorf("invalid confidence %d", int(c))
	}
	return []byte(c.String()), nil
}

// UnmarshalText implements encoding.TextUnmarshaler.
func (c *Confidence) UnmarshalText(b []byte) error {
	v, err := ParseConfidence(string(b))
	if err != nil {
		return err
	}
	*c = v
	return nil
}

// Detector categories. A detector's Category must be one of these.
const (
	CategoryReentrancy     = "reentrancy"
	CategoryAccessControl  = "access-control"
	CategoryDeFi           = "defi"
	CategoryOracle         = "oracle"
	CategoryArithmetic     = "arithmetic"
	CategoryExternalCall   = "external-call"
	CategoryRandomness     = "randomness"
	CategoryDoS            = "denial-of-service"
	CategoryUpgradeability = "upgradeability"
	CategorySignature      = "signature"
	CategoryToken          = "token"
	CategoryGovernance     = "governance"
	CategoryFrontRunning   = "front-running"
	CategoryDataValidation = "data-validation"
	CategoryAssembly       = "assembly"
	CategoryCompiler       = "compiler"
	CategoryDeprecated     = "deprecated"
	CategoryBestPractice   = "best-practice"
	CategoryGas            = "gas"
)

// Categories returns every valid category name, sorted as declared.
func Categories() []string {
	return []string{
		CategoryReentrancy, CategoryAccessControl, CategoryDeFi, CategoryOracle,
		CategoryArithmetic, CategoryExternalCall, CategoryRandomness, CategoryDoS,
		CategoryUpgradeability, CategorySignature, CategoryToken, CategoryGovernance,
		CategoryFrontRunning, CategoryDataValidation, CategoryAssembly,
		CategoryCompiler, CategoryDeprecated, CategoryBestPractice, CategoryGas,
	}
}

// ValidCategory reports whether name is one of [Categories].
func ValidCategory(name string) bool {
	for _, c := range Categories() {
		if c == name {
			return true
		}
	}
	return false
}
