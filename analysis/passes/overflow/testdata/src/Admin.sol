pragma solidity ^0.7.0;

// Arithmetic on values only an authorized caller chooses.
contract AdminTimelock {
    address public root;
    uint256[] internal executableAt;

    modifier onlyRoot() {
        require(msg.sender == root, "root");
        _;
    }

    // Negative: only root picks the delay.
    function scheduleDelayChange(uint256 newDelay) external onlyRoot {
        _scheduleWithDelay(newDelay);
    }

    // Positive: anyone picks the delay.
    function scheduleAnything(uint256 delay) external {
        executableAt.push(block.timestamp + delay); // want "integer overflow: unchecked \\+ on caller-controlled delay"
    }

    function _scheduleWithDelay(uint256 delay) private {
        executableAt.push(block.timestamp + delay);
    }
}
