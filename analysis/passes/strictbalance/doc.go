// Package strictbalance defines an analyzer that reports strict equality
// tests on the contract's own Ether or token balance.
//
// # Analyzer strict-balance-equality
//
// strict-balance-equality: strict equality on the contract balance
//
// Anyone can change address(this).balance (selfdestruct, coinbase
// rewards, pre-funding the address) and token.balanceOf(address(this))
// (a plain transfer) without calling the contract. A condition such as
// `require(address(this).balance == totalDeposits)` can then be made
// permanently false (denial of service) or true at the attacker's chosen
// moment.
package strictbalance
