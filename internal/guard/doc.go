// Package guard is aegis's automated incident response: when a pending
// transaction is a confirmed attack on a watched protocol, the guard
// simulates a protective action (typically the guardian's pause()), proves on
// the node's own state that the action succeeds and that the attack,
// replayed after it, reverts or loses its profit, and then front-runs the
// attack with it.
//
// # Pipeline
//
// [Guard.Handle] takes a [Trigger] (the pending attack transaction, the
// detector observations or the aggregated alert about it, and when it was
// first seen) and returns a [Decision], which it also hands to the injected
// [Recorder]. The steps are:
//
//  1. Match: the [Policy] of the victim protocol must be triggered by
//     non-anomaly signals at the pending stage from at least MinDetectors
//     distinct listed detectors (default 2) with at least the configured
//     severity (default critical) and confidence (default 0.85). The gate
//     below proves that the action works and that the transaction takes
//     value; it cannot prove intent (an honest withdraw also "loses" the protocol
//     funds and is also stopped by a pause), so the trigger stays strict.
//  2. Limits: per-protocol cooldown and actions-per-hour budget (injected
//     clock). A refused trigger is recorded too.
//  3. Gate: one JSON-RPC batch runs two eth_simulateV1 requests on top of the
//     latest block (the state the next block is built on): the attack alone
//     (baseline), and the protective calls followed by the attack (protected).
//     Balance probes around the attack measure the ETH that moves; ERC-20
//     Transfer logs measure tokens. The guard acts only when the baseline
//     attack succeeds and takes value, every protective call succeeds, and the
//     protected attack reverts or no longer profits.
//  4. Send (armed mode): EIP-1559 fees priced above the attacker's effective
//     tip, signed by the guardian [Signer] with nonces from a [NonceManager],
//     sent to the node and to every extra endpoint. Dry-run mode (the
//     default) signs the same transactions and records them without sending.
//  5. Watch: receipts are polled until the attack is mined or dropped; when
//     a block passes with neither mined, the protective transaction is
//     replaced with the same nonce and bumped fees.
//
// # Earlier stages
//
// Most real attacks are not one transaction: funding, deployment of the
// attack contract, then the exploit. A policy with EarlyStage set (YAML
// early_stage: true; off by default) also acts on a pending contract
// deployment whose init code contains one of its protected addresses, via
// [Guard.HandleDeployment], unless the sender is one of the policy's Admins
// or the guardian. There is no exploit to replay yet, so the gate only
// proves that the protective calls succeed; the decision (Stage
// "deployment") says so in its Basis. Limits, dry-run and armed modes,
// front-running and watching are those of Handle, with the deployment in
// the attack's place.
//
// # Simulation on each node
//
// geth (≥ 1.14, and the embedded devnet) and Anvil (≥ 1.0) implement
// eth_simulateV1. The guard uses validation=false, omits fee fields (so
// balance deltas are pure value flows) and installs a 12-byte probe contract
// through the block's state overrides that returns BALANCE(address). A node
// without eth_simulateV1 makes the gate refuse with that reason: the guard
// never acts on an unproven action.
//
// # Secrets
//
// The guardian key lives only inside [Signer], whose String, GoString,
// LogValue and MarshalJSON print the address. Decisions, errors and logs
// never contain it.
package guard
