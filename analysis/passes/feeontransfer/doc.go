// Package feeontransfer defines an analyzer that reports deposits crediting
// the requested amount instead of the amount received.
//
// # Analyzer fee-on-transfer-assumption
//
// fee-on-transfer-assumption: deposit credits the requested, not the
// received, amount
//
// The analyzer reports `token.transferFrom(from, address(this), amount)`
// (also safeTransferFrom through SafeERC20 or TransferHelper) when the same
// `amount` is credited to the depositor — added to a state variable, or
// passed to an internal function (such as _mint) that adds it to one — and
// the function does not measure the balance it actually received (no
// balanceOf(address(this)) read in the function or its callees). With a
// fee-on-transfer or deflationary token the contract receives less than
// it credits; with a rebasing token the books drift from the balance. The
// last withdrawers cannot be paid, and an attacker can loop
// deposit/withdraw to drain the difference (Balancer/STA 2020).
package feeontransfer
