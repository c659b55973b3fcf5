package txmodel_test

import (
	"bytes"
	"encoding/json"
	"math/big"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/aegis-defi/aegis/internal/txmodel"
)

// loadRecorded reads every testdata/*.json trace.
func loadRecorded(t testing.TB) map[string]recorded {
	t.Helper()
	files, err := filepath.Glob(filepath.Join("testdata", "*.json"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no recorded traces (run go test ./internal/txmodel -record): %v", err)
	}
	out := map[string]recorded{}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var r recorded
		if err := json.Unmarshal(b, &r); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		// Nodes send compact JSON; the recording is indented.
		var buf bytes.Buffer
		if err := json.Compact(&buf, r.Trace); err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		r.Trace = buf.Bytes()
		out[strings.TrimSuffix(filepath.Base(f), ".json")] = r
	}
	return out
}

func metaOf(r recorded) txmodel.TxMeta {
	return txmodel.TxMeta{Hash: r.Hash, From: r.From, To: r.To, Value: r.Value}
}

// TestJSONRoundTrip encodes and decodes every recorded transaction and
// checks nothing is lost (Parent pointers and typed views included).
func TestJSONRoundTrip(t *testing.T) {
	dec := testDecoder(t)
	for name, r := range loadRecorded(t) {
		t.Run(name, func(t *testing.T) {
			tx, err := txmodel.FromCallTrace(r.Trace, metaOf(r), dec)
			if err != nil {
				t.Fatal(err)
			}
			if string(tx.Status) != r.Status {
				t.Errorf("status %s, recorded %s", tx.Status, r.Status)
			}
			b, err := json.Marshal(tx)
			if err != nil {
				t.Fatal(err)
			}
			var back txmodel.Tx
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			b2, err := json.Marshal(&back)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.Equal(b, b2) {
				t.Fatalf("re-encoding differs")
			}
			if len(tx.Logs) != len(back.Logs) || len(tx.Balances) != len(back.Balances) || len(tx.Pools) != len(back.Pools) {
				t.Errorf("logs/balances/pools differ after round trip")
			}
			for i, l := range tx.Logs {
				if reflect.TypeOf(l.Decoded) != reflect.TypeOf(back.Logs[i].Decoded) {
					t.Errorf("log %d: decoded %T, back %T", i, l.Decoded, back.Logs[i].Decoded)
				}
			}
			back.Walk(func(c *txmodel.Call) bool {
				for _, sub := range c.Calls {
					if sub.Parent != c {
						t.Fatalf("parent not restored")
					}
				}
				return true
			})
			if !strings.Contains(string(b), `"gas_used"`) || strings.Contains(string(b), `"gasUsed"`) {
				t.Errorf("keys are not snake_case")
			}
		})
	}
}

func topicOf(sig string) common.Hash { return crypto.Keccak256Hash([]byte(sig)) }

func addrTopic(a common.Address) common.Hash { return common.BytesToHash(a.Bytes()) }

func words(vals ...*big.Int) []byte {
	var out []byte
	for _, v := range vals {
		w := make([]byte, 32)
		if v.Sign() < 0 {
			v = new(big.Int).Add(v, new(big.Int).Lsh(big.NewInt(1), 256))
		}
		v.FillBytes(w)
		out = append(out, w...)
	}
	return out
}

type tLog struct {
	Address  common.Address `json:"address"`
	Topics   []common.Hash  `json:"topics"`
	Data     string         `json:"data"`
	Position string         `json:"position,omitempty"`
}

func mkLog(addr common.Address, pos string, data []byte, topics ...common.Hash) tLog {
	return tLog{Address: addr, Topics: topics, Data: "0x" + common.Bytes2Hex(data), Position: pos}
}

type tFrame struct {
	Type    string          `json:"type"`
	From    common.Address  `json:"from"`
	To      *common.Address `json:"to,omitempty"`
	Value   string          `json:"value,omitempty"`
	Gas     string          `json:"gas"`
	GasUsed string          `json:"gasUsed"`
	Input   string          `json:"input"`
	Output  string          `json:"output,omitempty"`
	Error   string          `json:"error,omitempty"`
	Calls   []tFrame        `json:"calls,omitempty"`
	Logs    []tLog          `json:"logs,omitempty"`
}

func addr(n byte) common.Address           { return common.Address{19: n} }
func ptr(a common.Address) *common.Address { return &a }

