// Package healthcheck defines an analyzer that reports value-moving
// functions of lending contracts that skip the solvency check their
// siblings perform.
//
// # Analyzer missing-health-check
//
// missing-health-check: position weakened without a solvency check
//
// A contract is lending-like when it keeps per-account collateral, debt or
// borrow state and at least one public function calls a health check: an
// internal or external call whose name says so (_checkHealth, isHealthy,
// healthFactor, _checkLiquidity, getAccountLiquidity, checkBorrowLimit,
// isSolvent, borrowAllowed, redeemAllowed, ...). The analyzer then
// reports every other public, non-view, unrestricted function that weakens
// an account's position — decreases a per-account collateral, balance,
// deposit or supply entry, or increases a per-account debt or borrow
// entry — and reaches no health check (directly, through internal calls or
// modifiers). This is the Euler Finance bug (March 2023, $197M):
// donateToReserves burned the donor's eToken balance without the liquidity
// check every other balance-reducing function performed, letting the
// attacker make their own position insolvent and self-liquidate at a
// profit.
//
// Functions that only reduce debt or add collateral, admin functions
// (with an access-control guard) and liquidations (which test health
// first) are not reported.
package healthcheck
