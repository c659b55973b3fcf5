package outflow_test

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/outflow"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

var (
	user     = common.HexToAddress("0x5e")
	helper   = common.HexToAddress("0xa1")
	protocol = common.HexToAddress("0x1e")
	token    = common.HexToAddress("0x70")
)

type watch struct{}

func (watch) Protocol(a common.Address) (detect.Protocol, bool) {
	if a == protocol {
		return detect.Protocol{Name: "Victim", Addresses: []common.Address{protocol}}, true
	}
	return detect.Protocol{}, false
}

func (watch) Protocols() []detect.Protocol {
	return []detect.Protocol{{Name: "Victim", Addresses: []common.Address{protocol}}}
}

// noPrice values nothing: the token has no market.
type noPrice struct{}

func (noPrice) ETHValue(common.Address, *big.Int) (float64, bool) { return 0, false }

func env(held int64, known bool) *detect.Env {
	return &detect.Env{
		Watch: watch{}, Prices: noPrice{},
		Holdings: func(context.Context, common.Address, common.Address) (*big.Int, error) {
			return big.NewInt(held), nil
		},
		HistoryKnown: func(common.Address) bool { return known },
	}
}

func xfer(from, to common.Address, v int64) *txmodel.Log {
	return &txmodel.Log{Address: token, Kind: txmodel.KindERC20Transfer, Decoded: &txmodel.Transfer{From: from, To: to, Value: big.NewInt(v)}}
}

// payTx builds a transaction of sender calling `to`, with the given token
// transfers and the protocol's and sender's net balance changes.
func payTx(stage txmodel.Stage, sender, to common.Address, logs ...*txmodel.Log) *txmodel.Tx {
	net := map[common.Address]int64{}
	for _, l := range logs {
		t := l.Decoded.(*txmodel.Transfer)
		net[t.From] -= t.Value.Int64()
		net[t.To] += t.Value.Int64()
	}
	root := &txmodel.Call{Type: txmodel.CallCall, From: sender, To: to}
	tx := &txmodel.Tx{Stage: stage, Status: txmodel.StatusSuccess, From: sender, To: &to, Root: root, Logs: logs,
		Touched: []common.Address{protocol}}
	for a, d := range net {
		if d != 0 {
			tx.Balances = append(tx.Balances, txmodel.BalanceChange{Address: a, Asset: token, Delta: big.NewInt(d)})
		}
	}
	if stage == txmodel.StageMined {
		n := uint64(1)
		tx.BlockNumber = &n
	}
	return tx
}

func highs(t *testing.T, d *outflow.Detector, e *detect.Env, tx *txmodel.Tx) []alert.Observation {
	t.Helper()
	obs, err := d.Inspect(context.Background(), e, tx)
	if err != nil {
		t.Fatal(err)
	}
	var out []alert.Observation
	for _, o := range obs {
		if o.Severity >= alert.SeverityHigh {
			out = append(out, o)
		}
	}
	return out
}

func TestOverpaidMultipliedDeposit(t *testing.T) {
	// 1,000,000 held; the helper contract puts 100,000 in and gets 252,000
	// back in the same tx: ×2.52, 15% of the holdings beyond deposits.
	e := env(1_000_000, true)
	d := outflow.New(outflow.Config{})
	got := highs(t, d, e, payTx(txmodel.StagePending, user, helper, xfer(helper, protocol, 100_000), xfer(protocol, helper, 252_000)))
	if len(got) != 1 || !strings.Contains(got[0].Message, "multiplied") || got[0].Numbers["payout_ratio"] < 2.5 {
		t.Fatalf("multiplied deposit: %+v", got)
	}
	// Below the ratio: 100,000 in, 140,000 out (a withdrawal of an
	// earlier deposit together with a new one) is not a multiplication.
	if got := highs(t, d, e, payTx(txmodel.StagePending, user, helper, xfer(helper, protocol, 100_000), xfer(protocol, helper, 140_000))); len(got) != 0 {
		t.Fatalf("×1.4: %+v", got)
	}
	// Below the share: ×2.5 of a small amount (5% of the holdings).
	if got := highs(t, d, e, payTx(txmodel.StagePending, user, helper, xfer(helper, protocol, 20_000), xfer(protocol, helper, 70_000))); len(got) != 0 {
		t.Fatalf("5%% of the holdings: %+v", got)
	}
	// The sender's own past deposit covers the surplus.
	d2 := outflow.New(outflow.Config{})
	highs(t, d2, e, payTx(txmodel.StageMined, user, protocol, xfer(user, protocol, 200_000)))
	if got := highs(t, d2, e, payTx(txmodel.StagePending, user, helper, xfer(helper, protocol, 100_000), xfer(protocol, helper, 252_000))); len(got) != 0 {
		t.Fatalf("covered by deposits: %+v", got)
	}
	// History unknown: no overpayment verdict.
	if got := highs(t, outflow.New(outflow.Config{}), env(1_000_000, false), payTx(txmodel.StagePending, user, helper, xfer(helper, protocol, 100_000), xfer(protocol, helper, 252_000))); len(got) != 0 {
		t.Fatalf("history unknown: %+v", got)
	}
}

