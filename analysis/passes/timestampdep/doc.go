// Package timestampdep defines an analyzer that reports decisions that
// depend on the exact block timestamp.
//
// # Analyzer timestamp-dependence
//
// timestamp-dependence: block timestamp decides an outcome
//
// Validators choose block.timestamp within a tolerance. The analyzer
// reports block.timestamp (now) in a strict equality (`now == end`,
// `require(now != pastBlockTime)`), in a modulo within a condition
// (`if (now % 15 == 0)`, medium severity), and in an if condition whose
// branch pays out Ether or tokens (a jackpot decided by time). Ordinary
// deadline checks with </>= windows in require statements are not
// reported.
package timestampdep
