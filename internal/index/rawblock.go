package index

import (
	"errors"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rlp"
)

// rawBlock is a block's RLP with the transactions left undecoded.
type rawBlock struct {
	Header *types.Header
	Txs    []rlp.RawValue
	Rest   []rlp.RawValue `rlp:"tail"` // uncles, withdrawals, …
}

// rawBlockLite parses debug_getRawBlock's RLP into what the fast path
// keeps: the header fields, and per transaction its hash and the gas price
// it paid (EIP-1559 and later: min(fee cap, base fee + tip)).
//
// Written by hand rather than decoding types.Block: that decodes every
// field of every transaction (signature values, access lists, blob
// hashes, authorizations) into big.Ints and slices, and it was most of the
// indexer's own CPU once gas prices were read. Here a transaction costs
// one Keccak over its bytes and the split of its first four list items.
func rawBlockLite(raw []byte) (*rpcBlockLite, error) {
	var b rawBlock
	if err := rlp.DecodeBytes(raw, &b); err != nil {
		return nil, fmt.Errorf("block rlp: %w", err)
	}
	h := b.Header
	if h == nil || h.Number == nil {
		return nil, errors.New("block rlp: no header")
	}
	out := &rpcBlockLite{Number: hexutil.Uint64(h.Number.Uint64()), Hash: h.Hash(), ParentHash: h.ParentHash, Timestamp: hexutil.Uint64(h.Time),
		Transactions: make([]rpcTxLite, 0, len(b.Txs))}
	for i, tx := range b.Txs {
		hash, price, err := rawTxLite(tx, h.BaseFee)
		if err != nil {
			return nil, fmt.Errorf("block rlp: transaction %d: %w", i, err)
		}
		out.Transactions = append(out.Transactions, rpcTxLite{Hash: hash, GasPrice: (*hexutil.Big)(price)})
	}
	return out, nil
}

// rawTxLite returns the hash and the paid gas price of one transaction as
// a block body encodes it: a legacy transaction is an RLP list [nonce,
// gasPrice, …]; a typed one an RLP string holding type || RLP list, the
// list [chainId, nonce, gasPrice, …] for type 1 and [chainId, nonce,
// tipCap, feeCap, …] for types 2 (EIP-1559), 3 (blobs) and 4 (EIP-7702).
func rawTxLite(raw rlp.RawValue, baseFee *big.Int) (common.Hash, *big.Int, error) {
	kind, content, _, err := rlp.Split(raw)
	if err != nil {
		return common.Hash{}, nil, err
	}
	if kind == rlp.List {
		fields, err := rlpFields(content, 2)
		if err != nil {
			return common.Hash{}, nil, fmt.Errorf("legacy: %w", err)
		}
		return crypto.Keccak256Hash(raw), new(big.Int).SetBytes(fields[1]), nil
	}
	if kind != rlp.String || len(content) == 0 {
		return common.Hash{}, nil, errors.New("neither a list nor a typed envelope")
	}
	typ, payload := content[0], content[1:]
	body, rest, err := rlp.SplitList(payload)
	if err != nil || len(rest) != 0 {
		return common.Hash{}, nil, fmt.Errorf("type %d: payload is not one list", typ)
	}
	var price *big.Int
	switch typ {
	case types.AccessListTxType:
		fields, err := rlpFields(body, 3)
		if err != nil {
			return common.Hash{}, nil, fmt.Errorf("type %d: %w", typ, err)
		}
		price = new(big.Int).SetBytes(fields[2])
	case types.DynamicFeeTxType, types.BlobTxType, types.SetCodeTxType:
		fields, err := rlpFields(body, 4)
		if err != nil {
			return common.Hash{}, nil, fmt.Errorf("type %d: %w", typ, err)
		}
		tip, feeCap := new(big.Int).SetBytes(fields[2]), new(big.Int).SetBytes(fields[3])
		price = feeCap
		if baseFee != nil {
			if p := new(big.Int).Add(baseFee, tip); p.Cmp(feeCap) < 0 {
				price = p
			}
		}
	default:
		return common.Hash{}, nil, fmt.Errorf("unknown transaction type %d", typ)
	}
	return crypto.Keccak256Hash(content), price, nil
}

// rlpFields returns the contents of the first n items of an RLP list's
// content, each of which must be a string (an integer) of at most 32 bytes.
func rlpFields(list []byte, n int) ([][]byte, error) {
	out := make([][]byte, 0, n)
	for len(out) < n {
		if len(list) == 0 {
			return nil, fmt.Errorf("list has %d items, want at least %d", len(out), n)
		}
		kind, c, rest, err := rlp.Split(list)
		if err != nil {
			return nil, err
		}
		if kind == rlp.List || len(c) > 32 {
			return nil, fmt.Errorf("item %d is not an integer", len(out))
		}
		out = append(out, c)
		list = rest
	}
	return out, nil
}
