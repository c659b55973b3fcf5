// Package spotprice defines an analyzer that reports prices derived from
// instantaneous AMM state that flow into valuation.
//
// # Analyzer spot-price-oracle
//
// spot-price-oracle: price derived from manipulable spot reserves
//
// A spot price is any value read from the current state of a pool: the
// reserves of a Uniswap V2 pair (getReserves), the sqrtPriceX96 of a
// Uniswap V3 pool (slot0), token balances of a pair (balanceOf(pair)),
// Curve's get_virtual_price and get_dy, or a router quote. All of them can
// be moved arbitrarily inside one transaction by a (flash-loaned) swap or
// a donation and moved back afterwards. The analyzer follows the value
// with the semantic model's data flow (locals, tuple components, internal
// calls and their return values) and reports the line where the spot value
// is read when it reaches a valuation use:
//
//   - the return value of a public price getter (price, getPrice,
//     getUnderlyingPrice, latestAnswer, getPricePerFullShare, ...): the
//     contract is an oracle and its consumers value collateral with it;
//   - a state variable, a local variable or a return variable whose name
//     says it is a price, value, collateral, debt, share or exchange rate;
//   - an argument of a mint, borrow, liquidation or seize call, or of a
//     callee whose name is valuation-like;
//   - a condition (require/if) in a valuation-named function, or one that
//     mentions collateral, debt, health or borrow limits;
//   - a token transfer in a borrow/redeem/withdraw/liquidate/mint function.
//
// Not reported: time-weighted averages (a function that also reads
// price0CumulativeLast / price1CumulativeLast / observe / consult uses the
// spot reserves only to extrapolate the accumulator), Chainlink feeds,
// swap execution with the quote checked against a caller-given minimum
// (routers), and a spot value that is only emitted in an event or
// returned by a view that is not a price getter. The last case is a
// deliberate choice: informational quotes (getAmountsOut) are legitimate,
// and flagging them would bury the real oracle bugs.
package spotprice
