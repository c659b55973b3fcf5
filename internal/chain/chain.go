// Package chain is a small, typed layer over any Ethereum JSON-RPC backend
// (the embedded devnet, Anvil, a real node) for sending signed transactions,
// deploying contracts and calling them through their ABI.
//
// It exists so that the testbed, the attack library, the traffic generator and
// the guard all share one nonce-aware transaction path instead of each
// re-implementing signing, fee selection, receipt waiting and revert decoding.
package chain

import (
	"context"
	"crypto/ecdsa"
	"errors"
	"fmt"
	"math/big"
	"sync"
	"time"

	"github.com/ethereum/go-ethereum"
	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/ethclient"
)

// ErrReverted is returned (wrapped) when a transaction is mined with status 0
// or a call or gas estimation reverts.
var ErrReverted = errors.New("execution reverted")

// Backend is the set of node capabilities chain needs. *ethclient.Client and
// the go-ethereum simulated client both satisfy it.
type Backend interface {
	ethereum.ChainReader
	ethereum.ChainStateReader
	ethereum.ContractCaller
	ethereum.GasEstimator
	ethereum.GasPricer
	ethereum.GasPricer1559
	ethereum.PendingStateReader
	ethereum.PendingContractCaller
	ethereum.TransactionReader
	ethereum.TransactionSender
	ethereum.ChainIDReader
	ethereum.BlockNumberReader
}

// Account is an externally owned account whose key we hold.
type Account struct {
	Key     *ecdsa.PrivateKey
	Address common.Address
}

// NewAccount returns the Account for key.
func NewAccount(key *ecdsa.PrivateKey) Account {
	return Account{Key: key, Address: crypto.PubkeyToAddress(key.PublicKey)}
}

// AccountFromSeed derives a deterministic account from a seed string; the
// traffic generator and tests use it for reproducible actors.
func AccountFromSeed(seed string) Account {
	h := crypto.Keccak256([]byte(seed))
	key, err := crypto.ToECDSA(h)
	if err != nil {
		// A keccak digest is a valid secp256k1 scalar with overwhelming
		// probability; rehash in the astronomically unlikely other case.
		return AccountFromSeed(seed + "'")
	}
	return NewAccount(key)
}

// Option configures a Client.
type Option func(*Client)

// WithMiner sets a function the client calls after each transaction it sends
// through Transact, for backends that only mine on demand (the devnet in
// manual mode, the go-ethereum simulated backend).
func WithMiner(mine func(ctx context.Context) error) Option {
	return func(c *Client) { c.mine = mine }
}

// WithRevertDecoder sets a fallback that names custom errors in revert data
// when the called contract's ABI does not declare them (for example an error
// raised by a contract deeper in the call). contracts.RevertReason fits.
func WithRevertDecoder(decode func(data []byte) string) Option {
	return func(c *Client) { c.revertDecoder = decode }
}

// WithPollInterval sets how often WaitMined polls for a receipt.
func WithPollInterval(d time.Duration) Option {
	return func(c *Client) { c.poll = d }
}

// Client sends transactions and calls contracts on one chain.
type Client struct {
	backend Backend
	chainID *big.Int
	signer  types.Signer
	mine    func(ctx context.Context) error
	poll    time.Duration
	// revertDecoder names revert data the call's own ABI cannot; may be nil.
	revertDecoder func(data []byte) string

	mu     sync.Mutex
	nonces map[common.Address]uint64
}

// New returns a Client for backend, reading its chain id.
func New(ctx context.Context, backend Backend, opts ...Option) (*Client, error) {
	id, err := backend.ChainID(ctx)
	if err != nil {
		return nil, fmt.Errorf("eth_chainId: %w", err)
	}
	c := &Client{
		backend: backend,
		chainID: id,
		signer:  types.LatestSignerForChainID(id),
		poll:    5 * time.Millisecond,
		nonces:  make(map[common.Address]uint64),
	}
	for _, o := range opts {
		o(c)
	}
	return c, nil
}

