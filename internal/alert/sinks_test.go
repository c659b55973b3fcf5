package alert_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"

	"github.com/aegis-defi/aegis/internal/alert"
)

// Secrets used by the sink tests; none may ever show up in errors or logs.
const (
	webhookSecret = "whsec-9f8e7d6c5b4a"
	botToken      = "123456789:AAF-secretBotTokenValue_xyz"
	routingKey    = "R0UT1NGK3Y0123456789abcdefABCDEF"
	slackPath     = "/services/T000/B000/slackSecretPart"
	discordPath   = "/api/webhooks/1234/discordSecretToken"
)

// sampleEvent builds a realistic event through the aggregator: a confirmed
// critical flash-loan drain with a guard response.
func sampleEvent(t *testing.T) alert.Event {
	t.Helper()
	clk := newClock()
	agg := alert.NewAggregator(alert.AggregatorConfig{Clock: clk.Now})
	if _, err := agg.Observe(flashLoan(tx1, alert.StagePending, 0)); err != nil {
		t.Fatal(err)
	}
	clk.Advance(12 * time.Second)
	evs, err := agg.Observe(flashLoan(tx1, alert.StageConfirmed, 100))
	if err != nil || len(evs) != 1 {
		t.Fatalf("observe: %v %v", evs, err)
	}
	clk.Advance(time.Second)
	ev, err := agg.Respond(evs[0].Alert.ID, alert.Response{Action: "paused LendingPool", Block: 101, FundsProtectedETH: 412})
	if err != nil {
		t.Fatal(err)
	}
	return ev
}

// hugeEvent has every free-text field far beyond any service's limits, and
// characters that need escaping.
func hugeEvent(t *testing.T) alert.Event {
	ev := sampleEvent(t)
	a := ev.Alert
	a.Title = strings.Repeat("Title <b>&amp; ", 100)
	a.Summary = strings.Repeat("0xabc… drained <script>alert(1)</script> & more 🚨 ", 400)
	ev.Reason = strings.Repeat("reason ", 1000)
	for i := range 40 {
		a.Detectors = append(a.Detectors, "detector-"+strings.Repeat("x", 60)+strconv.Itoa(i))
	}
	return ev
}

// request is what a fake service received.
type request struct {
	Method, Path string
	Header       http.Header
	Body         []byte
}

// fakeService is an httptest server that records requests and answers
// from a script; the last reply repeats.
type fakeService struct {
	*httptest.Server
	mu      sync.Mutex
	reqs    []request
	replies []reply
}

type reply struct {
	status int
	header map[string]string
	body   string
	// echo appends the request URI and body to the reply, as careless
	// error pages and proxies do, to prove sinks redact their secrets.
	echo bool
}

func newFakeService(t *testing.T, replies ...reply) *fakeService {
	t.Helper()
	f := &fakeService{replies: replies}
	f.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		f.mu.Lock()
		n := len(f.reqs)
		f.reqs = append(f.reqs, request{r.Method, r.URL.Path, r.Header.Clone(), b})
		rep := f.replies[min(n, len(f.replies)-1)]
		f.mu.Unlock()
		for k, v := range rep.header {
			w.Header().Set(k, v)
		}
		w.WriteHeader(rep.status)
		io.WriteString(w, rep.body)
		if rep.echo {
			io.WriteString(w, " "+r.URL.RequestURI()+" "+string(b))
		}
	}))
	t.Cleanup(f.Close)
	return f
}

func (f *fakeService) requests() []request {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]request(nil), f.reqs...)
}

// only returns the single request received, failing otherwise.
func (f *fakeService) only(t *testing.T) request {
	t.Helper()
	rs := f.requests()
	if len(rs) != 1 {
		t.Fatalf("service got %d requests, want 1", len(rs))
	}
	return rs[0]
}

