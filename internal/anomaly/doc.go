// Package anomaly scores DeFi transactions against a per-protocol streaming
// model of "normal" traffic and explains each score by its top contributing
// features.
//
// A [Model] combines two detectors over the same feature [Vector]:
//
//   - Streaming Half-Space Trees (Tan, Ting & Liu, "Fast Anomaly Detection
//     for Streaming Data", IJCAI 2011): an ensemble of random, fully grown
//     binary trees over a random "work space" whose nodes count how many
//     recent samples fell into their half-space (the mass profile). Samples
//     landing in low-mass regions are anomalous. See hstree.go for the
//     exact formulas.
//   - Robust per-feature z-scores: z = 0.6745·(x − median)/MAD over an exact
//     sliding window, with an EWMA standard deviation and a floor as
//     fallbacks when the MAD is zero.
//
// Scores rank and enrich alerts; they never page on their own. This is
// enforced by the severity scale: the highest [Severity] a [Result] can
// carry is [SeverityMedium].
//
// The package is pure: no I/O, no clocks, no globals, and fully
// deterministic for a given [Config.Seed] and input sequence. A model's
// full state round-trips through [Model.MarshalBinary] and
// [Model.UnmarshalBinary], after which it continues bit-identically.
// A Model is not safe for concurrent use.
package anomaly
