// Package initializerlock defines an analyzer that reports upgradeable
// implementation contracts whose initializers stay callable on the
// implementation itself.
//
// # Analyzer missing-initializer-lock
//
// missing-initializer-lock: implementation contract can be initialized by anyone
//
// An upgradeable implementation (it inherits Initializable or has an
// initializer function) is deployed on its own and used through proxies.
// Unless its constructor locks it — calling _disableInitializers()
// (OpenZeppelin >= 4.6) or carrying the initializer modifier (older
// versions) — anyone can call initialize on the implementation, become its
// owner, and, for UUPS implementations, upgrade it to a contract that
// self-destructs or otherwise breaks every proxy. Abstract contracts,
// OpenZeppelin's own bases and test code are not reported.
package initializerlock
