// Package shadowing defines an analyzer that reports state variables
// shadowed by derived contracts or by local variables.
//
// # Analyzer shadowed-state-variable
//
// shadowed-state-variable: state variable redeclared in a derived contract
// or shadowed by a local
//
// A state variable declared again in a derived contract (legal before
// Solidity 0.6) creates a second storage slot: the base contract's
// functions keep reading and writing the base variable while the derived
// contract's use the new one, so an owner set in one is not the owner
// checked by the other (High). A parameter or local variable with the
// name of a state variable hides it inside the function, and an assignment
// meant for the state variable only changes the local (Low).
package shadowing
