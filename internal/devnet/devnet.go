package devnet

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/big"
	"strconv"
	"sync"
	"syscall"
	"time"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/core"
	"github.com/ethereum/go-ethereum/core/rawdb"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/eth"
	"github.com/ethereum/go-ethereum/eth/catalyst"
	"github.com/ethereum/go-ethereum/eth/ethconfig"
	"github.com/ethereum/go-ethereum/eth/filters"
	"github.com/ethereum/go-ethereum/eth/tracers"
	"github.com/ethereum/go-ethereum/ethclient"
	"github.com/ethereum/go-ethereum/log"
	"github.com/ethereum/go-ethereum/node"
	"github.com/ethereum/go-ethereum/p2p"
	"github.com/ethereum/go-ethereum/rpc"

	// Link the native tracers (callTracer, prestateTracer, 4byteTracer,
	// flatCallTracer, muxTracer, ...) into the debug_trace* API. The
	// JavaScript tracer engine (eth/tracers/js) is left out: it pulls in goja
	// and nothing here needs custom JS tracers.
	_ "github.com/ethereum/go-ethereum/eth/tracers/native"
)

// MiningMode selects when the devnet seals blocks.
type MiningMode int

const (
	// MineAuto seals a block as soon as new executable transactions reach
	// the pool (Anvil automine, geth --dev.period 0). It is the zero value.
	MineAuto MiningMode = iota
	// MineInterval seals a block every Config.BlockPeriod, whether or not
	// transactions are pending; transactions wait in the mempool meanwhile.
	MineInterval
	// MineManual seals blocks only on Node.Commit or the evm_mine /
	// anvil_mine RPC methods.
	MineManual
)

// String returns the mode's lower-case name ("auto", "interval", "manual").
func (m MiningMode) String() string {
	switch m {
	case MineAuto:
		return "auto"
	case MineInterval:
		return "interval"
	case MineManual:
		return "manual"
	default:
		return "MiningMode(" + strconv.Itoa(int(m)) + ")"
	}
}

// Defaults applied by Start to zero-valued Config fields.
const (
	// DefaultChainID is the chain id used when Config.ChainID is 0.
	DefaultChainID uint64 = 1337
	// DefaultAccounts is the number of dev accounts when Config.Accounts is 0.
	DefaultAccounts = 10
	// DefaultGasLimit is the block gas limit when Config.GasLimit is 0.
	DefaultGasLimit uint64 = 60_000_000
	// MaxAccounts bounds Config.Accounts (deriving keys is not free).
	MaxAccounts = 10_000
)

// fillAllowance is how long sealing a block may spend executing pool
// transactions: long enough never to cut a block short.
const fillAllowance = time.Hour

// rpcModules are the namespaces served over HTTP and WebSocket.
var rpcModules = []string{"eth", "net", "web3", "txpool", "debug", "evm", "anvil"}

// ErrClosed is returned by Node methods called after Close.
var ErrClosed = errors.New("devnet: node is closed")

// Config configures a devnet. The zero value is usable: a random free port,
// chain id 1337, 10 accounts, automine, 60M gas limit, no logging.
type Config struct {
	// Port is the loopback TCP port serving both HTTP and WebSocket
	// JSON-RPC. 0 picks a free port.
	Port int
	// ChainID is the chain id; 0 means DefaultChainID.
	ChainID uint64
	// Accounts is the number of prefunded deterministic accounts; 0 means
	// DefaultAccounts. See DeriveAccounts.
	Accounts int
	// Mining selects when blocks are sealed.
	Mining MiningMode
	// BlockPeriod is the time between blocks in MineInterval mode (may be
	// sub-second). It must be positive for MineInterval and zero otherwise.
	BlockPeriod time.Duration
	// Logger receives the devnet's own logs and geth's node-scoped warnings.
	// nil discards them.
	Logger *slog.Logger
	// GasLimit is the block gas limit; 0 means DefaultGasLimit.
	GasLimit uint64
}

