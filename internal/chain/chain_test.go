package chain_test

import (
	"context"
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/testchain"
)

func TestTransferMovesExactValue(t *testing.T) {
	env := testchain.New(t)
	ctx := context.Background()
	from, to := env.Accounts[0], chain.AccountFromSeed("fresh")
	r, err := env.Client.Transact(ctx, from, &to.Address, nil, chain.TxOpts{Value: chain.Ether(3)})
	if err != nil {
		t.Fatal(err)
	}
	if r.BlockNumber.Sign() == 0 {
		t.Fatalf("not mined: %+v", r)
	}
	got, err := env.Client.Backend().BalanceAt(ctx, to.Address, nil)
	if err != nil {
		t.Fatal(err)
	}
	if got.Cmp(chain.Ether(3)) != 0 {
		t.Fatalf("balance = %s, want 3 ether", got)
	}
	// Nonces are tracked locally: a second transaction right away works.
	if _, err := env.Client.Transact(ctx, from, &to.Address, nil, chain.TxOpts{Value: big.NewInt(1)}); err != nil {
		t.Fatal(err)
	}
}

func TestRevertReasonIsDecoded(t *testing.T) {
	env := testchain.New(t)
	ctx := context.Background()
	// Init code that reverts with Error("nope"):
	// mstore the ABI-encoded Error(string) and revert with it.
	reason, _ := abi.NewType("string", "", nil)
	args := abi.Arguments{{Type: reason}}
	enc, err := args.Pack("nope")
	if err != nil {
		t.Fatal(err)
	}
	payload := append(common.FromHex("0x08c379a0"), enc...)
	code := revertInitCode(payload)
	_, err = env.Client.Transact(ctx, env.Accounts[0], nil, code, chain.TxOpts{})
	if !errors.Is(err, chain.ErrReverted) {
		t.Fatalf("err = %v, want ErrReverted", err)
	}
	if !strings.Contains(err.Error(), "nope") {
		t.Fatalf("err = %v, want reason", err)
	}
}

// revertInitCode returns EVM code that copies payload (appended after the
// code) to memory and reverts with it.
func revertInitCode(payload []byte) []byte {
	n := byte(len(payload))
	// PUSH1 n PUSH1 off PUSH1 0 CODECOPY PUSH1 n PUSH1 0 REVERT
	const codeLen = 12
	code := []byte{0x60, n, 0x60, codeLen, 0x60, 0x00, 0x39, 0x60, n, 0x60, 0x00, 0xfd}
	return append(code, payload...)
}

func TestWeiParsing(t *testing.T) {
	if got := chain.Wei("1.5"); got.Cmp(big.NewInt(1_500_000_000_000_000_000)) != 0 {
		t.Fatalf("Wei(1.5) = %s", got)
	}
	if chain.Wei("abc") != nil {
		t.Fatal("malformed amount accepted")
	}
	if f := chain.ToEther(chain.Ether(2)); f != 2 {
		t.Fatalf("ToEther = %v", f)
	}
}
