package guard_test

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/guard"
)

// attackerDeployment signs (without sending) a CREATE of a fresh
// ReentrancyAttacker from the attacker's EOA. With ref set, the bank's
// address is appended to the init code as an ABI word, the way constructor
// arguments are encoded (ReentrancyAttacker's constructor takes none and
// ignores trailing init data; attack contracts that hard-wire their target
// look the same to the guard).
func attackerDeployment(t testing.TB, w *world, from chain.Account, ref *common.Address) *types.Transaction {
	t.Helper()
	art, err := contracts.Load("ReentrancyAttacker")
	if err != nil {
		t.Fatal(err)
	}
	data := append([]byte(nil), art.Bytecode...)
	if ref != nil {
		data = append(data, common.LeftPadBytes(ref.Bytes(), 32)...)
	}
	tx, err := w.client.BuildTx(context.Background(), from, nil, data, chain.TxOpts{GasLimit: 3_000_000})
	if err != nil {
		t.Fatalf("build deployment: %v", err)
	}
	return tx
}

// earlyPolicy is pausePolicy with early_stage on.
func earlyPolicy(tgName string, bank common.Address, mode guard.Mode) guard.Policy {
	return guard.Policy{Protocol: tgName, Addresses: []common.Address{bank},
		Actions: []guard.Call{{Target: bank, Signature: "pause()"}}, Mode: mode, EarlyStage: true}
}

