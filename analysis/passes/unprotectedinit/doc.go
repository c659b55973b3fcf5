// Package unprotectedinit defines an analyzer that reports initializer
// functions anyone can call again.
//
// # Analyzer unprotected-initializer
//
// unprotected-initializer: initializer callable by anyone, at any time
//
// Public or external functions named init*/initialize* that write state
// (owners, limits, configuration) without an initializer guard (an
// `initializer` modifier, an `initialized` flag, or a precondition on the
// state they set such as `require(owner == address(0))`) and without a
// caller check can be called by anyone after deployment, replacing the
// owners of a live contract or of its implementation. This is the Parity
// multisig bug (July and November 2017).
package unprotectedinit