// TestSyntheticTrace checks log ordering by position, exclusion of logs
// reported for reverted frames, V2 reserve reconstruction for Mint/Burn,
// V3 swaps, Aave V3 flash loans, ETH transfers (value, CREATE,
// SELFDESTRUCT, ignored DELEGATECALL value), and WETH Deposit
// verification.
func TestSyntheticTrace(t *testing.T) {
	eoa, top, pool, v3, token, aave, weth, child, lend := addr(1), addr(2), addr(3), addr(4), addr(5), addr(6), addr(7), addr(8), addr(9)
	e := func(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(1e18)) }
	transfer := topicOf("Transfer(address,address,uint256)")
	sync := topicOf("Sync(uint112,uint112)")
	mint := topicOf("Mint(address,uint256,uint256)")
	burn := topicOf("Burn(address,uint256,uint256,address)")
	v3swap := topicOf("Swap(address,address,int256,int256,uint160,uint128,int24)")
	aaveV3 := topicOf("FlashLoan(address,address,address,uint256,uint8,uint256,uint16)")
	deposit := topicOf("Deposit(address,uint256)")
	sqrtP := new(big.Int).Lsh(big.NewInt(2), 96) // price 4

	frame := tFrame{
		Type: "CALL", From: eoa, To: ptr(top), Value: "0xde0b6b3a7640000", Gas: "0x100000", GasUsed: "0x5000", Input: "0x12345678",
		Logs: []tLog{
			// Position 2: after the second sub-call.
			mkLog(top, "0x2", words(e(1)), transfer, addrTopic(top), addrTopic(eoa)),
			// Position 0: before any sub-call.
			mkLog(aave, "0x0", append(words(big.NewInt(0))[:12], append(top.Bytes(), words(e(100), big.NewInt(0), e(1))...)...),
				aaveV3, addrTopic(top), addrTopic(token), common.Hash{}),
		},
		Calls: []tFrame{
			{Type: "CALL", From: top, To: ptr(pool), Gas: "0x1", GasUsed: "0x1", Input: "0x6a627842", Logs: []tLog{
				mkLog(pool, "0x0", words(e(110), e(220)), sync),
				mkLog(pool, "0x0", words(e(10), e(20)), mint, addrTopic(top)),
				mkLog(pool, "0x0", words(e(105), e(210)), sync),
				mkLog(pool, "0x0", words(e(5), e(10)), burn, addrTopic(top), addrTopic(eoa)),
			}},
			{Type: "CALL", From: top, To: ptr(v3), Gas: "0x1", GasUsed: "0x1", Input: "0x128acb08", Logs: []tLog{
				mkLog(v3, "0x0", words(e(-1), e(4), sqrtP, big.NewInt(1000), big.NewInt(-5)), v3swap, addrTopic(top), addrTopic(eoa)),
			}},
			// A reverted frame whose logs the node kept: must not count.
			{Type: "CALL", From: top, To: ptr(token), Gas: "0x1", GasUsed: "0x1", Input: "0xa9059cbb", Error: "execution reverted",
				Output: "0x08c379a0" + common.Bytes2Hex(words(big.NewInt(32), big.NewInt(4))) + "6e6f706500000000000000000000000000000000000000000000000000000000",
				Logs:   []tLog{mkLog(token, "0x0", words(e(7)), transfer, addrTopic(top), addrTopic(eoa))}},
			// DELEGATECALL carries the context value but moves nothing.
			{Type: "DELEGATECALL", From: top, To: ptr(child), Value: "0xde0b6b3a7640000", Gas: "0x1", GasUsed: "0x1", Input: "0x"},
			// CREATE with value, then the child selfdestructs to the EOA.
			{Type: "CREATE", From: top, To: ptr(child), Value: "0x2", Gas: "0x1", GasUsed: "0x1", Input: "0x60", Calls: []tFrame{
				{Type: "SELFDESTRUCT", From: child, To: ptr(eoa), Value: "0x2", Gas: "0x0", GasUsed: "0x0", Input: "0x"},
			}},
			// WETH deposit with matching value: decoded; a lending market's
			// Deposit(address,uint256) without value: not.
			{Type: "CALL", From: top, To: ptr(weth), Value: "0x3", Gas: "0x1", GasUsed: "0x1", Input: "0xd0e30db0", Logs: []tLog{
				mkLog(weth, "0x0", words(big.NewInt(3)), deposit, addrTopic(top)),
			}},
			{Type: "CALL", From: top, To: ptr(lend), Gas: "0x1", GasUsed: "0x1", Input: "0xb6b55f25", Logs: []tLog{
				mkLog(lend, "0x0", words(big.NewInt(9)), deposit, addrTopic(top)),
			}},
		},
	}
	raw, err := json.Marshal(frame)
	if err != nil {
		t.Fatal(err)
	}
	tx, err := txmodel.FromCallTrace(raw, txmodel.TxMeta{}, txmodel.NewDecoder(nil))
	if err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, l := range tx.Logs {
		order = append(order, l.Address.Hex()[40:]+":"+string(l.Kind))
	}
	want := []string{"06:flash-loan", "03:uniswap-v2-sync", "03:uniswap-v2-mint", "03:uniswap-v2-sync", "03:uniswap-v2-burn",
		"04:uniswap-v3-swap", "02:erc20-transfer", "07:weth-deposit", "09:"}
	if !reflect.DeepEqual(order, want) {
		t.Errorf("log order = %v\nwant %v", order, want)
	}
	if tx.Root.Calls[2].Logs[0].Index != -1 || tx.Root.Calls[2].RevertReason != "nope" {
		t.Errorf("reverted frame: log index %d reason %q", tx.Root.Calls[2].Logs[0].Index, tx.Root.Calls[2].RevertReason)
	}
	fl := tx.Logs[0].Decoded.(*txmodel.FlashLoan)
	if fl.Source != txmodel.FlashLoanAaveV3 || fl.Receiver != top || fl.Token != token || *fl.Initiator != top || fl.Amount.Cmp(e(100)) != 0 || fl.Fee.Cmp(e(1)) != 0 {
		t.Errorf("aave v3 flash loan = %+v", fl)
	}

	// V2: before = first sync - mint amounts.
	p := tx.Pool(pool)
	if p == nil || p.Reserve0Before.Cmp(e(100)) != 0 || p.Reserve1Before.Cmp(e(200)) != 0 ||
		p.Reserve0After.Cmp(e(105)) != 0 || p.Mints != 1 || p.Burns != 1 || len(p.Prices) != 3 || *p.PriceBefore != 2 {
		t.Errorf("v2 pool = %+v", p)
	}
	// V3: price 4 after the swap, before unknown.
	p3 := tx.Pool(v3)
	sw := tx.Logs[5].Decoded.(*txmodel.V3Swap)
	if p3 == nil || p3.PriceBefore != nil || p3.PriceAfter != 4 || *p3.TickAfter != -5 || sw.Amount0.Cmp(e(-1)) != 0 {
		t.Errorf("v3 pool = %+v swap %+v", p3, sw)
	}

	// Balances: 1 ETH eoa->top (tx value); CREATE 2 wei top->child,
	// SELFDESTRUCT 2 wei child->eoa; 3 wei top->weth; token 1e18 top->eoa;
	// WETH +3 for top.
	checks := []struct {
		who, asset common.Address
		want       *big.Int
	}{
		{eoa, common.Address{}, new(big.Int).Sub(big.NewInt(2), e(1))},
		{top, common.Address{}, new(big.Int).Sub(e(1), big.NewInt(5))},
		{child, common.Address{}, big.NewInt(0)},
		{weth, common.Address{}, big.NewInt(3)},
		{eoa, top, e(1)},
		{top, top, e(-1)},
		{top, weth, big.NewInt(3)},
		{top, token, big.NewInt(0)},
		{top, lend, big.NewInt(0)},
	}
	for _, c := range checks {
		if got := tx.Balance(c.who, c.asset); got.Cmp(c.want) != 0 {
			t.Errorf("balance %s of %s = %v, want %v", c.who.Hex()[40:], c.asset.Hex()[40:], got, c.want)
		}
	}
	if !reflect.DeepEqual(tx.Created, []common.Address{child}) {
		t.Errorf("created = %v", tx.Created)
	}
	if tx.Selector != (txmodel.Selector{0x12, 0x34, 0x56, 0x78}) || tx.MaxDepth != 2 {
		t.Errorf("selector %s max depth %d", tx.Selector, tx.MaxDepth)
	}
}