// TestEarlyStageDeploymentDevnet: with early_stage armed, the pending
// deployment of an attack contract that references the bank makes the
// guard pause the bank in the same block, ahead of the deployment, and the
// decision says it acted on a deployment with no exploit to replay.
func TestEarlyStageDeploymentDevnet(t *testing.T) {
	if testing.Short() {
		t.Skip("devnet test")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	w := devnetWorld(t, 500*time.Millisecond)
	_, tg := stageReentrancy(t, w)
	rec := &recorder{}
	var logs bytes.Buffer
	g := newGuard(t, w, w.env.Guardian, &logs, rec, nil, earlyPolicy(tg.Name, tg.Address, guard.ModeArmed))
	tx := attackerDeployment(t, w, w.env.Attacker, &tg.Address)
	if !g.WatchesDeployment(tx) {
		t.Fatal("WatchesDeployment: false for a deployment referencing the bank")
	}
	waitNewHead(ctx, t, w.ec)
	if err := w.ec.SendTransaction(ctx, tx); err != nil {
		t.Fatalf("send deployment: %v", err)
	}
	d, err := g.HandleDeployment(ctx, tx, time.Now())
	if err != nil {
		t.Fatalf("handle deployment: %v", err)
	}
	t.Logf("response %.1f ms (gate %.1f ms); %s", d.ResponseMS, d.GateMS, d.Summary)
	if d.Verdict != guard.VerdictActed || d.Stage != guard.StageDeployment {
		t.Fatalf("verdict %s stage %q (%s), want acted on a deployment", d.Verdict, d.Stage, d.Reason)
	}
	wantBasis := "acted on a deployment referencing " + tg.Name + " (" + tg.Address.Hex() + "); no exploit to replay"
	if d.Basis != wantBasis || !strings.Contains(d.Summary, wantBasis) {
		t.Errorf("basis %q, summary %q: want %q", d.Basis, d.Summary, wantBasis)
	}
	if d.Baseline != nil || d.Protected == nil || !d.Protected.Calls[0].OK || len(d.FundsAtRisk) != 0 {
		t.Errorf("simulations: baseline %+v protected %+v funds at risk %v", d.Baseline, d.Protected, d.FundsAtRisk)
	}
	if d.Outcome == nil || !d.Outcome.ProtectedFirst || d.Outcome.Attack != "succeeded" {
		t.Fatalf("outcome %+v, want the deployment mined after the pause", d.Outcome)
	}
	pr, err := w.ec.TransactionReceipt(ctx, d.Txs[len(d.Txs)-1].Hash)
	if err != nil {
		t.Fatal(err)
	}
	dr, err := w.ec.TransactionReceipt(ctx, tx.Hash())
	if err != nil {
		t.Fatal(err)
	}
	if pr.Status != types.ReceiptStatusSuccessful || pr.BlockNumber.Cmp(dr.BlockNumber) != 0 || pr.TransactionIndex >= dr.TransactionIndex {
		t.Fatalf("pause in block %s index %d (status %d), deployment in block %s index %d: want the same block, pause first",
			pr.BlockNumber, pr.TransactionIndex, pr.Status, dr.BlockNumber, dr.TransactionIndex)
	}
	bank, err := bindBank(w, tg.Address)
	if err != nil {
		t.Fatal(err)
	}
	out, err := bank.Call(ctx, "paused")
	if err != nil {
		t.Fatal(err)
	}
	if paused, _ := out[0].(bool); !paused {
		t.Error("bank not paused")
	}
	if r := d.Response(); !strings.HasPrefix(r.Action, "paused "+tg.Name) || !strings.Contains(r.Outcome, "mined after it") {
		t.Errorf("response %+v", r)
	}
	checkNoKey(t, w.env.Guardian, logs.Bytes(), rec.json.Bytes(), g, d)
	if len(rec.decs) != 1 || rec.decs[0] != d {
		t.Errorf("recorder got %d decisions, want the returned one", len(rec.decs))
	}
}

// TestEarlyStageNotTriggered: the deployment referencing the bank is
// ignored when early_stage is off (the default), and with it on a
// deployment that references no protected address, or one sent by a known
// admin or by the guardian, is not acted on either; a dry-run policy
// records the signed pause() without sending it.
func TestEarlyStageNotTriggered(t *testing.T) {
	if testing.Short() {
		t.Skip("devnet test")
	}
	ctx := context.Background()
	w := manualWorld(t)
	_, tg := stageReentrancy(t, w)
	guardian := w.env.Guardian.Address
	check := func(name string, g *guard.Guard, tx *types.Transaction, want guard.Verdict, reason string) *guard.Decision {
		t.Helper()
		nonce := pendingNonce(t, w, guardian)
		d, err := g.HandleDeployment(ctx, tx, time.Time{})
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		t.Logf("%s: %s", name, d.Summary)
		if d.Verdict != want || !strings.Contains(d.Reason, reason) {
			t.Errorf("%s: verdict %s reason %q, want %s with %q", name, d.Verdict, d.Reason, want, reason)
		}
		if n := pendingNonce(t, w, guardian); n != nonce {
			t.Errorf("%s: the guardian sent a transaction", name)
		}
		return d
	}
	referencing := attackerDeployment(t, w, w.env.Attacker, &tg.Address)

	off := pausePolicy(tg, guard.ModeArmed) // early_stage defaults to off
	check("early_stage off", newGuard(t, w, w.env.Guardian, nil, nil, nil, off), referencing,
		guard.VerdictNotTriggered, "early_stage is off")

	pol := earlyPolicy(tg.Name, tg.Address, guard.ModeArmed)
	pol.Admins = []common.Address{w.env.Deployer.Address}
	g := newGuard(t, w, w.env.Guardian, nil, nil, nil, pol)
	plain := attackerDeployment(t, w, w.env.Users[0], nil)
	if g.WatchesDeployment(plain) {
		t.Error("WatchesDeployment: true for a deployment referencing nothing")
	}
	check("unrelated deployment", g, plain, guard.VerdictNotTriggered, "references no protected address")
	check("admin deployment", g, attackerDeployment(t, w, w.env.Deployer, &tg.Address), guard.VerdictNotTriggered,
		"sent by its known admin "+w.env.Deployer.Address.Hex())
	check("guardian deployment", g, attackerDeployment(t, w, w.env.Guardian, &tg.Address), guard.VerdictNotTriggered,
		"sent by the guardian")
	call, err := w.client.BuildTx(ctx, w.env.Users[1], &tg.Address, append(common.FromHex("0xd0e30db0"), tg.Address.Bytes()...),
		chain.TxOpts{GasLimit: 100_000})
	if err != nil {
		t.Fatal(err)
	}
	check("not a deployment", g, call, guard.VerdictNotTriggered, "not a contract deployment")

	rec := &recorder{}
	dry := newGuard(t, w, w.env.Guardian, nil, rec, nil, earlyPolicy(tg.Name, tg.Address, guard.ModeDryRun))
	d := check("dry-run", dry, referencing, guard.VerdictDryRun, "")
	if len(d.Txs) != 1 || d.Txs[0].Raw == "" || d.Txs[0].AcceptedMS != 0 || d.Outcome != nil {
		t.Errorf("dry-run txs %+v outcome %+v: want one signed, unsent pause()", d.Txs, d.Outcome)
	}
	if !strings.HasPrefix(d.Summary, "dry-run: would have paused "+tg.Name+" before deployment ") ||
		!strings.Contains(d.Summary, "dry-run on a deployment referencing "+tg.Name) {
		t.Errorf("summary %q", d.Summary)
	}
	if len(rec.decs) != 1 || !strings.Contains(rec.json.String(), `"stage":"deployment"`) {
		t.Errorf("dry-run decision not recorded with its stage: %s", rec.json.String())
	}
}
