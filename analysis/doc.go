// Package analysis defines the interface between a modular static analyzer
// of Solidity source and a driver that runs it, modelled on
// golang.org/x/tools/go/analysis.
//
// An [Analyzer] is a plain value describing one detector (or one shared
// model): its name, metadata (title, documentation, severity, confidence,
// category, SWC id), the analyzers it requires and its Run function. A
// [Pass] is one unit of work: the parsed files of a project, the results of
// the required analyzers and a way to report [Finding] values. The driver
// (package analysis/checker) owns scheduling, caching, suppressions,
// fingerprints, baselines and output; an analyzer never touches files or
// output formats.
//
// Analyzers that only compute a shared result for others (a semantic model,
// a call graph) set ResultType and leave Title empty; they must not report
// findings. Suites are explicit lists (package analysis/suite) checked by
// [Validate] in a test; there is no init-time registration.
package analysis
