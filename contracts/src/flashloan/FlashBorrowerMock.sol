// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "../interfaces/IERC20.sol";
import {IERC3156FlashBorrower} from "../interfaces/IERC3156FlashBorrower.sol";
import {IERC3156FlashLender} from "../interfaces/IERC3156FlashLender.sol";
import {IUniswapV2Callee} from "../interfaces/IUniswapV2Callee.sol";
import {IUniswapV2Pair} from "../interfaces/IUniswapV2Pair.sol";

/// @title FlashBorrowerMock
/// @notice Test borrower for ERC-3156 flash loans and AMM flash swaps that
/// repays, under-repays or returns a wrong callback value on demand. Fund it
/// with the fee before borrowing.
contract FlashBorrowerMock is IERC3156FlashBorrower, IUniswapV2Callee {
    /// @notice How the next callback behaves.
    enum Mode {
        Repay,
        NoRepay,
        WrongReturn
    }

    Mode private mode;

    /// @notice Emitted inside each callback with what was received.
    event Borrowed(address token, uint256 amount, uint256 fee, uint256 balance);

    /// @notice Takes an ERC-3156 flash loan of `amount` `token` from `lender`.
    function flashLoan(IERC3156FlashLender lender, address token, uint256 amount, Mode mode_) external {
        mode = mode_;
        lender.flashLoan(this, token, amount, "");
    }

    /// @notice Flash-swaps `amount0Out`/`amount1Out` out of `pair` and pays
    /// back the same token plus the 0.3% fee inside uniswapV2Call.
    function flashSwap(IUniswapV2Pair pair, uint256 amount0Out, uint256 amount1Out, Mode mode_) external {
        mode = mode_;
        pair.swap(amount0Out, amount1Out, address(this), abi.encode(address(pair)));
    }

    /// @inheritdoc IERC3156FlashBorrower
    function onFlashLoan(address, address token, uint256 amount, uint256 fee, bytes calldata)
        external
        returns (bytes32)
    {
        emit Borrowed(token, amount, fee, IERC20(token).balanceOf(address(this)));
        if (mode == Mode.WrongReturn) return bytes32(0);
        IERC20(token).approve(msg.sender, mode == Mode.Repay ? amount + fee : 0);
        return keccak256("ERC3156FlashBorrower.onFlashLoan");
    }

    /// @inheritdoc IUniswapV2Callee
    function uniswapV2Call(address, uint256 amount0, uint256 amount1, bytes calldata data) external {
        address pair = abi.decode(data, (address));
        require(msg.sender == pair, "FlashBorrowerMock: not the pair");
        (address token, uint256 amount) = amount0 > 0
            ? (IUniswapV2Pair(pair).token0(), amount0)
            : (IUniswapV2Pair(pair).token1(), amount1);
        emit Borrowed(token, amount, 0, IERC20(token).balanceOf(address(this)));
        if (mode != Mode.Repay) return;
        uint256 owed = amount * 1000 / 997 + 1;
        IERC20(token).transfer(pair, owed);
    }
}
