package index

import (
	"strings"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// TestAddrMatchesLowercaseHex pins the stored address format: graphs
// indexed before Addr stopped going through Address.Hex must still match.
func TestAddrMatchesLowercaseHex(t *testing.T) {
	for _, a := range []common.Address{{}, alice, weth, common.HexToAddress("0xFFfFfFffFFfffFFfFFfFFFFFffFFFffffFfFFFfF"),
		common.HexToAddress("0xAbCdEf0123456789aBcDeF0123456789AbCdEf01")} {
		got, want := Addr(a), strings.ToLower(a.Hex())
		if got != want {
			t.Errorf("Addr(%s) = %q, want %q", a.Hex(), got, want)
		}
		if len(got) != 42 || strings.ToLower(got) != got {
			t.Errorf("Addr(%s) = %q: not 42 lowercase characters", a.Hex(), got)
		}
	}
}

// FuzzAddr checks Addr against the checksummed form lowercased for any
// 20 bytes.
func FuzzAddr(f *testing.F) {
	f.Add(alice.Bytes())
	f.Fuzz(func(t *testing.T, b []byte) {
		a := common.BytesToAddress(b)
		if got, want := Addr(a), strings.ToLower(a.Hex()); got != want {
			t.Fatalf("Addr(%x) = %q, want %q", b, got, want)
		}
	})
}
