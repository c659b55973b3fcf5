// Package weakrandomness defines an analyzer that reports random numbers
// derived from block data.
//
// # Analyzer weak-randomness
//
// weak-randomness: randomness from block attributes
//
// block.timestamp (now), block.number, block.difficulty/prevrandao,
// block.coinbase, block.gaslimit and blockhash are known to, or chosen by,
// the block producer, and readable by any contract executing in the same
// block. The analyzer reports them when they feed a random draw: a modulo
// (`uint(keccak256(block.difficulty, now)) % 10`, `block.number % 2`), a
// hash converted to an integer, a blockhash compared with a guess or
// stored, difficulty/prevrandao/coinbase mixed into values, and state
// "seeds" initialized from block data. Plain timestamp arithmetic
// (`block.timestamp % 1 days`, deadlines) is left to timestamp-dependence.
package weakrandomness
