// Package approverace defines an analyzer that reports ERC-20 approve
// implementations exposed to the allowance front-running race.
//
// # Analyzer erc20-approve-race
//
// erc20-approve-race: approve overwrites a non-zero allowance
//
// An ERC-20 approve(spender, value) that simply stores value lets a
// spender who sees the owner change an allowance from N to M spend N
// first (front-running the approve) and then M. The analyzer reports
// approve implementations (contracts implementing ERC-20 themselves)
// that write the allowance without requiring the old or new value to be
// zero. Contracts offering increaseAllowance/decreaseAllowance (e.g.
// OpenZeppelin 3.x/4.x) are still reported, at low severity, since
// approve itself keeps the race.
package approverace
