pragma solidity ^0.8.0;

contract Wallet {
	address owner;

	function withdraw(address payable to) external {
		require(tx.origin == owner, "not owner");
		to.transfer(address(this).balance);
	}

	function legacy() external {
		if (msg.sender != owner) {
			revert();
		}
		bytes32 h = sha3(
			"x"
		);
	}
}
