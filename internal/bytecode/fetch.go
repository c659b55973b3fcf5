package bytecode

import (
	"context"
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/sigdb"
)

// ErrNoCode is returned (wrapped) by Fetch for an address without code (an
// EOA, or a contract not deployed yet or destroyed).
var ErrNoCode = errors.New("no code at address")

// CodeReader reads code and storage at the latest block;
// *ethclient.Client satisfies it.
type CodeReader interface {
	CodeAt(ctx context.Context, account common.Address, blockNumber *big.Int) ([]byte, error)
	StorageAt(ctx context.Context, account common.Address, key common.Hash, blockNumber *big.Int) ([]byte, error)
}

// ContractCaller is implemented by CodeReaders that can also eth_call
// (*ethclient.Client does); Fetch uses it to ask a beacon for its
// implementation.
type ContractCaller interface {
	CallContract(ctx context.Context, call ethereum.CallMsg, blockNumber *big.Int) ([]byte, error)
}

// maxProxyDepth bounds how many proxies Fetch follows (a proxy to a proxy
// to ...).
const maxProxyDepth = 4

// Fetch reads the code at addr and analyses it (db as for Analyze). For
// proxies it resolves the implementation — from the EIP-1967 / EIP-1822 /
// ZeppelinOS or custom slot with eth_getStorageAt, from the beacon's
// implementation() for beacon proxies (when c is a ContractCaller), or the
// hard-coded target of clones and forwarders — records it (and the EIP-1967
// admin and beacon) in Report.Proxy, and analyses it as
// Report.Implementation. An empty slot or an implementation without code is
// noted in Report.Notes rather than failing. Errors name the RPC method.
func Fetch(ctx context.Context, c CodeReader, addr common.Address, db *sigdb.DB) (*Report, error) {
	if db == nil {
		db = sigdb.Default()
	}
	return fetch(ctx, c, addr, db, 0)
}

func fetch(ctx context.Context, c CodeReader, addr common.Address, db *sigdb.DB, depth int) (*Report, error) {
	code, err := c.CodeAt(ctx, addr, nil)
	if err != nil {
		return nil, fmt.Errorf("bytecode: eth_getCode %s: %w", addr.Hex(), err)
	}
	if len(code) == 0 {
		return nil, fmt.Errorf("bytecode: %s: %w", addr.Hex(), ErrNoCode)
	}
	r, err := Analyze(code, db)
	if err != nil {
		return nil, fmt.Errorf("bytecode: analyse %s: %w", addr.Hex(), err)
	}
	r.Address = &addr
	p := r.Proxy
	if p == nil {
		return r, nil
	}
	readAddr := func(slot common.Hash) (common.Address, error) {
		v, err := c.StorageAt(ctx, addr, slot, nil)
		if err != nil {
			return common.Address{}, fmt.Errorf("bytecode: eth_getStorageAt %s slot %s: %w", addr.Hex(), slot.Hex(), err)
		}
		return common.BytesToAddress(v), nil
	}
	if p.Kind == ProxyEIP1967 || p.Kind == ProxyBeacon {
		admin, err := readAddr(common.HexToHash(SlotEIP1967Admin))
		if err != nil {
			return nil, err
		}
		if admin != (common.Address{}) {
			p.Admin = &admin
		}
	}
	var impl common.Address
	switch {
	case p.Kind == ProxyBeacon:
		beacon, err := readAddr(common.HexToHash(SlotEIP1967Beacon))
		if err != nil {
			return nil, err
		}
		if beacon == (common.Address{}) {
			r.Notes = append(r.Notes, "beacon slot is empty")
			return r, nil
		}
		p.Beacon = &beacon
		cc, ok := c.(ContractCaller)
		if !ok {
			r.Notes = append(r.Notes, "beacon implementation not resolved: the code reader cannot eth_call")
			return r, nil
		}
		out, err := cc.CallContract(ctx, ethereum.CallMsg{To: &beacon, Data: []byte{0x5c, 0x60, 0xda, 0x1b}}, nil)
		if err != nil {
			return nil, fmt.Errorf("bytecode: eth_call implementation() on beacon %s: %w", beacon.Hex(), err)
		}
		if len(out) < 32 {
			r.Notes = append(r.Notes, fmt.Sprintf("beacon %s: implementation() returned %d bytes", beacon.Hex(), len(out)))
			return r, nil
		}
		impl = common.BytesToAddress(out[:32])
	case p.ImplementationSlot != nil:
		if impl, err = readAddr(*p.ImplementationSlot); err != nil {
			return nil, err
		}
	case p.Target != nil:
		impl = *p.Target
	default:
		return r, nil
	}
	if impl == (common.Address{}) {
		r.Notes = append(r.Notes, "implementation is not set (zero address)")
		return r, nil
	}
	p.Implementation = &impl
	if depth+1 >= maxProxyDepth {
		r.Notes = append(r.Notes, fmt.Sprintf("implementation %s not analysed: more than %d nested proxies", impl.Hex(), maxProxyDepth))
		return r, nil
	}
	sub, err := fetch(ctx, c, impl, db, depth+1)
	if errors.Is(err, ErrNoCode) {
		r.Notes = append(r.Notes, fmt.Sprintf("implementation %s has no code", impl.Hex()))
		return r, nil
	}
	if err != nil {
		return nil, fmt.Errorf("bytecode: implementation of %s: %w", addr.Hex(), err)
	}
	r.Implementation = sub
	return r, nil
}
