pragma solidity ^0.4.24;

contract Registry {
    mapping(bytes32 => address) public records;

    function register(string name, string suffix) public {
        bytes32 id = keccak256(abi.encodePacked(name, suffix)); // want "abi.encodePacked hashes 2 dynamic values"
        require(records[id] == address(0));
        records[id] = msg.sender;
    }

    function lookup(bytes label, address owner, bytes extra) public view returns (address) {
        return records[keccak256(abi.encodePacked(label, owner, extra))]; // want "abi.encodePacked hashes"
    }

    // Safe: one dynamic value.
    function single(string name, uint256 n) public view returns (address) {
        return records[keccak256(abi.encodePacked(name, n))];
    }

    // Safe: literal prefix.
    function prefixed(string name) public view returns (address) {
        return records[keccak256(abi.encodePacked("ns:", name))];
    }
}
