package chain

import (
	"context"
	"errors"
	"fmt"
	"math/big"
	"strings"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/ethclient"
)

// Contract is a deployed contract with its ABI.
type Contract struct {
	Address common.Address
	ABI     *abi.ABI
	c       *Client
}

// Pack ABI-encodes a call to method.
func (k *Contract) Pack(method string, args ...any) ([]byte, error) {
	data, err := k.ABI.Pack(method, args...)
	if err != nil {
		return nil, fmt.Errorf("pack %s: %w", method, err)
	}
	return data, nil
}

// Call executes a read-only call of method against the latest block and
// returns the decoded outputs.
func (k *Contract) Call(ctx context.Context, method string, args ...any) ([]any, error) {
	return k.CallFrom(ctx, common.Address{}, method, args...)
}

// CallFrom is Call with an explicit msg.sender.
func (k *Contract) CallFrom(ctx context.Context, from common.Address, method string, args ...any) ([]any, error) {
	data, err := k.Pack(method, args...)
	if err != nil {
		return nil, err
	}
	out, err := k.c.backend.CallContract(ctx, ethereum.CallMsg{From: from, To: &k.Address, Data: data}, nil)
	if err != nil {
		return nil, fmt.Errorf("eth_call %s.%s: %w", k.Address, method, k.c.decodeRevert(err, k.ABI))
	}
	res, err := k.ABI.Unpack(method, out)
	if err != nil {
		return nil, fmt.Errorf("unpack %s: %w", method, err)
	}
	return res, nil
}

// CallBig calls a method returning a single integer.
func (k *Contract) CallBig(ctx context.Context, method string, args ...any) (*big.Int, error) {
	res, err := k.Call(ctx, method, args...)
	if err != nil {
		return nil, err
	}
	if len(res) == 0 {
		return nil, fmt.Errorf("%s returned nothing", method)
	}
	v, ok := res[0].(*big.Int)
	if !ok {
		return nil, fmt.Errorf("%s returned %T, want integer", method, res[0])
	}
	return v, nil
}

// CallAddress calls a method returning a single address.
func (k *Contract) CallAddress(ctx context.Context, method string, args ...any) (common.Address, error) {
	res, err := k.Call(ctx, method, args...)
	if err != nil {
		return common.Address{}, err
	}
	if len(res) == 0 {
		return common.Address{}, fmt.Errorf("%s returned nothing", method)
	}
	v, ok := res[0].(common.Address)
	if !ok {
		return common.Address{}, fmt.Errorf("%s returned %T, want address", method, res[0])
	}
	return v, nil
}

// Transact sends a transaction calling method from `from` and waits for it.
func (k *Contract) Transact(ctx context.Context, from Account, method string, args ...any) (*types.Receipt, error) {
	return k.TransactOpts(ctx, from, TxOpts{}, method, args...)
}

// TransactValue is Transact with ETH attached.
func (k *Contract) TransactValue(ctx context.Context, from Account, value *big.Int, method string, args ...any) (*types.Receipt, error) {
	return k.TransactOpts(ctx, from, TxOpts{Value: value}, method, args...)
}

// TransactOpts is Transact with explicit options.
func (k *Contract) TransactOpts(ctx context.Context, from Account, o TxOpts, method string, args ...any) (*types.Receipt, error) {
	data, err := k.Pack(method, args...)
	if err != nil {
		return nil, err
	}
	r, err := k.c.Transact(ctx, from, &k.Address, data, o)
	if err != nil {
		return r, fmt.Errorf("%s.%s: %w", k.Address, method, k.c.decodeRevert(err, k.ABI))
	}
	return r, nil
}

// Send sends a transaction calling method without waiting for it to be mined.
func (k *Contract) Send(ctx context.Context, from Account, o TxOpts, method string, args ...any) (*types.Transaction, error) {
	data, err := k.Pack(method, args...)
	if err != nil {
		return nil, err
	}
	tx, err := k.c.SendTx(ctx, from, &k.Address, data, o)
	if err != nil {
		return nil, fmt.Errorf("%s.%s: %w", k.Address, method, k.c.decodeRevert(err, k.ABI))
	}
	return tx, nil
}

// RevertError is a decoded revert: a reason string, a panic code or a custom
// error from the ABI.
type RevertError struct {
	Reason string
	Data   []byte
	err    error
}

// Error implements error.
func (e *RevertError) Error() string {
	if e.Reason != "" {
		return "execution reverted: " + e.Reason
	}
	return e.err.Error()
}

// Unwrap makes errors.Is(err, ErrReverted) true.
func (e *RevertError) Unwrap() []error { return []error{ErrReverted, e.err} }

// decodeRevert turns an RPC error carrying revert data into a RevertError
// whose Reason is human readable (Error(string), Panic(uint256) or a custom
// error of a, when a is known). Other errors are returned unchanged.
func (c *Client) decodeRevert(err error, a *abi.ABI) error {
	if err == nil {
		return nil
	}
	var re *RevertError
	if errors.As(err, &re) {
		return err
	}
	data, ok := ethclient.RevertErrorData(err)
	if !ok {
		return err
	}
	reason := RevertReason(data, a)
	if strings.HasPrefix(reason, "0x") && c.revertDecoder != nil {
		reason = c.revertDecoder(data)
	}
	return &RevertError{Reason: reason, Data: data, err: err}
}

// RevertReason decodes revert data: Error(string), Panic(uint256), or a
// custom error declared in a (which may be nil).
func RevertReason(data []byte, a *abi.ABI) string {
	if len(data) < 4 {
		return ""
	}
	if reason, err := abi.UnpackRevert(data); err == nil {
		return reason
	}
	if a != nil {
		for name, e := range a.Errors {
			if [4]byte(e.ID[:4]) != [4]byte(data[:4]) {
				continue
			}
			vals, err := e.Inputs.Unpack(data[4:])
			if err != nil {
				return name
			}
			return fmt.Sprintf("%s%v", name, vals)
		}
	}
	return fmt.Sprintf("0x%x", data)
}
