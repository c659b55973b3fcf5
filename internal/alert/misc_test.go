package alert_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/aegis-defi/aegis/internal/alert"
)

func TestAllowlist(t *testing.T) {
	l, err := alert.NewAllowlist(alert.DefaultAllowlistEntries()...)
	if err != nil {
		t.Fatalf("default entries: %v", err)
	}
	if l.Len() != len(alert.DefaultAllowlistEntries()) {
		t.Errorf("len %d", l.Len())
	}
	if e, ok := l.Lookup("0x6B75D8AF000000E20B7A7DDF000BA900B4009A80"); !ok || e.Label != "jaredfromsubway.eth" {
		t.Errorf("lookup is not case-insensitive: %v %v", e, ok)
	}
	if _, ok := l.Lookup(attacker); ok {
		t.Error("unknown address allowlisted")
	}
	var nilList *alert.Allowlist
	if _, ok := nilList.Lookup(attacker); ok {
		t.Error("nil allowlist matched")
	}
	for _, bad := range []string{"", "0x1234", "6b75d8af000000e20b7a7ddf000ba900b4009a80", "0xzz75d8af000000e20b7a7ddf000ba900b4009a80"} {
		if _, err := alert.NewAllowlist(alert.AllowlistEntry{Address: bad, Label: "x"}); err == nil {
			t.Errorf("NewAllowlist(%q): no error", bad)
		}
	}
}

func TestAggregatorForgetsIdleIncidents(t *testing.T) {
	clk := newClock()
	agg := alert.NewAggregator(alert.AggregatorConfig{Clock: clk.Now, Retention: time.Hour})
	evs, _ := agg.Observe(flashLoan(tx1, alert.StageConfirmed, 100))
	id := evs[0].Alert.ID
	clk.Advance(2 * time.Hour)
	if evs := agg.Tick(); len(evs) != 0 {
		t.Errorf("tick: %v", evs)
	}
	if _, ok := agg.Get(id); ok || agg.Stats().Incidents != 0 {
		t.Error("idle incident not forgotten")
	}
	// The same transaction now opens a fresh incident.
	evs, _ = agg.Observe(flashLoan(tx1, alert.StageConfirmed, 100))
	if len(evs) != 1 || evs[0].Kind != alert.EventOpened || evs[0].Alert.ID == id {
		t.Errorf("events %v", evs)
	}
}

func TestDiscordRateLimitBody(t *testing.T) {
	// Discord documents retry_after (seconds, float) in the 429 body.
	svc := newFakeService(t, reply{status: 429, body: `{"message":"You are being rate limited.","retry_after":1.5,"global":false}`})
	d, _ := alert.NewDiscord(alert.DiscordConfig{WebhookURL: svc.URL + discordPath})
	err := send(t, d, sampleEvent(t))
	var se *alert.SinkError
	if !errors.As(err, &se) || !se.Retryable || se.RetryAfter != 1500*time.Millisecond {
		t.Errorf("err %v retry after %v", err, se)
	}
}

func TestSlackPermanentError(t *testing.T) {
	svc := newFakeService(t, reply{status: http.StatusNotFound, body: "no_service"})
	s, _ := alert.NewSlack(alert.SlackConfig{WebhookURL: svc.URL + slackPath, Label: "#sec"})
	err := send(t, s, sampleEvent(t))
	if alert.IsRetryable(err) || err == nil || !strings.Contains(err.Error(), "slack:#sec sink: HTTP 404") || !strings.Contains(err.Error(), "no_service") {
		t.Errorf("err %v", err)
	}
}

func TestSinkConfigValidation(t *testing.T) {
	if _, err := alert.NewWebhook(alert.WebhookConfig{URL: "http://x"}); err == nil {
		t.Error("webhook without secret")
	}
	if _, err := alert.NewSlack(alert.SlackConfig{}); err == nil {
		t.Error("slack without URL")
	}
	if _, err := alert.NewDiscord(alert.DiscordConfig{}); err == nil {
		t.Error("discord without URL")
	}
	if _, err := alert.NewTelegram(alert.TelegramConfig{Token: botToken}); err == nil {
		t.Error("telegram without chat")
	}
	if _, err := alert.NewPagerDuty(alert.PagerDutyConfig{}); err == nil {
		t.Error("pagerduty without routing key")
	}
	if _, err := alert.OpenJSONL(alert.JSONLConfig{}); err == nil {
		t.Error("jsonl without path")
	}
}
