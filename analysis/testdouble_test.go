package analysis

import "testing"

func TestTestDouble(t *testing.T) {
	for _, c := range []struct {
		contract, path string
		want           bool
	}{
		{"ERC20Mock", "contracts/token/ERC20.sol", true},
		{"MockRouter", "src/Router.sol", true},
		{"ERC20MockUpgradeable", "src/x.sol", true},
		{"VaultHarness", "src/Vault.sol", true},
		{"TestToken", "src/Token.sol", true},
		{"VaultTest", "src/Vault.sol", true},
		{"Vault", "contracts/mocks/Vault.sol", true},
		{"Vault", `contracts\Mock\Vault.sol`, true},
		{"Vault", "test/harnesses/Vault.sol", true},
		{"", "src/MockOracle.sol", true},
		{"", "src/Vault.t.sol", true},
		// Production code whose name merely contains the letters.
		{"Vault", "contracts/Vault.sol", false},
		{"Attestation", "src/Attestation.sol", false},
		{"Contest", "src/Contest.sol", false},
		{"Harnessed", "src/h.sol", false},
		{"Vault", "contracts/mockingbird-free/Vault.sol", false},
		{"", "src/Vault.sol", false},
	} {
		if got := TestDouble(c.contract, c.path); got != c.want {
			t.Errorf("TestDouble(%q, %q) = %v, want %v", c.contract, c.path, got, c.want)
		}
	}
}