// Dial connects to a JSON-RPC endpoint (http, ws or ipc) and returns a Client.
func Dial(ctx context.Context, url string, opts ...Option) (*Client, error) {
	ec, err := ethclient.DialContext(ctx, url)
	if err != nil {
		return nil, fmt.Errorf("dial %s: %w", url, err)
	}
	c, err := New(ctx, ec, opts...)
	if err != nil {
		ec.Close()
		return nil, fmt.Errorf("connect %s: %w", url, err)
	}
	return c, nil
}

// Backend returns the underlying node client.
func (c *Client) Backend() Backend { return c.backend }

// ChainID returns the chain id.
func (c *Client) ChainID() *big.Int { return new(big.Int).Set(c.chainID) }

// Signer returns the transaction signer for this chain.
func (c *Client) Signer() types.Signer { return c.signer }

// Mine asks the backend to mine a block if a miner was configured; it is a
// no-op on auto-mining nodes.
func (c *Client) Mine(ctx context.Context) error {
	if c.mine == nil {
		return nil
	}
	if err := c.mine(ctx); err != nil {
		return fmt.Errorf("mine: %w", err)
	}
	return nil
}

// MinesOnDemand reports whether a miner was configured (WithMiner): Mine
// then seals a block before it returns, so a transaction sent before Mine
// and still without a receipt after it was left out of that block.
func (c *Client) MinesOnDemand() bool { return c.mine != nil }

// TxOpts overrides the defaults SendTx picks. Zero values mean "choose".
type TxOpts struct {
	Value    *big.Int
	GasLimit uint64
	// TipCap and FeeCap set EIP-1559 fees; when nil, the node's suggested
	// tip and twice the latest base fee plus the tip are used.
	TipCap *big.Int
	FeeCap *big.Int
	// Nonce forces a nonce (for replacement transactions).
	Nonce *uint64
}

// BuildTx builds and signs a transaction without sending it. When GasLimit is
// zero the gas is estimated against pending state; an estimation that reverts
// returns an error wrapping ErrReverted with the decoded reason.
func (c *Client) BuildTx(ctx context.Context, from Account, to *common.Address, data []byte, o TxOpts) (*types.Transaction, error) {
	value := o.Value
	if value == nil {
		value = new(big.Int)
	}
	gas := o.GasLimit
	if gas == 0 {
		msg := ethereum.CallMsg{From: from.Address, To: to, Value: value, Data: data}
		g, err := c.backend.EstimateGas(ctx, msg)
		if err != nil {
			return nil, fmt.Errorf("eth_estimateGas: %w", c.decodeRevert(err, nil))
		}
		// Estimates run against the latest block, but the transaction may
		// be mined after others that change which storage slots are fresh
		// (a zero-to-nonzero SSTORE costs 20k instead of 2.9k), so leave a
		// generous margin: unused gas is refunded.
		gas = g + g/2 + 50_000
	}
	tip, feeCap := o.TipCap, o.FeeCap
	if tip == nil {
		t, err := c.backend.SuggestGasTipCap(ctx)
		if err != nil {
			return nil, fmt.Errorf("eth_maxPriorityFeePerGas: %w", err)
		}
		tip = t
	}
	if feeCap == nil {
		head, err := c.backend.HeaderByNumber(ctx, nil)
		if err != nil {
			return nil, fmt.Errorf("eth_getBlockByNumber latest: %w", err)
		}
		base := head.BaseFee
		if base == nil {
			base = new(big.Int)
		}
		feeCap = new(big.Int).Add(new(big.Int).Mul(base, big.NewInt(2)), tip)
	}
	var nonce uint64
	if o.Nonce != nil {
		nonce = *o.Nonce
	} else {
		n, err := c.nextNonce(ctx, from.Address)
		if err != nil {
			return nil, err
		}
		nonce = n
	}
	tx := types.NewTx(&types.DynamicFeeTx{
		ChainID:   c.chainID,
		Nonce:     nonce,
		GasTipCap: tip,
		GasFeeCap: feeCap,
		Gas:       gas,
		To:        to,
		Value:     value,
		Data:      data,
	})
	signed, err := types.SignTx(tx, c.signer, from.Key)
	if err != nil {
		c.resetNonce(from.Address)
		return nil, fmt.Errorf("sign tx: %w", err)
	}
	return signed, nil
}