// checkPOSTJSON asserts method, path and content type, and decodes the body.
func checkPOSTJSON(t *testing.T, r request, path string) map[string]any {
	t.Helper()
	if r.Method != http.MethodPost {
		t.Errorf("method %s, want POST", r.Method)
	}
	if r.Path != path {
		t.Errorf("path %q, want %q", r.Path, path)
	}
	if ct := r.Header.Get("Content-Type"); ct != "application/json" {
		t.Errorf("Content-Type %q", ct)
	}
	var m map[string]any
	if err := json.Unmarshal(r.Body, &m); err != nil {
		t.Fatalf("body is not a JSON object: %v\n%s", err, r.Body)
	}
	return m
}

// str asserts m[k] is a non-empty string of at most max UTF-16 units.
func str(t *testing.T, m map[string]any, k string, max int) string {
	t.Helper()
	s, ok := m[k].(string)
	if !ok || s == "" {
		t.Errorf("%q is %T %v, want a non-empty string", k, m[k], m[k])
		return ""
	}
	if n := len(utf16.Encode([]rune(s))); n > max {
		t.Errorf("%q is %d characters, limit %d", k, n, max)
	}
	return s
}

func obj(t *testing.T, v any, what string) map[string]any {
	t.Helper()
	m, ok := v.(map[string]any)
	if !ok {
		t.Fatalf("%s is %T, want object", what, v)
	}
	return m
}

func arr(t *testing.T, v any, what string) []any {
	t.Helper()
	a, ok := v.([]any)
	if !ok {
		t.Fatalf("%s is %T, want array", what, v)
	}
	return a
}

func send(t *testing.T, s alert.Sink, ev alert.Event) error {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	return s.Send(ctx, ev)
}

func TestWebhookSignedDelivery(t *testing.T) {
	svc := newFakeService(t, reply{status: http.StatusNoContent})
	now := time.Unix(1772366400, 0)
	wh, err := alert.NewWebhook(alert.WebhookConfig{URL: svc.URL + "/hooks/aegis", Secret: webhookSecret, Clock: func() time.Time { return now }})
	if err != nil {
		t.Fatal(err)
	}
	ev := sampleEvent(t)
	if err := send(t, wh, ev); err != nil {
		t.Fatal(err)
	}
	r := svc.only(t)
	m := checkPOSTJSON(t, r, "/hooks/aegis")
	sig, ts := r.Header.Get(alert.SignatureHeader), r.Header.Get(alert.TimestampHeader)
	if !strings.HasPrefix(sig, "sha256=") || len(sig) != len("sha256=")+64 {
		t.Errorf("signature header %q", sig)
	}
	if ts != "1772366400" {
		t.Errorf("timestamp header %q", ts)
	}
	if err := alert.Verify([]byte(webhookSecret), r.Body, sig, ts, now.Add(time.Minute), 5*time.Minute); err != nil {
		t.Errorf("Verify: %v", err)
	}
	if r.Header.Get(alert.EventHeader) != "updated" || r.Header.Get(alert.DeliveryHeader) != ev.DeliveryID() {
		t.Errorf("event/delivery headers %q %q", r.Header.Get(alert.EventHeader), r.Header.Get(alert.DeliveryHeader))
	}
	if m["kind"] != "updated" || m["delivery_id"] != ev.DeliveryID() || m["timestamp"] != float64(1772366400) {
		t.Errorf("body kind/delivery/timestamp: %v %v %v", m["kind"], m["delivery_id"], m["timestamp"])
	}
	al := obj(t, m["alert"], "alert")
	if al["id"] != ev.Alert.ID || al["severity"] != "critical" || obj(t, al["response"], "response")["funds_protected_eth"] != float64(412) {
		t.Errorf("alert body %v", al)
	}
}

