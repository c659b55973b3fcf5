import "../src/vault/Vault.sol";
contract VaultTest {}