// TestDecodeGovernanceAndAccess decodes the governance, access-control,
// proxy and pause events through FromReceipt (the receipts-only path).
func TestDecodeGovernanceAndAccess(t *testing.T) {
	dao, eoa := addr(0x10), addr(0x11)
	id := big.NewInt(7)
	str := func(s string) []byte { // ABI-encoded dynamic string tail
		b := words(big.NewInt(int64(len(s))))
		pad := make([]byte, (len(s)+31)/32*32)
		copy(pad, s)
		return append(b, pad...)
	}
	type tc struct {
		name   string
		topics []common.Hash
		data   []byte
		check  func(txmodel.Event) bool
	}
	cases := []tc{
		{"safe dao proposal", []common.Hash{topicOf("ProposalCreated(uint256,address,uint256,string)"), common.BigToHash(id), addrTopic(eoa)},
			append(words(big.NewInt(99), big.NewInt(64)), str("drain")...),
			func(e txmodel.Event) bool {
				p := e.(*txmodel.ProposalCreated)
				return p.ProposalID.Cmp(id) == 0 && p.Proposer == eoa && p.Snapshot.Int64() == 99 && p.Description == "drain"
			}},
		{"vulnerable dao proposal", []common.Hash{topicOf("ProposalCreated(uint256,address,string)"), common.BigToHash(id), addrTopic(eoa)},
			append(words(big.NewInt(32)), str("x")...),
			func(e txmodel.Event) bool { return e.(*txmodel.ProposalCreated).Description == "x" }},
		{"dao vote", []common.Hash{topicOf("VoteCast(uint256,address,bool,uint256)"), common.BigToHash(id), addrTopic(eoa)},
			words(big.NewInt(1), big.NewInt(500)),
			func(e txmodel.Event) bool {
				v := e.(*txmodel.VoteCast)
				return v.Support == 1 && v.Weight.Int64() == 500 && v.Voter == eoa
			}},
		{"oz vote", []common.Hash{topicOf("VoteCast(address,uint256,uint8,uint256,string)"), addrTopic(eoa)},
			append(words(id, big.NewInt(2), big.NewInt(3), big.NewInt(128)), str("meh")...),
			func(e txmodel.Event) bool { v := e.(*txmodel.VoteCast); return v.Support == 2 && v.Reason == "meh" }},
		{"vulnerable dao executed", []common.Hash{topicOf("ProposalExecuted(uint256,bool)"), common.BigToHash(id)}, words(big.NewInt(1)),
			func(e txmodel.Event) bool { return e.(*txmodel.ProposalExecuted).Emergency }},
		{"oz executed", []common.Hash{topicOf("ProposalExecuted(uint256)")}, words(id),
			func(e txmodel.Event) bool { return e.(*txmodel.ProposalExecuted).ProposalID.Cmp(id) == 0 }},
		{"paused", []common.Hash{topicOf("Paused(address)")}, words(new(big.Int).SetBytes(eoa.Bytes())),
			func(e txmodel.Event) bool { p := e.(*txmodel.PauseChange); return p.Paused && p.Account == eoa }},
		{"role", []common.Hash{topicOf("RoleGranted(bytes32,address,address)"), {1}, addrTopic(eoa), addrTopic(dao)}, nil,
			func(e txmodel.Event) bool { r := e.(*txmodel.RoleChange); return r.Granted && r.Account == eoa }},
		{"upgraded", []common.Hash{topicOf("Upgraded(address)"), addrTopic(eoa)}, nil,
			func(e txmodel.Event) bool { return e.(*txmodel.Upgraded).Implementation == eoa }},
		{"owner", []common.Hash{topicOf("OwnershipTransferred(address,address)"), addrTopic(dao), addrTopic(eoa)}, nil,
			func(e txmodel.Event) bool { return e.(*txmodel.OwnershipTransferred).New == eoa }},
		{"nft", []common.Hash{topicOf("Transfer(address,address,uint256)"), addrTopic(dao), addrTopic(eoa), common.BigToHash(id)}, nil,
			func(e txmodel.Event) bool { return e.(*txmodel.NFTTransfer).TokenID.Cmp(id) == 0 }},
	}
	dec := txmodel.NewDecoder(nil)
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			raw, _ := json.Marshal(tFrame{Type: "CALL", From: eoa, To: ptr(dao), Gas: "0x1", GasUsed: "0x1", Input: "0x",
				Logs: []tLog{mkLog(dao, "", c.data, c.topics...)}})
			tx, err := txmodel.FromCallTrace(raw, txmodel.TxMeta{}, dec)
			if err != nil {
				t.Fatal(err)
			}
			if len(tx.Logs) != 1 || tx.Logs[0].Decoded == nil || !c.check(tx.Logs[0].Decoded) {
				t.Fatalf("log = %+v", tx.Logs[0])
			}
			b, _ := json.Marshal(tx)
			var back txmodel.Tx
			if err := json.Unmarshal(b, &back); err != nil || !c.check(back.Logs[0].Decoded) {
				t.Errorf("round trip: %v", err)
			}
		})
	}
}

