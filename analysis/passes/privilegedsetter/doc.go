// Package privilegedsetter defines an analyzer that reports public
// functions, without access control, that overwrite privileged state.
//
// # Analyzer unprotected-privileged-setter
//
// unprotected-privileged-setter: anyone can change owner, admin or critical
// configuration
//
// A state variable is privileged when its name says so (owner, admin,
// governance, minter, oracle, price feed, fee, treasury, signer, ...) or
// when it is used in an access check somewhere (compared with msg.sender,
// or indexed by msg.sender in a condition). The analyzer reports public or
// external functions without a caller check that assign such a variable
// directly from a parameter or msg.sender (`owner = _newOwner`,
// `admins[_a] = true`), also through internal calls. One-time setters that
// test the variable first (`require(owner == address(0))`), initializers
// (reported by unprotected-initializer) and implementation slots (reported
// by unprotected-upgrade) are left out.
package privilegedsetter
