package alert

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// Slack Block Kit limits (https://api.slack.com/reference/block-kit/blocks).
const (
	slackHeaderMax    = 150  // header block plain_text
	slackSectionMax   = 3000 // section text
	slackFieldMax     = 2000 // each section field
	slackMaxFields    = 10   // fields per section
	slackContextElems = 10   // context elements
	slackTextMax      = 3000 // top-level fallback text (Slack advises ≤ 4000)
)

// SlackConfig configures a [Slack] incoming-webhook sink.
type SlackConfig struct {
	// WebhookURL is the incoming webhook, https://hooks.slack.com/services/…
	// It is a secret and is never shown in errors or names.
	WebhookURL string
	// Label distinguishes several Slack sinks in Name, e.g. "#sec-oncall".
	Label string
	// TxURL, if set, prefixes transaction hashes to link them to an
	// explorer, e.g. "https://etherscan.io/tx/".
	TxURL string
	// HTTPClient defaults to a client with a 15 s timeout.
	HTTPClient *http.Client
}

// Slack posts to a Slack incoming webhook: a "text" fallback (used in
// notifications) plus Block Kit "blocks": a header (severity emoji and
// title), a section with the summary, a section of fields (severity, stage,
// protocol, attacker, loss, detectors, transactions…), the guard's response
// if any, and a context line with the alert ID. Success is HTTP 200 "ok".
type Slack struct {
	cfg    SlackConfig
	client *http.Client
}

// NewSlack validates cfg and returns the sink.
func NewSlack(cfg SlackConfig) (*Slack, error) {
	if cfg.WebhookURL == "" {
		return nil, errors.New("alert: slack sink: empty webhook URL")
	}
	return &Slack{cfg: cfg, client: clientOr(cfg.HTTPClient)}, nil
}

// Name returns "slack" or "slack:<label>".
func (s *Slack) Name() string { return sinkName("slack", s.cfg.Label) }

// SlackText is a Block Kit text object.
type SlackText struct {
	Type  string `json:"type"` // "plain_text" or "mrkdwn"
	Text  string `json:"text"`
	Emoji bool   `json:"emoji,omitempty"`
}

// SlackBlock is the subset of Block Kit blocks the sink sends.
type SlackBlock struct {
	Type     string      `json:"type"` // header, section, context, divider
	Text     *SlackText  `json:"text,omitempty"`
	Fields   []SlackText `json:"fields,omitempty"`
	Elements []SlackText `json:"elements,omitempty"`
}

// SlackMessage is the incoming-webhook body.
type SlackMessage struct {
	Text   string       `json:"text"`
	Blocks []SlackBlock `json:"blocks"`
}

// slackEscape escapes the three characters Slack reserves in text.
func slackEscape(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// SlackPayload renders ev as a Slack message (exported for previews and
// tests).
func (s *Slack) SlackPayload(ev Event) SlackMessage {
	a := ev.Alert
	mk := func(t string, n int) SlackText { return SlackText{Type: "mrkdwn", Text: truncateUTF16(t, n)} }

	body := "*" + kindLabel(ev.Kind) + "* · " + slackEscape(a.Summary)
	if ev.Reason != "" && ev.Kind != EventOpened {
		body += "\n_" + slackEscape(ev.Reason) + "_"
	}
	blocks := []SlackBlock{
		{Type: "header", Text: &SlackText{Type: "plain_text", Emoji: true,
			Text: truncateUTF16(severityEmoji(a.Severity)+" "+a.Title, slackHeaderMax)}},
		{Type: "section", Text: ptr(mk(body, slackSectionMax))},
	}
	var fields []SlackText
	for _, f := range alertFields(a) {
		if len(fields) == slackMaxFields {
			break
		}
		v := slackEscape(f.value)
		if f.name == "Transactions" && s.cfg.TxURL != "" {
			v = s.txLinks(a.Evidence.Txs)
		}
		fields = append(fields, mk("*"+f.name+"*\n"+v, slackFieldMax))
	}
	blocks = append(blocks, SlackBlock{Type: "section", Fields: fields})
	if a.Response != nil {
		blocks = append(blocks, SlackBlock{Type: "section",
			Text: ptr(mk(":shield: *Response:* "+slackEscape(a.Response.String()), slackSectionMax))})
	}
	ctx := []SlackText{mk(fmt.Sprintf("aegis · alert `%s` · first seen %s", a.ID, a.FirstSeen.UTC().Format("2006-01-02 15:04:05Z")), slackFieldMax)}
	blocks = append(blocks, SlackBlock{Type: "context", Elements: ctx[:min(len(ctx), slackContextElems)]})

	text := slackEscape(headline(ev) + " — " + a.Summary)
	return SlackMessage{Text: truncateUTF16(text, slackTextMax), Blocks: blocks}
}

func (s *Slack) txLinks(txs []TxRef) string {
	parts := make([]string, 0, 5)
	for i, t := range txs {
		if i == 5 {
			parts = append(parts, fmt.Sprintf("+%d more", len(txs)-5))
			break
		}
		parts = append(parts, fmt.Sprintf("<%s%s|%s> (%s)", s.cfg.TxURL, t.Hash, ShortAddr(t.Hash), t.Stage))
	}
	return strings.Join(parts, ", ")
}

func ptr[T any](v T) *T { return &v }

// Send posts the event.
func (s *Slack) Send(ctx context.Context, ev Event) error {
	if ev.Alert == nil {
		return &SinkError{Sink: s.Name(), Err: fmt.Errorf("event %d has no alert", ev.Seq)}
	}
	body, err := json.Marshal(s.SlackPayload(ev))
	if err != nil {
		return &SinkError{Sink: s.Name(), Err: fmt.Errorf("encoding message: %w", err)}
	}
	r, err := postJSON(ctx, s.client, s.Name(), s.cfg.WebhookURL, nil, body, urlSecrets(s.cfg.WebhookURL)...)
	if err != nil {
		return err
	}
	if r.status != http.StatusOK {
		return statusError(s.Name(), r, "", urlSecrets(s.cfg.WebhookURL)...)
	}
	return nil
}
