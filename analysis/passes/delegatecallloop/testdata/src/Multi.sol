// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Multi {
    function multicall(bytes[] calldata data) external payable returns (bytes[] memory results) {
        results = new bytes[](data.length);
        for (uint256 i = 0; i < data.length; i++) {
            (bool ok, bytes memory r) = address(this).delegatecall(data[i]); // want "delegatecall inside a loop of payable"
            require(ok);
            results[i] = r;
        }
    }

    // Negative: not payable.
    function multicallNP(bytes[] calldata data) external {
        for (uint256 i = 0; i < data.length; i++) {
            (bool ok, ) = address(this).delegatecall(data[i]);
            require(ok);
        }
    }

    // Negative: no loop.
    function once(bytes calldata data) external payable {
        (bool ok, ) = address(this).delegatecall(data);
        require(ok);
    }

    // What makes the loop dangerous: a callee that credits msg.value.
    mapping(address => uint256) public deposits;

    function deposit() external payable {
        deposits[msg.sender] += msg.value;
    }
}

// Uniswap-style stateless multicall: no function of the contract (or of any
// contract deriving from it) reads msg.value.
abstract contract StatelessMulticall {
    function multicall(bytes[] calldata data) public payable returns (bytes[] memory results) {
        results = new bytes[](data.length);
        for (uint256 i = 0; i < data.length; i++) {
            (bool ok, bytes memory r) = address(this).delegatecall(data[i]);
            require(ok);
            results[i] = r;
        }
    }
}

contract Router is StatelessMulticall {
    function refundETH() external payable {
        if (address(this).balance > 0) payable(msg.sender).transfer(address(this).balance);
    }
}

// Positive: the multicall itself is stateless, but a derived contract
// credits msg.value.
abstract contract BaseMulticall {
    function multicall(bytes[] calldata data) public payable {
        for (uint256 i = 0; i < data.length; i++) {
            (bool ok, ) = address(this).delegatecall(data[i]); // want "delegatecall inside a loop of payable"
            require(ok);
        }
    }
}

contract Sale is BaseMulticall {
    mapping(address => uint256) public bought;

    function buy() external payable {
        bought[msg.sender] += msg.value;
    }
}
