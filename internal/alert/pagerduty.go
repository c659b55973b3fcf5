package alert

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"time"
)

// pdSummaryMax is the Events API v2 payload.summary limit.
const pdSummaryMax = 1024

// PagerDutyConfig configures a [PagerDuty] Events API v2 sink.
type PagerDutyConfig struct {
	// BaseURL defaults to https://events.pagerduty.com.
	BaseURL string
	// RoutingKey is the 32-character integration key of an Events API v2
	// integration. It is a secret and never appears in errors or logs.
	RoutingKey string
	// Source overrides payload.source; default "chain-<id>/<protocol
	// address>" — the affected system.
	Source string
	// Label distinguishes several PagerDuty sinks in Name.
	Label string
	// TxURL, if set, turns transactions into payload links, e.g.
	// "https://etherscan.io/tx/".
	TxURL string
	// ClientURL is shown as the monitoring client link in PagerDuty.
	ClientURL string
	// HTTPClient defaults to a client with a 15 s timeout.
	HTTPClient *http.Client
}

// PagerDuty sends Events API v2 alert events (POST {base}/v2/enqueue).
// Opened, updated and promoted events trigger (PagerDuty folds triggers with
// the same dedup_key — the alert's DedupKey — into one incident); retracted
// and dropped events resolve. 202 is success, 400 is a permanent error,
// 429 and 5xx are retryable.
type PagerDuty struct {
	cfg    PagerDutyConfig
	client *http.Client
}

// NewPagerDuty validates cfg and returns the sink.
func NewPagerDuty(cfg PagerDutyConfig) (*PagerDuty, error) {
	if cfg.RoutingKey == "" {
		return nil, errors.New("alert: pagerduty sink: empty routing key")
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "https://events.pagerduty.com"
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	return &PagerDuty{cfg: cfg, client: clientOr(cfg.HTTPClient)}, nil
}

// Name returns "pagerduty" or "pagerduty:<label>".
func (p *PagerDuty) Name() string { return sinkName("pagerduty", p.cfg.Label) }

// PagerDutyEvent is the Events API v2 request body.
type PagerDutyEvent struct {
	RoutingKey  string            `json:"routing_key"`
	EventAction string            `json:"event_action"` // trigger, acknowledge, resolve
	DedupKey    string            `json:"dedup_key"`
	Payload     *PagerDutyPayload `json:"payload,omitempty"`
	Client      string            `json:"client,omitempty"`
	ClientURL   string            `json:"client_url,omitempty"`
	Links       []PagerDutyLink   `json:"links,omitempty"`
}

// PagerDutyPayload is the alert description of a trigger event.
type PagerDutyPayload struct {
	Summary       string         `json:"summary"`
	Source        string         `json:"source"`
	Severity      string         `json:"severity"` // critical, error, warning, info
	Timestamp     string         `json:"timestamp,omitempty"`
	Component     string         `json:"component,omitempty"`
	Group         string         `json:"group,omitempty"`
	Class         string         `json:"class,omitempty"`
	CustomDetails map[string]any `json:"custom_details,omitempty"`
}

// PagerDutyLink is a link shown on the PagerDuty alert.
type PagerDutyLink struct {
	Href string `json:"href"`
	Text string `json:"text,omitempty"`
}

// PagerDutySeverity maps aegis severities onto PagerDuty's: critical →
// critical, high → error, medium → warning, low and info → info.
func PagerDutySeverity(s Severity) string {
	switch s {
	case SeverityCritical:
		return "critical"
	case SeverityHigh:
		return "error"
	case SeverityMedium:
		return "warning"
	}
	return "info"
}

// PagerDutyPayload renders ev as an Events API v2 body (exported for
// previews and tests). The routing key is filled in.
func (p *PagerDuty) PagerDutyPayload(ev Event) PagerDutyEvent {
	a := ev.Alert
	e := PagerDutyEvent{RoutingKey: p.cfg.RoutingKey, DedupKey: truncateRunes(a.DedupKey, 255)}
	if ev.Kind.Resolves() {
		e.EventAction = "resolve"
		return e
	}
	e.EventAction = "trigger"
	e.Client, e.ClientURL = "aegis", p.cfg.ClientURL
	src := p.cfg.Source
	if src == "" {
		addr := a.Protocol.Address
		if addr == "" {
			addr = a.Protocol.Name
		}
		src = fmt.Sprintf("chain-%d/%s", a.ChainID, addr)
	}
	details := map[string]any{
		"alert_id":   a.ID,
		"event":      ev.Kind,
		"reason":     ev.Reason,
		"stage":      a.Stage,
		"severity":   a.Severity,
		"confidence": a.Confidence,
		"chain_id":   a.ChainID,
		"protocol":   a.Protocol,
		"attacker":   a.Attacker,
		"detectors":  a.Detectors,
		"txs":        a.Evidence.Txs,
		"numbers":    a.Evidence.Numbers,
		"first_seen": a.FirstSeen,
	}
	if a.Response != nil {
		details["response"] = a.Response
	}
	if a.Allowlisted != nil {
		details["allowlisted"] = a.Allowlisted
	}
	class := "attack"
	if a.AnomalyOnly {
		class = "anomaly"
	}
	if len(a.Detectors) > 0 {
		class += ":" + strings.Join(a.Detectors, "+")
	}
	e.Payload = &PagerDutyPayload{
		Summary:       truncateRunes(fmt.Sprintf("[%s] %s: %s", strings.ToUpper(a.Severity.String()), a.Title, a.Summary), pdSummaryMax),
		Source:        src,
		Severity:      PagerDutySeverity(a.Severity),
		Timestamp:     a.DetectedAt.UTC().Format(time.RFC3339),
		Component:     a.Protocol.String(),
		Group:         fmt.Sprintf("chain-%d", a.ChainID),
		Class:         class,
		CustomDetails: details,
	}
	if p.cfg.TxURL != "" {
		for i, t := range a.Evidence.Txs {
			if i == 5 {
				break
			}
			e.Links = append(e.Links, PagerDutyLink{Href: p.cfg.TxURL + t.Hash, Text: "tx " + ShortAddr(t.Hash) + " (" + string(t.Stage) + ")"})
		}
	}
	return e
}

// pdResponse is the Events API v2 response body.
type pdResponse struct {
	Status   string   `json:"status"`
	Message  string   `json:"message"`
	DedupKey string   `json:"dedup_key"`
	Errors   []string `json:"errors"`
}

// Send enqueues the event.
func (p *PagerDuty) Send(ctx context.Context, ev Event) error {
	if ev.Alert == nil {
		return &SinkError{Sink: p.Name(), Err: fmt.Errorf("event %d has no alert", ev.Seq)}
	}
	body, err := json.Marshal(p.PagerDutyPayload(ev))
	if err != nil {
		return &SinkError{Sink: p.Name(), Err: fmt.Errorf("encoding event: %w", err)}
	}
	r, err := postJSON(ctx, p.client, p.Name(), p.cfg.BaseURL+"/v2/enqueue", nil, body, p.cfg.RoutingKey)
	if err != nil {
		return err
	}
	if r.status == http.StatusAccepted {
		return nil
	}
	var resp pdResponse
	detail := ""
	if json.Unmarshal(r.body, &resp) == nil && resp.Message != "" {
		detail = resp.Message
		if len(resp.Errors) > 0 {
			detail += ": " + strings.Join(resp.Errors, "; ")
		}
	}
	return statusError(p.Name(), r, detail, p.cfg.RoutingKey)
}
