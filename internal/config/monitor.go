package config

import (
	"encoding"
	"errors"
	"fmt"
	"math"
	"reflect"
	"regexp"
	"strings"
	"time"
	"unicode"

	"go.yaml.in/yaml/v3"

	"github.com/aegis-defi/aegis/internal/redact"
)

// Monitor configures `aegis monitor` (the monitor: section). Command-line
// flags override it.
type Monitor struct {
	// RPC is the node's endpoint: ws(s):// for heads and mempool
	// subscriptions, http(s):// for block polling only.
	RPC string `yaml:"rpc"`
	// Watch lists the watched protocols.
	Watch []WatchEntry `yaml:"watch"`
	// Detectors holds per-detector thresholds, keyed by detector name; the
	// keys of each are the snake_case names of the detector's Config
	// fields (see DetectorSettings).
	Detectors map[string]yaml.Node `yaml:"detectors"`
	// Disable names detectors not to run.
	Disable []string `yaml:"disable"`
	// Sinks are where alerts go.
	Sinks Sinks `yaml:"sinks"`
	// Allowlist names known benign bots; AllowlistMode is "downgrade"
	// (default) or "drop".
	Allowlist     []AllowlistEntry `yaml:"allowlist"`
	AllowlistMode string           `yaml:"allowlist_mode"`
	// Confirmations delays the mined pass by this many blocks.
	Confirmations uint64 `yaml:"confirmations"`
	// FromBlock is where a fresh data dir starts (default: the head).
	FromBlock *uint64 `yaml:"from_block"`
	// DataDir holds the monitor's database.
	DataDir string `yaml:"data_dir"`
	// MetricsAddr serves /metrics and /healthz, e.g. "127.0.0.1:9464".
	MetricsAddr string `yaml:"metrics_addr"`
	// Pending enables mempool monitoring (default true).
	Pending *bool `yaml:"pending"`
	// MaxHeadAge is how long the node may go without a new head before
	// /healthz answers 503, as a Go duration ("60s", the default).
	MaxHeadAge string `yaml:"max_head_age"`
	// MaxLag is how many blocks the monitor may trail the head (beyond
	// confirmations) before /healthz answers 503; default 10.
	MaxLag uint64 `yaml:"max_lag"`
	// Outbox bounds the queue between detection and the sinks.
	Outbox *Outbox `yaml:"outbox"`
	// BackfillBlocks is how many blocks of the watched protocols' history
	// are replayed on start-up to learn each account's deposits (default
	// 7200; 0 disables).
	BackfillBlocks *int `yaml:"backfill_blocks"`
	// Numeraires are tokens with a fixed ETH value that root the pricing
	// graph besides WETH (e.g. a USD stablecoin at a chosen rate).
	Numeraires []NumeraireEntry `yaml:"numeraires"`
	// ETHUSD is the fallback ETH/USD rate (USD per ETH) for the USD
	// stablecoins (on chain 1 by default USDC, USDT and DAI) when no pool
	// pairs one with WETH; 0 or unset means none.
	ETHUSD float64 `yaml:"eth_usd"`
	// Risk scores new pools and newly traded tokens (monitorrisk.go).
	Risk *MonitorRisk `yaml:"risk"`
}

// NumeraireEntry is a token valued at a fixed ETH amount per whole token.
type NumeraireEntry struct {
	Address  string  `yaml:"address"`
	ETH      float64 `yaml:"eth"`
	Decimals uint8   `yaml:"decimals"`
}

// Outbox configures the persistent alert outbox (one queue per sink).
type Outbox struct {
	// Capacity is each sink's queue size (default 1024); when full, the
	// oldest lowest-severity event is dropped.
	Capacity int `yaml:"capacity"`
	// AttemptTimeout bounds one delivery attempt, as a Go duration
	// (default "10s").
	AttemptTimeout string `yaml:"attempt_timeout"`
	// MaxAttempts is how many attempts an event gets (default 8).
	MaxAttempts int `yaml:"max_attempts"`
}

