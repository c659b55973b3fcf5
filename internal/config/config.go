// Package config loads aegis.yaml: strict YAML (unknown keys are errors
// naming their path), defaults, then Validate. Each tool has its own
// section; today there is audit, and monitor and guard sections are added
// as fields of Config.
package config

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/aegis-defi/aegis/internal/guard"
	"github.com/aegis-defi/aegis/internal/redact"
)

// Config is the decoded aegis.yaml.
type Config struct {
	// Audit configures `aegis audit`.
	Audit Audit `yaml:"audit"`
	// Guard configures the guard: its key, extra endpoints and
	// per-protocol protective actions.
	Guard Guard `yaml:"guard"`
	// Monitor configures `aegis monitor`.
	Monitor Monitor `yaml:"monitor"`
}

// Audit configures `aegis audit`.
type Audit struct {
	// ExcludePaths are globs of project-relative paths not to report on.
	ExcludePaths []string `yaml:"exclude_paths"`
	// Disable lists detector names not to run.
	Disable []string `yaml:"disable"`
	// SeverityOverrides maps detector names to a severity name.
	SeverityOverrides map[string]string `yaml:"severity_overrides"`
	// FailOn is the lowest severity that makes the command fail ("high" by
	// default; "none" never fails).
	FailOn string `yaml:"fail_on"`
	// IncludeDeps reports findings in dependencies too.
	IncludeDeps bool `yaml:"include_deps"`
}

// Default returns the configuration used when no file is given.
func Default() *Config {
	return &Config{Audit: Audit{FailOn: "high"}}
}

// Load reads and decodes the file at path; see Parse.
func Load(path string) (*Config, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read config: %w", err)
	}
	c, err := Parse(data)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return c, nil
}

// Parse decodes data strictly over the defaults. It does not call Validate,
// which needs the list of known detectors.
func Parse(data []byte) (*Config, error) {
	c := Default()
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return nil, fmt.Errorf("parse: %w", err)
	}
	if len(root.Content) == 0 {
		return c, nil
	}
	if err := checkKeys(root.Content[0], "", reflectKeys()); err != nil {
		return nil, err
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(c); err != nil && !errors.Is(err, io.EOF) {
		return nil, explainDecodeError(&root, "", err)
	}
	return c, nil
}

// schema describes the allowed keys: a mapping of key to sub-schema;
// a nil schema accepts any scalar or sequence value.
type schema map[string]schema

// reflectKeys returns the schema of Config. Keep in sync with the structs.
func reflectKeys() schema {
	return schema{
		"audit": {
			"exclude_paths":      nil,
			"disable":            nil,
			"severity_overrides": nil,
			"fail_on":            nil,
			"include_deps":       nil,
		},
		// Each protocol entry's keys are checked by the strict decoder.
		"guard": {
			"protocols":     nil,
			"rpc":           nil,
			"broadcast":     nil,
			"keystore":      nil,
			"password_file": nil,
			"password_env":  nil,
			"key_env":       nil,
		},
		"monitor": monitorKeys(),
	}
}

// checkKeys reports the first unknown key under n with its path.
func checkKeys(n *yaml.Node, path string, s schema) error {
	if s == nil {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		if n.Kind == yaml.ScalarNode && n.Tag == "!!null" {
			return nil
		}
		return fmt.Errorf("%s: line %d: expected a mapping", orRoot(path), n.Line)
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := n.Content[i]
		sub, ok := s[k.Value]
		p := join(path, k.Value)
		if !ok {
			return fmt.Errorf("%s: line %d: unknown key", p, k.Line)
		}
		if err := checkKeys(n.Content[i+1], p, sub); err != nil {
			return err
		}
	}
	return nil
}

func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

func orRoot(p string) string {
	if p == "" {
		return "(root)"
	}
	return p
}

// kebab matches detector names.
var kebab = regexp.MustCompile(`^[a-z][a-z0-9]*(-[a-z0-9]+)*$`)

