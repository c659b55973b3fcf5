// Negative cases: the modern replacements.
pragma solidity 0.8.24;

contract Modern {
    struct Order { uint value; uint gas; }
    Order order;
    uint public lockUntil = block.timestamp + 365 days;

    function balance() external view returns (uint) {
        return address(this).balance + order.value + order.gas;
    }

    function hash(bytes calldata b) external pure returns (bytes32) {
        return keccak256(b);
    }

    function pay(address payable to) external {
        if (msg.sender != to) revert();
        (bool ok, ) = to.call{value: 1 ether, gas: gasleft()}("");
        require(ok);
        bytes32 h = blockhash(block.number - 1);
        h;
    }
}
