// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

/// @title LaunderBridgeVault
/// @notice Testbed lock-and-mint bridge, source side: ETH locked here is
/// minted as LaunderBridgedETH on the "destination chain" by the relayer.
contract LaunderBridgeVault {
    address public immutable relayer;
    uint256 public nonce;

    event Locked(uint256 indexed nonce, address indexed sender, address recipient, uint256 destChainId, uint256 amount);

    constructor(address _relayer) {
        relayer = _relayer;
    }

    function lock(address recipient, uint256 destChainId) external payable {
        require(msg.value > 0, "nothing to bridge");
        emit Locked(nonce++, msg.sender, recipient, destChainId, msg.value);
    }
}

/// @title LaunderBridgedETH
/// @notice Testbed lock-and-mint bridge, destination side: the relayer
/// mints one token per wei locked in the vault.
contract LaunderBridgedETH {
    string public constant name = "Bridged ETH (testbed)";
    string public constant symbol = "bETH";
    uint8 public constant decimals = 18;
    address public immutable relayer;
    uint256 public totalSupply;
    mapping(address => uint256) public balanceOf;
    mapping(uint256 => bool) public processed;

    event Transfer(address indexed from, address indexed to, uint256 value);

    constructor(address _relayer) {
        relayer = _relayer;
    }

    function mint(uint256 lockNonce, address to, uint256 amount) external {
        require(msg.sender == relayer, "not relayer");
        require(!processed[lockNonce], "processed");
        processed[lockNonce] = true;
        totalSupply += amount;
        balanceOf[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function transfer(address to, uint256 amount) external returns (bool) {
        balanceOf[msg.sender] -= amount;
        balanceOf[to] += amount;
        emit Transfer(msg.sender, to, amount);
        return true;
    }
}
