// Package flashvote defines an analyzer that reports governance decisions
// based on current (flash-loanable) token balances.
//
// # Analyzer flashloan-voting-power
//
// flashloan-voting-power: voting power read from the current balance
//
// In a governance contract (one with propose and vote functions), the
// analyzer reports calls that read voting power or a proposal threshold
// from the *current* state — `token.balanceOf(voter)`, `getVotes(voter)`
// (the one-argument, current-block form) or `getCurrentVotes(voter)` —
// in a propose/vote/castVote/execute/commit/queue function or in an
// internal function they reach, when that function does not read a past
// snapshot (`getPastVotes`, `getPriorVotes`, `balanceOfAt`,
// `getPastTotalSupply`, `totalSupplyAt`). Tokens borrowed in a flash loan
// carry full voting power for the length of the transaction (Beanstalk,
// April 2022: $182M).
//
// It also reports, with Medium severity, an execute/commit function of
// such a contract that performs the proposal's calls without reading
// block.timestamp or block.number anywhere on its path (no voting period,
// no timelock): a proposal can then be created, voted and executed in the
// same transaction.
package flashvote
