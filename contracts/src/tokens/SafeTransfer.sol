// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "../interfaces/IERC20.sol";

/// @title SafeTransfer
/// @notice Token and ETH transfers that tolerate tokens returning nothing and
/// revert on failure.
library SafeTransfer {
    /// @notice A token transfer, transferFrom or approve failed.
    error TokenCallFailed(address token, bytes4 selector);
    /// @notice Sending ETH failed.
    error ETHTransferFailed(address to, uint256 value);

    function safeTransfer(IERC20 token, address to, uint256 value) internal {
        _call(token, abi.encodeCall(IERC20.transfer, (to, value)));
    }

    function safeTransferFrom(IERC20 token, address from, address to, uint256 value) internal {
        _call(token, abi.encodeCall(IERC20.transferFrom, (from, to, value)));
    }

    function safeApprove(IERC20 token, address spender, uint256 value) internal {
        _call(token, abi.encodeCall(IERC20.approve, (spender, value)));
    }

    function safeTransferETH(address to, uint256 value) internal {
        (bool ok,) = to.call{value: value}("");
        if (!ok) revert ETHTransferFailed(to, value);
    }

    function _call(IERC20 token, bytes memory data) private {
        (bool ok, bytes memory ret) = address(token).call(data);
        if (!ok || (ret.length != 0 && !abi.decode(ret, (bool))) || address(token).code.length == 0) {
            if (!ok && ret.length > 0) {
                assembly {
                    revert(add(ret, 32), mload(ret))
                }
            }
            revert TokenCallFailed(address(token), bytes4(data));
        }
    }
}
