// Package arbitrarytransferfrom defines an analyzer that reports
// unguarded functions moving tokens from an account chosen by the caller.
//
// # Analyzer arbitrary-transfer-from
//
// arbitrary-transfer-from: transferFrom with a caller-chosen source
//
// A public or external function without access control (or an internal
// function it reaches) calls transferFrom / safeTransferFrom with a from
// address taken from its parameters instead of msg.sender or
// address(this). Any account that approved the contract can then be
// drained by anyone: the caller picks the victim and, usually, the
// recipient. Sources checked in a condition (from == msg.sender, an
// operator approval indexed by from, an allowance of the caller) and
// signature-authorized transfers (a permit(from, ...) call,
// meta-transactions) are not reported.
package arbitrarytransferfrom
