package alert

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// telegramTextMax is sendMessage's text limit ("1-4096 characters after
// entities parsing"). The sink keeps the raw HTML, tags included, within
// it, which is stricter.
const telegramTextMax = 4096

// TelegramConfig configures a [Telegram] Bot API sink.
type TelegramConfig struct {
	// BaseURL defaults to https://api.telegram.org (tests and self-hosted
	// Bot API servers override it).
	BaseURL string
	// Token is the bot token from @BotFather. It is a secret: it appears
	// only in the request path and never in errors, names or logs.
	Token string
	// ChatID is a numeric chat ID ("-1001234567890") or a channel username
	// ("@aegis_alerts"). Numeric IDs are sent as JSON integers.
	ChatID string
	// Label distinguishes several Telegram sinks in Name; default the chat.
	Label string
	// SilentBelow sends events below this severity without a notification
	// sound (disable_notification); zero (info) never silences.
	SilentBelow Severity
	// HTTPClient defaults to a client with a 15 s timeout.
	HTTPClient *http.Client
}

// Telegram sends each event with the Bot API's sendMessage
// (POST {base}/bot<token>/sendMessage) in HTML parse mode, every dynamic
// string HTML-escaped, link previews disabled. Success is 200 with
// {"ok":true}; 429 honours parameters.retry_after.
type Telegram struct {
	cfg    TelegramConfig
	client *http.Client
}

// NewTelegram validates cfg and returns the sink.
func NewTelegram(cfg TelegramConfig) (*Telegram, error) {
	if cfg.Token == "" {
		return nil, errors.New("alert: telegram sink: empty bot token")
	}
	if cfg.ChatID == "" {
		return nil, errors.New("alert: telegram sink: empty chat id")
	}
	if cfg.BaseURL == "" {
		cfg.BaseURL = "https://api.telegram.org"
	}
	cfg.BaseURL = strings.TrimRight(cfg.BaseURL, "/")
	return &Telegram{cfg: cfg, client: clientOr(cfg.HTTPClient)}, nil
}

// Name returns "telegram:<label or chat id>".
func (t *Telegram) Name() string {
	l := t.cfg.Label
	if l == "" {
		l = t.cfg.ChatID
	}
	return sinkName("telegram", l)
}

// TelegramMessage is the sendMessage body. ChatID is an int64 or a string.
type TelegramMessage struct {
	ChatID                any    `json:"chat_id"`
	Text                  string `json:"text"`
	ParseMode             string `json:"parse_mode"`
	DisableWebPagePreview bool   `json:"disable_web_page_preview"`
	// LinkPreviewOptions is the Bot API 7.0+ spelling of the same switch;
	// both are sent so old and new servers agree.
	LinkPreviewOptions  *TelegramLinkPreview `json:"link_preview_options,omitempty"`
	DisableNotification bool                 `json:"disable_notification,omitempty"`
}

// TelegramLinkPreview is the Bot API LinkPreviewOptions object.
type TelegramLinkPreview struct {
	IsDisabled bool `json:"is_disabled"`
}

// TelegramPayload renders ev as a sendMessage body (exported for previews
// and tests).
func (t *Telegram) TelegramPayload(ev Event) TelegramMessage {
	a := ev.Alert
	esc := html.EscapeString
	var b strings.Builder
	fmt.Fprintf(&b, "%s <b>%s · %s</b>\n<b>%s</b>\n", severityEmoji(a.Severity),
		esc(strings.ToUpper(a.Severity.String())), esc(kindLabel(ev.Kind)), esc(truncateRunes(a.Title, 256)))
	fmt.Fprintf(&b, "%s\n", esc(truncateRunes(a.Summary, 1024)))
	if ev.Reason != "" && ev.Kind != EventOpened {
		fmt.Fprintf(&b, "<i>%s</i>\n", esc(truncateRunes(ev.Reason, 512)))
	}
	b.WriteString("\n")
	for _, f := range alertFields(a) {
		v := esc(truncateRunes(f.value, 512))
		if f.name == "Attacker" {
			v = "<code>" + v + "</code>"
		}
		fmt.Fprintf(&b, "<b>%s:</b> %s\n", esc(f.name), v)
	}
	if a.Response != nil {
		fmt.Fprintf(&b, "\n🛡 <b>Response:</b> %s\n", esc(truncateRunes(a.Response.String(), 512)))
	}
	fmt.Fprintf(&b, "\n<code>%s</code>", esc(a.ID))
	text := b.String()
	if utf16Len(text) > telegramTextMax {
		// Cannot cut HTML blindly; fall back to the escaped headline and
		// summary, which are bounded above.
		text = fmt.Sprintf("%s <b>%s</b>\n%s\n<code>%s</code>", severityEmoji(a.Severity),
			esc(truncateRunes(a.Title, 256)), esc(truncateRunes(a.Summary, 1024)), esc(a.ID))
	}
	var chat any = t.cfg.ChatID
	if n, err := strconv.ParseInt(t.cfg.ChatID, 10, 64); err == nil {
		chat = n
	}
	return TelegramMessage{
		ChatID: chat, Text: text, ParseMode: "HTML",
		DisableWebPagePreview: true,
		LinkPreviewOptions:    &TelegramLinkPreview{IsDisabled: true},
		DisableNotification:   a.Severity < t.cfg.SilentBelow,
	}
}

// telegramResponse is the Bot API response envelope.
type telegramResponse struct {
	OK          bool   `json:"ok"`
	ErrorCode   int    `json:"error_code"`
	Description string `json:"description"`
	Parameters  struct {
		RetryAfter int `json:"retry_after"`
	} `json:"parameters"`
}

// Send calls sendMessage.
func (t *Telegram) Send(ctx context.Context, ev Event) error {
	if ev.Alert == nil {
		return &SinkError{Sink: t.Name(), Err: fmt.Errorf("event %d has no alert", ev.Seq)}
	}
	body, err := json.Marshal(t.TelegramPayload(ev))
	if err != nil {
		return &SinkError{Sink: t.Name(), Err: fmt.Errorf("encoding message: %w", err)}
	}
	u := t.cfg.BaseURL + "/bot" + t.cfg.Token + "/sendMessage"
	r, err := postJSON(ctx, t.client, t.Name(), u, nil, body, t.cfg.Token)
	if err != nil {
		return err
	}
	var resp telegramResponse
	jerr := json.Unmarshal(r.body, &resp)
	if r.status == http.StatusOK && jerr == nil && resp.OK {
		return nil
	}
	se := statusError(t.Name(), r, resp.Description, t.cfg.Token)
	if r.status == http.StatusOK { // 200 without ok:true: a broken proxy
		se.Err = errors.New("response is not {\"ok\":true}")
	}
	if se.Retryable && se.RetryAfter == 0 && resp.Parameters.RetryAfter > 0 {
		se.RetryAfter = time.Duration(resp.Parameters.RetryAfter) * time.Second
	}
	return se
}
