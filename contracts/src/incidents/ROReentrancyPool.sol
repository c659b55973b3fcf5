// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "../tokens/ERC20.sol";
import {Guarded} from "../access/Guarded.sol";
import {IERC20} from "../interfaces/IERC20.sol";

/// @title ROReentrancyPool
/// @notice A two-coin stable pool in the style of Curve's ETH/stETH pool:
/// native ETH and a 1:1 staked-ETH token, LP shares priced by
/// `get_virtual_price()` = (ETH balance + token balance) / LP supply.
/// Re-creates the read-only reentrancy behind the Curve-LP oracle incidents
/// (dForce Feb 2023, Midas Capital Jan 2023; Sentiment Apr 2023 was the same
/// bug through a Balancer pool).
contract ROReentrancyPool is ERC20, Guarded {
    /// @notice The staked-ETH coin.
    IERC20 public immutable coin;
    /// @notice The pool's accounted balance of `coin`.
    uint256 public coinBalance;
    /// @notice True for the fixed variant: state is settled before ETH leaves.
    bool public immutable settleFirst;

    /// @notice Emitted on add_liquidity.
    event AddLiquidity(address indexed provider, uint256 ethAmount, uint256 coinAmount, uint256 lpMinted);
    /// @notice Emitted on remove_liquidity.
    event RemoveLiquidity(address indexed provider, uint256 ethAmount, uint256 coinAmount, uint256 lpBurned);

    /// @notice Sending ETH to the provider failed.
    error EthSendFailed();

    /// @param coin_ The staked-ETH token.
    /// @param guardian_ The pause guardian.
    /// @param settleFirst_ True for the fixed variant.
    constructor(IERC20 coin_, address guardian_, bool settleFirst_) ERC20("Curve-style ETH/sETHx LP", "ethsETHx-LP", 18) Guarded(guardian_) {
        coin = coin_;
        settleFirst = settleFirst_;
    }

    /// @notice LP value in ETH, scaled by 1e18.
    function get_virtual_price() public view returns (uint256) {
        if (totalSupply == 0) return 1e18;
        return (address(this).balance + coinBalance) * 1e18 / totalSupply;
    }

    /// @notice Deposits msg.value ETH and `coinAmount` coin for LP shares.
    /// @return minted LP shares minted.
    function add_liquidity(uint256 coinAmount) external payable whenNotPaused returns (uint256 minted) {
        uint256 before = address(this).balance - msg.value + coinBalance;
        uint256 value = msg.value + coinAmount;
        minted = totalSupply == 0 ? value : value * totalSupply / before;
        coin.transferFrom(msg.sender, address(this), coinAmount);
        coinBalance += coinAmount;
        _mint(msg.sender, minted);
        emit AddLiquidity(msg.sender, msg.value, coinAmount, minted);
    }

    /// @notice Burns `lp` shares for the proportional ETH and coin.
    function remove_liquidity(uint256 lp) external whenNotPaused {
        uint256 ethOut = lp * address(this).balance / totalSupply;
        uint256 coinOut = lp * coinBalance / totalSupply;
        _burn(msg.sender, lp);
        if (settleFirst) {
            coinBalance -= coinOut;
            coin.transfer(msg.sender, coinOut);
        }
        // VULNERABLE: ETH leaves while coinBalance still counts the coin
        // about to be paid out: get_virtual_price() is inflated during the
        // recipient's fallback.
        (bool ok,) = msg.sender.call{value: ethOut}("");
        if (!ok) revert EthSendFailed();
        if (!settleFirst) {
            coinBalance -= coinOut;
            coin.transfer(msg.sender, coinOut);
        }
        emit RemoveLiquidity(msg.sender, ethOut, coinOut, lp);
    }
}

/// @title ROReentrancyLender
/// @notice A lending market that lends USDx against ROReentrancyPool LP
/// shares valued at the pool's `get_virtual_price()` times an owner-set ETH
/// price (a Chainlink-style feed): the integration the Curve read-only
/// reentrancy broke.
contract ROReentrancyLender is Guarded {
    /// @notice The lent dollar token.
    IERC20 public immutable usd;
    /// @notice The collateral pool.
    ROReentrancyPool public immutable pool;
    /// @notice ETH price in USDx, 1e18-scaled.
    uint256 public ethPrice;
    /// @notice Loan-to-value in basis points.
    uint256 public constant LTV_BPS = 8000;
    /// @notice LP collateral per account.
    mapping(address => uint256) public collateralOf;
    /// @notice USDx debt per account.
    mapping(address => uint256) public debtOf;

    /// @notice Emitted on a borrow.
    event Borrowed(address indexed account, uint256 amount);
    /// @notice The borrow exceeds the account's limit.
    error OverLimit(uint256 limit, uint256 debt);

    /// @param usd_ The lent token.
    /// @param pool_ The collateral pool.
    /// @param ethPrice_ ETH price in USDx (1e18-scaled).
    /// @param guardian_ The pause guardian.
    constructor(IERC20 usd_, ROReentrancyPool pool_, uint256 ethPrice_, address guardian_) Guarded(guardian_) {
        usd = usd_;
        pool = pool_;
        ethPrice = ethPrice_;
    }

    /// @notice Posts `lp` pool shares as collateral.
    function depositCollateral(uint256 lp) external whenNotPaused {
        pool.transferFrom(msg.sender, address(this), lp);
        collateralOf[msg.sender] += lp;
    }

    /// @notice The USDx an account may owe at most.
    function borrowLimit(address account) public view returns (uint256) {
        uint256 value = collateralOf[account] * pool.get_virtual_price() / 1e18 * ethPrice / 1e18;
        return value * LTV_BPS / 10_000;
    }

    /// @notice Borrows `amount` USDx.
    function borrow(uint256 amount) external whenNotPaused {
        uint256 debt = debtOf[msg.sender] + amount;
        uint256 limit = borrowLimit(msg.sender);
        if (debt > limit) revert OverLimit(limit, debt);
        debtOf[msg.sender] = debt;
        usd.transfer(msg.sender, amount);
        emit Borrowed(msg.sender, amount);
    }
}