// FuzzFromCallTrace checks that arbitrary input never panics and that
// whatever parses also encodes.
func FuzzFromCallTrace(f *testing.F) {
	for _, r := range loadRecorded(f) {
		// Huge seeds (the 100-deep reentrancy trace) stall the mutator.
		if len(r.Trace) < 64<<10 {
			f.Add([]byte(r.Trace))
		}
	}
	f.Add([]byte(`{"type":"CALL","logs":[{"topics":["0x1c411e9a96e071241c2f21f7726b17ae89e3cab4c78be50e062b03a9fffbbad1"],"data":"0x"}]}`))
	f.Add([]byte(`{"type":"CALL","calls":[{"type":"CALL","error":"x","output":"0x4e487b71"}]}`))
	f.Add([]byte(`null`))
	dec := txmodel.NewDecoder(nil)
	f.Fuzz(func(t *testing.T, b []byte) {
		tx, err := txmodel.FromCallTrace(b, txmodel.TxMeta{}, dec)
		if err != nil {
			return
		}
		if _, err := json.Marshal(tx); err != nil {
			t.Fatalf("marshal: %v", err)
		}
	})
}

// BenchmarkFromCallTrace builds Txs from the recorded traces; the
// per-trace results give traced tx/s per core.
func BenchmarkFromCallTrace(b *testing.B) {
	dec := testDecoder(b)
	recs := loadRecorded(b)
	names := make([]string, 0, len(recs))
	for n := range recs {
		names = append(names, n)
	}
	for _, n := range names {
		r := recs[n]
		b.Run(n, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(r.Trace)))
			for b.Loop() {
				if _, err := txmodel.FromCallTrace(r.Trace, metaOf(r), dec); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "tx/s")
		})
	}
}

