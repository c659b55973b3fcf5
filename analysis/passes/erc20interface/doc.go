// Package erc20interface defines an analyzer that reports ERC-20 functions
// declared with the wrong return types.
//
// # Analyzer incorrect-erc20-interface
//
// incorrect-erc20-interface: ERC-20 function with a non-standard return
// type
//
// A contract that declares at least three ERC-20 functions (own or
// inherited; transfer, transferFrom, approve, balanceOf, allowance,
// totalSupply) is checked for the standard return types: bool for
// transfer/transferFrom/approve and uint256 for balanceOf/allowance/
// totalSupply. Solidity 0.4.22+ callers compiled against the standard
// interface check the return data size, so a `transfer` that returns
// nothing (BNB, USDT, OMG) makes every such call revert, and a
// bool-returning `balanceOf` is misread. ERC-721 contracts (which declare
// ownerOf) are left to incorrect-erc721-interface.
package erc20interface
