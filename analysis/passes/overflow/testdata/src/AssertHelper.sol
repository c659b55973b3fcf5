pragma solidity ^0.7.0;

// A custom assertion helper (Balancer's _require): a call to it is a bounds
// check exactly like require().
function _require(bool condition, uint256 errorCode) pure {
    if (!condition) _revert(errorCode);
}

function _revert(uint256 errorCode) pure {
    revert(string(abi.encodePacked(errorCode)));
}

contract AssertHelperVault {
    mapping(address => uint256) internal balances;

    // Negative: _require(msg.value >= amountUsed) bounds the subtraction.
    function handleRemaining(uint256 amountUsed) external payable {
        _require(msg.value >= amountUsed, 1);
        uint256 excess = msg.value - amountUsed;
        balances[msg.sender] = excess;
    }

    // Positive: the helper checks something unrelated.
    function handleUnchecked(uint256 amountUsed) external payable {
        _require(amountUsed > 0, 2);
        uint256 excess = msg.value - amountUsed; // want "integer underflow: unchecked - on caller-controlled amountUsed"
        balances[msg.sender] = excess;
    }

    // Positive: a helper that does not assert its argument is no check.
    function handleLogged(uint256 amountUsed) external payable {
        _log(msg.value >= amountUsed);
        uint256 excess = msg.value - amountUsed; // want "integer underflow"
        balances[msg.sender] = excess;
    }

    function _log(bool ok) internal {
        balances[address(0)] = ok ? 1 : 0;
    }
}
