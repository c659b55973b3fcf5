package alert

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// Discord message limits (https://discord.com/developers/docs/resources/message#embed-object-embed-limits),
// counted in characters.
const (
	discordContentMax     = 2000
	discordTitleMax       = 256
	discordDescriptionMax = 4096
	discordFieldsMax      = 25
	discordFieldNameMax   = 256
	discordFieldValueMax  = 1024
	discordFooterMax      = 2048
	discordUsernameMax    = 80
	discordEmbedTotalMax  = 6000
)

// DiscordConfig configures a [Discord] webhook sink.
type DiscordConfig struct {
	// WebhookURL is https://discord.com/api/webhooks/<id>/<token>. It is a
	// secret and is never shown in errors or names.
	WebhookURL string
	// Username overrides the webhook's display name (≤ 80 characters).
	Username string
	// Label distinguishes several Discord sinks in Name.
	Label string
	// HTTPClient defaults to a client with a 15 s timeout.
	HTTPClient *http.Client
}

// Discord executes a Discord webhook: "content" (one line, ≤ 2000 chars)
// plus one embed with title, description (summary, ≤ 4096), colour by
// severity, inline fields, ISO-8601 timestamp and a footer with the alert
// ID. Mentions are disabled (allowed_mentions.parse = []) so text from
// detectors can never ping @everyone. Success is 204 (or 200).
type Discord struct {
	cfg    DiscordConfig
	client *http.Client
}

// NewDiscord validates cfg and returns the sink.
func NewDiscord(cfg DiscordConfig) (*Discord, error) {
	if cfg.WebhookURL == "" {
		return nil, errors.New("alert: discord sink: empty webhook URL")
	}
	return &Discord{cfg: cfg, client: clientOr(cfg.HTTPClient)}, nil
}

// Name returns "discord" or "discord:<label>".
func (d *Discord) Name() string { return sinkName("discord", d.cfg.Label) }

// DiscordMessage is the execute-webhook body.
type DiscordMessage struct {
	Content         string                 `json:"content"`
	Username        string                 `json:"username,omitempty"`
	Embeds          []DiscordEmbed         `json:"embeds"`
	AllowedMentions DiscordAllowedMentions `json:"allowed_mentions"`
}

// DiscordAllowedMentions controls pings; Parse is always empty.
type DiscordAllowedMentions struct {
	Parse []string `json:"parse"`
}

// DiscordEmbed is a rich embed.
type DiscordEmbed struct {
	Title       string              `json:"title"`
	Description string              `json:"description"`
	Color       int                 `json:"color"`
	Fields      []DiscordEmbedField `json:"fields,omitempty"`
	Timestamp   string              `json:"timestamp"`
	Footer      *DiscordEmbedFooter `json:"footer,omitempty"`
}

// DiscordEmbedField is one name/value pair of an embed.
type DiscordEmbedField struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Inline bool   `json:"inline"`
}

// DiscordEmbedFooter is the small text under an embed.
type DiscordEmbedFooter struct {
	Text string `json:"text"`
}

// DiscordColor is the embed colour for a severity.
func DiscordColor(s Severity) int {
	switch s {
	case SeverityCritical:
		return 0xE74C3C // red
	case SeverityHigh:
		return 0xE67E22 // orange
	case SeverityMedium:
		return 0xF1C40F // yellow
	case SeverityLow:
		return 0x3498DB // blue
	}
	return 0x95A5A6 // grey
}

// DiscordPayload renders ev as a Discord message within Discord's limits
// (exported for previews and tests).
func (d *Discord) DiscordPayload(ev Event) DiscordMessage {
	a := ev.Alert
	desc := a.Summary
	if ev.Reason != "" && ev.Kind != EventOpened {
		desc += "\n*" + ev.Reason + "*"
	}
	if a.Response != nil {
		desc += "\n🛡️ **Response:** " + a.Response.String()
	}
	e := DiscordEmbed{
		Title:     truncateUTF16(a.Title, discordTitleMax),
		Color:     DiscordColor(a.Severity),
		Timestamp: a.UpdatedAt.UTC().Format(time.RFC3339),
		Footer:    &DiscordEmbedFooter{Text: truncateUTF16("aegis · alert "+a.ID+" · "+a.DedupKey, discordFooterMax)},
	}
	used := utf16Len(e.Title) + utf16Len(e.Footer.Text)
	for _, f := range alertFields(a) {
		if len(e.Fields) == discordFieldsMax {
			break
		}
		ef := DiscordEmbedField{Name: truncateUTF16(f.name, discordFieldNameMax),
			Value: truncateUTF16(f.value, discordFieldValueMax), Inline: len(f.value) < 48}
		n := utf16Len(ef.Name) + utf16Len(ef.Value)
		if used+n > discordEmbedTotalMax-200 { // keep room for a description
			break
		}
		used += n
		e.Fields = append(e.Fields, ef)
	}
	e.Description = truncateUTF16(desc, min(discordDescriptionMax, discordEmbedTotalMax-used))
	return DiscordMessage{
		Content:         truncateUTF16(headline(ev), discordContentMax),
		Username:        truncateUTF16(d.cfg.Username, discordUsernameMax),
		Embeds:          []DiscordEmbed{e},
		AllowedMentions: DiscordAllowedMentions{Parse: []string{}},
	}
}

// Send executes the webhook.
func (d *Discord) Send(ctx context.Context, ev Event) error {
	if ev.Alert == nil {
		return &SinkError{Sink: d.Name(), Err: fmt.Errorf("event %d has no alert", ev.Seq)}
	}
	body, err := json.Marshal(d.DiscordPayload(ev))
	if err != nil {
		return &SinkError{Sink: d.Name(), Err: fmt.Errorf("encoding message: %w", err)}
	}
	r, err := postJSON(ctx, d.client, d.Name(), d.cfg.WebhookURL, nil, body, urlSecrets(d.cfg.WebhookURL)...)
	if err != nil {
		return err
	}
	if r.status != http.StatusNoContent && r.status != http.StatusOK {
		se := statusError(d.Name(), r, "", urlSecrets(d.cfg.WebhookURL)...)
		if r.status == http.StatusTooManyRequests && se.RetryAfter == 0 {
			var rl struct {
				RetryAfter float64 `json:"retry_after"` // seconds
			}
			if json.Unmarshal(r.body, &rl) == nil && rl.RetryAfter > 0 {
				se.RetryAfter = time.Duration(rl.RetryAfter * float64(time.Second))
			}
		}
		return se
	}
	return nil
}