func TestWebhookVerifyDetectsTampering(t *testing.T) {
	secret := []byte(webhookSecret)
	body := []byte(`{"kind":"opened","alert":{"id":"x"},"timestamp":1000}`)
	sig := alert.Sign(secret, body)
	now := time.Unix(1000, 0)
	if err := alert.Verify(secret, body, sig, "1000", now, time.Minute); err != nil {
		t.Fatalf("valid delivery rejected: %v", err)
	}
	cases := []struct {
		name      string
		secret    []byte
		body      []byte
		sig, ts   string
		now       time.Time
		wantError error
	}{
		{"tampered body", secret, bytes.Replace(body, []byte("opened"), []byte("dropped"), 1), sig, "1000", now, alert.ErrBadSignature},
		{"wrong secret", []byte("other"), body, sig, "1000", now, alert.ErrBadSignature},
		{"flipped signature bit", secret, body, flipLast(sig), "1000", now, alert.ErrBadSignature},
		{"no prefix", secret, body, strings.TrimPrefix(sig, "sha256="), "1000", now, alert.ErrBadSignature},
		{"not hex", secret, body, "sha256=zz", "1000", now, alert.ErrBadSignature},
		{"header timestamp swapped", secret, body, sig, "2000", time.Unix(2000, 0), alert.ErrBadSignature},
		{"replayed later", secret, body, sig, "1000", now.Add(time.Hour), alert.ErrStaleTimestamp},
		{"bad timestamp", secret, body, sig, "yesterday", now, alert.ErrStaleTimestamp},
	}
	for _, tc := range cases {
		err := alert.Verify(tc.secret, tc.body, tc.sig, tc.ts, tc.now, time.Minute)
		if !errors.Is(err, tc.wantError) {
			t.Errorf("%s: Verify = %v, want %v", tc.name, err, tc.wantError)
		}
	}
}

// flipLast changes the last hex digit of s.
func flipLast(s string) string {
	if strings.HasSuffix(s, "0") {
		return s[:len(s)-1] + "1"
	}
	return s[:len(s)-1] + "0"
}

func TestSlackBlockKitPayload(t *testing.T) {
	for _, tc := range []struct {
		name string
		ev   alert.Event
	}{{"sample", sampleEvent(t)}, {"huge", hugeEvent(t)}} {
		t.Run(tc.name, func(t *testing.T) {
			svc := newFakeService(t, reply{status: 200, body: "ok"})
			s, err := alert.NewSlack(alert.SlackConfig{WebhookURL: svc.URL + slackPath, Label: "#sec", TxURL: "https://etherscan.io/tx/"})
			if err != nil {
				t.Fatal(err)
			}
			if err := send(t, s, tc.ev); err != nil {
				t.Fatal(err)
			}
			m := checkPOSTJSON(t, svc.only(t), slackPath)
			text := str(t, m, "text", 3000)
			if !strings.Contains(text, "CRITICAL") || strings.Contains(text, "<script>") {
				t.Errorf("fallback text %.200q lacks severity or is unescaped", text)
			}
			blocks := arr(t, m["blocks"], "blocks")
			if len(blocks) < 3 || len(blocks) > 50 {
				t.Fatalf("%d blocks", len(blocks))
			}
			types := map[string]int{}
			for i, b := range blocks {
				bm := obj(t, b, "block")
				typ, _ := bm["type"].(string)
				types[typ]++
				switch typ {
				case "header":
					tx := obj(t, bm["text"], "header text")
					if tx["type"] != "plain_text" {
						t.Errorf("header text type %v", tx["type"])
					}
					h := str(t, tx, "text", 150)
					if i != 0 || !strings.HasPrefix(h, "🔴") {
						t.Errorf("header %d %q: want first, with the critical emoji", i, h)
					}
				case "section":
					if bm["text"] == nil && bm["fields"] == nil {
						t.Error("section with neither text nor fields")
					}
					if bm["text"] != nil {
						tx := obj(t, bm["text"], "section text")
						if tx["type"] != "mrkdwn" {
							t.Errorf("section text type %v", tx["type"])
						}
						s := str(t, tx, "text", 3000)
						if strings.Contains(s, "<script>") {
							t.Errorf("unescaped < in mrkdwn: %.80q", s)
						}
					}
					if bm["fields"] != nil {
						fs := arr(t, bm["fields"], "fields")
						if len(fs) == 0 || len(fs) > 10 {
							t.Errorf("%d fields, want 1..10", len(fs))
						}
						for _, f := range fs {
							fm := obj(t, f, "field")
							if fm["type"] != "mrkdwn" {
								t.Errorf("field type %v", fm["type"])
							}
							str(t, fm, "text", 2000)
						}
					}
				case "context":
					els := arr(t, bm["elements"], "context elements")
					if len(els) == 0 || len(els) > 10 {
						t.Errorf("%d context elements", len(els))
					}
					for _, e := range els {
						str(t, obj(t, e, "element"), "text", 3000)
					}
				default:
					t.Errorf("unexpected block type %q", typ)
				}
			}
			if types["header"] != 1 || types["section"] < 2 || types["context"] != 1 {
				t.Errorf("block types %v, want header, sections, context", types)
			}
		})
	}
}

