// Package redact removes credentials from text before aegis prints or logs
// it. Node providers put API keys in the URL path (…/v3/KEY, …/v2/KEY) or
// query (?apikey=KEY), and transport errors quote the whole URL; webhook
// URLs embed their token. Redaction therefore works in two ways:
//
//   - Text scans any string for URLs and rewrites each one with URL, so an
//     error that quotes an endpoint is safe without anyone registering it;
//   - a Redactor also replaces secrets registered with it (the parts of a
//     configured URL, a token read from the environment) wherever they
//     appear, e.g. when a provider echoes the key in an error body.
//
// Handler wraps a slog.Handler so every log record goes through a Redactor.
package redact

import (
	"context"
	"errors"
	"log/slog"
	"net/url"
	"regexp"
	"slices"
	"strings"
	"sync"
)

// Mask replaces every redacted part.
const Mask = "[REDACTED]"

// plainSegment matches URL path segments that are routing, not credentials:
// short lowercase words ("eth", "rpc", "mainnet", "ws"), API versions ("v3")
// and short numbers (chain ids).
var plainSegment = regexp.MustCompile(`^(?:[a-z]{1,12}(?:[-_][a-z]{1,12})*|v[0-9]{1,2}|[0-9]{1,6})$`)

// urlInText finds URLs in free text: a scheme, "://" and everything up to a
// character that cannot be part of an unquoted URL.
var urlInText = regexp.MustCompile(`[a-zA-Z][a-zA-Z0-9+.-]*://[^\s"'<>\x60]+`)

// URL returns u with its credentials masked: the user info, every path
// segment that is not a plain routing word, and every query value. A
// string that does not parse as a URL with a host is masked whole after
// its first 8 characters.
func URL(u string) string {
	p, err := url.Parse(u)
	if err != nil || p.Host == "" {
		if len(u) > 8 {
			return u[:8] + Mask
		}
		return u
	}
	var b strings.Builder
	b.WriteString(p.Scheme)
	b.WriteString("://")
	if p.User != nil {
		b.WriteString(Mask + "@")
	}
	b.WriteString(p.Host)
	if path := p.EscapedPath(); path != "" {
		segs := strings.Split(path, "/")
		for i, s := range segs {
			if s != "" && !plainSegment.MatchString(s) {
				segs[i] = Mask
			}
		}
		b.WriteString(strings.Join(segs, "/"))
	}
	if p.RawQuery != "" {
		b.WriteByte('?')
		parts := strings.Split(p.RawQuery, "&")
		for i, kv := range parts {
			k, _, _ := strings.Cut(kv, "=")
			parts[i] = k + "=" + Mask
		}
		b.WriteString(strings.Join(parts, "&"))
	}
	if p.Fragment != "" {
		b.WriteString("#" + Mask)
	}
	return b.String()
}

// Text returns s with every URL in it rewritten by URL.
func Text(s string) string {
	if !strings.Contains(s, "://") {
		return s
	}
	return urlInText.ReplaceAllStringFunc(s, func(m string) string {
		// Trailing punctuation belongs to the sentence, not the URL.
		trail := ""
		for len(m) > 0 && strings.ContainsRune(".,;:)]}", rune(m[len(m)-1])) {
			trail = m[len(m)-1:] + trail
			m = m[:len(m)-1]
		}
		return URL(m) + trail
	})
}

// Redactor masks URLs in text (see Text) and every secret registered with
// it. It is safe for concurrent use; the zero value is not usable, call New.
type Redactor struct {
	mu      sync.RWMutex
	secrets []string // longest first, so a secret's substring never wins
}

// New returns a Redactor with no registered secrets.
func New() *Redactor { return &Redactor{} }

// minSecret is the shortest secret worth registering: shorter strings
// would mask ordinary words.
const minSecret = 6

