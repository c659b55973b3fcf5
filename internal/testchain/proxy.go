package testchain

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// RPCProxy starts a JSON-RPC proxy in front of target (closed when the
// test ends) that answers every request whose method refuse matches with
// a JSON-RPC error of code and msg ("%s" in msg stands for the method) and
// forwards the rest, single requests as they are and a batch's remaining
// elements as one batch. Tests use it to play a node without an API
// (debug_*, debug_getRawBlock) or one that fails it (a pruned node).
func RPCProxy(t testing.TB, target string, refuse func(method string) bool, code int, msg string) *httptest.Server {
	t.Helper()
	return RPCProxyParams(t, target, func(method string, _ []json.RawMessage) bool { return refuse(method) }, code, msg)
}

// RPCProxyParams is RPCProxy whose refuse also sees each request's params
// (tests count or record the calls that pass through it). refuse may be
// called from several goroutines at once.
func RPCProxyParams(t testing.TB, target string, refuse func(method string, params []json.RawMessage) bool, code int, msg string) *httptest.Server {
	t.Helper()
	type req struct {
		ID     json.RawMessage   `json:"id"`
		Method string            `json:"method"`
		Params []json.RawMessage `json:"params"`
	}
	refused := func(q req) json.RawMessage {
		b, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": q.ID,
			"error": map[string]any{"code": code, "message": strings.ReplaceAll(msg, "%s", q.Method)}})
		return b
	}
	forward := func(body []byte) ([]byte, error) {
		resp, err := http.Post(target, "application/json", bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		defer resp.Body.Close()
		return io.ReadAll(resp.Body)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		if trimmed := bytes.TrimSpace(body); len(trimmed) == 0 || trimmed[0] != '[' {
			var q req
			_ = json.Unmarshal(body, &q)
			if refuse(q.Method, q.Params) {
				_, _ = w.Write(refused(q))
				return
			}
			resp, err := forward(body)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			_, _ = w.Write(resp)
			return
		}
		var raws []json.RawMessage
		_ = json.Unmarshal(body, &raws)
		out := make([]json.RawMessage, len(raws))
		var fwd []json.RawMessage
		byID := map[string]int{}
		for i, raw := range raws {
			var q req
			_ = json.Unmarshal(raw, &q)
			if refuse(q.Method, q.Params) {
				out[i] = refused(q)
				continue
			}
			fwd = append(fwd, raw)
			byID[string(q.ID)] = i
		}
		if len(fwd) > 0 {
			fb, _ := json.Marshal(fwd)
			resp, err := forward(fb)
			if err != nil {
				http.Error(w, err.Error(), http.StatusBadGateway)
				return
			}
			var got []json.RawMessage
			_ = json.Unmarshal(resp, &got)
			for _, g := range got {
				var q req
				_ = json.Unmarshal(g, &q)
				if i, ok := byID[string(q.ID)]; ok {
					out[i] = g
				}
			}
		}
		b, _ := json.Marshal(out)
		_, _ = w.Write(b)
	}))
	t.Cleanup(srv.Close)
	return srv
}
