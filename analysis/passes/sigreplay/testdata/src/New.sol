// SPDX-License-Identifier: MIT
pragma solidity ^0.8.0;

library ECDSA {
    function recover(bytes32 hash, bytes memory sig) internal pure returns (address) {
        hash;
        sig;
        return address(0);
    }
}

contract Claim {
    using ECDSA for bytes32;

    address public signer;
    mapping(address => uint256) public nonces;

    function claim(uint256 amount, bytes calldata sig) external {
        bytes32 digest = keccak256(abi.encode(msg.sender, amount, block.chainid, address(this)));
        require(digest.recover(sig) == signer, "sig"); // want "can be replayed: the signed message has no nonce$"
        payable(msg.sender).transfer(amount);
    }

    function claimOnce(uint256 amount, bytes calldata sig) external {
        bytes32 digest = keccak256(abi.encode(msg.sender, amount, nonces[msg.sender]++, block.chainid));
        require(ECDSA.recover(digest, sig) == signer, "sig");
        payable(msg.sender).transfer(amount);
    }

    // Pass-through verification helper: the caller builds the hash.
    function check(bytes32 digest, bytes calldata sig) external view returns (bool) {
        return ECDSA.recover(digest, sig) == signer;
    }
}

// OCR-style reports: the signed context carries the config digest (checked
// against the stored one) and the epoch (must exceed the stored epoch,
// which the call advances), so an old report cannot be replayed.
contract OffchainAggregatorLike {
    struct ConfigInfo {
        bytes32 latestConfigDigest;
        uint32 latestEpoch;
    }
    ConfigInfo internal s_configInfo;
    mapping(address => bool) internal s_signers;
    mapping(bytes32 => address) internal s_transmissions;
    int256 public answer;

    function transmit(bytes32[2] calldata reportContext, bytes calldata report, uint8 v, bytes32 r, bytes32 s) external {
        ConfigInfo memory configInfo = s_configInfo;
        bytes32 configDigest = reportContext[0];
        uint32 epoch = uint32(uint256(reportContext[1]));
        require(configInfo.latestConfigDigest == configDigest, "configDigest mismatch");
        _checkEpoch(epoch);
        bytes32 h = keccak256(abi.encodePacked(keccak256(report), reportContext));
        address signer = ecrecover(h, v, r, s);
        require(s_signers[signer], "signer");
        answer = abi.decode(report, (int256));
    }

    function _checkEpoch(uint32 epoch) internal {
        require(epoch > s_configInfo.latestEpoch, "stale report");
        s_configInfo.latestEpoch = epoch;
    }

    // A used-id registry keyed by the report id.
    function forward(bytes calldata report, uint8 v, bytes32 r, bytes32 s) external {
        bytes32 id = keccak256(report);
        require(s_transmissions[id] == address(0), "already attempted");
        s_transmissions[id] = msg.sender;
        bytes32 h = keccak256(abi.encodePacked(keccak256(report), address(this), block.chainid));
        require(s_signers[ecrecover(h, v, r, s)], "signer");
        answer = abi.decode(report, (int256));
    }

    // Positive: the digest is compared with nothing stored.
    function transmitUnbound(bytes32[2] calldata reportContext, bytes calldata report, uint8 v, bytes32 r, bytes32 s) external {
        require(reportContext[0] != bytes32(0), "empty");
        bytes32 h = keccak256(abi.encodePacked(keccak256(report), reportContext));
        address signer = ecrecover(h, v, r, s); // want "can be replayed: the signed message has no nonce, chain id or contract address"
        require(s_signers[signer], "signer");
        answer = abi.decode(report, (int256));
    }
}

