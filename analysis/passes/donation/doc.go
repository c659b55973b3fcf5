// Package donation defines an analyzer that reports share and exchange-rate
// math based on the contract's own token balance (first-depositor / donation
// inflation).
//
// # Analyzer donation-inflation
//
// donation-inflation: share price based on a donatable balance
//
// A vault or market that uses `token.balanceOf(address(this))` (or
// `address(this).balance`) as its total assets lets anyone move the share
// price by transferring tokens to it. On an empty or nearly empty vault the
// first depositor mints one share, donates a large amount, and every later
// deposit rounds down to zero (or few) shares, which the attacker then
// redeems (Hundred Finance and Raft, 2023; countless ERC-4626 forks).
//
// The analyzer computes, per contract (with inherited and overriding
// functions dispatched through the linearization), which functions return
// a value derived from the own balance (through locals, arithmetic and
// internal calls; a difference of two balance reads, such as a measured
// transfer delta, is not a total). It reports the balance read when such a
// value is divided or multiplied together with the share supply
// (totalSupply, totalShares) in a contract whose supply changes through
// public functions, unless the contract is protected by virtual shares / a
// decimals offset (`_decimalsOffset`, `totalSupply + 10 ** offset`, `+ 1`
// on both sides), dead shares (a mint to address(0)/0xdead) or a
// MINIMUM_LIQUIDITY burn (Uniswap V2 pairs).
//
// Findings are High for ERC-4626-style vaults (totalAssets,
// convertToShares, previewDeposit) and Medium otherwise (Compound-style
// exchange rates based on cash).
package donation
