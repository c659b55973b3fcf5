// Package chainlink defines an analyzer that reports Chainlink price feed
// reads without staleness and sanity checks.
//
// # Analyzer chainlink-stale-price
//
// chainlink-stale-price: Chainlink answer used without validation
//
// `latestRoundData()` returns (roundId, answer, startedAt, updatedAt,
// answeredInRound). A feed that stopped updating (sequencer down, heartbeat
// missed, deprecated aggregator) keeps returning its last answer, and a
// broken aggregator can return 0 or a negative answer. The analyzer
// reports a latestRoundData call whose function does not test the answer
// (answer > 0) or the updatedAt timestamp (a staleness bound) in a
// require/if/ternary condition or pass them to a validation helper
// (named like _validate, _check, isStale). The answeredInRound >= roundId
// check, needed with pre-OCR aggregators, is mentioned in the message when
// the file targets Solidity below 0.8 and answeredInRound is ignored.
//
// It also reports calls of the deprecated latestAnswer(), which returns no
// timestamp at all and 0 when no answer is available.
package chainlink
