// Package unprotectedupgrade defines an analyzer that reports upgrade
// paths anyone can use.
//
// # Analyzer unprotected-upgrade
//
// unprotected-upgrade: anyone can replace the implementation
//
// Reported are: a UUPS `_authorizeUpgrade` override with an empty body and
// no access modifier; public functions without a caller check that store a
// parameter into an implementation variable (implementation, logic,
// masterCopy, target); and such functions writing the EIP-1967
// implementation slot through StorageSlot or sstore. Upgrade entry points
// that call `_authorizeUpgrade` are judged through that hook.
package unprotectedupgrade