func TestDiscordEmbedPayloadRespectsLimits(t *testing.T) {
	for _, tc := range []struct {
		name string
		ev   alert.Event
	}{{"sample", sampleEvent(t)}, {"huge", hugeEvent(t)}} {
		t.Run(tc.name, func(t *testing.T) {
			svc := newFakeService(t, reply{status: http.StatusNoContent})
			d, err := alert.NewDiscord(alert.DiscordConfig{WebhookURL: svc.URL + discordPath, Username: "aegis"})
			if err != nil {
				t.Fatal(err)
			}
			if err := send(t, d, tc.ev); err != nil {
				t.Fatal(err)
			}
			m := checkPOSTJSON(t, svc.only(t), discordPath)
			str(t, m, "content", 2000)
			if m["username"] != "aegis" {
				t.Errorf("username %v", m["username"])
			}
			if p := arr(t, obj(t, m["allowed_mentions"], "allowed_mentions")["parse"], "parse"); len(p) != 0 {
				t.Errorf("allowed_mentions.parse = %v, want []", p)
			}
			embeds := arr(t, m["embeds"], "embeds")
			if len(embeds) != 1 {
				t.Fatalf("%d embeds", len(embeds))
			}
			e := obj(t, embeds[0], "embed")
			total := 0
			total += len(utf16.Encode([]rune(str(t, e, "title", 256))))
			total += len(utf16.Encode([]rune(str(t, e, "description", 4096))))
			if c, ok := e["color"].(float64); !ok || int(c) != alert.DiscordColor(alert.SeverityCritical) {
				t.Errorf("color %v, want %d", e["color"], alert.DiscordColor(alert.SeverityCritical))
			}
			if _, err := time.Parse(time.RFC3339, str(t, e, "timestamp", 64)); err != nil {
				t.Errorf("timestamp: %v", err)
			}
			total += len(utf16.Encode([]rune(str(t, obj(t, e["footer"], "footer"), "text", 2048))))
			fs := arr(t, e["fields"], "fields")
			if len(fs) == 0 || len(fs) > 25 {
				t.Errorf("%d fields", len(fs))
			}
			for _, f := range fs {
				fm := obj(t, f, "field")
				total += len(utf16.Encode([]rune(str(t, fm, "name", 256))))
				total += len(utf16.Encode([]rune(str(t, fm, "value", 1024))))
				if _, ok := fm["inline"].(bool); !ok {
					t.Errorf("inline is %T", fm["inline"])
				}
			}
			if total > 6000 {
				t.Errorf("embed total %d characters, limit 6000", total)
			}
		})
	}
}