// Validate checks values: glob syntax, detector names against known (all
// names accepted if known is nil), severity names and fail_on. Errors name
// the key path, e.g. "audit.exclude_paths[2]: ...".
func (c *Config) Validate(known []string) error {
	var errs []error
	a := &c.Audit
	for i, g := range a.ExcludePaths {
		if err := validGlob(g); err != nil {
			errs = append(errs, fmt.Errorf("audit.exclude_paths[%d]: %w", i, err))
		}
	}
	isKnown := func(name string) bool {
		if known == nil {
			return kebab.MatchString(name)
		}
		for _, k := range known {
			if k == name {
				return true
			}
		}
		return false
	}
	for i, d := range a.Disable {
		if !isKnown(d) {
			errs = append(errs, fmt.Errorf("audit.disable[%d]: %q: unknown detector", i, d))
		}
	}
	for _, name := range sortedKeys(a.SeverityOverrides) {
		if !isKnown(name) {
			errs = append(errs, fmt.Errorf("audit.severity_overrides.%s: unknown detector", name))
			continue
		}
		if !validSeverity(a.SeverityOverrides[name]) {
			errs = append(errs, fmt.Errorf("audit.severity_overrides.%s: unknown severity %q (want info, low, medium, high or critical)", name, a.SeverityOverrides[name]))
		}
	}
	if a.FailOn != "none" && !validSeverity(a.FailOn) {
		errs = append(errs, fmt.Errorf("audit.fail_on: unknown severity %q (want info, low, medium, high, critical or none)", a.FailOn))
	}
	if err := c.Guard.Validate(); err != nil {
		errs = append(errs, err)
	}
	return errors.Join(errs...)
}

// ValidateMonitor checks the monitor section: URLs, addresses, sinks,
// severities and detector names against known (nil: any kebab-case name).
// Errors name the key path, e.g. "monitor.watch[1]: ...".
func (c *Config) ValidateMonitor(known []string) error {
	return errors.Join(c.Monitor.validate(known)...)
}

func validSeverity(s string) bool {
	switch strings.ToLower(s) {
	case "info", "low", "medium", "high", "critical":
		return true
	}
	return false
}

