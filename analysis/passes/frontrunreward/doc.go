// Package frontrunreward defines an analyzer that reports rewards paid to
// whoever first submits a secret matching a stored hash.
//
// # Analyzer front-running-reward
//
// front-running-reward: answer-for-reward is front-runnable
//
// A public function compares a hash of caller input with a stored hash
// (`require(hash == keccak256(solution))`) and pays the caller. The
// solution travels in clear in the pending transaction: anyone watching
// the mempool copies it and resubmits it with a higher gas price, taking
// the reward (transaction-order dependence).
package frontrunreward
