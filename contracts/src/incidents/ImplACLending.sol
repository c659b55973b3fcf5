// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "../interfaces/IERC20.sol";

/// @title ImplACPriceSource
/// @notice What ImplACLending asks for a collateral price (USDx per whole
/// token, 1e18-scaled).
interface ImplACPriceSource {
    /// @notice The price of `token`.
    function getUnderlyingPrice(address token) external view returns (uint256);
}

/// @title ImplACFixedFeed
/// @notice The protocol's owner-maintained price feed.
contract ImplACFixedFeed is ImplACPriceSource {
    address public immutable owner;
    mapping(address => uint256) public prices;

    error NotOwner();

    constructor() {
        owner = msg.sender;
    }

    /// @notice Owner sets a price.
    function setPrice(address token, uint256 p) external {
        if (msg.sender != owner) revert NotOwner();
        prices[token] = p;
    }

    /// @inheritdoc ImplACPriceSource
    function getUnderlyingPrice(address token) external view returns (uint256) {
        return prices[token];
    }
}

/// @title ImplACProxy
/// @notice An EIP-1967 transparent-style proxy: storage lives here, logic in
/// the implementation.
contract ImplACProxy {
    bytes32 private constant IMPLEMENTATION_SLOT = 0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc;

    /// @notice Emitted when the implementation changes.
    event Upgraded(address indexed implementation);

    /// @param impl The implementation.
    /// @param init The initialize call.
    constructor(address impl, bytes memory init) {
        assembly {
            sstore(IMPLEMENTATION_SLOT, impl)
        }
        emit Upgraded(impl);
        (bool ok, bytes memory ret) = impl.delegatecall(init);
        if (!ok) {
            assembly {
                revert(add(ret, 32), mload(ret))
            }
        }
    }

    fallback() external payable {
        assembly {
            let impl := sload(IMPLEMENTATION_SLOT)
            calldatacopy(0, 0, calldatasize())
            let ok := delegatecall(gas(), impl, 0, calldatasize(), 0, 0)
            returndatacopy(0, 0, returndatasize())
            switch ok
            case 0 { revert(0, returndatasize()) }
            default { return(0, returndatasize()) }
        }
    }
}

/// @title ImplACLending
/// @notice The implementation of a proxied lending market that lends USDx
/// against a collateral token priced by a pluggable price source, with its
/// own owner/guardian/pause (initializer-based, as behind a proxy).
/// Re-creates Rikkei Finance (Apr 2022): the price-source setter of the
/// live implementation had no access control, so anyone could plug in a
/// source returning any price and borrow the whole pool.
contract ImplACLending {
    /// @notice Owner of the market.
    address public owner;
    /// @notice Guardian allowed to pause.
    address public guardian;
    /// @notice True while value-moving functions are disabled.
    bool public paused;
    /// @notice True once initialized.
    bool public initialized;
    /// @notice True for the fixed variant: setPriceSource is owner-only.
    bool public protectSetter;
    /// @notice The lent token.
    IERC20 public usd;
    /// @notice The collateral token.
    IERC20 public collateral;
    /// @notice The price source.
    ImplACPriceSource public priceSource;
    /// @notice Collateral per account.
    mapping(address => uint256) public collateralOf;
    /// @notice Debt per account.
    mapping(address => uint256) public debtOf;

    /// @notice Loan-to-value in basis points.
    uint256 public constant LTV_BPS = 7000;

    /// @notice Emitted when the price source changes.
    event NewPriceSource(address oldSource, address newSource);
    /// @notice Emitted on pause.
    event Paused(address account);
    /// @notice Emitted on borrow.
    event Borrow(address indexed account, uint256 amount);

    error AlreadyInitialized();
    error NotOwner(address caller);
    error NotGuardianOrOwner(address caller);
    error EnforcedPause();
    error OverLimit(uint256 limit, uint256 debt);

    modifier whenNotPaused() {
        if (paused) revert EnforcedPause();
        _;
    }

    /// @notice Sets up the proxy's storage.
    function initialize(address owner_, address guardian_, IERC20 usd_, IERC20 collateral_, ImplACPriceSource source_, bool protectSetter_) external {
        if (initialized) revert AlreadyInitialized();
        initialized = true;
        owner = owner_;
        guardian = guardian_;
        usd = usd_;
        collateral = collateral_;
        priceSource = source_;
        protectSetter = protectSetter_;
    }

    /// @notice Guardian or owner stops every value-moving function.
    function pause() external {
        if (msg.sender != guardian && msg.sender != owner) revert NotGuardianOrOwner(msg.sender);
        paused = true;
        emit Paused(msg.sender);
    }

    /// @notice Replaces the price source.
    function setPriceSource(ImplACPriceSource source) external whenNotPaused {
        // VULNERABLE: no access control on the live implementation's setter.
        if (protectSetter && msg.sender != owner) revert NotOwner(msg.sender);
        emit NewPriceSource(address(priceSource), address(source));
        priceSource = source;
    }

    /// @notice Lenders fund the pool.
    function supply(uint256 amount) external whenNotPaused {
        usd.transferFrom(msg.sender, address(this), amount);
    }

    /// @notice Posts collateral.
    function depositCollateral(uint256 amount) external whenNotPaused {
        collateral.transferFrom(msg.sender, address(this), amount);
        collateralOf[msg.sender] += amount;
    }

    /// @notice Borrows `amount` USDx.
    function borrow(uint256 amount) external whenNotPaused {
        uint256 p = priceSource.getUnderlyingPrice(address(collateral));
        uint256 limit = collateralOf[msg.sender] * p / 1e18 * LTV_BPS / 10_000;
        uint256 debt = debtOf[msg.sender] + amount;
        if (debt > limit) revert OverLimit(limit, debt);
        debtOf[msg.sender] = debt;
        usd.transfer(msg.sender, amount);
        emit Borrow(msg.sender, amount);
    }
}