// Keystone-style forwarder: the used-id registry is checked in a self-call.
contract ForwarderLike {
    mapping(bytes32 => address) internal s_transmissions;
    mapping(address => bool) internal s_signers;

    function report(address receiver, bytes calldata rawReport, uint8 v, bytes32 r, bytes32 s) external {
        bytes32 h = keccak256(abi.encodePacked(keccak256(rawReport), receiver));
        address signer = ecrecover(h, v, r, s);
        require(s_signers[signer], "signer");
        this.route(keccak256(abi.encode(receiver, rawReport)), receiver, rawReport);
    }

    function route(bytes32 transmissionId, address receiver, bytes calldata data) external returns (bool ok) {
        require(msg.sender == address(this), "self");
        if (s_transmissions[transmissionId] != address(0)) revert("already attempted");
        s_transmissions[transmissionId] = receiver;
        (ok, ) = receiver.call(data);
    }

    // Positive: the self-call registers nothing.
    function reportTwice(address receiver, bytes calldata rawReport, uint8 v, bytes32 r, bytes32 s) external {
        bytes32 h = keccak256(abi.encodePacked(keccak256(rawReport), receiver));
        address signer = ecrecover(h, v, r, s); // want "can be replayed"
        require(s_signers[signer], "signer");
        this.ping(receiver, rawReport);
    }

    function ping(address receiver, bytes calldata data) external returns (bool ok) {
        require(msg.sender == address(this), "self");
        (ok, ) = receiver.call(data);
    }
}

// Chainlink Functions style: the base contract verifies the signatures and
// the derived coordinator (through virtual hooks) answers only requests
// whose commitment is stored, deleting it when fulfilled.
abstract contract ReportBase {
    mapping(address => bool) internal s_signers;

    function _beforeTransmit(bytes calldata report) internal view virtual returns (bool shouldStop);

    function _report(bytes calldata report) internal virtual;

    function transmit(bytes calldata report, uint8 v, bytes32 r, bytes32 s) external {
        if (_beforeTransmit(report)) return;
        bytes32 h = keccak256(report);
        address signer = ecrecover(h, v, r, s);
        require(s_signers[signer], "signer");
        _report(report);
    }
}

contract Coordinator is ReportBase {
    mapping(bytes32 => bytes32) internal s_requestCommitments;

    function _beforeTransmit(bytes calldata report) internal view override returns (bool) {
        bytes32 requestId = abi.decode(report, (bytes32));
        return !_isExistingRequest(requestId);
    }

    function _isExistingRequest(bytes32 requestId) internal view returns (bool) {
        return s_requestCommitments[requestId] != bytes32(0);
    }

    function _report(bytes calldata report) internal override {
        bytes32 requestId = abi.decode(report, (bytes32));
        delete s_requestCommitments[requestId];
    }
}

// Positive: the same shape without any stored request registry.
abstract contract ReportBaseUnbound {
    mapping(address => bool) internal s_signers;
    uint256 internal s_count;

    function _report(bytes calldata report) internal virtual;

    function transmit(bytes calldata report, uint8 v, bytes32 r, bytes32 s) external {
        bytes32 h = keccak256(report);
        address signer = ecrecover(h, v, r, s); // want "can be replayed"
        require(s_signers[signer], "signer");
        _report(report);
    }
}

contract CoordinatorUnbound is ReportBaseUnbound {
    function _report(bytes calldata report) internal override {
        s_count += abi.decode(report, (uint256));
    }
}

// Keystone OCR3Capability: the only concrete contract disables reporting,
// so no signed report is ever accepted.
abstract contract OCRBaseDisabled {
    mapping(address => bool) internal s_signers;

    function _report(bytes calldata report) internal virtual;

    function transmit(bytes calldata report, uint8 v, bytes32 r, bytes32 s) external {
        bytes32 h = keccak256(report);
        address signer = ecrecover(h, v, r, s);
        require(s_signers[signer], "signer");
        _report(report);
    }
}

contract CapabilityDisabled is OCRBaseDisabled {
    error ReportingUnsupported();

    function _report(bytes calldata) internal pure override {
        revert ReportingUnsupported();
    }
}