// AddSecret registers s; it is ignored when shorter than 6 bytes.
func (r *Redactor) AddSecret(s string) {
	if r == nil || len(s) < minSecret {
		return
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	if slices.Contains(r.secrets, s) {
		return
	}
	r.secrets = append(r.secrets, s)
	slices.SortFunc(r.secrets, func(a, b string) int { return len(b) - len(a) })
}

// AddURL registers the credential parts of u: the whole URL, its user
// info, every path segment that is not a plain routing word and every query
// value (decoded and as written).
func (r *Redactor) AddURL(u string) {
	if r == nil || u == "" {
		return
	}
	r.AddSecret(u)
	p, err := url.Parse(u)
	if err != nil {
		return
	}
	if p.User != nil {
		r.AddSecret(p.User.String())
		r.AddSecret(p.User.Username())
		if pw, ok := p.User.Password(); ok {
			r.AddSecret(pw)
		}
	}
	for _, s := range strings.Split(p.EscapedPath(), "/") {
		if s != "" && !plainSegment.MatchString(s) {
			r.AddSecret(s)
			if d, err := url.PathUnescape(s); err == nil {
				r.AddSecret(d)
			}
		}
	}
	for _, kv := range strings.Split(p.RawQuery, "&") {
		_, v, _ := strings.Cut(kv, "=")
		r.AddSecret(v)
		if d, err := url.QueryUnescape(v); err == nil {
			r.AddSecret(d)
		}
	}
}

// String returns s with URLs masked and every registered secret replaced
// by Mask. A nil Redactor masks URLs only.
func (r *Redactor) String(s string) string {
	if r != nil {
		r.mu.RLock()
		for _, sec := range r.secrets {
			s = strings.ReplaceAll(s, sec, Mask)
		}
		r.mu.RUnlock()
	}
	return Text(s)
}

// Error returns err unchanged when its message holds nothing to redact,
// and otherwise an error with the redacted message that still unwraps to
// err (so errors.Is and errors.As keep working).
func (r *Redactor) Error(err error) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	red := r.String(msg)
	if red == msg {
		return err
	}
	return &redactedError{msg: red, err: err}
}

type redactedError struct {
	msg string
	err error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }

// Is reports whether err was redacted by a Redactor.
func Is(err error) bool {
	var re *redactedError
	return errors.As(err, &re)
}

type ctxKey struct{}

// WithContext returns ctx carrying r, so code far from the command that
// owns r can register a secret (FromContext(ctx).AddURL(u)).
func WithContext(ctx context.Context, r *Redactor) context.Context {
	return context.WithValue(ctx, ctxKey{}, r)
}

// FromContext returns the Redactor in ctx, or nil (whose methods are
// no-ops for registration and mask URLs only).
func FromContext(ctx context.Context) *Redactor {
	if ctx == nil {
		return nil
	}
	r, _ := ctx.Value(ctxKey{}).(*Redactor)
	return r
}

// Handler returns a slog.Handler that redacts each record's message and
// every string, error and Stringer attribute value (groups included)
// before passing it to h.
func Handler(h slog.Handler, r *Redactor) slog.Handler {
	return &handler{h: h, r: r}
}

type handler struct {
	h slog.Handler
	r *Redactor
}

func (h *handler) Enabled(ctx context.Context, l slog.Level) bool { return h.h.Enabled(ctx, l) }

func (h *handler) Handle(ctx context.Context, rec slog.Record) error {
	out := slog.NewRecord(rec.Time, rec.Level, h.r.String(rec.Message), rec.PC)
	rec.Attrs(func(a slog.Attr) bool {
		out.AddAttrs(h.attr(a))
		return true
	})
	return h.h.Handle(ctx, out)
}

func (h *handler) WithAttrs(as []slog.Attr) slog.Handler {
	red := make([]slog.Attr, len(as))
	for i, a := range as {
		red[i] = h.attr(a)
	}
	return &handler{h: h.h.WithAttrs(red), r: h.r}
}

func (h *handler) WithGroup(name string) slog.Handler {
	return &handler{h: h.h.WithGroup(name), r: h.r}
}

func (h *handler) attr(a slog.Attr) slog.Attr {
	v := a.Value.Resolve()
	switch v.Kind() {
	case slog.KindString:
		return slog.String(a.Key, h.r.String(v.String()))
	case slog.KindGroup:
		g := v.Group()
		red := make([]any, len(g))
		for i, ga := range g {
			red[i] = h.attr(ga)
		}
		return slog.Group(a.Key, red...)
	case slog.KindAny:
		switch x := v.Any().(type) {
		case error:
			return slog.String(a.Key, h.r.String(x.Error()))
		case interface{ String() string }:
			return slog.String(a.Key, h.r.String(x.String()))
		case []byte:
			return slog.String(a.Key, h.r.String(string(x)))
		}
	}
	return slog.Attr{Key: a.Key, Value: v}
}
