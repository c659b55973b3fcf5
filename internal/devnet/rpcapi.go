package devnet

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/ethereum/go-ethereum/common/hexutil"
)

// maxMineBlocks bounds how many blocks one evm_mine / anvil_mine call may
// request, so a typo cannot wedge the node for minutes.
const maxMineBlocks = 100_000

// quantity is an unsigned integer accepted either as a JSON number or as a
// hex ("0x..") or decimal string, the way Anvil and Hardhat accept them.
type quantity uint64

// UnmarshalJSON implements json.Unmarshaler.
func (q *quantity) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '"' {
		var s string
		if err := json.Unmarshal(b, &s); err != nil {
			return fmt.Errorf("quantity: %w", err)
		}
		if len(s) > 1 && (s[:2] == "0x" || s[:2] == "0X") {
			v, err := hexutil.DecodeUint64(s)
			if err != nil {
				return fmt.Errorf("quantity %q: %w", s, err)
			}
			*q = quantity(v)
			return nil
		}
		v, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return fmt.Errorf("quantity %q: %w", s, err)
		}
		*q = quantity(v)
		return nil
	}
	var v uint64
	if err := json.Unmarshal(b, &v); err != nil {
		return fmt.Errorf("quantity: %w", err)
	}
	*q = quantity(v)
	return nil
}

// mineOptions is the optional evm_mine argument: {"blocks": n}. Anvil also
// accepts a bare timestamp or {"timestamp": t}; the devnet cannot set block
// timestamps and rejects them.
type mineOptions struct {
	Blocks    *quantity `json:"blocks"`
	Timestamp *quantity `json:"timestamp"`
}

// UnmarshalJSON implements json.Unmarshaler.
func (o *mineOptions) UnmarshalJSON(b []byte) error {
	b = bytes.TrimSpace(b)
	if len(b) == 0 || b[0] != '{' {
		return errors.New("evm_mine: setting the block timestamp is not supported")
	}
	type plain mineOptions
	var p plain
	if err := json.Unmarshal(b, &p); err != nil {
		return fmt.Errorf("evm_mine options: %w", err)
	}
	*o = mineOptions(p)
	return nil
}

// evmAPI serves the evm_ namespace (Ganache/Hardhat/Anvil compatible subset).
type evmAPI struct{ n *Node }

// Mine seals one block (or opts.blocks blocks) with the pending
// transactions and returns "0x0", as Anvil does.
func (a *evmAPI) Mine(ctx context.Context, opts *mineOptions) (string, error) {
	blocks := uint64(1)
	if opts != nil {
		if opts.Timestamp != nil {
			return "", errors.New("evm_mine: setting the block timestamp is not supported")
		}
		if opts.Blocks != nil {
			blocks = uint64(*opts.Blocks)
		}
	}
	if err := a.n.mineBlocks(ctx, blocks); err != nil {
		return "", err
	}
	return "0x0", nil
}

// anvilAPI serves the anvil_ namespace subset the devnet supports.
type anvilAPI struct{ n *Node }

// Mine seals blocks blocks (default 1). A non-zero interval between their
// timestamps is not supported.
func (a *anvilAPI) Mine(ctx context.Context, blocks *quantity, interval *quantity) error {
	if interval != nil && *interval != 0 {
		return errors.New("anvil_mine: a timestamp interval is not supported")
	}
	count := uint64(1)
	if blocks != nil {
		count = uint64(*blocks)
	}
	return a.n.mineBlocks(ctx, count)
}
