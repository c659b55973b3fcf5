package chain

import (
	"math/big"

	"github.com/ethereum/go-ethereum/params"
)

// Ether returns n ether in wei.
func Ether(n int64) *big.Int {
	return new(big.Int).Mul(big.NewInt(n), big.NewInt(params.Ether))
}

// Wei parses a decimal ether amount such as "1.5" into wei; it returns nil
// for malformed input.
func Wei(ether string) *big.Int {
	r, ok := new(big.Rat).SetString(ether)
	if !ok {
		return nil
	}
	r.Mul(r, new(big.Rat).SetInt(big.NewInt(params.Ether)))
	return new(big.Int).Quo(r.Num(), r.Denom())
}

// ToEther converts wei to a float64 number of ether (for reports, not math).
func ToEther(wei *big.Int) float64 {
	if wei == nil {
		return 0
	}
	f, _ := new(big.Rat).SetFrac(wei, big.NewInt(params.Ether)).Float64()
	return f
}