// HeadAge returns max_head_age (0: the default). Call it after validation.
func (m *Monitor) HeadAge() time.Duration {
	d, _ := time.ParseDuration(m.MaxHeadAge)
	return d
}

// AttemptTimeoutDuration returns outbox.attempt_timeout (0: the default). Call it
// after validation.
func (o *Outbox) AttemptTimeoutDuration() time.Duration {
	if o == nil {
		return 0
	}
	d, _ := time.ParseDuration(o.AttemptTimeout)
	return d
}

// WatchEntry is one watched protocol.
type WatchEntry struct {
	Name string `yaml:"name"`
	// Address and Addresses list its contracts (either or both).
	Address   string   `yaml:"address"`
	Addresses []string `yaml:"addresses"`
	// ABI is the path of an ABI or compiler artifact naming its functions,
	// events and errors.
	ABI string `yaml:"abi"`
}

// AllAddresses returns Address followed by Addresses.
func (w WatchEntry) AllAddresses() []string {
	var out []string
	if w.Address != "" {
		out = append(out, w.Address)
	}
	return append(out, w.Addresses...)
}

// AllowlistEntry is one known benign actor.
type AllowlistEntry struct {
	Address string `yaml:"address"`
	Label   string `yaml:"label"`
	Kind    string `yaml:"kind"`
}

// Sinks configures alert delivery. Secrets are never written in the file:
// the *_env keys name environment variables holding them.
type Sinks struct {
	Console   *ConsoleSink   `yaml:"console"`
	JSONL     *JSONLSink     `yaml:"jsonl"`
	Webhook   *WebhookSink   `yaml:"webhook"`
	Slack     *SlackSink     `yaml:"slack"`
	Discord   *DiscordSink   `yaml:"discord"`
	Telegram  *TelegramSink  `yaml:"telegram"`
	PagerDuty *PagerDutySink `yaml:"pagerduty"`
}

// ConsoleSink prints alerts on stderr.
type ConsoleSink struct {
	MinSeverity string `yaml:"min_severity"`
	Color       bool   `yaml:"color"`
}

// JSONLSink appends alerts to a file.
type JSONLSink struct {
	Path        string `yaml:"path"`
	MinSeverity string `yaml:"min_severity"`
}

// WebhookSink posts HMAC-signed alerts.
type WebhookSink struct {
	URL         string `yaml:"url"`
	SecretEnv   string `yaml:"secret_env"`
	MinSeverity string `yaml:"min_severity"`
}

// SlackSink posts to a Slack incoming webhook.
type SlackSink struct {
	WebhookURLEnv string `yaml:"webhook_url_env"`
	TxURL         string `yaml:"tx_url"`
	MinSeverity   string `yaml:"min_severity"`
}

// DiscordSink executes a Discord webhook.
type DiscordSink struct {
	WebhookURLEnv string `yaml:"webhook_url_env"`
	MinSeverity   string `yaml:"min_severity"`
}

// TelegramSink sends through a Telegram bot.
type TelegramSink struct {
	TokenEnv    string `yaml:"token_env"`
	ChatID      string `yaml:"chat_id"`
	MinSeverity string `yaml:"min_severity"`
}

// PagerDutySink enqueues Events API v2 events.
type PagerDutySink struct {
	RoutingKeyEnv string `yaml:"routing_key_env"`
	TxURL         string `yaml:"tx_url"`
	MinSeverity   string `yaml:"min_severity"`
}

