// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @title RtStableDollar
/// @notice Honest USDC-style stablecoin: minting, pause and blacklist exist,
/// but every role is held by `admin`, a 2-of-3 multisig contract.
contract RtStableDollar {
    string public constant name = "Stable Dollar";
    string public constant symbol = "SUSD";
    uint8 public constant decimals = 6;
    uint256 public totalSupply;
    address public admin;
    bool public paused;
    mapping(address => uint256) internal balances;
    mapping(address => mapping(address => uint256)) internal allowed;
    mapping(address => bool) internal blacklisted;

    event Transfer(address indexed from, address indexed to, uint256 value);
    event Approval(address indexed owner, address indexed spender, uint256 value);
    event Mint(address indexed minter, address indexed to, uint256 amount);
    event Pause();
    event Unpause();
    event Blacklisted(address indexed account);
    event UnBlacklisted(address indexed account);
    event AdminChanged(address indexed newAdmin);

    modifier onlyAdmin() {
        require(msg.sender == admin, "caller is not the admin");
        _;
    }

    modifier whenNotPaused() {
        require(!paused, "Pausable: paused");
        _;
    }

    modifier notBlacklisted(address a) {
        require(!blacklisted[a], "Blacklistable: account is blacklisted");
        _;
    }

    constructor(address admin_, address treasury, uint256 initialSupply) {
        admin = admin_;
        totalSupply = initialSupply;
        balances[treasury] = initialSupply;
        emit Transfer(address(0), treasury, initialSupply);
    }

    function balanceOf(address a) external view returns (uint256) {
        return balances[a];
    }

    function allowance(address o, address s) external view returns (uint256) {
        return allowed[o][s];
    }

    function isBlacklisted(address a) external view returns (bool) {
        return blacklisted[a];
    }

    function mint(address to, uint256 amount) external onlyAdmin whenNotPaused notBlacklisted(to) returns (bool) {
        totalSupply += amount;
        balances[to] += amount;
        emit Mint(msg.sender, to, amount);
        emit Transfer(address(0), to, amount);
        return true;
    }

    function pause() external onlyAdmin {
        paused = true;
        emit Pause();
    }

    function unpause() external onlyAdmin {
        paused = false;
        emit Unpause();
    }

    function blacklist(address a) external onlyAdmin {
        blacklisted[a] = true;
        emit Blacklisted(a);
    }

    function unBlacklist(address a) external onlyAdmin {
        blacklisted[a] = false;
        emit UnBlacklisted(a);
    }

    function changeAdmin(address a) external onlyAdmin {
        require(a != address(0));
        admin = a;
        emit AdminChanged(a);
    }

    function approve(address s, uint256 v) external whenNotPaused notBlacklisted(msg.sender) notBlacklisted(s) returns (bool) {
        allowed[msg.sender][s] = v;
        emit Approval(msg.sender, s, v);
        return true;
    }

    function transfer(address to, uint256 v) external whenNotPaused notBlacklisted(msg.sender) notBlacklisted(to) returns (bool) {
        _transfer(msg.sender, to, v);
        return true;
    }

    function transferFrom(address from, address to, uint256 v)
        external
        whenNotPaused
        notBlacklisted(msg.sender)
        notBlacklisted(from)
        notBlacklisted(to)
        returns (bool)
    {
        require(v <= allowed[from][msg.sender], "ERC20: transfer amount exceeds allowance");
        allowed[from][msg.sender] -= v;
        _transfer(from, to, v);
        return true;
    }

    function _transfer(address from, address to, uint256 v) internal {
        require(v <= balances[from], "ERC20: transfer amount exceeds balance");
        balances[from] -= v;
        balances[to] += v;
        emit Transfer(from, to, v);
    }
}

/// @title RtMultisig2of3
/// @notice A tiny 2-of-3 multisig: any owner submits a call, a second owner
/// confirms it, and it executes on the second confirmation.
contract RtMultisig2of3 {
    address[3] public owners;
    uint256 public constant required = 2;

    struct Call {
        address to;
        uint256 value;
        bytes data;
        uint256 confirmations;
        bool executed;
    }

    Call[] public calls;
    mapping(uint256 => mapping(address => bool)) public confirmed;

    event Submitted(uint256 indexed id, address indexed to);
    event Executed(uint256 indexed id);

    constructor(address a, address b, address c) {
        require(a != b && b != c && a != c && a != address(0) && b != address(0) && c != address(0), "owners");
        owners = [a, b, c];
    }

    receive() external payable {}

    function isOwner(address a) public view returns (bool) {
        return a == owners[0] || a == owners[1] || a == owners[2];
    }

    function submit(address to, uint256 value, bytes calldata data) external returns (uint256 id) {
        require(isOwner(msg.sender), "not owner");
        id = calls.length;
        calls.push(Call(to, value, data, 0, false));
        emit Submitted(id, to);
        confirm(id);
    }

    function confirm(uint256 id) public {
        require(isOwner(msg.sender), "not owner");
        Call storage c = calls[id];
        require(!c.executed, "executed");
        require(!confirmed[id][msg.sender], "confirmed");
        confirmed[id][msg.sender] = true;
        c.confirmations++;
        if (c.confirmations >= required) {
            c.executed = true;
            (bool ok, bytes memory ret) = c.to.call{value: c.value}(c.data);
            if (!ok) {
                assembly {
                    revert(add(ret, 32), mload(ret))
                }
            }
            emit Executed(id);
        }
    }
}
