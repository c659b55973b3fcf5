// Package slippage defines an analyzer that reports swaps and liquidity
// operations without slippage or deadline protection.
//
// # Analyzer missing-slippage
//
// missing-slippage: swap or liquidity call without slippage protection
//
// The analyzer knows the minimum-output and deadline parameters of the
// common router and pool entry points (Uniswap V2 swapExact*/swap*ForExact*,
// addLiquidity*/removeLiquidity*, Uniswap V3 exactInput*/exactOutput*
// parameter structs, Curve exchange/exchange_underlying/add_liquidity/
// remove_liquidity_one_coin, Balancer-style minAmountOut/minReturn named
// arguments) and reports, in non-test code:
//
//   - a minimum-output argument that is the constant 0 (positional or named,
//     such as `amountOutMinimum: 0`): the call accepts any price, so a
//     sandwich attacker takes the whole price impact;
//   - a deadline argument that is `block.timestamp` (or `now`): it is
//     always satisfied, so the transaction can be held back and executed
//     later at a worse price.
//
// Low-level pair calls (UniswapV2Pair.swap with one zero output) are not
// reported: a zero there is the other token's output.
package slippage