func monitorKeys() schema {

	with := func(keys ...string) schema {
		s := schema{"min_severity": nil}
		for _, k := range keys {
			s[k] = nil
		}
		return s
	}

	return schema{
		"rpc":             nil,
		"watch":           nil, // a sequence: checked by the strict decoder
		"detectors":       nil, // checked by DetectorSettings
		"disable":         nil,
		"allowlist":       nil,
		"allowlist_mode":  nil,
		"confirmations":   nil,
		"from_block":      nil,
		"data_dir":        nil,
		"metrics_addr":    nil,
		"pending":         nil,
		"max_head_age":    nil,
		"max_lag":         nil,
		"outbox":          {"capacity": nil, "attempt_timeout": nil, "max_attempts": nil},
		"backfill_blocks": nil,
		"numeraires":      nil, // a sequence: checked by the strict decoder
		"eth_usd":         nil,
		"risk":            {"factories": nil, "holders": nil},
		"sinks": {
			"console":   with("color"),
			"jsonl":     with("path"),
			"webhook":   with("url", "secret_env"),
			"slack":     with("webhook_url_env", "tx_url"),
			"discord":   with("webhook_url_env"),
			"telegram":  with("token_env", "chat_id"),
			"pagerduty": with("routing_key_env", "tx_url"),
		},
	}
}

var hexAddr = regexp.MustCompile(`^0x[0-9a-fA-F]{40}$`)