// TestFromDecodedCallTrace checks that a trace decoded as part of a larger
// JSON result (one element of debug_traceBlockByNumber) builds the same Tx as
// FromCallTrace on its raw bytes, and that empty or typeless traces fail.
func TestFromDecodedCallTrace(t *testing.T) {
	dec := txmodel.NewDecoder(nil)
	logs := 0
	for name, r := range loadRecorded(t) {
		want, err := txmodel.FromCallTrace(r.Trace, metaOf(r), dec)
		if err != nil {
			t.Fatalf("%s: FromCallTrace: %v", name, err)
		}
		var item struct {
			Result *txmodel.CallTrace `json:"result"`
		}
		if err := json.Unmarshal([]byte(`{"txHash":"0x00","result":`+string(r.Trace)+`}`), &item); err != nil {
			t.Fatalf("%s: decode block-trace element: %v", name, err)
		}
		got, err := txmodel.FromDecodedCallTrace(item.Result, metaOf(r), dec)
		if err != nil {
			t.Fatalf("%s: FromDecodedCallTrace: %v", name, err)
		}
		wb, _ := json.Marshal(want)
		gb, _ := json.Marshal(got)
		if !bytes.Equal(wb, gb) {
			t.Errorf("%s: decoded-once Tx differs from FromCallTrace's:\n got %s\nwant %s", name, gb, wb)
		}
		logs += len(got.Logs)
	}
	if logs == 0 {
		t.Error("no logs built from any recorded trace")
	}
	if _, err := txmodel.FromDecodedCallTrace(nil, txmodel.TxMeta{}, dec); err == nil {
		t.Error("nil trace: no error")
	}
	var typeless txmodel.CallTrace
	if err := json.Unmarshal([]byte(`{"from":"0x0000000000000000000000000000000000000001"}`), &typeless); err != nil {
		t.Fatal(err)
	}
	if _, err := txmodel.FromDecodedCallTrace(&typeless, txmodel.TxMeta{}, dec); err == nil || !strings.Contains(err.Error(), "no type") {
		t.Errorf("typeless trace: err = %v, want \"no type\"", err)
	}
	var bad txmodel.CallTrace
	if err := json.Unmarshal([]byte(`{"type":"CALL","gas":"zz"}`), &bad); err == nil {
		t.Error("malformed trace decoded without error")
	}
}
