// Package erc721interface defines an analyzer that reports ERC-721
// functions declared with the wrong return types.
//
// # Analyzer incorrect-erc721-interface
//
// incorrect-erc721-interface: ERC-721 function with a non-standard return
// type
//
// A contract that declares at least three ERC-721 functions (own or
// inherited; ownerOf, balanceOf, approve, getApproved, setApprovalForAll,
// isApprovedForAll, transferFrom, safeTransferFrom) is checked against
// EIP-721: ownerOf and getApproved return address, balanceOf uint256,
// isApprovedForAll and supportsInterface bool, and the transfer and
// approval functions return nothing. Marketplaces and wallets calling the
// standard interface misread or revert on a mismatch.
package erc721interface