// validate checks the monitor section; errors name the key path.
func (m *Monitor) validate(known []string) []error {
	var errs []error
	if m.RPC != "" && !hasScheme(m.RPC, "ws://", "wss://", "http://", "https://") {
		errs = append(errs, fmt.Errorf("monitor.rpc: %q: want a ws://, wss://, http:// or https:// URL", redact.URL(m.RPC)))
	}
	for i, w := range m.Watch {
		if len(w.AllAddresses()) == 0 {
			errs = append(errs, fmt.Errorf("monitor.watch[%d]: no address", i))
		}
		for j, a := range w.AllAddresses() {
			if !hexAddr.MatchString(a) {
				errs = append(errs, fmt.Errorf("monitor.watch[%d]: address %d: %q is not a 0x-prefixed 20-byte hex address", i, j, a))
			}
		}
	}
	if m.BackfillBlocks != nil && *m.BackfillBlocks < 0 {
		errs = append(errs, fmt.Errorf("monitor.backfill_blocks: %d: want 0 (off) or more", *m.BackfillBlocks))
	}
	errs = append(errs, m.Risk.validate()...)
	if m.ETHUSD < 0 || math.IsNaN(m.ETHUSD) || math.IsInf(m.ETHUSD, 0) {
		errs = append(errs, fmt.Errorf("monitor.eth_usd: %v: want a positive USD per ETH rate, or 0 (none)", m.ETHUSD))
	}
	for i, n := range m.Numeraires {
		if !hexAddr.MatchString(n.Address) {
			errs = append(errs, fmt.Errorf("monitor.numeraires[%d].address: %q is not a 0x-prefixed 20-byte hex address", i, n.Address))
		}
		if n.ETH <= 0 {
			errs = append(errs, fmt.Errorf("monitor.numeraires[%d].eth: %v: want a positive ETH value per token", i, n.ETH))
		}
	}
	isKnown := func(n string) bool {
		if known == nil {
			return kebab.MatchString(n)
		}
		for _, k := range known {
			if k == n {
				return true
			}
		}
		return false
	}
	for i, d := range m.Disable {
		if !isKnown(d) {
			errs = append(errs, fmt.Errorf("monitor.disable[%d]: %q: unknown detector", i, d))
		}
	}
	names := make([]string, 0, len(m.Detectors))
	for n := range m.Detectors {
		names = append(names, n)
	}
	for _, n := range sortedKeys(toStringMap(names)) {
		if !isKnown(n) {
			errs = append(errs, fmt.Errorf("monitor.detectors.%s: unknown detector", n))
		}
	}
	for i, a := range m.Allowlist {
		if !hexAddr.MatchString(a.Address) {
			errs = append(errs, fmt.Errorf("monitor.allowlist[%d].address: %q is not a 0x-prefixed 20-byte hex address", i, a.Address))
		}
	}
	switch m.AllowlistMode {
	case "", "downgrade", "drop":
	default:
		errs = append(errs, fmt.Errorf("monitor.allowlist_mode: %q: want downgrade or drop", m.AllowlistMode))
	}
	if m.MaxHeadAge != "" {
		if d, err := time.ParseDuration(m.MaxHeadAge); err != nil || d <= 0 {
			errs = append(errs, fmt.Errorf("monitor.max_head_age: %q: want a positive duration such as 60s or 2m", m.MaxHeadAge))
		}
	}
	if o := m.Outbox; o != nil {
		if o.Capacity < 0 {
			errs = append(errs, fmt.Errorf("monitor.outbox.capacity: %d: want a positive number of events (0: default)", o.Capacity))
		}
		if o.MaxAttempts < 0 {
			errs = append(errs, fmt.Errorf("monitor.outbox.max_attempts: %d: want a positive number (0: default)", o.MaxAttempts))
		}
		if o.AttemptTimeout != "" {
			if d, err := time.ParseDuration(o.AttemptTimeout); err != nil || d <= 0 {
				errs = append(errs, fmt.Errorf("monitor.outbox.attempt_timeout: %q: want a positive duration such as 10s", o.AttemptTimeout))
			}
		}
	}
	sevs := map[string]string{}
	s := m.Sinks
	if s.Console != nil {
		sevs["console"] = s.Console.MinSeverity
	}
	if s.JSONL != nil {
		sevs["jsonl"] = s.JSONL.MinSeverity
		if s.JSONL.Path == "" {
			errs = append(errs, errors.New("monitor.sinks.jsonl.path: required"))
		}
	}
	if s.Webhook != nil {
		sevs["webhook"] = s.Webhook.MinSeverity
		if !hasScheme(s.Webhook.URL, "http://", "https://") {
			errs = append(errs, errors.New("monitor.sinks.webhook.url: want an http(s) URL"))
		}
		if s.Webhook.SecretEnv == "" {
			errs = append(errs, errors.New("monitor.sinks.webhook.secret_env: required (unsigned webhooks are too easy to forge)"))
		}
	}
	if s.Slack != nil {
		sevs["slack"] = s.Slack.MinSeverity
		if s.Slack.WebhookURLEnv == "" {
			errs = append(errs, errors.New("monitor.sinks.slack.webhook_url_env: required"))
		}
	}
	if s.Discord != nil {
		sevs["discord"] = s.Discord.MinSeverity
		if s.Discord.WebhookURLEnv == "" {
			errs = append(errs, errors.New("monitor.sinks.discord.webhook_url_env: required"))
		}
	}
	if s.Telegram != nil {
		sevs["telegram"] = s.Telegram.MinSeverity
		if s.Telegram.TokenEnv == "" || s.Telegram.ChatID == "" {
			errs = append(errs, errors.New("monitor.sinks.telegram: token_env and chat_id are required"))
		}
	}
	if s.PagerDuty != nil {
		sevs["pagerduty"] = s.PagerDuty.MinSeverity
		if s.PagerDuty.RoutingKeyEnv == "" {
			errs = append(errs, errors.New("monitor.sinks.pagerduty.routing_key_env: required"))
		}
	}
	for _, k := range sortedKeys(sevs) {
		if v := sevs[k]; v != "" && !validSeverity(v) && !strings.EqualFold(v, "warn") && !strings.EqualFold(v, "warning") && !strings.EqualFold(v, "error") {
			errs = append(errs, fmt.Errorf("monitor.sinks.%s.min_severity: unknown severity %q (want info, low, medium, high or critical)", k, v))
		}
	}
	return errs
}

func toStringMap(keys []string) map[string]string {
	m := make(map[string]string, len(keys))
	for _, k := range keys {
		m[k] = ""
	}
	return m
}

