package devnet

import (
	"crypto/ecdsa"
	"fmt"
	"math/big"
	"strconv"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

// Account is a prefunded development account whose private key is known.
type Account struct {
	// Key is the account's secp256k1 private key.
	Key *ecdsa.PrivateKey
	// Address is the address derived from Key.
	Address common.Address
}

// accountSeedPrefix is hashed together with the account index to derive the
// deterministic dev keys: key(i) = keccak256("aegis-devnet-" + decimal(i)).
const accountSeedPrefix = "aegis-devnet-"

// DevBalance returns the genesis balance of every dev account, 1,000,000
// ETH, as a new value each call (a shared *big.Int could be mutated).
func DevBalance() *big.Int { return new(big.Int).Mul(big.NewInt(1_000_000), big.NewInt(1e18)) }

// DeriveAccounts returns the first n deterministic dev accounts. The same n
// always yields the same keys, on every machine, so tests and scripts can
// rely on the addresses.
func DeriveAccounts(n int) ([]Account, error) {
	if n < 0 {
		return nil, fmt.Errorf("devnet: account count %d is negative", n)
	}
	accounts := make([]Account, 0, n)
	for i := range n {
		seed := crypto.Keccak256([]byte(accountSeedPrefix + strconv.Itoa(i)))
		key, err := crypto.ToECDSA(seed)
		if err != nil {
			return nil, fmt.Errorf("devnet: derive account %d: %w", i, err)
		}
		accounts = append(accounts, Account{Key: key, Address: crypto.PubkeyToAddress(key.PublicKey)})
	}
	return accounts, nil
}