// SendTx builds, signs and sends a transaction and returns without waiting
// for it to be mined.
func (c *Client) SendTx(ctx context.Context, from Account, to *common.Address, data []byte, o TxOpts) (*types.Transaction, error) {
	tx, err := c.BuildTx(ctx, from, to, data, o)
	if err != nil {
		return nil, err
	}
	if err := c.backend.SendTransaction(ctx, tx); err != nil {
		c.resetNonce(from.Address)
		return nil, fmt.Errorf("eth_sendRawTransaction from %s: %w", from.Address, err)
	}
	return tx, nil
}

// Transact sends a transaction, mines it if a miner is configured and waits
// for its receipt. A mined-but-reverted transaction returns the receipt and
// an error wrapping ErrReverted.
func (c *Client) Transact(ctx context.Context, from Account, to *common.Address, data []byte, o TxOpts) (*types.Receipt, error) {
	tx, err := c.SendTx(ctx, from, to, data, o)
	if err != nil {
		return nil, err
	}
	if err := c.Mine(ctx); err != nil {
		return nil, err
	}
	return c.WaitMined(ctx, tx)
}

// WaitMined polls until tx has a receipt. A receipt with status 0 is returned
// together with an error wrapping ErrReverted.
func (c *Client) WaitMined(ctx context.Context, tx *types.Transaction) (*types.Receipt, error) {
	t := time.NewTicker(c.poll)
	defer t.Stop()
	for {
		r, err := c.backend.TransactionReceipt(ctx, tx.Hash())
		if err == nil && r != nil {
			if r.Status != types.ReceiptStatusSuccessful {
				return r, fmt.Errorf("tx %s: %w (gas used %d)", tx.Hash(), ErrReverted, r.GasUsed)
			}
			return r, nil
		}
		if err != nil && !errors.Is(err, ethereum.NotFound) {
			return nil, fmt.Errorf("eth_getTransactionReceipt %s: %w", tx.Hash(), err)
		}
		select {
		case <-ctx.Done():
			return nil, fmt.Errorf("wait for %s: %w", tx.Hash(), ctx.Err())
		case <-t.C:
		}
	}
}

// Deploy deploys a contract from its ABI and creation bytecode with
// constructor args and waits for it to be mined.
func (c *Client) Deploy(ctx context.Context, from Account, a *abi.ABI, bytecode []byte, args ...any) (*Contract, *types.Receipt, error) {
	return c.DeployValue(ctx, from, nil, a, bytecode, args...)
}

// DeployValue is Deploy with ETH sent to a payable constructor.
func (c *Client) DeployValue(ctx context.Context, from Account, value *big.Int, a *abi.ABI, bytecode []byte, args ...any) (*Contract, *types.Receipt, error) {
	input, err := a.Pack("", args...)
	if err != nil {
		return nil, nil, fmt.Errorf("pack constructor args: %w", err)
	}
	data := append(append([]byte{}, bytecode...), input...)
	r, err := c.Transact(ctx, from, nil, data, TxOpts{Value: value})
	if err != nil {
		return nil, r, fmt.Errorf("deploy: %w", err)
	}
	return c.Bind(r.ContractAddress, a), r, nil
}

// Bind returns a handle to the contract at addr with ABI a.
func (c *Client) Bind(addr common.Address, a *abi.ABI) *Contract {
	return &Contract{Address: addr, ABI: a, c: c}
}

func (c *Client) nextNonce(ctx context.Context, addr common.Address) (uint64, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	n, ok := c.nonces[addr]
	if !ok {
		pn, err := c.backend.PendingNonceAt(ctx, addr)
		if err != nil {
			return 0, fmt.Errorf("eth_getTransactionCount %s pending: %w", addr, err)
		}
		n = pn
	}
	c.nonces[addr] = n + 1
	return n, nil
}

// resetNonce forgets the cached nonce so the next transaction re-reads it
// from the node (after a failed send the cached value may be ahead).
func (c *Client) resetNonce(addr common.Address) {
	c.mu.Lock()
	delete(c.nonces, addr)
	c.mu.Unlock()
}

// ResetNonce forgets the cached nonce of addr; use it after transactions were
// sent for addr outside this Client or dropped from the pool.
func (c *Client) ResetNonce(addr common.Address) { c.resetNonce(addr) }