func hasScheme(u string, schemes ...string) bool {
	l := strings.ToLower(u)
	for _, s := range schemes {
		if strings.HasPrefix(l, s) && len(l) > len(s) {
			return true
		}
	}
	return false
}

// DetectorSettings decodes monitor.detectors.<name> onto dst, a pointer to
// a detector's Config struct. Keys are the snake_case spelling of the
// field names, matched case-insensitively without underscores
// (min_outflow_eth sets MinOutflowETH); an unknown key is an error naming
// its path. It does nothing when the section has no entry for name.
func (m *Monitor) DetectorSettings(name string, dst any) error {
	n, ok := m.Detectors[name]
	if !ok || n.Kind == 0 || n.Tag == "!!null" {
		return nil
	}
	path := "monitor.detectors." + name
	if n.Kind != yaml.MappingNode {
		return fmt.Errorf("%s: line %d: expected a mapping", path, n.Line)
	}
	v := reflect.ValueOf(dst)
	if v.Kind() != reflect.Pointer || v.Elem().Kind() != reflect.Struct {
		return fmt.Errorf("%s: internal error: destination %T is not a pointer to a struct", path, dst)
	}
	sv := v.Elem()
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		want := strings.ReplaceAll(strings.ToLower(k.Value), "_", "")
		var field reflect.Value
		for j := 0; j < sv.NumField(); j++ {
			f := sv.Type().Field(j)
			if f.IsExported() && strings.ToLower(f.Name) == want {
				field = sv.Field(j)
				break
			}
		}
		if !field.IsValid() {
			return fmt.Errorf("%s.%s: line %d: unknown key", path, k.Value, k.Line)
		}
		if err := val.Decode(field.Addr().Interface()); err != nil {
			return explainDecodeError(val, path+"."+k.Value, err)
		}
		if err := checkThreshold(field, path+"."+k.Value, val.Line); err != nil {
			return err
		}
	}
	return nil
}

// checkThreshold rejects values no detector threshold can mean: negative
// or non-finite numbers and durations, and shares (fields named …Share or
// …Fraction) above 1. Nested structs are checked field by field; types
// that decode themselves (severities) are left to their own parser.
func checkThreshold(v reflect.Value, path string, line int) error {
	if v.CanAddr() {
		switch v.Addr().Interface().(type) {
		case yaml.Unmarshaler, encoding.TextUnmarshaler:
			return nil
		}
	}
	switch v.Kind() {
	case reflect.Float32, reflect.Float64:
		f := v.Float()
		if math.IsNaN(f) || math.IsInf(f, 0) || f < 0 {
			return fmt.Errorf("%s: line %d: must be a finite number >= 0, got %v", path, line, f)
		}
		if name := path[strings.LastIndex(path, ".")+1:]; (strings.HasSuffix(name, "_share") || name == "share" || strings.HasSuffix(name, "_fraction")) && f > 1 {
			return fmt.Errorf("%s: line %d: is a fraction, want 0..1, got %v", path, line, f)
		}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if v.Int() < 0 {
			if v.Type() == reflect.TypeFor[time.Duration]() {
				return fmt.Errorf("%s: line %d: must be a duration >= 0, got %v", path, line, time.Duration(v.Int()))
			}
			return fmt.Errorf("%s: line %d: must be >= 0, got %d", path, line, v.Int())
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if f := v.Type().Field(i); f.IsExported() {
				if err := checkThreshold(v.Field(i), path+"."+snake(f.Name), line); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// snake spells a Go field name the way the config does: MinLossETH ->
// min_loss_eth, MaxSellTaxBps -> max_sell_tax_bps.
func snake(name string) string {
	var b strings.Builder
	rs := []rune(name)
	for i, r := range rs {
		upper := unicode.IsUpper(r)
		if upper && i > 0 && (!unicode.IsUpper(rs[i-1]) || (i+1 < len(rs) && unicode.IsLower(rs[i+1]))) {
			b.WriteByte('_')
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}
