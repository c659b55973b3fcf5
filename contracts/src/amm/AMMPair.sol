// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "../tokens/ERC20.sol";
import {IERC20} from "../interfaces/IERC20.sol";
import {IUniswapV2Callee} from "../interfaces/IUniswapV2Callee.sol";
import {IUniswapV2Factory} from "../interfaces/IUniswapV2Factory.sol";
import {AMMMath, UQ112x112} from "./AMMMath.sol";

/// @title AMMPair
/// @notice Constant-product pool with Uniswap V2 semantics: the pool's own
/// ERC-20 LP token, a 0.3% swap fee, optimistic transfers with flash swaps
/// (uniswapV2Call), and UQ112x112 cumulative prices for TWAP oracles.
/// Deployed only by AMMFactory. No admin, not pausable (as Uniswap).
contract AMMPair is ERC20 {
    using UQ112x112 for uint224;

    /// @notice LP tokens locked forever at the first mint.
    uint256 public constant MINIMUM_LIQUIDITY = 10 ** 3;

    /// @notice The factory that deployed this pair.
    address public immutable factory;
    /// @notice The lower-sorted token.
    address public token0;
    /// @notice The higher-sorted token.
    address public token1;

    uint112 private reserve0;
    uint112 private reserve1;
    uint32 private blockTimestampLast;

    /// @notice Sum over time of token1/token0 spot prices (UQ112x112 * seconds).
    uint256 public price0CumulativeLast;
    /// @notice Sum over time of token0/token1 spot prices (UQ112x112 * seconds).
    uint256 public price1CumulativeLast;
    /// @notice reserve0 * reserve1 after the latest liquidity event (protocol fee).
    uint256 public kLast;

    uint256 private unlocked = 1;

    /// @notice Emitted when liquidity is added.
    event Mint(address indexed sender, uint256 amount0, uint256 amount1);
    /// @notice Emitted when liquidity is removed.
    event Burn(address indexed sender, uint256 amount0, uint256 amount1, address indexed to);
    /// @notice Emitted on every swap.
    event Swap(
        address indexed sender,
        uint256 amount0In,
        uint256 amount1In,
        uint256 amount0Out,
        uint256 amount1Out,
        address indexed to
    );
    /// @notice Emitted whenever reserves change.
    event Sync(uint112 reserve0, uint112 reserve1);

    error Locked();
    error Forbidden();
    error Overflow();
    error InsufficientLiquidityMinted();
    error InsufficientLiquidityBurned();
    error InsufficientOutputAmount();
    error InsufficientInputAmount();
    error InsufficientLiquidity();
    error InvalidTo();
    /// @notice The constant-product invariant (with fee) would decrease.
    error K();

    modifier lock() {
        if (unlocked != 1) revert Locked();
        unlocked = 0;
        _;
        unlocked = 1;
    }

    constructor() ERC20("Aegis AMM LP", "AMM-LP", 18) {
        factory = msg.sender;
    }

    /// @notice Called once by the factory at deployment.
    function initialize(address token0_, address token1_) external {
        if (msg.sender != factory) revert Forbidden();
        token0 = token0_;
        token1 = token1_;
    }

    /// @notice Current reserves and the timestamp of the last reserve update.
    function getReserves() public view returns (uint112 reserve0_, uint112 reserve1_, uint32 blockTimestampLast_) {
        reserve0_ = reserve0;
        reserve1_ = reserve1;
        blockTimestampLast_ = blockTimestampLast;
    }

    function _safeTransfer(address token, address to, uint256 value) private {
        (bool ok, bytes memory data) = token.call(abi.encodeCall(IERC20.transfer, (to, value)));
        if (!ok || (data.length != 0 && !abi.decode(data, (bool)))) {
            if (!ok && data.length > 0) {
                assembly {
                    revert(add(data, 32), mload(data))
                }
            }
            revert("AMMPair: TRANSFER_FAILED");
        }
    }

    /// @dev Updates reserves and, on the first call per block, the price accumulators.
    function _update(uint256 balance0, uint256 balance1, uint112 reserve0_, uint112 reserve1_) private {
        if (balance0 > type(uint112).max || balance1 > type(uint112).max) revert Overflow();
        uint32 blockTimestamp = uint32(block.timestamp % 2 ** 32);
        unchecked {
            uint32 timeElapsed = blockTimestamp - blockTimestampLast; // overflow is desired
            if (timeElapsed > 0 && reserve0_ != 0 && reserve1_ != 0) {
                // * never overflows, and + overflow is desired
                price0CumulativeLast += uint256(UQ112x112.encode(reserve1_).uqdiv(reserve0_)) * timeElapsed;
                price1CumulativeLast += uint256(UQ112x112.encode(reserve0_).uqdiv(reserve1_)) * timeElapsed;
            }
        }
        reserve0 = uint112(balance0);
        reserve1 = uint112(balance1);
        blockTimestampLast = blockTimestamp;
        emit Sync(reserve0, reserve1);
    }

    /// @dev Mints the protocol fee (1/6 of growth in sqrt(k)) to feeTo when set.
    function _mintFee(uint112 reserve0_, uint112 reserve1_) private returns (bool feeOn) {
        address feeTo = IUniswapV2Factory(factory).feeTo();
        feeOn = feeTo != address(0);
        uint256 kLast_ = kLast;
        if (feeOn) {
            if (kLast_ != 0) {
                uint256 rootK = AMMMath.sqrt(uint256(reserve0_) * reserve1_);
                uint256 rootKLast = AMMMath.sqrt(kLast_);
                if (rootK > rootKLast) {
                    uint256 numerator = totalSupply * (rootK - rootKLast);
                    uint256 denominator = rootK * 5 + rootKLast;
                    uint256 liquidity = numerator / denominator;
                    if (liquidity > 0) _mint(feeTo, liquidity);
                }
            }
        } else if (kLast_ != 0) {
            kLast = 0;
        }
    }

    /// @notice Mints LP tokens to `to` for the tokens sent to the pair since
    /// the last update. Call through the router unless you know what you do.
    /// @return liquidity LP tokens minted.
    function mint(address to) external lock returns (uint256 liquidity) {
        (uint112 reserve0_, uint112 reserve1_,) = getReserves();
        uint256 balance0 = IERC20(token0).balanceOf(address(this));
        uint256 balance1 = IERC20(token1).balanceOf(address(this));
        uint256 amount0 = balance0 - reserve0_;
        uint256 amount1 = balance1 - reserve1_;

        bool feeOn = _mintFee(reserve0_, reserve1_);
        uint256 totalSupply_ = totalSupply; // _mintFee may change totalSupply
        if (totalSupply_ == 0) {
            liquidity = AMMMath.sqrt(amount0 * amount1) - MINIMUM_LIQUIDITY;
            _mint(address(0xdead), MINIMUM_LIQUIDITY); // permanently lock the first MINIMUM_LIQUIDITY
        } else {
            liquidity = AMMMath.min(amount0 * totalSupply_ / reserve0_, amount1 * totalSupply_ / reserve1_);
        }
        if (liquidity == 0) revert InsufficientLiquidityMinted();
        _mint(to, liquidity);

        _update(balance0, balance1, reserve0_, reserve1_);
        if (feeOn) kLast = uint256(reserve0) * reserve1;
        emit Mint(msg.sender, amount0, amount1);
    }

    /// @notice Burns the LP tokens sent to the pair and sends the
    /// proportional reserves to `to`.
    function burn(address to) external lock returns (uint256 amount0, uint256 amount1) {
        (uint112 reserve0_, uint112 reserve1_,) = getReserves();
        address token0_ = token0;
        address token1_ = token1;
        uint256 balance0 = IERC20(token0_).balanceOf(address(this));
        uint256 balance1 = IERC20(token1_).balanceOf(address(this));
        uint256 liquidity = balanceOf[address(this)];

        bool feeOn = _mintFee(reserve0_, reserve1_);
        uint256 totalSupply_ = totalSupply;
        amount0 = liquidity * balance0 / totalSupply_; // pro-rata distribution
        amount1 = liquidity * balance1 / totalSupply_;
        if (amount0 == 0 || amount1 == 0) revert InsufficientLiquidityBurned();
        _burn(address(this), liquidity);
        _safeTransfer(token0_, to, amount0);
        _safeTransfer(token1_, to, amount1);
        balance0 = IERC20(token0_).balanceOf(address(this));
        balance1 = IERC20(token1_).balanceOf(address(this));

        _update(balance0, balance1, reserve0_, reserve1_);
        if (feeOn) kLast = uint256(reserve0) * reserve1;
        emit Burn(msg.sender, amount0, amount1, to);
    }

    /// @notice Sends `amount0Out`/`amount1Out` to `to`, then (flash swap)
    /// calls `to.uniswapV2Call` when `data` is non-empty, then checks that
    /// enough input arrived for the invariant to hold with a 0.3% fee.
    function swap(uint256 amount0Out, uint256 amount1Out, address to, bytes calldata data) external lock {
        if (amount0Out == 0 && amount1Out == 0) revert InsufficientOutputAmount();
        (uint112 reserve0_, uint112 reserve1_,) = getReserves();
        if (amount0Out >= reserve0_ || amount1Out >= reserve1_) revert InsufficientLiquidity();

        uint256 balance0;
        uint256 balance1;
        {
            address token0_ = token0;
            address token1_ = token1;
            if (to == token0_ || to == token1_) revert InvalidTo();
            if (amount0Out > 0) _safeTransfer(token0_, to, amount0Out); // optimistically transfer tokens
            if (amount1Out > 0) _safeTransfer(token1_, to, amount1Out);
            if (data.length > 0) IUniswapV2Callee(to).uniswapV2Call(msg.sender, amount0Out, amount1Out, data);
            balance0 = IERC20(token0_).balanceOf(address(this));
            balance1 = IERC20(token1_).balanceOf(address(this));
        }
        uint256 amount0In = balance0 > reserve0_ - amount0Out ? balance0 - (reserve0_ - amount0Out) : 0;
        uint256 amount1In = balance1 > reserve1_ - amount1Out ? balance1 - (reserve1_ - amount1Out) : 0;
        if (amount0In == 0 && amount1In == 0) revert InsufficientInputAmount();
        {
            uint256 balance0Adjusted = balance0 * 1000 - amount0In * 3;
            uint256 balance1Adjusted = balance1 * 1000 - amount1In * 3;
            if (balance0Adjusted * balance1Adjusted < uint256(reserve0_) * reserve1_ * 1000 ** 2) revert K();
        }

        _update(balance0, balance1, reserve0_, reserve1_);
        emit Swap(msg.sender, amount0In, amount1In, amount0Out, amount1Out, to);
    }

    /// @notice Sends any balance above the reserves to `to`.
    function skim(address to) external lock {
        address token0_ = token0;
        address token1_ = token1;
        _safeTransfer(token0_, to, IERC20(token0_).balanceOf(address(this)) - reserve0);
        _safeTransfer(token1_, to, IERC20(token1_).balanceOf(address(this)) - reserve1);
    }

    /// @notice Sets the reserves to the balances.
    function sync() external lock {
        _update(IERC20(token0).balanceOf(address(this)), IERC20(token1).balanceOf(address(this)), reserve0, reserve1);
    }
}
