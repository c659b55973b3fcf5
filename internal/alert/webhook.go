package alert

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// Webhook signature headers.
const (
	// SignatureHeader carries "sha256=<hex HMAC-SHA256(secret, body)>", as
	// GitHub's X-Hub-Signature-256.
	SignatureHeader = "X-Aegis-Signature"
	// TimestampHeader carries the delivery time in Unix seconds. The same
	// value is the body's "timestamp" field, so it is covered by the
	// signature and a captured delivery cannot be replayed later with a
	// fresh header.
	TimestampHeader = "X-Aegis-Timestamp"
	// EventHeader carries the event kind ("opened", "promoted"…).
	EventHeader = "X-Aegis-Event"
	// DeliveryHeader carries [Event.DeliveryID]; retries repeat it so that
	// receivers can de-duplicate.
	DeliveryHeader = "X-Aegis-Delivery"
)

// WebhookConfig configures a generic [Webhook] sink.
type WebhookConfig struct {
	// URL receives the POST.
	URL string
	// Secret signs the body (HMAC-SHA256). Required: unsigned alerts are
	// too easy to forge.
	Secret string
	// Label distinguishes several webhooks in Name (the URL is never shown).
	Label string
	// HTTPClient defaults to a client with a 15 s timeout.
	HTTPClient *http.Client
	// Clock defaults to time.Now; it stamps deliveries.
	Clock func() time.Time
}

// WebhookPayload is the JSON body a [Webhook] posts: the event's fields plus
// the signed delivery timestamp.
//
//	{"kind":"promoted","seq":7,"at":"…","reason":"…","alert":{…},
//	 "delivery_id":"3f2a…-7","timestamp":1772366400}
type WebhookPayload struct {
	Event
	DeliveryID string `json:"delivery_id"`
	// Timestamp is the delivery time in Unix seconds (= X-Aegis-Timestamp).
	Timestamp int64 `json:"timestamp"`
}

// Webhook POSTs each event as JSON, signed like GitHub webhooks. 2xx is
// success; 429 and 5xx are retryable.
type Webhook struct {
	cfg    WebhookConfig
	client *http.Client
}

// NewWebhook validates cfg and returns the sink.
func NewWebhook(cfg WebhookConfig) (*Webhook, error) {
	if cfg.URL == "" {
		return nil, errors.New("alert: webhook sink: empty URL")
	}
	if cfg.Secret == "" {
		return nil, errors.New("alert: webhook sink: empty secret")
	}
	if cfg.Clock == nil {
		cfg.Clock = time.Now
	}
	return &Webhook{cfg: cfg, client: clientOr(cfg.HTTPClient)}, nil
}

// Name returns "webhook" or "webhook:<label>".
func (w *Webhook) Name() string { return sinkName("webhook", w.cfg.Label) }

// Send posts the event.
func (w *Webhook) Send(ctx context.Context, ev Event) error {
	ts := w.cfg.Clock().Unix()
	body, err := json.Marshal(WebhookPayload{Event: ev, DeliveryID: ev.DeliveryID(), Timestamp: ts})
	if err != nil {
		return &SinkError{Sink: w.Name(), Err: fmt.Errorf("encoding event: %w", err)}
	}
	h := http.Header{}
	h.Set(SignatureHeader, Sign([]byte(w.cfg.Secret), body))
	h.Set(TimestampHeader, strconv.FormatInt(ts, 10))
	h.Set(EventHeader, string(ev.Kind))
	h.Set(DeliveryHeader, ev.DeliveryID())
	r, err := postJSON(ctx, w.client, w.Name(), w.cfg.URL, h, body, append(urlSecrets(w.cfg.URL), w.cfg.Secret)...)
	if err != nil {
		return err
	}
	if r.status/100 != 2 {
		return statusError(w.Name(), r, "", append(urlSecrets(w.cfg.URL), w.cfg.Secret)...)
	}
	return nil
}

// Sign returns the X-Aegis-Signature value for body: "sha256=" followed by
// the hex HMAC-SHA256 of body keyed with secret.
func Sign(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// Verification errors returned (wrapped) by [Verify].
var (
	ErrBadSignature   = errors.New("alert: webhook signature mismatch")
	ErrStaleTimestamp = errors.New("alert: webhook timestamp outside tolerance")
)

// Verify checks a delivery on the receiving side: body is the raw request
// body, signature and timestamp the X-Aegis-Signature and X-Aegis-Timestamp
// header values. It checks the HMAC in constant time, that the header
// timestamp equals the signed body's "timestamp", and, when tolerance > 0,
// that it is within tolerance of now (replay protection).
func Verify(secret, body []byte, signature, timestamp string, now time.Time, tolerance time.Duration) error {
	hexSig, ok := strings.CutPrefix(signature, "sha256=")
	if !ok {
		return fmt.Errorf("%w: missing sha256= prefix", ErrBadSignature)
	}
	got, err := hex.DecodeString(hexSig)
	if err != nil {
		return fmt.Errorf("%w: signature is not hex", ErrBadSignature)
	}
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	if !hmac.Equal(got, m.Sum(nil)) {
		return ErrBadSignature
	}
	ts, err := strconv.ParseInt(timestamp, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: bad %s %q", ErrStaleTimestamp, TimestampHeader, timestamp)
	}
	var signed struct {
		Timestamp int64 `json:"timestamp"`
	}
	if err := json.Unmarshal(body, &signed); err != nil || signed.Timestamp != ts {
		return fmt.Errorf("%w: %s does not match the signed body", ErrBadSignature, TimestampHeader)
	}
	if tolerance > 0 {
		if d := now.Sub(time.Unix(ts, 0)); d > tolerance || d < -tolerance {
			return fmt.Errorf("%w: %s old", ErrStaleTimestamp, d.Round(time.Second))
		}
	}
	return nil
}
