package risk

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// maxAddressesPerRequest bounds contract_addresses in one request.
const maxAddressesPerRequest = 20

// Server answers GoPlus token_security requests from a node:
// GET /api/v1/token_security/{chain_id}?contract_addresses=A,B. Reports are
// cached by (code hash, block): a new block or new code recomputes.
type Server struct {
	node    Node
	rpc     RPC
	chainID string
	opts    Options
	gather  prometheus.Gatherer

	mu    sync.Mutex
	cache map[cacheKey]*Report

	requests *prometheus.CounterVec
	hits     prometheus.Counter
	misses   prometheus.Counter
	seconds  prometheus.Histogram
}

type cacheKey struct {
	code  common.Hash
	block uint64
	addr  common.Address
}

// maxCache bounds the cache; it is cleared when full.
const maxCache = 10_000

// NewServer builds a server for the chain chainID; its metrics are
// registered on reg and served from gather (normally the same registry).
func NewServer(c Node, r RPC, chainID string, reg prometheus.Registerer, gather prometheus.Gatherer, o Options) (*Server, error) {
	s := &Server{node: c, rpc: r, chainID: chainID, opts: o, gather: gather, cache: map[cacheKey]*Report{},
		requests: prometheus.NewCounterVec(prometheus.CounterOpts{Name: "aegis_risk_requests_total", Help: "token_security requests by HTTP status."}, []string{"code"}),
		hits:     prometheus.NewCounter(prometheus.CounterOpts{Name: "aegis_risk_cache_hits_total", Help: "Token reports served from the cache."}),
		misses:   prometheus.NewCounter(prometheus.CounterOpts{Name: "aegis_risk_cache_misses_total", Help: "Token reports computed."}),
		seconds: prometheus.NewHistogram(prometheus.HistogramOpts{Name: "aegis_risk_analysis_seconds", Help: "Time to compute one token report.",
			Buckets: prometheus.ExponentialBuckets(0.005, 2, 12)}),
	}
	for _, m := range []prometheus.Collector{s.requests, s.hits, s.misses, s.seconds} {
		if err := reg.Register(m); err != nil {
			return nil, fmt.Errorf("risk server metrics: %w", err)
		}
	}
	return s, nil
}

// Handler returns the HTTP routes: the token_security API, /healthz and
// /metrics.
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc("GET /api/v1/token_security/{chain_id}", s.tokenSecurity)
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, r *http.Request) {
		if _, err := s.node.BlockNumber(r.Context()); err != nil {
			http.Error(w, "node: "+err.Error(), http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte("ok\n"))
	})
	mux.Handle("GET /metrics", promhttp.HandlerFor(s.gather, promhttp.HandlerOpts{}))
	return mux
}

func (s *Server) reply(w http.ResponseWriter, status int, v any) {
	s.requests.WithLabelValues(fmt.Sprint(status)).Inc()
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

func (s *Server) tokenSecurity(w http.ResponseWriter, r *http.Request) {
	if id := r.PathValue("chain_id"); id != s.chainID {
		s.reply(w, http.StatusBadRequest, map[string]any{"code": 2, "message": fmt.Sprintf("chain_id %q not served (this node is chain %s)", id, s.chainID), "result": map[string]any{}})
		return
	}
	raw := r.URL.Query().Get("contract_addresses")
	var addrs []common.Address
	for _, a := range strings.Split(raw, ",") {
		a = strings.TrimSpace(a)
		if a == "" {
			continue
		}
		if !common.IsHexAddress(a) {
			s.reply(w, http.StatusBadRequest, map[string]any{"code": 2, "message": fmt.Sprintf("contract_addresses: %q is not a hex address", a), "result": map[string]any{}})
			return
		}
		addrs = append(addrs, common.HexToAddress(a))
	}
	if len(addrs) == 0 || len(addrs) > maxAddressesPerRequest {
		s.reply(w, http.StatusBadRequest, map[string]any{"code": 2, "message": fmt.Sprintf("contract_addresses: want 1..%d addresses", maxAddressesPerRequest), "result": map[string]any{}})
		return
	}
	var reps []*Report
	for _, a := range addrs {
		rep, err := s.report(r.Context(), a)
		if err != nil {
			s.reply(w, http.StatusBadGateway, map[string]any{"code": 2, "message": err.Error(), "result": map[string]any{}})
			return
		}
		reps = append(reps, rep)
	}
	s.reply(w, http.StatusOK, GoPlus(reps...))
}

// report returns the cached or freshly computed report of a.
func (s *Server) report(ctx context.Context, a common.Address) (*Report, error) {
	block, err := s.node.BlockNumber(ctx)
	if err != nil {
		return nil, fmt.Errorf("eth_blockNumber: %w", err)
	}
	code, err := s.node.CodeAt(ctx, a, nil)
	if err != nil {
		return nil, fmt.Errorf("eth_getCode %s: %w", a.Hex(), err)
	}
	k := cacheKey{crypto.Keccak256Hash(code), block, a}
	s.mu.Lock()
	rep, ok := s.cache[k]
	s.mu.Unlock()
	if ok {
		s.hits.Inc()
		return rep, nil
	}
	s.misses.Inc()
	start := time.Now()
	rep, err = AnalyzeToken(ctx, s.node, s.rpc, a, s.opts)
	if err != nil {
		return nil, err
	}
	s.seconds.Observe(time.Since(start).Seconds())
	s.mu.Lock()
	if len(s.cache) >= maxCache {
		clear(s.cache)
	}
	s.cache[k] = rep
	s.mu.Unlock()
	return rep, nil
}