// withInput sets the calldata of tx's root call: a selector and words.
func withInput(tx *txmodel.Tx, words ...[]byte) *txmodel.Tx {
	in := []byte{0xde, 0xad, 0xbe, 0xef}
	for _, w := range words {
		in = append(in, common.LeftPadBytes(w, 32)...)
	}
	tx.Root.Input = in
	return tx
}

func TestOverpaidRepeatedClaim(t *testing.T) {
	e := env(900_000, true)
	d := outflow.New(outflow.Config{})
	id := big.NewInt(7).Bytes()
	r := common.FromHex("0x9c5a11e1d1b4f4e1f0a3c2b1d0e9f8a7b6c5d4e3f2a1b0c9d8e7f6a5b4c3d2e1")
	s1 := common.FromHex("0x1f2e3d4c5b6a79881726354453627180a9b8c7d6e5f40312233445566778899a")
	s2 := common.FromHex("0x6a5b4c3d2e1f00112233445566778899aabbccddeeff0011223344556677889a")
	// First payout, mined: an account that never deposited is paid
	// 100,000 for a signed release (id, v, r, s): nothing to say.
	if got := highs(t, d, e, withInput(payTx(txmodel.StageMined, user, protocol, xfer(protocol, user, 100_000)), id, []byte{27}, r, s1)); len(got) != 0 {
		t.Fatalf("first payout: %+v", got)
	}
	// The same amount again with the same r and another s (the
	// malleable twin): a replayed claim.
	got := highs(t, d, e, withInput(payTx(txmodel.StagePending, user, protocol, xfer(protocol, user, 100_000)), id, []byte{28}, r, s2))
	if len(got) != 1 || !strings.Contains(got[0].Message, "second time") {
		t.Fatalf("repeated claim: %+v", got)
	}
	// The same amount for a new signature (another release) is a new
	// claim, and so is a call presenting no authorisation at all (a
	// vesting contract paying the same tranche again).
	fresh := common.FromHex("0x77665544332211ffeeddccbbaa99887766554433221100ffeeddccbbaa998877")
	if got := highs(t, d, e, withInput(payTx(txmodel.StagePending, user, protocol, xfer(protocol, user, 100_000)), big.NewInt(8).Bytes(), []byte{27}, fresh, s2)); len(got) != 0 {
		t.Fatalf("new signature: %+v", got)
	}
	dv := outflow.New(outflow.Config{})
	highs(t, dv, e, withInput(payTx(txmodel.StageMined, user, protocol, xfer(protocol, user, 100_000))))
	if got := highs(t, dv, e, withInput(payTx(txmodel.StagePending, user, protocol, xfer(protocol, user, 100_000)))); len(got) != 0 {
		t.Fatalf("vesting tranche: %+v", got)
	}
	// A different amount is a new claim.
	if got := highs(t, d, e, withInput(payTx(txmodel.StagePending, user, protocol, xfer(protocol, user, 150_000)), id, []byte{28}, r, s2)); len(got) != 0 {
		t.Fatalf("different amount: %+v", got)
	}
	// Another account paid the same amount is not a repeat.
	if got := highs(t, d, e, withInput(payTx(txmodel.StagePending, helper, protocol, xfer(protocol, helper, 100_000)), id, []byte{28}, r, s2)); len(got) != 0 {
		t.Fatalf("other account: %+v", got)
	}
	// An account that deposits and withdraws the same amount twice is a
	// depositor, not a claimant.
	d2 := outflow.New(outflow.Config{})
	highs(t, d2, e, payTx(txmodel.StageMined, user, protocol, xfer(user, protocol, 300_000)))
	highs(t, d2, e, payTx(txmodel.StageMined, user, protocol, xfer(protocol, user, 100_000)))
	if got := highs(t, d2, e, payTx(txmodel.StagePending, user, protocol, xfer(protocol, user, 100_000))); len(got) != 0 {
		t.Fatalf("depositor: %+v", got)
	}
}
