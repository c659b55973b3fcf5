// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

// Shared pieces of the risk-token testbed (internal/risk/tokentestbed). The
// tokens in this directory are written the way real launch-pad tokens are:
// copy-pasted ERC-20 code with the risky logic behind innocuous names. They
// are labelled ground truth for `aegis risk`; none is meant for production.

/// @notice The two router getters launch tokens read to create their pair.
interface IRtDexRouter {
    function factory() external view returns (address);
    function WETH() external view returns (address);
}

/// @notice Factory pair creation (Uniswap V2 semantics).
interface IRtDexFactory {
    function createPair(address tokenA, address tokenB) external returns (address pair);
}

/// @title RtERC20Lite
/// @notice A minimal ERC-20 many of the testbed tokens inherit (the way
/// flattened OpenZeppelin code appears in real tokens). Every move goes
/// through the virtual `_transfer`.
abstract contract RtERC20Lite {
    string public name;
    string public symbol;
    uint8 public immutable decimals;
    uint256 public totalSupply;
    mapping(address => uint256) internal _balances;
    mapping(address => mapping(address => uint256)) internal _allowances;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);

    constructor(string memory name_, string memory symbol_, uint8 decimals_) {
        name = name_;
        symbol = symbol_;
        decimals = decimals_;
    }

    function balanceOf(address account) public view virtual returns (uint256) {
        return _balances[account];
    }

    function allowance(address owner_, address spender) public view returns (uint256) {
        return _allowances[owner_][spender];
    }

    function approve(address spender, uint256 amount) public returns (bool) {
        _allowances[msg.sender][spender] = amount;
        emit Approval(msg.sender, spender, amount);
        return true;
    }

    function transfer(address to, uint256 amount) public returns (bool) {
        _transfer(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) public virtual returns (bool) {
        _spendAllowance(from, msg.sender, amount);
        _transfer(from, to, amount);
        return true;
    }

    function _spendAllowance(address from, address spender, uint256 amount) internal {
        uint256 a = _allowances[from][spender];
        if (a != type(uint256).max) {
            require(a >= amount, "ERC20: insufficient allowance");
            unchecked {
                _allowances[from][spender] = a - amount;
            }
        }
    }

    function _transfer(address from, address to, uint256 amount) internal virtual {
        _move(from, to, amount);
    }

    function _move(address from, address to, uint256 amount) internal {
        require(from != address(0) && to != address(0), "ERC20: zero address");
        uint256 b = _balances[from];
        require(b >= amount, "ERC20: transfer amount exceeds balance");
        unchecked {
            _balances[from] = b - amount;
        }
        _balances[to] += amount;
        emit Transfer(from, to, amount);
    }

    function _mint(address to, uint256 amount) internal {
        totalSupply += amount;
        _balances[to] += amount;
        emit Transfer(address(0), to, amount);
    }

    function _createPair(address router) internal returns (address) {
        IRtDexRouter r = IRtDexRouter(router);
        return IRtDexFactory(r.factory()).createPair(address(this), r.WETH());
    }
}

/// @title RtOwnable
/// @notice OpenZeppelin-style Ownable with a real renounce.
abstract contract RtOwnable {
    address private _owner;

    event OwnershipTransferred(address indexed previousOwner, address indexed newOwner);

    constructor() {
        _owner = msg.sender;
        emit OwnershipTransferred(address(0), msg.sender);
    }

    modifier onlyOwner() {
        require(_owner == msg.sender, "Ownable: caller is not the owner");
        _;
    }

    function owner() public view returns (address) {
        return _owner;
    }

    function renounceOwnership() public onlyOwner {
        emit OwnershipTransferred(_owner, address(0));
        _owner = address(0);
    }

    function transferOwnership(address newOwner) public onlyOwner {
        require(newOwner != address(0), "Ownable: new owner is the zero address");
        emit OwnershipTransferred(_owner, newOwner);
        _owner = newOwner;
    }
}
