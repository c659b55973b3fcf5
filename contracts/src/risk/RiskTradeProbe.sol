// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

interface IRiskProbePair {
    function token0() external view returns (address);
    function getReserves() external view returns (uint112, uint112, uint32);
    function swap(uint256 amount0Out, uint256 amount1Out, address to, bytes calldata data) external;
}

interface IRiskProbeToken {
    function balanceOf(address) external view returns (uint256);
    function transfer(address, uint256) external returns (bool);
}

interface IRiskProbeWETH {
    function deposit() external payable;
}

/// @title RiskTradeProbe
/// @notice The trade tester of `aegis risk`: never deployed, its runtime
/// code is injected by an eth_simulateV1 state override at a fresh address
/// funded with ETH. buy() wraps ETH, buys the token on a Uniswap-V2-style
/// pair and reports what the quote promised and what arrived (the buy
/// tax); send() and sell() then move what it holds to a wallet and into the
/// pair and report what arrived. Failures are reported, not propagated.
contract RiskTradeProbe {
    /// @notice Transfers half of this contract's `token` balance to `to`.
    /// @return ok Whether the transfer succeeded.
    /// @return amount The amount sent.
    /// @return received What `to`'s balance grew by.
    /// @return reason The revert data of a failed transfer.
    function send(address token, address to)
        external
        returns (bool ok, uint256 amount, uint256 received, bytes memory reason)
    {
        amount = IRiskProbeToken(token).balanceOf(address(this)) / 2;
        uint256 before = IRiskProbeToken(token).balanceOf(to);
        try IRiskProbeToken(token).transfer(to, amount) returns (bool b) {
            ok = b;
        } catch (bytes memory r) {
            reason = r;
        }
        received = IRiskProbeToken(token).balanceOf(to) - before;
    }

    /// @notice Sells (transfers into `pair`) all of this contract's `token`.
    /// @return ok Whether the transfer succeeded.
    /// @return amount The amount sold.
    /// @return received What the pair's balance grew by.
    /// @return reason The revert data of a failed sale.
    function sell(address pair, address token)
        external
        returns (bool ok, uint256 amount, uint256 received, bytes memory reason)
    {
        amount = IRiskProbeToken(token).balanceOf(address(this));
        uint256 before = IRiskProbeToken(token).balanceOf(pair);
        try IRiskProbeToken(token).transfer(pair, amount) returns (bool b) {
            ok = b;
        } catch (bytes memory r) {
            reason = r;
        }
        received = IRiskProbeToken(token).balanceOf(pair) - before;
    }

    /// @notice Buys `token` with `ethIn` wei of `weth` on `pair`.
    /// @return ok Whether the swap succeeded.
    /// @return expected Tokens the constant-product quote (0.3% fee) promised.
    /// @return received Tokens that arrived at this contract.
    /// @return reason The revert data of a failed swap.
    function buy(address pair, address token, address weth, uint256 ethIn)
        external
        returns (bool ok, uint256 expected, uint256 received, bytes memory reason)
    {
        IRiskProbeWETH(weth).deposit{value: ethIn}();
        (uint112 r0, uint112 r1,) = IRiskProbePair(pair).getReserves();
        bool tokenIs0 = IRiskProbePair(pair).token0() == token;
        (uint256 rIn, uint256 rOut) = tokenIs0 ? (uint256(r1), uint256(r0)) : (uint256(r0), uint256(r1));
        uint256 inFee = ethIn * 997;
        expected = (inFee * rOut) / (rIn * 1000 + inFee);
        require(IRiskProbeToken(weth).transfer(pair, ethIn), "weth transfer");
        uint256 before = IRiskProbeToken(token).balanceOf(address(this));
        try IRiskProbePair(pair).swap(tokenIs0 ? expected : 0, tokenIs0 ? 0 : expected, address(this), "") {
            ok = true;
        } catch (bytes memory r) {
            reason = r;
        }
        received = IRiskProbeToken(token).balanceOf(address(this)) - before;
    }
}
