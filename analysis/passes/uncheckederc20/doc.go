// Package uncheckederc20 defines an analyzer that reports ERC-20 transfer, transferFrom and approve calls whose bool result is ignored.
//
// # Analyzer unchecked-erc20-transfer
//
// unchecked-erc20-transfer: unchecked ERC-20 transfer
//
// The analyzer reports token.transfer(to, amount), token.transferFrom(from,
// to, amount) and token.approve(spender, amount) on an ERC-20-like interface
// whose declaration returns bool, when the result is discarded. Tokens that
// signal failure by returning false (instead of reverting) then let the
// contract believe the transfer succeeded. SafeERC20 calls (safeTransfer)
// are not reported.
package uncheckederc20