func TestTelegramSendMessage(t *testing.T) {
	for _, tc := range []struct {
		chat     string
		wantChat any
		ev       alert.Event
	}{
		{"-1001234567890", float64(-1001234567890), sampleEvent(t)},
		{"@aegis_alerts", "@aegis_alerts", hugeEvent(t)},
	} {
		t.Run(tc.chat, func(t *testing.T) {
			svc := newFakeService(t, reply{status: 200, body: `{"ok":true,"result":{"message_id":1}}`})
			tg, err := alert.NewTelegram(alert.TelegramConfig{BaseURL: svc.URL, Token: botToken, ChatID: tc.chat})
			if err != nil {
				t.Fatal(err)
			}
			if strings.Contains(tg.Name(), botToken) {
				t.Error("name contains the token")
			}
			if err := send(t, tg, tc.ev); err != nil {
				t.Fatal(err)
			}
			m := checkPOSTJSON(t, svc.only(t), "/bot"+botToken+"/sendMessage")
			if m["chat_id"] != tc.wantChat {
				t.Errorf("chat_id %T %v, want %T %v", m["chat_id"], m["chat_id"], tc.wantChat, tc.wantChat)
			}
			if m["parse_mode"] != "HTML" || m["disable_web_page_preview"] != true {
				t.Errorf("parse_mode %v disable_web_page_preview %v", m["parse_mode"], m["disable_web_page_preview"])
			}
			if lp := obj(t, m["link_preview_options"], "link_preview_options"); lp["is_disabled"] != true {
				t.Errorf("link_preview_options %v", lp)
			}
			text := str(t, m, "text", 4096)
			if strings.Contains(text, "<script>") || strings.Contains(text, "<b>&amp; ") && !strings.Contains(text, "&lt;b&gt;") {
				t.Errorf("unescaped HTML in text: %.200q", text)
			}
			if tc.ev.Alert.Title == sampleEvent(t).Alert.Title && !strings.Contains(text, "<b>") {
				t.Errorf("no formatting: %q", text)
			}
			// Only Telegram's HTML tags may appear.
			for _, tag := range tagsIn(text) {
				switch tag {
				case "b", "/b", "i", "/i", "code", "/code":
				default:
					t.Errorf("unsupported tag <%s>", tag)
				}
			}
		})
	}
}

// tagsIn lists the tag names in an HTML string.
func tagsIn(s string) []string {
	var tags []string
	for {
		i := strings.IndexByte(s, '<')
		if i < 0 {
			return tags
		}
		j := strings.IndexByte(s[i:], '>')
		if j < 0 {
			return append(tags, "unterminated")
		}
		tags = append(tags, strings.Fields(s[i+1 : i+j])[0])
		s = s[i+j:]
	}
}

func TestTelegramErrors(t *testing.T) {
	svc := newFakeService(t,
		reply{status: 400, body: `{"ok":false,"error_code":400,"description":"Bad Request: chat not found"}`},
		reply{status: 429, body: `{"ok":false,"error_code":429,"description":"Too Many Requests: retry after 3","parameters":{"retry_after":3}}`})
	tg, _ := alert.NewTelegram(alert.TelegramConfig{BaseURL: svc.URL + "/", Token: botToken, ChatID: "42"})
	err := send(t, tg, sampleEvent(t))
	var se *alert.SinkError
	if !errors.As(err, &se) || se.Status != 400 || alert.IsRetryable(err) || !strings.Contains(err.Error(), "chat not found") {
		t.Errorf("400: %v", err)
	}
	err = send(t, tg, sampleEvent(t))
	if !errors.As(err, &se) || se.Status != 429 || !alert.IsRetryable(err) || se.RetryAfter != 3*time.Second {
		t.Errorf("429: %v (retry after %v)", err, se.RetryAfter)
	}
	if !strings.Contains(err.Error(), "telegram:42") || !strings.Contains(err.Error(), "HTTP 429") {
		t.Errorf("error does not name sink and status: %v", err)
	}
}

