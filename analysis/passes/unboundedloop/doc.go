// Package unboundedloop defines an analyzer that reports loops over
// storage arrays that anyone can grow.
//
// # Analyzer unbounded-loop
//
// unbounded-loop: loop over a storage array anyone can grow
//
// A loop whose bound is the length of a storage array costs gas in
// proportion to the array. When an unguarded public or external function
// pushes to that array, an attacker can append entries until the loop no
// longer fits in a block, and every function running it (payouts,
// distributions, refunds) is permanently stuck. The analyzer reports such
// loops in state-changing functions whose body makes an external call or
// writes storage; a state counter that unguarded functions increment
// while storing an entry at its position (`entrants[count++] = msg.sender`)
// counts as such an array. It also reports loops in unguarded public functions
// whose iteration count the caller chooses and whose body appends to a
// storage array (`for (i < n) array.length += 1`).
package unboundedloop
