pragma solidity >=0.6.2 <0.9.0;

// A pragma range admitting 0.6, 0.7 and 0.8 compilers: unguarded
// arithmetic is unchecked only under the older ones (medium, not high);
// guarded arithmetic is fine under all.
contract RangeToken {
    mapping(address => uint256) internal balances;

    function credit(address to, uint256 amount) external {
        balances[to] += amount; // want "integer overflow: \\+ on caller-controlled amount has no bounds check and is unchecked under the pre-0.8 compilers the pragma \">=0.6.2 <0.9.0\" admits"
    }

    function debit(uint256 amount) external {
        require(balances[msg.sender] >= amount, "balance");
        balances[msg.sender] -= amount;
    }
}