func TestPagerDutyTriggerAndResolve(t *testing.T) {
	svc := newFakeService(t, reply{status: 202, body: `{"status":"success","message":"Event processed","dedup_key":"k"}`})
	pd, err := alert.NewPagerDuty(alert.PagerDutyConfig{BaseURL: svc.URL, RoutingKey: routingKey, TxURL: "https://etherscan.io/tx/"})
	if err != nil {
		t.Fatal(err)
	}
	ev := hugeEvent(t)
	if err := send(t, pd, ev); err != nil {
		t.Fatal(err)
	}
	m := checkPOSTJSON(t, svc.only(t), "/v2/enqueue")
	if m["routing_key"] != routingKey || m["event_action"] != "trigger" {
		t.Errorf("routing_key/event_action %v %v", m["routing_key"], m["event_action"])
	}
	if dk := str(t, m, "dedup_key", 255); dk != ev.Alert.DedupKey {
		t.Errorf("dedup_key %q, want %q", dk, ev.Alert.DedupKey)
	}
	p := obj(t, m["payload"], "payload")
	str(t, p, "summary", 1024)
	str(t, p, "source", 1024)
	if p["severity"] != "critical" {
		t.Errorf("severity %v", p["severity"])
	}
	if _, err := time.Parse(time.RFC3339, str(t, p, "timestamp", 64)); err != nil {
		t.Errorf("timestamp: %v", err)
	}
	for _, k := range []string{"component", "group", "class"} {
		str(t, p, k, 10000)
	}
	cd := obj(t, p["custom_details"], "custom_details")
	if cd["alert_id"] != ev.Alert.ID || cd["stage"] != "confirmed" {
		t.Errorf("custom_details %v", cd)
	}
	links := arr(t, m["links"], "links")
	if len(links) != 1 || !strings.HasPrefix(obj(t, links[0], "link")["href"].(string), "https://etherscan.io/tx/0x") {
		t.Errorf("links %v", links)
	}

	// Retraction resolves the same dedup key; no payload is needed.
	svc2 := newFakeService(t, reply{status: 202, body: `{"status":"success"}`})
	pd2, _ := alert.NewPagerDuty(alert.PagerDutyConfig{BaseURL: svc2.URL, RoutingKey: routingKey})
	ev.Kind = alert.EventRetracted
	if err := send(t, pd2, ev); err != nil {
		t.Fatal(err)
	}
	m = checkPOSTJSON(t, svc2.only(t), "/v2/enqueue")
	if m["event_action"] != "resolve" || m["dedup_key"] != ev.Alert.DedupKey || m["payload"] != nil {
		t.Errorf("resolve body %v", m)
	}
}

func TestPagerDutySeverityMapping(t *testing.T) {
	want := map[alert.Severity]string{alert.SeverityCritical: "critical", alert.SeverityHigh: "error",
		alert.SeverityMedium: "warning", alert.SeverityLow: "info", alert.SeverityInfo: "info"}
	for s, w := range want {
		if got := alert.PagerDutySeverity(s); got != w {
			t.Errorf("%s → %s, want %s", s, got, w)
		}
	}
}

// sleepRecorder replaces real sleeping in retry tests.
type sleepRecorder struct {
	mu     sync.Mutex
	sleeps []time.Duration
}

func (s *sleepRecorder) Sleep(ctx context.Context, d time.Duration) error {
	s.mu.Lock()
	s.sleeps = append(s.sleeps, d)
	s.mu.Unlock()
	return ctx.Err()
}

func TestRetry(t *testing.T) {
	pdOK := reply{status: 202, body: `{"status":"success","message":"Event processed"}`}
	cases := []struct {
		name        string
		replies     []reply
		wantErr     bool
		wantCalls   int
		checkSleeps func(t *testing.T, s []time.Duration)
	}{
		{"503 twice then 202", []reply{{status: 503}, {status: 503}, pdOK}, false, 3,
			func(t *testing.T, s []time.Duration) {
				// base 100ms: first wait in [50,100]ms, second in [100,200]ms.
				if len(s) != 2 || s[0] < 50*time.Millisecond || s[0] > 100*time.Millisecond ||
					s[1] < 100*time.Millisecond || s[1] > 200*time.Millisecond {
					t.Errorf("sleeps %v", s)
				}
			}},
		{"400 is not retried", []reply{{status: 400, body: `{"status":"invalid event","message":"Event object is invalid","errors":["'routing_key' is missing"]}`}}, true, 1, nil},
		{"429 honours Retry-After", []reply{{status: 429, header: map[string]string{"Retry-After": "3"}}, pdOK}, false, 2,
			func(t *testing.T, s []time.Duration) {
				if len(s) != 1 || s[0] != 3*time.Second {
					t.Errorf("sleeps %v, want [3s]", s)
				}
			}},
		{"Retry-After beyond the limit gives up", []reply{{status: 429, header: map[string]string{"Retry-After": "3600"}}}, true, 1, nil},
		{"500 forever exhausts attempts", []reply{{status: 500}}, true, 4, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			svc := newFakeService(t, tc.replies...)
			pd, _ := alert.NewPagerDuty(alert.PagerDutyConfig{BaseURL: svc.URL, RoutingKey: routingKey})
			rec := &sleepRecorder{}
			s := alert.WithRetry(pd, alert.RetryPolicy{MaxAttempts: 4, BaseDelay: 100 * time.Millisecond,
				Rand: randSource(), Sleep: rec.Sleep})
			err := send(t, s, sampleEvent(t))
			if (err != nil) != tc.wantErr {
				t.Fatalf("err = %v, want error %v", err, tc.wantErr)
			}
			if n := len(svc.requests()); n != tc.wantCalls {
				t.Errorf("%d attempts, want %d", n, tc.wantCalls)
			}
			if err != nil && !strings.Contains(err.Error(), "pagerduty sink: HTTP ") {
				t.Errorf("error does not name sink and status: %v", err)
			}
			if tc.checkSleeps != nil {
				tc.checkSleeps(t, rec.sleeps)
			}
		})
	}
}

