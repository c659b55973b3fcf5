package redact

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"log/slog"
	"strings"
	"testing"
)

const key = "9aa3d95b3bc440fa88ea12eaa4456161"

func TestURL(t *testing.T) {
	cases := []struct{ in, want string }{
		{"https://mainnet.infura.io/v3/" + key, "https://mainnet.infura.io/v3/" + Mask},
		{"wss://eth-mainnet.g.alchemy.com/v2/" + key, "wss://eth-mainnet.g.alchemy.com/v2/" + Mask},
		{"https://rpc.ankr.com/eth/" + key, "https://rpc.ankr.com/eth/" + Mask},
		{"https://x.quiknode.pro/" + key + "/", "https://x.quiknode.pro/" + Mask + "/"},
		{"https://node.example/rpc?apikey=" + key + "&chain=1", "https://node.example/rpc?apikey=" + Mask + "&chain=" + Mask},
		{"https://user:pa55word@node.example:8545/", "https://" + Mask + "@node.example:8545/"},
		{"ws://127.0.0.1:8545", "ws://127.0.0.1:8545"},
		{"http://localhost:8545/", "http://localhost:8545/"},
		{"https://hooks.slack.com/services/T000/B000/XXXXXXXXXXXXXXXX", "https://hooks.slack.com/services/" + Mask + "/" + Mask + "/" + Mask},
		{"not a url at all", "not a ur" + Mask},
	}
	for _, c := range cases {
		if got := URL(c.in); got != c.want {
			t.Errorf("URL(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestTextMasksURLsInErrors(t *testing.T) {
	msg := `eth_blockNumber: Post "https://mainnet.infura.io/v3/` + key + `": dial tcp: lookup mainnet.infura.io: no such host`
	got := Text(msg)
	if strings.Contains(got, key) {
		t.Fatalf("key leaked: %s", got)
	}
	if !strings.Contains(got, `Post "https://mainnet.infura.io/v3/`+Mask+`": dial tcp`) {
		t.Fatalf("unexpected text: %s", got)
	}
	// Sentence punctuation after a URL stays.
	if got := Text("connect to https://a.example/v3/" + key + "."); got != "connect to https://a.example/v3/"+Mask+"." {
		t.Fatalf("got %q", got)
	}
	// Text without URLs is untouched.
	if got := Text("no url here: 0xdeadbeef"); got != "no url here: 0xdeadbeef" {
		t.Fatalf("got %q", got)
	}
}

func TestRedactorRegisteredSecrets(t *testing.T) {
	r := New()
	r.AddURL("https://mainnet.infura.io/v3/" + key + "?token=s3cr3tvalue")
	// A provider that echoes the key without the URL.
	got := r.String("401 Unauthorized: invalid project id " + key + " (token s3cr3tvalue)")
	if strings.Contains(got, key) || strings.Contains(got, "s3cr3tvalue") {
		t.Fatalf("secret leaked: %s", got)
	}
	// Plain routing words are not registered: "eth" must not be masked everywhere.
	r.AddURL("https://rpc.ankr.com/eth/" + key)
	if got := r.String("eth_call failed"); got != "eth_call failed" {
		t.Fatalf("routing word masked: %q", got)
	}
	var nilR *Redactor
	nilR.AddURL("https://x.example/" + key) // no panic
	if got := nilR.String("see https://x.example/" + key); strings.Contains(got, key) {
		t.Fatalf("nil redactor leaked: %s", got)
	}
}

func TestErrorKeepsChain(t *testing.T) {
	r := New()
	base := fmt.Errorf("dial https://a.example/v2/%s: %w", key, fs.ErrNotExist)
	err := r.Error(base)
	if strings.Contains(err.Error(), key) {
		t.Fatalf("leaked: %v", err)
	}
	if !errors.Is(err, fs.ErrNotExist) || !Is(err) {
		t.Fatalf("chain lost: %v", err)
	}
	plain := errors.New("nothing secret")
	if r.Error(plain) != plain {
		t.Fatal("clean error was rewrapped")
	}
	if r.Error(nil) != nil {
		t.Fatal("nil error")
	}
}

func TestHandler(t *testing.T) {
	var buf bytes.Buffer
	r := New()
	r.AddSecret("hunter2hunter2")
	log := slog.New(Handler(slog.NewJSONHandler(&buf, nil), r))
	log = log.With("rpc", "https://a.example/v3/"+key).WithGroup("g")
	log.Error("dial https://b.example/v3/"+key+" failed", "err", errors.New("token hunter2hunter2 rejected"),
		slog.Group("sink", "url", "https://hooks.example/services/"+key), "n", 3)
	out := buf.String()
	for _, s := range []string{key, "hunter2hunter2"} {
		if strings.Contains(out, s) {
			t.Fatalf("%q leaked in log: %s", s, out)
		}
	}
	if !strings.Contains(out, `"n":3`) || !strings.Contains(out, "https://b.example/v3/"+Mask) {
		t.Fatalf("log mangled: %s", out)
	}
}

func TestContext(t *testing.T) {
	r := New()
	ctx := WithContext(context.Background(), r)
	FromContext(ctx).AddSecret("abcdefgh123")
	if got := r.String("x abcdefgh123"); got != "x "+Mask {
		t.Fatalf("got %q", got)
	}
	if FromContext(context.Background()) != nil {
		t.Fatal("want nil")
	}
}

func FuzzText(f *testing.F) {
	f.Add("Post \"https://mainnet.infura.io/v3/" + key + "\": EOF")
	f.Add("ws://[::1]:8545/a%zz?x=%")
	f.Add("://")
	f.Fuzz(func(t *testing.T, s string) {
		out := Text(s)
		if !strings.Contains(s, "://") && out != s {
			t.Fatalf("text without URL changed: %q -> %q", s, out)
		}
		_ = URL(s)
	})
}
