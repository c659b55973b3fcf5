// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RtERC20Lite} from "./RtCommon.sol";

/// @title RtTimelockMintable
/// @notice Honest governance-style token: new supply can only be minted by
/// the MINTER role, which is held by a 2-day timelock contract.
contract RtTimelockMintable is RtERC20Lite {
    bytes32 public constant MINTER_ROLE = keccak256("MINTER_ROLE");
    mapping(bytes32 => mapping(address => bool)) public hasRole;

    event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender);

    constructor(address timelock) RtERC20Lite("Governed Token", "GOVT", 18) {
        hasRole[MINTER_ROLE][timelock] = true;
        emit RoleGranted(MINTER_ROLE, timelock, msg.sender);
        _mint(msg.sender, 25_000_000 ether);
    }

    function mint(address to, uint256 amount) external {
        require(hasRole[MINTER_ROLE][msg.sender], "AccessControl: missing role");
        _mint(to, amount);
    }
}

/// @title RtTimelock
/// @notice Minimal timelock: the admin queues a call, which can execute only
/// after `delay` seconds.
contract RtTimelock {
    address public immutable admin;
    uint256 public immutable delay;
    mapping(bytes32 => uint256) public eta;

    event Queued(bytes32 indexed id, address target, bytes data, uint256 eta);
    event Executed(bytes32 indexed id);

    constructor(address admin_, uint256 delay_) {
        require(delay_ >= 1 days, "delay");
        admin = admin_;
        delay = delay_;
    }

    function queue(address target, bytes calldata data) external returns (bytes32 id) {
        require(msg.sender == admin, "admin");
        id = keccak256(abi.encode(target, data));
        eta[id] = block.timestamp + delay;
        emit Queued(id, target, data, eta[id]);
    }

    function execute(address target, bytes calldata data) external returns (bytes memory) {
        require(msg.sender == admin, "admin");
        bytes32 id = keccak256(abi.encode(target, data));
        uint256 t = eta[id];
        require(t != 0 && block.timestamp >= t, "timelocked");
        delete eta[id];
        (bool ok, bytes memory ret) = target.call(data);
        require(ok, "call failed");
        emit Executed(id);
        return ret;
    }
}