func TestRetryNetworkErrorAndContext(t *testing.T) {
	svc := newFakeService(t, reply{status: 200})
	url := svc.URL
	svc.Close() // connection refused from now on
	wh, _ := alert.NewWebhook(alert.WebhookConfig{URL: url, Secret: webhookSecret})
	rec := &sleepRecorder{}
	err := send(t, alert.WithRetry(wh, alert.RetryPolicy{MaxAttempts: 3, Rand: randSource(), Sleep: rec.Sleep}), sampleEvent(t))
	if err == nil || len(rec.sleeps) != 2 {
		t.Errorf("network error: err %v after %d sleeps, want 2 retries", err, len(rec.sleeps))
	}

	// A cancelled context stops retrying at once.
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	rec = &sleepRecorder{}
	if err := alert.WithRetry(wh, alert.RetryPolicy{Sleep: rec.Sleep}).Send(ctx, sampleEvent(t)); err == nil || len(rec.sleeps) != 0 {
		t.Errorf("cancelled: err %v, %d sleeps", err, len(rec.sleeps))
	}

	// A wait that would pass the deadline is not started.
	svc2 := newFakeService(t, reply{status: 503, header: map[string]string{"Retry-After": "30"}})
	pd, _ := alert.NewPagerDuty(alert.PagerDutyConfig{BaseURL: svc2.URL, RoutingKey: routingKey})
	ctx, cancel = context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	err = alert.WithRetry(pd, alert.RetryPolicy{}).Send(ctx, sampleEvent(t))
	if err == nil || time.Since(start) > time.Second || !strings.Contains(err.Error(), "deadline") {
		t.Errorf("deadline: err %v after %s", err, time.Since(start))
	}
}

