// Package natspecaccess defines an analyzer that reports functions
// documented as restricted but callable by anyone.
//
// # Analyzer natspec-access-mismatch
//
// natspec-access-mismatch: documented access restriction is not enforced
//
// The NatSpec or comment of a public or external function states that it
// is restricted ("Only callable by the owner", "@dev only admin",
// "onlyOwner", "restricted to governance"), but the function has no access
// control: no owner/role modifier, no msg.sender check in its body or
// modifiers, no signature verification. The comment records the intended
// design, so the missing guard is almost always a forgotten modifier.
package natspecaccess
