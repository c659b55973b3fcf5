package config

import (
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"go.yaml.in/yaml/v3"
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
	// BackfillBlocks is how many blocks of the watched protocols' history
	// are replayed on start-up to learn each account's deposits (default
	// 7200; 0 disables).
	BackfillBlocks *int `yaml:"backfill_blocks"`
	// Numeraires are tokens with a fixed ETH value that root the pricing
	// graph besides WETH (e.g. a USD stablecoin at a chosen rate).
	Numeraires []NumeraireEntry `yaml:"numeraires"`
}

// NumeraireEntry is a token valued at a fixed ETH amount per whole token.
type NumeraireEntry struct {
	Address  string  `yaml:"address"`
	ETH      float64 `yaml:"eth"`
	Decimals uint8   `yaml:"decimals"`
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
		"backfill_blocks": nil,
		"numeraires":      nil, // a sequence: checked by the strict decoder
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
		errs = append(errs, fmt.Errorf("monitor.rpc: %q: want a ws://, wss://, http:// or https:// URL", redactConfigURL(m.RPC)))
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

// redactConfigURL keeps only the scheme and host of a URL for messages.
func redactConfigURL(u string) string {
	scheme, rest, ok := strings.Cut(u, "://")
	if !ok {
		if len(u) > 16 {
			return u[:16] + "…"
		}
		return u
	}
	host, _, _ := strings.Cut(rest, "/")
	if i := strings.LastIndex(host, "@"); i >= 0 {
		host = host[i+1:]
	}
	return scheme + "://" + host
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
			return fmt.Errorf("%s.%s: line %d: %w", path, k.Value, k.Line, err)
		}
	}
	return nil
}
