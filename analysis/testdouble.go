package analysis

import "strings"

// TestDouble reports whether a contract is test scaffolding that is never
// deployed, by the conventions of the Solidity ecosystem: a contract name
// containing "Mock" (ERC20Mock, MockRouter, ERC20MockUpgradeable), ending in
// "Harness", or starting or ending with "Test" (TestToken, VaultTest); or a
// file under a mocks/, mock/, harness/ or harnesses/ directory, whose name
// contains "mock" (MockOracle.sol) or that is a Foundry test (*.t.sol).
// Pass contract "" to ask about a whole file.
//
// Detectors that reason about deployed entry points (access control,
// initializers, value flows, signatures, randomness, …) skip test doubles:
// a mock's unprotected setter is not reachable on chain, and counting it
// made 17 false high findings on mature audited packages. The rule lives
// here, once, so that every detector applies the same one and the audit
// report can state which contracts it matched (cmd/aegis lists them under
// "TEST DOUBLES"). Test directories and Foundry's *.t.sol files are
// excluded earlier, by source discovery.
func TestDouble(contract, path string) bool {
	if strings.Contains(contract, "Mock") || strings.HasSuffix(contract, "Harness") ||
		strings.HasPrefix(contract, "Test") || strings.HasSuffix(contract, "Test") {
		return true
	}
	p := "/" + strings.ToLower(strings.ReplaceAll(path, "\\", "/"))
	for _, d := range []string{"/mocks/", "/mock/", "/harness/", "/harnesses/"} {
		if strings.Contains(p, d) {
			return true
		}
	}
	base := p[strings.LastIndexByte(p, '/')+1:]
	return strings.Contains(base, "mock") || strings.HasSuffix(base, ".t.sol")
}
