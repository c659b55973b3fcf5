// Package devnet runs an embedded, in-process Ethereum development chain.
//
// # Design
//
// A devnet is a go-ethereum node assembled the same way geth's --dev mode
// assembles it (cmd/utils.SetEthConfig + cmd/geth's makeFullNode), but
// driven from Go and with no external process:
//
//   - node.Node with an ephemeral in-memory database, no P2P, no IPC, and a
//     single loopback listener that serves both HTTP and WebSocket JSON-RPC
//     (geth shares one server when HTTPPort == WSPort).
//   - eth.Ethereum with the real EVM and the real transaction pool
//     (legacypool + blobpool), full sync, preimage recording, genesis taken
//     from core.DeveloperGenesisBlock (every fork geth's dev mode enables,
//     system contracts predeployed) plus N deterministic prefunded accounts.
//   - The eth filter API (eth_subscribe newHeads / logs /
//     newPendingTransactions, including full transaction objects), the
//     tracing API from eth/tracers with the native tracers linked in
//     (callTracer, prestateTracer, ...; not the goja-based JS tracers),
//     and a tiny evm/anvil namespace with evm_mine and anvil_mine so
//     external tools can mine on demand.
//   - catalyst.SimulatedBeacon (period 0, so it runs no goroutine of its own)
//     as the consensus client. All block production goes through Node.Commit,
//     which serialises access to the beacon; the beacon is not safe for
//     concurrent use on its own.
//
// # Mining modes
//
// MineAuto seals a block as soon as the pool reports new executable
// transactions (like Anvil's automine or geth --dev.period 0); several
// transactions that arrive together can share a block. MineInterval seals a
// block every Config.BlockPeriod, which may be sub-second, so transactions
// really wait in the mempool; empty blocks are produced too, as geth and Anvil
// do. MineManual only seals when Go code calls Node.Commit or an RPC client
// calls evm_mine / anvil_mine. The interval and auto loops are goroutines
// owned by the Node and stopped by Node.Close.
//
// # Why not ethclient/simulated
//
// ethclient/simulated builds a similar stack but registers no debug_trace*
// API, serves no HTTP/WebSocket endpoint, has no interval mining and hides
// the underlying node. The devnet is meant to be pointed at by external tools
// (Foundry, viem, ethers) as well as used in-process, so it assembles the
// node itself.
//
// # Logging
//
// geth logs through its own package-level logger, which is silent (discard)
// by default. Node-scoped geth logs go to Config.Logger at warn level and
// above. The library never replaces geth's global logger; a standalone
// program may do so once with log.SetDefault(devnet.NewGethLogger(l)).
package devnet
