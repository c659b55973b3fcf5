// Package zeroaddress defines an analyzer that reports privileged address
// state set from a parameter without a zero-address check.
//
// # Analyzer missing-zero-address-check
//
// missing-zero-address-check: privileged address set without a zero check
//
// The analyzer reports constructors and public/external functions that
// store an address parameter (possibly converted, as in IOracle(oracle_))
// into a state variable whose name marks it as privileged or critical
// (owner, admin, governance, guardian, treasury, feeTo, oracle, feed,
// implementation, router, vault, keeper, minter, operator, signer) when
// no condition of the function mentions the parameter (require(p !=
// address(0)), if (p == address(0)) revert) and the parameter is not
// passed to a validation helper. Pending roles (pendingOwner), which are
// reset to zero to cancel a transfer, are not reported. A zero value bricks the role (a
// renounced owner, fees burned, an oracle that reverts) and usually can
// only be fixed by redeploying.
package zeroaddress