func TestSecretsNeverLeak(t *testing.T) {
	// Services that fail and echo secrets back, and one that is down.
	echo := newFakeService(t, reply{status: 401, body: "unauthorized:", echo: true})
	down := newFakeService(t, reply{status: 200})
	downURL := down.URL
	down.Close()

	var logs bytes.Buffer
	logger := newTestLogger(&logs)
	var sinks []alert.Sink
	for _, base := range []string{echo.URL, downURL} {
		wh, _ := alert.NewWebhook(alert.WebhookConfig{URL: base + "/h?secret=" + webhookSecret, Secret: webhookSecret})
		sl, _ := alert.NewSlack(alert.SlackConfig{WebhookURL: base + slackPath})
		dc, _ := alert.NewDiscord(alert.DiscordConfig{WebhookURL: base + discordPath})
		tg, _ := alert.NewTelegram(alert.TelegramConfig{BaseURL: base, Token: botToken, ChatID: "1"})
		pd, _ := alert.NewPagerDuty(alert.PagerDutyConfig{BaseURL: base, RoutingKey: routingKey})
		for _, s := range []alert.Sink{wh, sl, dc, tg, pd} {
			sinks = append(sinks, alert.WithRetry(s, alert.RetryPolicy{MaxAttempts: 2, Sleep: (&sleepRecorder{}).Sleep, Logger: logger}))
		}
	}
	r := alert.NewRouter(alert.RouterConfig{Timeout: 5 * time.Second, Logger: logger}, sinks...)
	defer r.Close(context.Background())
	err := r.Send(context.Background(), sampleEvent(t))
	var de *alert.DeliveryError
	if !errors.As(err, &de) || len(de.Failures) != len(sinks) {
		t.Fatalf("want every sink to fail, got %v", err)
	}
	out := err.Error() + "\n" + logs.String()
	for _, f := range de.Failures {
		out += "\n" + f.Sink + " " + f.Err.Error()
		for e := errors.Unwrap(f.Err); e != nil; e = errors.Unwrap(e) {
			out += " | " + e.Error()
		}
	}
	for _, secret := range []string{webhookSecret, botToken, routingKey, "slackSecretPart", "discordSecretToken"} {
		if strings.Contains(out, secret) {
			t.Errorf("secret %q leaked:\n%s", secret, out)
		}
	}
	if !strings.Contains(out, "HTTP 401") || !strings.Contains(out, "connection refused") {
		t.Errorf("errors lost their cause:\n%s", out)
	}
}

func TestJSONLFileConcurrentAppend(t *testing.T) {
	path := filepath.Join(t.TempDir(), "alerts.jsonl")
	if err := os.WriteFile(path, []byte(`{"kind":"opened","seq":0}`+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	j, err := alert.OpenJSONL(alert.JSONLConfig{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	ev := sampleEvent(t)
	const n = 40
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			e := ev
			e.Seq = uint64(i + 1)
			if err := j.Send(context.Background(), e); err != nil {
				t.Error(err)
			}
		})
	}
	wg.Wait()
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	if err := j.Send(context.Background(), ev); err == nil {
		t.Error("Send after Close succeeded")
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
	if len(lines) != n+1 {
		t.Fatalf("%d lines, want %d (appended to the existing line)", len(lines), n+1)
	}
	seen := map[uint64]bool{}
	for _, l := range lines[1:] {
		var got alert.Event
		if err := json.Unmarshal([]byte(l), &got); err != nil {
			t.Fatalf("line is not JSON: %v\n%s", err, l)
		}
		if got.Alert == nil || got.Alert.ID != ev.Alert.ID || got.Alert.Severity != alert.SeverityCritical || got.Kind != ev.Kind {
			t.Errorf("line %s", l)
		}
		seen[got.Seq] = true
	}
	if len(seen) != n {
		t.Errorf("%d distinct events, want %d", len(seen), n)
	}
}

func TestJSONLNewFileIsPrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "new.jsonl")
	j, err := alert.OpenJSONL(alert.JSONLConfig{Path: path, Sync: alert.SyncOnClose})
	if err != nil {
		t.Fatal(err)
	}
	defer j.Close()
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Errorf("mode %v %v, want 0600", fi.Mode(), err)
	}
}

func TestConsole(t *testing.T) {
	var buf bytes.Buffer
	c := alert.NewConsole(alert.ConsoleConfig{Writer: &buf})
	if err := c.Send(context.Background(), sampleEvent(t)); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	lines := strings.Split(strings.TrimSuffix(out, "\n"), "\n")
	if len(lines) < 1 || len(lines) > 3 {
		t.Errorf("%d lines:\n%s", len(lines), out)
	}
	for _, want := range []string{"[CRITICAL]", "UPDATE", "Flash-loan price manipulation on LendingPool", "drained 412 ETH",
		"response: paused LendingPool in block 101; 412 ETH protected"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "\x1b[") {
		t.Error("colour without Color")
	}
	buf.Reset()
	alert.NewConsole(alert.ConsoleConfig{Writer: &buf, Color: true}).Send(context.Background(), sampleEvent(t))
	if !strings.Contains(buf.String(), "\x1b[1;31m[CRITICAL]\x1b[0m") {
		t.Errorf("no colour: %q", buf.String())
	}
}
