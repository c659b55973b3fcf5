package trace_test

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/index"
	"github.com/aegis-defi/aegis/internal/trace"
)

func TestLookAlike(t *testing.T) {
	a := common.HexToAddress("0xAbCd000000000000000000000000000000001234")
	for _, c := range []struct {
		b    string
		want bool
	}{
		{"0xabcdffffffffffffffffffffffffffffffff1234", true},  // same first/last 4 digits, case aside
		{"0xAbCd000000000000000000000000000000001234", false}, // the same address
		{"0xabceffffffffffffffffffffffffffffffff1234", false}, // prefix differs
		{"0xabcdffffffffffffffffffffffffffffffff1235", false}, // suffix differs
	} {
		if got := trace.LookAlike(a, common.HexToAddress(c.b)); got != c.want {
			t.Errorf("LookAlike(%s, %s) = %v, want %v", a, c.b, got, c.want)
		}
	}
}

func TestIsDust(t *testing.T) {
	for _, c := range []struct {
		kind string
		amt  int64
		want bool
	}{
		{index.KindERC20, 0, true},
		{index.KindERC20, 10_000, true},
		{index.KindERC20, 10_001, false},
		{index.KindETH, 1_000_000_000_000, true},
		{index.KindETH, 1_000_000_000_001, false},
		{index.KindERC721, 1, false},
	} {
		if got := index.IsDust(index.Transfer{Kind: c.kind, Amount: big.NewInt(c.amt)}); got != c.want {
			t.Errorf("IsDust(%s %d) = %v, want %v", c.kind, c.amt, got, c.want)
		}
	}
}
