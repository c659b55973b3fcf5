// SPDX-License-Identifier: MIT
pragma solidity 0.8.19;

contract Wallet {
    address public owner;
    mapping(address => bool) public admins;

    event Called(address origin, address sender);

    modifier onlyOwner() {
        require(tx.origin == owner, "not owner"); // want "tx.origin used for authorization"
        _;
    }

    function withdraw(address payable to, uint256 amount) external {
        if (tx.origin != owner) revert(); // want "tx.origin used for authorization"
        to.transfer(amount);
    }

    function adminOnly() external view returns (bool) {
        require(admins[tx.origin]); // want "tx.origin"
        return owner == tx.origin ? true : false; // want "tx.origin"
    }

    function isOwner() public view returns (bool ok) {
        ok = (owner == tx.origin); // want "tx.origin"
    }

    // Negative cases: logging, paying, storing, and the EOA-caller idiom.
    function log() external {
        emit Called(tx.origin, msg.sender);
        payable(tx.origin).transfer(0);
        owner = tx.origin;
        require(tx.origin == msg.sender, "no contracts");
        require(msg.sender == (tx.origin));
    }

    function suppressed() external view {
        // aegis-disable-next-line tx-origin
        require(tx.origin == owner);
    }
}

// Simulation guards: only an eth_call (from the zero address) passes.
contract TxOriginSimulation {
    address owner;
    error OnlySimulatedBackend();

    function _preventExecution() internal view {
        if (tx.origin != address(0)) {
            revert OnlySimulatedBackend();
        }
    }

    function _preventExecutionTwo() internal view {
        if (tx.origin != address(0) && tx.origin != address(0x1111111111111111111111111111111111111111)) {
            revert OnlySimulatedBackend();
        }
    }

    // Positive: the zero address is admitted, but so is the owner.
    function _ownerOrSimulation() internal view {
        if (tx.origin != address(0) && tx.origin != owner) { // want "tx.origin used for authorization" "tx.origin used for authorization"
            revert OnlySimulatedBackend();
        }
    }

    // Positive: a hard-coded non-zero origin is an identity.
    function _hardcoded() internal view {
        require(tx.origin == address(0x1111111111111111111111111111111111111111)); // want "tx.origin used for authorization"
    }
}

// Chainlink registry: only a designated read-only origin may run the
// simulation entry points, which change no state (beyond their own
// reentrancy lock) and move no Ether.
contract TxOriginReadOnlyRegistry {
    address internal immutable i_allowedReadOnlyAddress;
    bool internal s_lock;
    mapping(uint256 => address) internal s_targets;
    uint256 internal s_count;
    error OnlySimulatedBackend();

    constructor(address readOnly) {
        i_allowedReadOnlyAddress = readOnly;
    }

    modifier nonReentrant() {
        require(!s_lock, "reentrant");
        s_lock = true;
        _;
        s_lock = false;
    }

    function _preventExecution() internal view {
        if (tx.origin != i_allowedReadOnlyAddress) {
            revert OnlySimulatedBackend();
        }
    }

    function simulatePerformUpkeep(uint256 id, bytes calldata performData) external returns (bool success) {
        _preventExecution();
        return _perform(s_targets[id], performData);
    }

    function _perform(address target, bytes calldata performData) internal nonReentrant returns (bool success) {
        (success, ) = target.call(performData);
    }

    // Positive: the same origin gate in front of a state change.
    function _onlyReadOnly() internal view {
        if (tx.origin != i_allowedReadOnlyAddress) { // want "tx.origin used for authorization"
            revert OnlySimulatedBackend();
        }
    }

    function bump() external {
        _onlyReadOnly();
        s_count++;
    }
}

// Chainlink SimpleReadAccessController: EOAs may read; callers pass
// msg.sender, so `_user == tx.origin` asks whether the caller is an EOA.
contract TxOriginReadAccess {
    mapping(address => bool) internal s_readers;
    int256 internal s_answer;

    function hasAccess(address _user, bytes memory) public view returns (bool) {
        return s_readers[_user] || _user == tx.origin;
    }

    modifier checkAccess() {
        require(hasAccess(msg.sender, msg.data), "No access");
        _;
    }

    function latestAnswer() external view checkAccess returns (int256) {
        return s_answer;
    }

    // Positive: a caller asks about an arbitrary account.
    function isOriginAllowed(address account) public view returns (bool) {
        return account == tx.origin; // want "tx.origin used for authorization"
    }

    function poke(address account) external {
        require(isOriginAllowed(account));
        s_answer++;
    }
}
