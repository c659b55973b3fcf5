// Package proxystorage defines an analyzer that reports proxies keeping
// state in ordinary storage slots.
//
// # Analyzer proxy-storage-collision
//
// proxy-storage-collision: proxy state variables collide with the
// implementation's storage
//
// A proxy runs the implementation's code in its own storage through
// delegatecall. State variables the proxy declares in ordinary sequential
// slots (slot 0, 1, ...) occupy the same slots as the implementation's
// first variables: the implementation's writes corrupt the proxy's
// implementation address or admin, and the other way round (Audius,
// July 2022: the proxy admin in slot 0 overlapped the initializer flags,
// so `initialize` could be called again).
//
// A contract is a proxy when its fallback or receive function
// (transitively) performs a delegatecall, in Solidity or in assembly. The
// analyzer reports every non-constant, non-immutable state variable of a
// proxy (own or inherited) unless its declaring contract is also a base of
// a non-proxy contract in the program — the shared-layout pattern where
// proxy and implementation inherit the same storage contract (Parity-style
// wallets, diamond storage bases). Proxies following EIP-1967 or other
// unstructured storage keep their variables in hashed slots through
// assembly or StorageSlot and declare none, so they are not reported.
package proxystorage
