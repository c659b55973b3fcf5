package monitorbench

import (
	"context"
	"encoding/json"
	"fmt"
	"math/big"
	"syscall"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors"
	"github.com/aegis-defi/aegis/internal/monitor/pricing"
	"github.com/aegis-defi/aegis/internal/sigdb"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// The parts of a block, receipt and trace result the pipeline reads (the
// same fields txmodel.Fetcher.Block decodes).
type (
	rpcTx struct {
		Hash    common.Hash     `json:"hash"`
		From    common.Address  `json:"from"`
		To      *common.Address `json:"to"`
		Value   *hexutil.Big    `json:"value"`
		Nonce   hexutil.Uint64  `json:"nonce"`
		Gas     hexutil.Uint64  `json:"gas"`
		Input   hexutil.Bytes   `json:"input"`
		ChainID *hexutil.Big    `json:"chainId"`
	}
	rpcBlock struct {
		Hash         common.Hash    `json:"hash"`
		Number       hexutil.Uint64 `json:"number"`
		Timestamp    hexutil.Uint64 `json:"timestamp"`
		BaseFee      *hexutil.Big   `json:"baseFeePerGas"`
		Transactions []rpcTx        `json:"transactions"`
	}
	rpcReceipt struct {
		TxHash            common.Hash     `json:"transactionHash"`
		BlockHash         common.Hash     `json:"blockHash"`
		BlockNumber       hexutil.Uint64  `json:"blockNumber"`
		Index             hexutil.Uint    `json:"transactionIndex"`
		Status            *hexutil.Uint64 `json:"status"`
		GasUsed           hexutil.Uint64  `json:"gasUsed"`
		EffectiveGasPrice *hexutil.Big    `json:"effectiveGasPrice"`
		ContractAddress   *common.Address `json:"contractAddress"`
		Logs              []*types.Log    `json:"logs"`
	}
	traceResult struct {
		TxHash common.Hash     `json:"txHash"`
		Result json.RawMessage `json:"result"`
		Error  string          `json:"error"`
	}
)

// meta assembles a mined transaction's TxMeta like the monitor's fetcher.
func meta(t *rpcTx, r *rpcReceipt, blk *rpcBlock) txmodel.TxMeta {
	m := txmodel.TxMeta{Hash: t.Hash, From: t.From, To: t.To, Nonce: uint64(t.Nonce), GasLimit: uint64(t.Gas),
		Stage: txmodel.StageMined, Value: new(big.Int), BlockTime: uint64(blk.Timestamp)}
	if t.Value != nil {
		m.Value = (*big.Int)(t.Value)
	}
	if t.ChainID != nil {
		m.ChainID = (*big.Int)(t.ChainID)
	}
	if blk.BaseFee != nil {
		m.BaseFee = (*big.Int)(blk.BaseFee)
	}
	n, bh := uint64(r.BlockNumber), r.BlockHash
	m.BlockNumber, m.BlockHash, m.Index, m.GasUsed = &n, &bh, uint(r.Index), uint64(r.GasUsed)
	if r.EffectiveGasPrice != nil {
		m.EffectiveGasPrice = (*big.Int)(r.EffectiveGasPrice)
	}
	st := txmodel.StatusSuccess
	if r.Status != nil && *r.Status == 0 {
		st = txmodel.StatusReverted
	}
	m.Status = &st
	if r.ContractAddress != nil && *r.ContractAddress != (common.Address{}) {
		ca := *r.ContractAddress
		m.ContractAddress = &ca
	}
	m.ReceiptLogs = r.Logs
	return m
}

// normalize decodes a recorded block and builds a Tx for every
// transaction from its call trace.
func normalize(ctx context.Context, rb *recordedBlock, dec *txmodel.Decoder, tokens txmodel.TokenResolver) ([]*txmodel.Tx, error) {
	var (
		blk      rpcBlock
		receipts []*rpcReceipt
		traces   []traceResult
	)
	if err := json.Unmarshal(rb.Block, &blk); err != nil {
		return nil, fmt.Errorf("block %d: %w", rb.Number, err)
	}
	if err := json.Unmarshal(rb.Receipts, &receipts); err != nil {
		return nil, fmt.Errorf("block %d receipts: %w", rb.Number, err)
	}
	if err := json.Unmarshal(rb.Traces, &traces); err != nil {
		return nil, fmt.Errorf("block %d traces: %w", rb.Number, err)
	}
	if len(receipts) != len(blk.Transactions) || len(traces) != len(blk.Transactions) {
		return nil, fmt.Errorf("block %d: %d txs, %d receipts, %d traces", rb.Number, len(blk.Transactions), len(receipts), len(traces))
	}
	out := make([]*txmodel.Tx, len(blk.Transactions))
	for i := range blk.Transactions {
		t := &blk.Transactions[i]
		m := meta(t, receipts[i], &blk)
		if traces[i].Error != "" || len(traces[i].Result) == 0 {
			out[i] = txmodel.FromReceipt(m, t.Input, dec)
			continue
		}
		tx, err := txmodel.FromCallTrace(traces[i].Result, m, dec)
		if err != nil {
			return nil, fmt.Errorf("block %d tx %s: %w", rb.Number, t.Hash, err)
		}
		out[i] = tx
	}
	if err := txmodel.ResolvePoolTokens(ctx, tokens, out...); err != nil {
		return nil, err
	}
	return out, nil
}

// holdKey identifies one holdings lookup (at the parent of block).
type holdKey struct {
	block       uint64
	addr, asset common.Address
}

// holdings answers detect.Env.Holdings from the devnet once (the warm-up
// pass, at the transaction's parent block like the monitor) and from memory
// afterwards, so the timed passes make no RPC call.
type holdings struct {
	ec    *ethclient.Client
	live  bool
	at    uint64
	cache map[holdKey]*big.Int
}

func (h *holdings) get(ctx context.Context, addr, asset common.Address) (*big.Int, error) {
	k := holdKey{h.at, addr, asset}
	if v, ok := h.cache[k]; ok || !h.live {
		return v, nil
	}
	var at *big.Int
	if h.at > 0 {
		at = new(big.Int).SetUint64(h.at - 1)
	}
	var v *big.Int
	if asset == (common.Address{}) {
		b, err := h.ec.BalanceAt(ctx, addr, at)
		if err != nil {
			return nil, err
		}
		v = b
	} else {
		data := append(common.FromHex("0x70a08231"), common.LeftPadBytes(addr.Bytes(), 32)...)
		out, err := h.ec.CallContract(ctx, ethereum.CallMsg{To: &asset, Data: data}, at)
		if err == nil && len(out) >= 32 {
			v = new(big.Int).SetBytes(out[:32])
		}
	}
	h.cache[k] = v
	return v, nil
}

// pipeline is one pass of the mined-block pipeline over the recorded
// blocks: normalize, price, detect, learn prices.
type pipeline struct {
	fix    *fixture
	dec    *txmodel.Decoder
	tokens txmodel.TokenResolver
	hold   *holdings
	nWatch int
}

// counts are what one pass saw.
type counts struct {
	txs, obs, highPlus int
}

// state is what the pipeline keeps across blocks: the detectors (they
// keep windows), the pricer and the watchlist.
type state struct {
	prices *pricing.Pricer
	dets   []detect.Detector
	env    detect.Env
}

// newState returns fresh pipeline state watching n protocols.
func (p *pipeline) newState(n int) *state {
	return &state{
		prices: newPricer(p.fix.weth, p.fix.pools),
		dets:   detectors.Default(detectors.DefaultConfig()),
		env:    detect.Env{ChainID: p.fix.tc.Node.ChainID().Uint64(), Watch: p.fix.watchlist(n), Now: time.Now, Holdings: p.hold.get},
	}
}

// run processes every recorded block with fresh state.
func (p *pipeline) run(ctx context.Context) (counts, error) {
	return p.process(ctx, p.newState(p.nWatch))
}

// process runs every recorded block through st.
func (p *pipeline) process(ctx context.Context, st *state) (counts, error) {
	var c counts
	prices, dets, env := st.prices, st.dets, &st.env
	for i := range p.fix.blocks {
		rb := &p.fix.blocks[i]
		txs, err := normalize(ctx, rb, p.dec, p.tokens)
		if err != nil {
			return c, err
		}
		p.hold.at = rb.Number
		for _, tx := range txs {
			env.Prices = prices.ForTx(tx)
			for _, d := range dets {
				obs, err := d.Inspect(ctx, env, tx)
				if err != nil {
					return c, fmt.Errorf("%s on %s: %w", d.Meta().Name, tx.Hash, err)
				}
				c.obs += len(obs)
				for _, o := range obs {
					if o.Severity >= alert.SeverityHigh {
						c.highPlus++
					}
				}
			}
			prices.Observe(tx)
			c.txs++
		}
	}
	return c, nil
}

// newPipeline returns a pipeline over the fixture and runs the untimed
// warm-up pass that fills the holdings and pool-token caches.
func newPipeline(ctx context.Context, f *fixture, nWatch int) (*pipeline, counts, error) {
	p := &pipeline{fix: f, dec: txmodel.NewDecoder(sigdb.Default()), tokens: txmodel.NewRPCTokenResolver(f.rpc), nWatch: nWatch,
		hold: &holdings{ec: f.tc.Node.Client(), live: true, cache: map[holdKey]*big.Int{}}}
	c, err := p.run(ctx)
	p.hold.live = false
	return p, c, err
}

// cpuTime is the process's user + system CPU time so far (getrusage).
func cpuTime() (time.Duration, error) {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0, fmt.Errorf("getrusage: %w", err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano()), nil
}

// BenchmarkNormalizeAndDetect measures, on one goroutine, building
// txmodel.Txs from the recorded raw traces (block, receipts and trace
// JSON decoding included) and running every default detector on every
// transaction with the fixture's contracts watched. One iteration is one
// pass over every recorded block; tx/s is per core. node-trace-ms is the
// node's own debug_traceBlockByNumber time for the same blocks over
// in-process RPC, and ours/node the ratio of our time to it. tx/cpu-s is
// the transactions per second of CPU time the process was given (all its
// threads, getrusage), which a loaded machine does not inflate.
//
//	go test -run '^$' -bench NormalizeAndDetect -benchtime 20x ./bench/monitor/
func BenchmarkNormalizeAndDetect(b *testing.B) {
	f := sharedFixture(b)
	ctx := context.Background()
	p, warm, err := newPipeline(ctx, f, len(f.targets))
	if err != nil {
		b.Skipf("warm-up pass: %v", err)
	}
	b.Logf("fixture: %d blocks, %d txs (built in %s); warm-up: %d observations, %d high+, %d holdings lookups cached",
		len(f.blocks), f.txs, f.setup.Round(time.Second), warm.obs, warm.highPlus, len(p.hold.cache))
	nodeTime := f.nodeTrace
	b.ReportAllocs()
	b.ResetTimer()
	txs := 0
	cpu0, cpuErr := cpuTime()
	for b.Loop() {
		c, err := p.run(ctx)
		if err != nil {
			b.Fatal(err)
		}
		txs += c.txs
	}
	perPass := b.Elapsed() / time.Duration(b.N)
	if cpu1, err := cpuTime(); err == nil && cpuErr == nil && cpu1 > cpu0 {
		// On a shared machine the wall clock counts time the process
		// waited for a core; the CPU time it was given does not.
		b.ReportMetric(float64(txs)/(cpu1-cpu0).Seconds(), "tx/cpu-s")
	}
	b.ReportMetric(float64(txs)/b.Elapsed().Seconds(), "tx/s")
	b.ReportMetric(float64(perPass.Nanoseconds())/float64(f.txs)/1e3, "µs/tx")
	b.ReportMetric(float64(nodeTime.Microseconds())/1e3, "node-trace-ms")
	b.ReportMetric(float64(perPass.Microseconds())/1e3, "ours-ms")
	b.ReportMetric(perPass.Seconds()/nodeTime.Seconds(), "ours/node")
	b.ReportMetric(float64(f.txs), "txs/pass")
}
