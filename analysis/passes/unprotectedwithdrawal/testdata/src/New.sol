// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

interface IERC20 {
    function transfer(address to, uint256 amount) external returns (bool);
}

contract Treasury {
    address public owner;
    IERC20 public token;
    uint256 public unlockTime;

    modifier onlyOwner() {
        require(msg.sender == owner, "owner");
        _;
    }

    // Vulnerable: anyone chooses the recipient and the amount.
    function rescue(address payable to, uint256 amount) external {
        (bool ok, ) = to.call{value: amount}(""); // want "rescue sends funds"
        require(ok);
    }

    // Vulnerable: token drain.
    function rescueToken(uint256 amount) external {
        token.transfer(msg.sender, amount); // want "rescueToken sends funds"
    }

    // Safe: guarded.
    function ownerRescue(address payable to) external onlyOwner {
        to.transfer(address(this).balance);
    }

    // Safe: time-locked release to the owner (state-dependent rule).
    function release(address payable to) external {
        require(block.timestamp >= unlockTime);
        to.transfer(address(this).balance);
    }

    // Safe: pays back the caller's own Ether.
    function bounce() external payable {
        payable(msg.sender).transfer(msg.value);
    }
}

// Uniswap v3 callbacks: the caller must be the pool whose CREATE2 address
// the factory and the pool key determine.
library CallbackCheck {
    function computeAddress(address factory, bytes32 key) internal pure returns (address) {
        return address(uint160(uint256(keccak256(abi.encodePacked(hex"ff", factory, key, bytes32(0))))));
    }

    function verifyLoose(address pool) internal view {
        address expected = pool;
        require(msg.sender == expected);
    }

    function verifyCallback(address factory, bytes32 key) internal view returns (address pool) {
        pool = computeAddress(factory, key);
        require(msg.sender == address(pool));
    }
}

contract PeripheryLike {
    address public immutable factory;
    IERC20 public token;

    constructor(address f) {
        factory = f;
    }

    function mintCallback(uint256 owed, bytes calldata data) external {
        (bytes32 key, address recipient) = abi.decode(data, (bytes32, address));
        CallbackCheck.verifyCallback(factory, key);
        token.transfer(recipient, owed);
    }

    // Positive: the "pool" is whatever address the caller passes in.
    function mintCallbackUnchecked(uint256 owed, bytes calldata data) external {
        (address pool, address recipient) = abi.decode(data, (address, address));
        CallbackCheck.verifyLoose(pool);
        token.transfer(recipient, owed); // want "mintCallbackUnchecked sends funds"
    }
}

// ERC-7201 namespaced storage (OpenZeppelin 5 upgradeable): the wrapper
// burns the caller's balance, kept behind a storage pointer, before paying.
contract WrapperUpgradeableLike {
    struct WrapperStorage {
        mapping(address => uint256) _balances;
        IERC20 _underlying;
    }

    bytes32 private constant WrapperStorageLocation = 0x0773e532dfede91f04b12a73d3d2acd361424f41f76b4fb79f090161e36b4e00;

    function _getWrapperStorage() private pure returns (WrapperStorage storage $) {
        assembly {
            $.slot := WrapperStorageLocation
        }
    }

    function _burn(address from, uint256 value) internal {
        WrapperStorage storage $ = _getWrapperStorage();
        uint256 fromBalance = $._balances[from];
        require(fromBalance >= value, "balance");
        $._balances[from] = fromBalance - value;
    }

    function withdrawTo(address account, uint256 value) public returns (bool) {
        WrapperStorage storage $ = _getWrapperStorage();
        _burn(msg.sender, value);
        $._underlying.transfer(account, value);
        return true;
    }

    // Positive: pays from the pool without touching any books.
    function skim(address account, uint256 value) public returns (bool) {
        WrapperStorage storage $ = _getWrapperStorage();
        $._underlying.transfer(account, value); // want "skim sends funds"
        return true;
    }
}

// OpenZeppelin Address: functionCall forwards a plain call with value 0.
library AddressLike {
    function functionCall(address target, bytes memory data) internal returns (bytes memory) {
        return functionCallWithValue(target, data, 0);
    }

    function functionCallWithValue(address target, bytes memory data, uint256 value) internal returns (bytes memory) {
        (bool success, bytes memory returndata) = target.call{value: value}(data);
        require(success);
        return returndata;
    }

    function sendAll(address target, uint256 value) internal {
        (bool success, ) = target.call{value: value}(""); // want "forwardValue sends funds to a caller-chosen address"
        require(success);
    }
}

contract MessengerForwarder {
    function sendMessage(address target, bytes calldata message) external {
        AddressLike.functionCall(target, message);
    }

    // Positive: the forwarded value is the caller's choice.
    function forwardValue(address target, uint256 amount) external {
        AddressLike.sendAll(target, amount);
    }
}