// withDefaults validates cfg and fills zero-valued fields.
func (cfg Config) withDefaults() (Config, error) {
	if cfg.Port < 0 || cfg.Port > 65535 {
		return cfg, fmt.Errorf("devnet: port %d out of range 0-65535", cfg.Port)
	}
	if cfg.ChainID == 0 {
		cfg.ChainID = DefaultChainID
	}
	switch {
	case cfg.Accounts == 0:
		cfg.Accounts = DefaultAccounts
	case cfg.Accounts < 0 || cfg.Accounts > MaxAccounts:
		return cfg, fmt.Errorf("devnet: account count %d out of range 1-%d", cfg.Accounts, MaxAccounts)
	}
	if cfg.GasLimit == 0 {
		cfg.GasLimit = DefaultGasLimit
	}
	switch cfg.Mining {
	case MineInterval:
		if cfg.BlockPeriod <= 0 {
			return cfg, fmt.Errorf("devnet: interval mining needs a positive block period, got %v", cfg.BlockPeriod)
		}
	case MineAuto, MineManual:
		if cfg.BlockPeriod != 0 {
			return cfg, fmt.Errorf("devnet: block period %v is only valid with interval mining, not %v", cfg.BlockPeriod, cfg.Mining)
		}
	default:
		return cfg, fmt.Errorf("devnet: unknown mining mode %v", cfg.Mining)
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return cfg, nil
}

// Node is a running devnet. Its methods are safe for concurrent use.
type Node struct {
	cfg      Config
	chainID  *big.Int
	accounts []Account
	log      *slog.Logger

	stack  *node.Node
	eth    *eth.Ethereum
	beacon *catalyst.SimulatedBeacon
	client *ethclient.Client

	// mineMu serialises block production and head changes: the simulated
	// beacon is not safe for concurrent use.
	mineMu sync.Mutex
	closed bool // guarded by mineMu

	quit      chan struct{} // closed by Close to stop the mining goroutines
	wg        sync.WaitGroup
	closeGate func() // stops the head gate's private RPC server

	closeOnce sync.Once
	closeErr  error
}

// Start assembles and starts a devnet. ctx bounds start-up only; the node
// runs until Close.
func Start(ctx context.Context, cfg Config) (*Node, error) {
	if err := ctx.Err(); err != nil {
		return nil, fmt.Errorf("devnet: start: %w", err)
	}
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	accounts, err := DeriveAccounts(cfg.Accounts)
	if err != nil {
		return nil, err
	}
	n := &Node{
		cfg:      cfg,
		chainID:  new(big.Int).SetUint64(cfg.ChainID),
		accounts: accounts,
		log:      cfg.Logger,
		quit:     make(chan struct{}),
	}

	stack, err := node.New(n.nodeConfig())
	if err != nil {
		return nil, fmt.Errorf("devnet: create node: %w", err)
	}
	backend, err := eth.New(stack, n.ethConfig())
	if err != nil {
		return nil, errors.Join(fmt.Errorf("devnet: create eth service: %w", err), closeStack(stack))
	}
	filterSystem := filters.NewFilterSystem(backend.APIBackend, filters.Config{})
	stack.RegisterAPIs([]rpc.API{{Namespace: "eth", Service: filters.NewFilterAPI(filterSystem)}})
	stack.RegisterAPIs(tracers.APIs(backend.APIBackend))
	// Registered after eth.New's own APIs, the gate's methods replace geth's
	// eth_getTransactionReceipt and eth_getTransactionByHash.
	gate, closeGate, err := newHeadGate(backend, &n.mineMu)
	if err != nil {
		return nil, errors.Join(err, closeStack(stack))
	}
	n.closeGate = closeGate
	started := false
	defer func() {
		if !started {
			closeGate() // idempotent: a Close on a failure path ran it already
		}
	}()
	stack.RegisterAPIs([]rpc.API{{Namespace: "eth", Service: gate}})
	stack.RegisterAPIs([]rpc.API{
		{Namespace: "evm", Service: &evmAPI{n: n}},
		{Namespace: "anvil", Service: &anvilAPI{n: n}},
	})
	if err := stack.Start(); err != nil {
		if errors.Is(err, syscall.EADDRINUSE) {
			err = fmt.Errorf("devnet: port %d is already in use: %w", cfg.Port, err)
		} else {
			err = fmt.Errorf("devnet: start node (RPC on 127.0.0.1:%d): %w", cfg.Port, err)
		}
		return nil, errors.Join(err, closeStack(stack))
	}
	n.stack, n.eth = stack, backend

	// Period 0: the beacon runs no goroutine; the Node drives it.
	beacon, err := catalyst.NewSimulatedBeacon(0, common.Address{}, backend)
	if err != nil {
		return nil, errors.Join(fmt.Errorf("devnet: create simulated beacon: %w", err), closeStack(stack))
	}
	// geth's tx indexer only records its progress once a block above
	// genesis exists; until then receipt look-ups of pending transactions
	// fail with "transaction indexing is in progress" instead of returning
	// null, which breaks polling clients. Genesis holds no transactions, so
	// "indexed from block 0" is true; the head event sent by the Fork below
	// makes the indexer load it.
	rawdb.WriteTxIndexTail(backend.ChainDb(), 0)
	if err := beacon.Fork(backend.BlockChain().GetCanonicalHash(0)); err != nil {
		return nil, errors.Join(fmt.Errorf("devnet: reset to genesis: %w", err), closeStack(stack))
	}
	n.beacon = beacon
	if err := n.waitTxIndex(ctx); err != nil {
		return nil, errors.Join(err, closeStack(stack))
	}
	n.client = ethclient.NewClient(stack.Attach())

	started = true
	switch cfg.Mining {
	case MineAuto:
		n.startAutoMiner()
	case MineInterval:
		n.startIntervalMiner()
	case MineManual:
	}
	if err := ctx.Err(); err != nil {
		return nil, errors.Join(fmt.Errorf("devnet: start: %w", err), n.Close())
	}
	n.log.Info("devnet started", "http", n.HTTPURL(), "chain_id", cfg.ChainID, "mining", cfg.Mining.String(), "accounts", len(accounts))
	return n, nil
}

// waitTxIndex waits (briefly) until the transaction indexer reports
// completion; see the comment at the call site in Start. Should geth change
// and never report it, receipts still work once a block exists, so a
// timeout only logs.
func (n *Node) waitTxIndex(ctx context.Context) error {
	deadline := time.NewTimer(2 * time.Second)
	defer deadline.Stop()
	for !n.eth.BlockChain().TxIndexDone() {
		select {
		case <-ctx.Done():
			return fmt.Errorf("devnet: wait for transaction indexer: %w", ctx.Err())
		case <-deadline.C:
			n.log.Warn("devnet: transaction indexer not ready; receipt look-ups may report indexing in progress until the first block")
			return nil
		case <-time.After(time.Millisecond):
		}
	}
	return nil
}

// closeStack closes a node that failed to start; a node that already closed
// itself is not an error.
func closeStack(stack *node.Node) error {
	if err := stack.Close(); err != nil && !errors.Is(err, node.ErrNodeStopped) {
		return fmt.Errorf("devnet: close node: %w", err)
	}
	return nil
}

// nodeConfig returns the node shell configuration: ephemeral, no P2P, no IPC,
// HTTP and WS sharing one loopback port.
func (n *Node) nodeConfig() *node.Config {
	conf := node.DefaultConfig
	conf.Name = "aegis-devnet"
	conf.DataDir = ""
	conf.IPCPath = ""
	conf.P2P = p2p.Config{NoDiscovery: true, MaxPeers: 0}
	conf.HTTPHost = "127.0.0.1"
	conf.HTTPPort = n.cfg.Port
	conf.HTTPModules = rpcModules
	conf.HTTPVirtualHosts = []string{"*"}
	conf.HTTPCors = []string{"*"}
	conf.WSHost = "127.0.0.1"
	conf.WSPort = n.cfg.Port
	conf.WSModules = rpcModules
	conf.WSOrigins = []string{"*"}
	conf.Logger = log.NewLogger(minLevelHandler{min: gethLogLevel, inner: n.log.Handler()})
	return &conf
}

// ethConfig returns the eth service configuration mirroring geth --dev.
func (n *Node) ethConfig() *ethconfig.Config {
	genesis := core.DeveloperGenesisBlock(n.cfg.GasLimit, nil)
	genesis.Config.ChainID = new(big.Int).Set(n.chainID)
	// geth's dev config also enables the experimental, unscheduled Bogota
	// fork, whose state-growth gas repricing makes a fresh ERC-20 balance
	// slot cost over 100k gas. Stop at Osaka, the rules mainnet runs, so gas
	// use (and what fits in an attacker's gas limit) matches mainnet and Anvil.
	genesis.Config.BogotaTime = nil
	for _, a := range n.accounts {
		genesis.Alloc[a.Address] = types.Account{Balance: DevBalance()}
	}

	conf := ethconfig.Defaults
	conf.Genesis = genesis
	conf.NetworkId = n.cfg.ChainID
	conf.SyncMode = ethconfig.FullSync
	conf.EnablePreimageRecording = true
	conf.TrieDirtyCache = 256 // pathdb caps its write buffer at 256 MiB and warns about more
	conf.LogNoHistory = true  // small chain: unindexed log search, no indexer goroutine work
	conf.RPCGasCap = n.cfg.GasLimit
	conf.Miner.GasCeil = n.cfg.GasLimit
	conf.Miner.GasPrice = big.NewInt(1) // geth --dev: include any tip >= 1 wei
	// geth stops filling a block with pool transactions after Recommit (2 s
	// by default) and seals what it has; on a loaded machine a busy block
	// then left transactions sent before the seal in the pool, reordering
	// them behind later ones. A devnet block holds every executable
	// transaction that fits (what evm_mine callers expect), so the fill is
	// never cut short; sealing is on demand, so no re-building is lost.
	conf.Miner.Recommit = fillAllowance
	conf.TxPool.NoLocals = true
	conf.TxPool.AccountSlots = 4096
	conf.TxPool.GlobalSlots = 16384
	conf.TxPool.AccountQueue = 1024
	conf.TxPool.GlobalQueue = 4096
	return &conf
}

// HTTPURL returns the HTTP JSON-RPC endpoint, e.g. "http://127.0.0.1:8545".
func (n *Node) HTTPURL() string { return n.stack.HTTPEndpoint() }

// WSURL returns the WebSocket JSON-RPC endpoint, e.g. "ws://127.0.0.1:8545".
func (n *Node) WSURL() string { return n.stack.WSEndpoint() }

// ChainID returns a copy of the chain id.
func (n *Node) ChainID() *big.Int { return new(big.Int).Set(n.chainID) }

// Accounts returns a copy of the prefunded dev accounts, in derivation order.
func (n *Node) Accounts() []Account { return append([]Account(nil), n.accounts...) }

// Mining returns the node's mining mode.
func (n *Node) Mining() MiningMode { return n.cfg.Mining }

// Client returns an in-process RPC client (no network round trip). It is
// owned by the Node and closed by Close.
func (n *Node) Client() *ethclient.Client { return n.client }

// Eth returns the underlying geth service for in-process consumers (state,
// txpool, blockchain). Callers must not stop it.
func (n *Node) Eth() *eth.Ethereum { return n.eth }

// Commit seals one block now with the pending transactions and returns its
// hash. It works in every mining mode.
func (n *Node) Commit(ctx context.Context) (common.Hash, error) {
	if err := ctx.Err(); err != nil {
		return common.Hash{}, fmt.Errorf("devnet: commit: %w", err)
	}
	n.mineMu.Lock()
	defer n.mineMu.Unlock()
	if n.closed {
		return common.Hash{}, ErrClosed
	}
	return n.commitLocked()
}

// commitLocked seals a block; mineMu must be held.
func (n *Node) commitLocked() (common.Hash, error) {
	parent := n.eth.BlockChain().CurrentBlock()
	hash := n.beacon.Commit()
	if hash == parent.Hash() {
		return common.Hash{}, fmt.Errorf("devnet: sealing block %d on %s failed", parent.Number.Uint64()+1, parent.Hash())
	}
	// The pool resets to the new head asynchronously; until it has, a
	// transaction sent right after this block is validated against the old
	// state (an account funded in this block has "balance 0"). Anvil's
	// evm_mine returns with the pool already on the new head, so wait.
	if err := n.eth.TxPool().Sync(); err != nil {
		return common.Hash{}, fmt.Errorf("devnet: sync the pool to block %d: %w", parent.Number.Uint64()+1, err)
	}
	return hash, nil
}

// mineBlocks seals count blocks, as evm_mine / anvil_mine request.
func (n *Node) mineBlocks(ctx context.Context, count uint64) error {
	if count > maxMineBlocks {
		return fmt.Errorf("devnet: cannot mine %d blocks at once (max %d)", count, maxMineBlocks)
	}
	for range count {
		if _, err := n.Commit(ctx); err != nil {
			return err
		}
	}
	return nil
}

// Fork rewinds the canonical head to the block parent so that subsequently
// sealed blocks form a new branch, simulating a reorg. The pool must hold no
// pending transactions (in MineManual mode, Commit them first). Transactions
// of the abandoned blocks return to the pool as geth does on a reorg.
func (n *Node) Fork(ctx context.Context, parent common.Hash) error {
	if err := ctx.Err(); err != nil {
		return fmt.Errorf("devnet: fork: %w", err)
	}
	n.mineMu.Lock()
	defer n.mineMu.Unlock()
	if n.closed {
		return ErrClosed
	}
	if n.eth.BlockChain().GetHeaderByHash(parent) == nil {
		return fmt.Errorf("devnet: fork at %s: unknown block", parent)
	}
	if err := n.beacon.Fork(parent); err != nil {
		return fmt.Errorf("devnet: fork at %s: %w", parent, err)
	}
	return nil
}

// startAutoMiner starts the two goroutines of MineAuto: one drains pool
// notifications quickly (the pool's event feed blocks until every subscriber
// has received), the other seals blocks while executable transactions remain.
func (n *Node) startAutoMiner() {
	pool := n.eth.TxPool()
	events := make(chan core.NewTxsEvent, 64)
	sub := pool.SubscribeTransactions(events, true)
	kick := make(chan struct{}, 1)

	n.wg.Add(2)
	go func() {
		defer n.wg.Done()
		defer sub.Unsubscribe()
		for {
			select {
			case <-n.quit:
				return
			case <-sub.Err():
				return
			case <-events:
				select {
				case kick <- struct{}{}:
				default:
				}
			}
		}
	}()
	go func() {
		defer n.wg.Done()
		for {
			select {
			case <-n.quit:
				return
			case <-kick:
				n.mineWhileExecutable()
			}
		}
	}()
}

// mineWhileExecutable seals blocks until the pool has no executable
// transactions left, or a block includes none of them (e.g. a tip below the
// miner's minimum), which would otherwise spin forever.
func (n *Node) mineWhileExecutable() {
	pool := n.eth.TxPool()
	for {
		select {
		case <-n.quit:
			return
		default:
		}
		hash, err := n.Commit(context.Background())
		if err != nil {
			if !errors.Is(err, ErrClosed) {
				n.log.Warn("devnet: automine failed", "err", err)
			}
			return
		}
		// Commit has synced the pool to the new head.
		if executable, _ := pool.Stats(); executable == 0 {
			return
		}
		if h := n.eth.BlockChain().GetHeaderByHash(hash); h == nil || h.GasUsed == 0 {
			n.log.Warn("devnet: pool has executable transactions the miner does not include; waiting for the next one")
			return
		}
	}
}

// startIntervalMiner starts the MineInterval goroutine.
func (n *Node) startIntervalMiner() {
	n.wg.Add(1)
	go func() {
		defer n.wg.Done()
		ticker := time.NewTicker(n.cfg.BlockPeriod)
		defer ticker.Stop()
		for {
			select {
			case <-n.quit:
				return
			case <-ticker.C:
				if _, err := n.Commit(context.Background()); err != nil && !errors.Is(err, ErrClosed) {
					n.log.Warn("devnet: interval mining failed", "err", err)
				}
			}
		}
	}()
}

// Close stops mining, the RPC servers and the node, and waits for every
// goroutine the Node started. It is idempotent; later calls return the
// first call's result.
func (n *Node) Close() error {
	n.closeOnce.Do(func() {
		close(n.quit)
		n.wg.Wait()

		n.mineMu.Lock()
		n.closed = true
		n.mineMu.Unlock()

		if n.client != nil {
			n.client.Close()
		}
		var err error
		if n.beacon != nil {
			err = n.beacon.Stop()
		}
		if n.stack != nil {
			if cerr := n.stack.Close(); cerr != nil {
				err = errors.Join(err, fmt.Errorf("devnet: close node: %w", cerr))
			}
		}
		if n.closeGate != nil {
			n.closeGate()
		}
		n.closeErr = err
	})
	return n.closeErr
}
