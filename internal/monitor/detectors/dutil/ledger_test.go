package dutil

import (
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
)

// fixedPrices values one token at a fixed ETH price per unit.
type fixedPrices struct {
	token common.Address
	eth   float64 // per whole unit (1e18)
}

func (f fixedPrices) ETHValue(asset common.Address, amount *big.Int) (float64, bool) {
	if asset != f.token {
		return 0, false
	}
	v, _ := new(big.Float).Quo(new(big.Float).SetInt(amount), big.NewFloat(1e18)).Float64()
	return v * f.eth, true
}

// TestLedgerCreditsUnpricedDeposits: collateral deposited while its token
// had no price is credited at its value once it has one, so a later
// borrow or redemption backed by it is not a loss; a withdrawal beyond it
// still is.
func TestLedgerCreditsUnpricedDeposits(t *testing.T) {
	market, user, token := common.HexToAddress("0xaa"), common.HexToAddress("0xbb"), common.HexToAddress("0xcc")
	var l Ledger
	// The deposit: 10 tokens in, valued at 0 ETH (no price yet).
	l.Add(market, user, 0)
	l.AddRaw(market, user, token, new(big.Int).Mul(big.NewInt(10), big.NewInt(1e18)))
	if c := l.Credit(market, user, nil); c != 0 {
		t.Fatalf("recorded value credit %v, want 0", c)
	}
	p := fixedPrices{token: token, eth: 2}
	if c := l.Credit(market, user, p); c != 20 {
		t.Fatalf("credit at current prices %v, want 20", c)
	}
	// Borrowing 15 ETH against 20 ETH of collateral: no loss.
	if ex := l.Excess(market, user, 15, p); ex > 0 {
		t.Fatalf("excess %v for a backed borrow", ex)
	}
	// Taking 50 ETH: 30 beyond the deposits.
	if ex := l.Excess(market, user, 50, p); ex != 30 {
		t.Fatalf("excess %v, want 30", ex)
	}
	// Without prices the deposit cannot back anything.
	if ex := l.Excess(market, user, 15, nil); ex != 15 {
		t.Fatalf("excess without prices %v, want 15", ex)
	}
	// Another account has no credit.
	if c := l.Credit(market, common.HexToAddress("0xdd"), p); c != 0 {
		t.Fatalf("stranger credit %v", c)
	}
}
