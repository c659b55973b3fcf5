package alert

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
)

// Sink delivers events to one channel. Send must honour ctx cancellation
// and must be safe for concurrent use.
type Sink interface {
	// Name identifies the sink in errors and logs, e.g. "slack" or
	// "slack:#sec-oncall". It never contains secrets.
	Name() string
	// Send delivers one event.
	Send(ctx context.Context, ev Event) error
}

// SinkError is a failed delivery. Its message names the sink and the HTTP
// status (if any) and never contains secrets; [WithRetry] uses Retryable and
// RetryAfter.
type SinkError struct {
	Sink string
	// Status is the HTTP status code, 0 when no response was received.
	Status int
	// Retryable is true for network errors, 429 and 5xx responses.
	Retryable bool
	// RetryAfter is the delay the service asked for (Retry-After), if any.
	RetryAfter time.Duration
	// Err is the underlying cause, already stripped of secrets.
	Err error
}

// Error reads "alert: <sink> sink: HTTP <status>: <cause>".
func (e *SinkError) Error() string {
	var b strings.Builder
	b.WriteString("alert: ")
	b.WriteString(e.Sink)
	b.WriteString(" sink")
	if e.Status != 0 {
		fmt.Fprintf(&b, ": HTTP %d %s", e.Status, http.StatusText(e.Status))
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns the cause.
func (e *SinkError) Unwrap() error { return e.Err }

// IsRetryable reports whether err is worth retrying: a [SinkError] marked
// retryable (network error, 429, 5xx). Context cancellation is not.
func IsRetryable(err error) bool {
	if err == nil || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	var se *SinkError
	return errors.As(err, &se) && se.Retryable
}

// RetryAfter returns the delay a service asked for (Retry-After) in a
// failed delivery's error, 0 when none.
func RetryAfter(err error) time.Duration { return retryAfterOf(err) }

// retryAfterOf returns the Retry-After carried by err, if any.
func retryAfterOf(err error) time.Duration {
	var se *SinkError
	if errors.As(err, &se) {
		return se.RetryAfter
	}
	return 0
}

// defaultHTTPTimeout bounds one HTTP request when no client is configured.
const defaultHTTPTimeout = 15 * time.Second

func clientOr(c *http.Client) *http.Client {
	if c != nil {
		return c
	}
	return &http.Client{Timeout: defaultHTTPTimeout}
}

// maxErrorBody is how much of an error response is kept for the message.
const maxErrorBody = 300

// httpResult is a received response.
type httpResult struct {
	status int
	header http.Header
	body   []byte
}

// postJSON sends body to rawURL. Transport errors are returned as a
// retryable *SinkError whose message shows only the URL's scheme and host,
// since webhook URLs and bot paths embed secrets.
func postJSON(ctx context.Context, client *http.Client, sink, rawURL string, header http.Header, body []byte, secrets ...string) (httpResult, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, rawURL, bytes.NewReader(body))
	if err != nil {
		return httpResult{}, &SinkError{Sink: sink, Err: errors.New("invalid endpoint URL (not shown: it may contain secrets)")}
	}
	for k, vs := range header {
		req.Header[k] = vs
	}
	req.Header.Set("Content-Type", "application/json")
	if req.Header.Get("User-Agent") == "" {
		req.Header.Set("User-Agent", "aegis-alert/1")
	}
	resp, err := client.Do(req)
	if err != nil {
		return httpResult{}, &SinkError{Sink: sink, Retryable: ctx.Err() == nil, Err: redactTransport(err, req.URL, secrets)}
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	if err != nil && resp.StatusCode >= 300 {
		return httpResult{}, &SinkError{Sink: sink, Status: resp.StatusCode, Retryable: true,
			Err: fmt.Errorf("reading response: %w", redactTransport(err, req.URL, secrets))}
	}
	return httpResult{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

// redactTransport replaces a *url.Error (whose message includes the full
// URL) by one that names only the scheme and host, keeping the cause.
func redactTransport(err error, u *url.URL, secrets []string) error {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = fmt.Errorf("%s %s://%s: %w", ue.Op, u.Scheme, u.Host, ue.Err)
	}
	msg := err.Error()
	if redacted := redact(msg, secrets...); redacted != msg {
		// The cause itself mentions a secret: keep only the redacted text.
		return errors.New(redacted)
	}
	return err
}

// urlSecrets lists the parts of a secret-bearing URL (incoming-webhook URLs
// embed their credential in the path) to redact from messages.
func urlSecrets(raw string) []string {
	out := []string{raw}
	if u, err := url.Parse(raw); err == nil {
		out = append(out, u.RequestURI(), u.EscapedPath(), u.Path, u.RawQuery)
	}
	return out
}

// redact replaces every occurrence of each non-empty secret by "[REDACTED]".
func redact(s string, secrets ...string) string {
	for _, sec := range secrets {
		if len(sec) >= 4 {
			s = strings.ReplaceAll(s, sec, "[REDACTED]")
		}
	}
	return s
}

// statusError classifies a non-success response: 429 and 5xx are
// retryable (honouring Retry-After), other statuses are not. detail, when
// non-empty, replaces the response body in the message.
func statusError(sink string, r httpResult, detail string, secrets ...string) *SinkError {
	if detail == "" {
		detail = strings.Join(strings.Fields(string(r.body)), " ")
	}
	detail = truncateRunes(redact(detail, secrets...), maxErrorBody)
	e := &SinkError{Sink: sink, Status: r.status,
		Retryable: r.status == http.StatusTooManyRequests || r.status >= 500}
	if detail != "" {
		e.Err = errors.New(detail)
	}
	if e.Retryable {
		e.RetryAfter = parseRetryAfter(r.header.Get("Retry-After"), time.Now())
	}
	return e
}

// parseRetryAfter reads a Retry-After header: delay-seconds (integer or, as
// some APIs send, decimal) or an HTTP-date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	if s, err := strconv.ParseFloat(v, 64); err == nil {
		if s <= 0 {
			return 0
		}
		return time.Duration(s * float64(time.Second))
	}
	if t, err := http.ParseTime(v); err == nil {
		if d := t.Sub(now); d > 0 {
			return d
		}
	}
	return 0
}

// sinkName builds "kind" or "kind:label".
func sinkName(kind, label string) string {
	if label == "" {
		return kind
	}
	return kind + ":" + label
}

// severityEmoji is the marker used by chat sinks.
func severityEmoji(s Severity) string {
	switch s {
	case SeverityCritical:
		return "🔴"
	case SeverityHigh:
		return "🟠"
	case SeverityMedium:
		return "🟡"
	case SeverityLow:
		return "🔵"
	}
	return "⚪"
}

// kindLabel is the short upper-case label of an event kind for humans.
func kindLabel(k EventKind) string {
	switch k {
	case EventOpened:
		return "NEW"
	case EventPromoted:
		return "CONFIRMED"
	case EventUpdated:
		return "UPDATE"
	case EventRetracted:
		return "RETRACTED"
	case EventDropped:
		return "DROPPED"
	}
	return strings.ToUpper(string(k))
}

// field is one labelled fact about an alert, rendered by chat sinks.
type field struct{ name, value string }

// alertFields lists the facts chat sinks show, most important first.
func alertFields(a *Alert) []field {
	fs := []field{
		{"Severity", a.Severity.String()},
		{"Stage", string(a.Stage)},
		{"Protocol", protocolLine(a)},
		{"Chain", strconv.FormatUint(a.ChainID, 10)},
	}
	if a.Attacker != "" {
		fs = append(fs, field{"Attacker", a.Attacker})
	}
	fs = append(fs, field{"Confidence", fmt.Sprintf("%.2f (%s)", float64(a.Confidence), a.Confidence.Level())})
	if v, ok := a.Evidence.Numbers["loss_eth"]; ok {
		fs = append(fs, field{"Loss", FormatETH(v) + " ETH"})
	}
	if v, ok := a.Evidence.Numbers["profit_eth"]; ok {
		fs = append(fs, field{"Attacker profit", FormatETH(v) + " ETH"})
	}
	if len(a.Detectors) > 0 {
		fs = append(fs, field{"Detectors", strings.Join(a.Detectors, ", ")})
	}
	if len(a.Evidence.Txs) > 0 {
		fs = append(fs, field{"Transactions", txLine(a.Evidence.Txs, 5)})
	}
	if a.Allowlisted != nil {
		fs = append(fs, field{"Allowlisted", a.Allowlisted.Reason})
	}
	return fs
}

func protocolLine(a *Alert) string {
	if a.Protocol.Name != "" && a.Protocol.Address != "" {
		return a.Protocol.Name + " (" + a.Protocol.Address + ")"
	}
	return a.Protocol.String()
}

// txLine renders up to n transactions as "0xaaaa…aaaa (confirmed, block 100)".
func txLine(txs []TxRef, n int) string {
	parts := make([]string, 0, min(len(txs), n)+1)
	for i, t := range txs {
		if i == n {
			parts = append(parts, fmt.Sprintf("+%d more", len(txs)-n))
			break
		}
		s := ShortAddr(t.Hash) + " (" + string(t.Stage)
		if t.Block != 0 {
			s += fmt.Sprintf(", block %d", t.Block)
		}
		parts = append(parts, s+")")
	}
	return strings.Join(parts, ", ")
}

// headline is the one-line text form: "🔴 CRITICAL · NEW · Title".
func headline(ev Event) string {
	return fmt.Sprintf("%s %s · %s · %s", severityEmoji(ev.Alert.Severity),
		strings.ToUpper(ev.Alert.Severity.String()), kindLabel(ev.Kind), ev.Alert.Title)
}
