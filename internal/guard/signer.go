package guard

import (
	"context"
	"crypto/ecdsa"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
)

// Signer holds the guardian's private key and signs protective
// transactions. The key is unexported and never printed: String, GoString,
// LogValue and MarshalJSON all show only the address.
type Signer struct {
	key  *ecdsa.PrivateKey
	addr common.Address
}

// NewSigner wraps an already-loaded key (tests, embedding programs).
func NewSigner(key *ecdsa.PrivateKey) (*Signer, error) {
	if key == nil {
		return nil, errors.New("guard: nil guardian key")
	}
	return &Signer{key: key, addr: crypto.PubkeyToAddress(key.PublicKey)}, nil
}

// LoadKeystore decrypts an encrypted go-ethereum keystore (V3 JSON: scrypt
// or pbkdf2, aes-128-ctr) file.
// The password comes from passwordFile when it is not empty (trailing
// newlines are trimmed), otherwise from the environment variable
// passwordEnv.
func LoadKeystore(path, passwordFile, passwordEnv string) (*Signer, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("guard: read keystore: %w", err)
	}
	var password string
	switch {
	case passwordFile != "":
		p, err := os.ReadFile(passwordFile)
		if err != nil {
			return nil, fmt.Errorf("guard: read keystore password file: %w", err)
		}
		password = strings.TrimRight(string(p), "\r\n")
	case passwordEnv != "":
		p, ok := os.LookupEnv(passwordEnv)
		if !ok {
			return nil, fmt.Errorf("guard: keystore password variable %s is not set", passwordEnv)
		}
		password = p
	default:
		return nil, errors.New("guard: keystore needs a password file or a password environment variable")
	}
	raw, err := decryptKeystore(data, password)
	if err != nil {
		return nil, fmt.Errorf("guard: decrypt keystore %s: %w", path, err)
	}
	key, err := crypto.ToECDSA(raw)
	clear(raw)
	if err != nil {
		return nil, fmt.Errorf("guard: keystore %s does not hold a valid secp256k1 key", path)
	}
	return NewSigner(key)
}

// SignerFromEnv reads a raw hex private key from the environment variable
// name. It is meant for development: it logs a warning on log (which may be
// nil). The error never contains the variable's value.
func SignerFromEnv(log *slog.Logger, name string) (*Signer, error) {
	v, ok := os.LookupEnv(name)
	if !ok || strings.TrimSpace(v) == "" {
		return nil, fmt.Errorf("guard: guardian key variable %s is not set", name)
	}
	key, err := crypto.HexToECDSA(strings.TrimPrefix(strings.TrimSpace(v), "0x"))
	if err != nil {
		return nil, fmt.Errorf("guard: guardian key variable %s does not hold a valid hex secp256k1 key", name)
	}
	s, err := NewSigner(key)
	if err != nil {
		return nil, err
	}
	if log != nil {
		log.Warn("guard: using a raw guardian key from the environment; use an encrypted keystore in production",
			"variable", name, "guardian", s.addr)
	}
	return s, nil
}

// Address is the guardian's address.
func (s *Signer) Address() common.Address { return s.addr }

// Sign signs tx for the chain of signer.
func (s *Signer) Sign(tx *types.Transaction, signer types.Signer) (*types.Transaction, error) {
	signed, err := types.SignTx(tx, signer, s.key)
	if err != nil {
		return nil, fmt.Errorf("guard: sign protective tx: %w", err)
	}
	return signed, nil
}

// String implements fmt.Stringer without the key.
func (s *Signer) String() string {
	if s == nil {
		return "guardian(<nil>)"
	}
	return "guardian(" + s.addr.Hex() + ", key redacted)"
}

// GoString implements fmt.GoStringer without the key.
func (s *Signer) GoString() string { return s.String() }

// Format makes every fmt verb (%v, %+v, %#v, %s, %x…) print String.
func (s *Signer) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(s.String())) }

// LogValue implements slog.LogValuer without the key.
func (s *Signer) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalJSON encodes only the address.
func (s *Signer) MarshalJSON() ([]byte, error) {
	return json.Marshal(map[string]string{"guardian": s.addr.Hex()})
}

// NonceSource reads an account's pending nonce.
type NonceSource interface {
	PendingNonceAt(ctx context.Context, account common.Address) (uint64, error)
}

// NonceManager hands out the guardian's nonces. It never goes below the
// node's pending nonce and never hands out the same fresh nonce twice;
// replacements reuse the nonce of the transaction they replace rather than
// asking for a new one.
type NonceManager struct {
	addr common.Address

	mu    sync.Mutex
	next  uint64
	known bool
}

// NewNonceManager returns a manager for addr.
func NewNonceManager(addr common.Address) *NonceManager { return &NonceManager{addr: addr} }

// Observe raises the next nonce to the node's pending nonce when it is
// ahead (transactions sent elsewhere, or mined ones).
func (m *NonceManager) Observe(pending uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if !m.known || pending > m.next {
		m.next, m.known = pending, true
	}
}

// Reserve returns n consecutive fresh nonces, reading the pending nonce from
// src when none is known yet.
func (m *NonceManager) Reserve(ctx context.Context, src NonceSource, n int) ([]uint64, error) {
	m.mu.Lock()
	known := m.known
	m.mu.Unlock()
	if !known {
		p, err := src.PendingNonceAt(ctx, m.addr)
		if err != nil {
			return nil, fmt.Errorf("eth_getTransactionCount %s pending: %w", m.addr, err)
		}
		m.Observe(p)
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	out := make([]uint64, n)
	for i := range out {
		out[i] = m.next
		m.next++
	}
	return out, nil
}

// Release forgets the cached nonce after a failed send, so the next Reserve
// re-reads the node's pending nonce.
func (m *NonceManager) Release() {
	m.mu.Lock()
	m.known = false
	m.mu.Unlock()
}
