package index

import (
	"bytes"
	"math/big"
	"testing"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/params"
	"github.com/ethereum/go-ethereum/rlp"
	"github.com/ethereum/go-ethereum/trie"
	"github.com/holiman/uint256"
)

// sampleBlock returns the RLP of a block holding one signed transaction of
// every type, and the block as go-ethereum decodes it.
func sampleBlock(t testing.TB, baseFee *big.Int) ([]byte, *types.Block) {
	t.Helper()
	key, _ := crypto.HexToECDSA("b71c71a67e1177ad4e901695e1b4b9ee17ae16c6668d313eac2f96dbcda3f291")
	chainID := big.NewInt(1337)
	signer := types.NewPragueSigner(chainID)
	to := common.HexToAddress("0x00000000000000000000000000000000000000aa")
	gwei := func(n int64) *big.Int { return new(big.Int).Mul(big.NewInt(n), big.NewInt(params.GWei)) }
	txs := []types.TxData{
		&types.LegacyTx{Nonce: 0, GasPrice: gwei(7), Gas: 21000, To: &to, Value: big.NewInt(1)},
		&types.AccessListTx{ChainID: chainID, Nonce: 1, GasPrice: gwei(9), Gas: 30000, To: &to,
			AccessList: types.AccessList{{Address: to, StorageKeys: []common.Hash{{1}}}}},
		&types.DynamicFeeTx{ChainID: chainID, Nonce: 2, GasTipCap: gwei(2), GasFeeCap: gwei(100), Gas: 21000, To: &to, Data: []byte{1, 2, 3}},
		// A fee cap below base fee + tip: the cap is what it pays.
		&types.DynamicFeeTx{ChainID: chainID, Nonce: 3, GasTipCap: gwei(5), GasFeeCap: gwei(6), Gas: 21000, To: &to},
		&types.BlobTx{ChainID: uint256.MustFromBig(chainID), Nonce: 4, GasTipCap: uint256.NewInt(3e9), GasFeeCap: uint256.NewInt(50e9), Gas: 21000, To: to,
			BlobFeeCap: uint256.NewInt(1), BlobHashes: []common.Hash{{0x01, 0xbb}}},
		&types.SetCodeTx{ChainID: uint256.MustFromBig(chainID), Nonce: 5, GasTipCap: uint256.NewInt(1e9), GasFeeCap: uint256.NewInt(40e9), Gas: 50000, To: to,
			AuthList: []types.SetCodeAuthorization{{ChainID: *uint256.MustFromBig(chainID), Address: to, Nonce: 9}}},
	}
	var signed []*types.Transaction
	for _, d := range txs {
		tx, err := types.SignNewTx(key, signer, d)
		if err != nil {
			t.Fatal(err)
		}
		signed = append(signed, tx)
	}
	h := &types.Header{Number: big.NewInt(42), Time: 1_700_000_000, ParentHash: common.Hash{7}, BaseFee: baseFee, GasLimit: 30_000_000, Difficulty: new(big.Int)}
	blk := types.NewBlock(h, &types.Body{Transactions: signed}, nil, trie.NewStackTrie(nil))
	raw, err := rlp.EncodeToBytes(blk)
	if err != nil {
		t.Fatal(err)
	}
	return raw, blk
}

// TestRawBlockLite: the hand-written parser agrees with go-ethereum's full
// decoding on hashes and paid gas prices for every transaction type, with
// and without a base fee.
func TestRawBlockLite(t *testing.T) {
	for _, base := range []*big.Int{big.NewInt(4e9), nil} {
		raw, blk := sampleBlock(t, base)
		got, err := rawBlockLite(raw)
		if err != nil {
			t.Fatal(err)
		}
		if uint64(got.Number) != 42 || got.Hash != blk.Hash() || got.ParentHash != (common.Hash{7}) || uint64(got.Timestamp) != 1_700_000_000 {
			t.Fatalf("header: %+v", got)
		}
		if len(got.Transactions) != len(blk.Transactions()) {
			t.Fatalf("%d transactions, want %d", len(got.Transactions), len(blk.Transactions()))
		}
		for i, tx := range blk.Transactions() {
			want := tx.GasPrice()
			if base != nil {
				want = new(big.Int).Add(base, tx.EffectiveGasTipValue(base))
			}
			g := got.Transactions[i]
			if g.Hash != tx.Hash() || g.GasPrice.ToInt().Cmp(want) != 0 {
				t.Errorf("tx %d (type %d): got %s %s, want %s %s", i, tx.Type(), g.Hash, g.GasPrice.ToInt(), tx.Hash(), want)
			}
		}
	}
	// The capped transaction pays its fee cap (6 gwei), not base + tip (9).
	raw, _ := sampleBlock(t, big.NewInt(4e9))
	got, _ := rawBlockLite(raw)
	if p := got.Transactions[3].GasPrice.ToInt(); p.Cmp(big.NewInt(6e9)) != 0 {
		t.Errorf("capped price %s, want 6 gwei", p)
	}
}

// TestRawBlockLiteBad: truncated or malformed RLP is an error, never a
// panic.
func TestRawBlockLiteBad(t *testing.T) {
	raw, _ := sampleBlock(t, big.NewInt(1))
	for _, b := range [][]byte{nil, {0xc0}, raw[:len(raw)/2], append(bytes.Clone(raw), 0), {0xc3, 0xc0, 0xc1, 0x05}} {
		if _, err := rawBlockLite(b); err == nil {
			t.Errorf("rawBlockLite(%x…) accepted", b[:min(len(b), 8)])
		}
	}
	if _, _, err := rawTxLite(rlp.RawValue{0x83, 0x09, 0xc1, 0x01}, nil); err == nil {
		t.Error("unknown transaction type accepted")
	}
	if _, _, err := rawTxLite(rlp.RawValue{0xc1, 0x01}, nil); err == nil {
		t.Error("legacy transaction with one field accepted")
	}
}

// FuzzRawBlockLite: any input gives a result or an error, and whenever
// go-ethereum decodes the block, the parser agrees with it.
func FuzzRawBlockLite(f *testing.F) {
	raw, _ := sampleBlock(f, big.NewInt(4e9))
	f.Add(raw)
	f.Add([]byte{0xc0})
	f.Fuzz(func(t *testing.T, raw []byte) {
		got, err := rawBlockLite(raw)
		var blk types.Block
		if rlp.DecodeBytes(raw, &blk) != nil || err != nil {
			return
		}
		if got.Hash != blk.Hash() || len(got.Transactions) != len(blk.Transactions()) {
			t.Fatalf("header or count differs")
		}
		for i, tx := range blk.Transactions() {
			if got.Transactions[i].Hash != tx.Hash() {
				t.Fatalf("tx %d hash differs", i)
			}
		}
	})
}
