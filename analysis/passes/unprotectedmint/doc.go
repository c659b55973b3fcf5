// Package unprotectedmint defines an analyzer that reports public
// functions that create tokens for anyone.
//
// # Analyzer unprotected-mint
//
// unprotected-mint: anyone can mint tokens
//
// A public or external function without a caller check increases the
// token supply by a caller-chosen amount: it calls a mint routine (one
// that writes a *supply* variable) with an amount taken from its
// parameters, or adds a parameter to totalSupply itself. Functions that
// take payment (payable, or an external call such as transferFrom — the
// wrapper/vault deposit pattern), check a signature or Merkle proof, or
// are initializers are not reported.
package unprotectedmint