// validGlob checks the syntax of a path glob.
func validGlob(g string) error {
	if strings.TrimSpace(g) == "" {
		return errors.New("empty glob")
	}
	if strings.Count(g, "[") != strings.Count(g, "]") {
		return fmt.Errorf("glob %q: unbalanced brackets", g)
	}
	if strings.HasPrefix(g, "/") {
		return fmt.Errorf("glob %q: must be relative to the project root", g)
	}
	return nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

// Guard configures the guard (the guard: section), used by `aegis monitor`
// and `aegis guard`.
type Guard struct {
	// Policies are the protected protocols (guard.protocols). Each policy
	// is dry-run unless its mode is armed.
	guard.Policies `yaml:",inline"`
	// RPC is the node the guard simulates on and sends to (default: the
	// monitor's rpc).
	RPC string `yaml:"rpc"`
	// Broadcast are extra endpoints the protective transactions are also
	// sent to (builders, private relays).
	Broadcast []string `yaml:"broadcast"`
	// Keystore is an encrypted JSON keystore holding the guardian key; its
	// password comes from PasswordFile or the variable PasswordEnv.
	Keystore     string `yaml:"keystore"`
	PasswordFile string `yaml:"password_file"`
	PasswordEnv  string `yaml:"password_env"`
	// KeyEnv names a variable holding a raw hex key: development only
	// (a warning is logged).
	KeyEnv string `yaml:"key_env"`
}

// Enabled reports whether the section protects any protocol.
func (g *Guard) Enabled() bool { return len(g.Protocols) > 0 }

// Validate checks the policies, the key source and the URLs; errors name
// the key path (e.g. "guard.protocols[0]: mode: ...").
func (g *Guard) Validate() error {
	var errs []error
	if err := g.Policies.Validate(); err != nil {
		if j, ok := err.(interface{ Unwrap() []error }); ok {
			errs = append(errs, j.Unwrap()...)
		} else {
			errs = append(errs, err)
		}
	}
	switch {
	case g.Keystore != "" && g.KeyEnv != "":
		errs = append(errs, errors.New("keystore, key_env: give one key source, not both"))
	case g.Keystore != "" && (g.PasswordFile == "") == (g.PasswordEnv == ""):
		errs = append(errs, errors.New("keystore: give exactly one of password_file and password_env"))
	case g.Keystore == "" && (g.PasswordFile != "" || g.PasswordEnv != ""):
		errs = append(errs, errors.New("password_file, password_env: only used with keystore"))
	case g.Enabled() && g.Keystore == "" && g.KeyEnv == "":
		errs = append(errs, errors.New("keystore: the guard needs a key source (keystore with password_file or password_env, or key_env for development)"))
	}
	if g.RPC != "" && !hasScheme(g.RPC, "ws://", "wss://", "http://", "https://") {
		errs = append(errs, fmt.Errorf("rpc: %q: want a ws://, wss://, http:// or https:// URL", redact.URL(g.RPC)))
	}
	for i, u := range g.Broadcast {
		if !hasScheme(u, "ws://", "wss://", "http://", "https://") {
			errs = append(errs, fmt.Errorf("broadcast[%d]: %q: want a ws://, wss://, http:// or https:// URL", i, redact.URL(u)))
		}
	}
	for i, err := range errs {
		errs[i] = fmt.Errorf("guard.%w", err)
	}
	return errors.Join(errs...)
}

// typeErrLine matches one message of a *yaml.TypeError.
var (
	typeErrLine   = regexp.MustCompile("^line ([0-9]+): (.*)$")
	cannotDecode  = regexp.MustCompile("^cannot unmarshal !!([a-z]+)(?: `(.*)`)? into (.+)$")
	fieldNotFound = regexp.MustCompile(`^field (\S+) not found in type \S+$`)
)

// explainDecodeError rewrites the decoder's errors, which name Go types
// ("cannot unmarshal !!str `abc` into uint64", "field x not found in type
// config.WatchEntry"), into messages that name the key path and what the
// key wants ("monitor.confirmations: line 2: want a non-negative integer,
// got \"abc\""). n is the node that was decoded and prefix its path.
func explainDecodeError(n *yaml.Node, prefix string, err error) error {
	var te *yaml.TypeError
	if !errors.As(err, &te) {
		return err
	}
	var out []error
	for _, msg := range te.Errors {
		m := typeErrLine.FindStringSubmatch(msg)
		if m == nil {
			out = append(out, fmt.Errorf("%s: %s", orRoot(prefix), msg))
			continue
		}
		line := 0
		_, _ = fmt.Sscan(m[1], &line)
		if c := cannotDecode.FindStringSubmatch(m[2]); c != nil {
			tag, val := c[1], c[2]
			path := findPath(n, prefix, line, "", false, func(x *yaml.Node) bool {
				switch tag {
				case "map":
					return x.Kind == yaml.MappingNode
				case "seq":
					return x.Kind == yaml.SequenceNode
				}
				return x.Kind == yaml.ScalarNode && x.Value == val
			})
			got := fmt.Sprintf("%q", val)
			if tag == "map" || tag == "seq" {
				got = "a " + map[string]string{"map": "mapping", "seq": "list"}[tag]
			}
			out = append(out, fmt.Errorf("%s: line %d: want %s, got %s", orRoot(path), line, humanType(c[3]), got))
			continue
		}
		if f := fieldNotFound.FindStringSubmatch(m[2]); f != nil {
			path := findPath(n, prefix, line, f[1], true, nil)
			out = append(out, fmt.Errorf("%s: line %d: unknown key", orRoot(path), line))
			continue
		}
		path := findPath(n, prefix, line, "", false, func(*yaml.Node) bool { return true })
		out = append(out, fmt.Errorf("%s: line %d: %s", orRoot(path), line, m[2]))
	}
	// One line, as every aegis error is: the decoder reports all problems.
	msgs := make([]string, len(out))
	for i, e := range out {
		msgs[i] = e.Error()
	}
	return errors.New(strings.Join(msgs, "; "))
}

// findPath returns the key path of the first node on line that match
// accepts, or with key set, of the mapping key on line spelled name. It
// falls back to prefix when nothing matches.
func findPath(n *yaml.Node, prefix string, line int, name string, key bool, match func(*yaml.Node) bool) string {
	found := ""
	var walk func(n *yaml.Node, path string)
	walk = func(n *yaml.Node, path string) {
		if n == nil || found != "" {
			return
		}
		// Post-order: the innermost node on the line is the offender
		// ("a: {b: 1}" reports the flow mapping, not its parent).
		defer func() {
			if found == "" && !key && n.Kind != yaml.DocumentNode && n.Line == line && match(n) {
				found = path
			}
		}()
		switch n.Kind {
		case yaml.DocumentNode:
			for _, c := range n.Content {
				walk(c, path)
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				k, v := n.Content[i], n.Content[i+1]
				p := join(path, k.Value)
				if key && k.Line == line && k.Value == name {
					found = p
					return
				}
				walk(v, p)
			}
		case yaml.SequenceNode:
			for i, c := range n.Content {
				walk(c, fmt.Sprintf("%s[%d]", path, i))
			}
		}
	}
	walk(n, prefix)
	if found == "" {
		return prefix
	}
	return found
}

// humanType says what a Go type accepts, in the terms of a YAML file.
func humanType(goType string) string {
	switch {
	case goType == "bool":
		return "true or false"
	case strings.HasPrefix(goType, "uint"):
		return "a non-negative integer"
	case strings.HasPrefix(goType, "int"):
		return "an integer"
	case strings.HasPrefix(goType, "float"):
		return "a number"
	case goType == "string":
		return "a string"
	case goType == "time.Duration":
		return "a duration such as 30s or 10m"
	case strings.HasPrefix(goType, "[]"):
		return "a list"
	case strings.HasPrefix(goType, "map["), strings.Contains(goType, "."):
		return "a mapping"
	}
	return goType
}
