package sema

import "testing"

func TestGuards(t *testing.T) {
	m := build(t, `pragma solidity ^0.8.0;
abstract contract Ownable {
    address private _owner;
    modifier onlyOwner() { _checkOwner(); _; }
    function _checkOwner() internal view { require(owner() == _msgSender(), "not owner"); }
    function owner() public view returns (address) { return _owner; }
    function _msgSender() internal view returns (address) { return msg.sender; }
}
contract Roles {
    mapping(bytes32 => mapping(address => bool)) roles;
    mapping(address => uint) wards;
    mapping(address => uint) balances;
    modifier onlyRole(bytes32 r) { require(roles[r][msg.sender]); _; }
    modifier auth() { require(wards[msg.sender] == 1, "not-authorized"); _; }
}
contract ReentrancyGuard {
    uint256 private _status;
    modifier nonReentrant() { require(_status != 2); _status = 2; _; _status = 1; }
}
contract T is Ownable, Roles, ReentrancyGuard {
    address admin; bool locked; bool paused; bool initialized;
    modifier whenNotPaused() { require(!paused); _; }
    modifier unknownNameOnly() { _; }
    function a() external onlyOwner {}
    function b() external { require(msg.sender == admin); }
    function c() external { if (msg.sender != admin) revert(); }
    function d() external onlyRole(keccak256("X")) {}
    function e() external auth {}
    function f() external nonReentrant {}
    function g() external { require(!locked); locked = true; payable(msg.sender).transfer(1); locked = false; }
    function h() external whenNotPaused {}
    function i() external { require(tx.origin == admin); }
    function j() external { require(!initialized); initialized = true; }
    function k(uint x) external { require(balances[msg.sender] >= x); }
    function l() external { _checkOwner(); }
    function n() internal {}
    constructor() {}
}
`)
	type want struct{ ac, origin, re, pause, init bool }
	cases := map[string]want{
		"a": {ac: true},
		"b": {ac: true},
		"c": {ac: true},
		"d": {ac: true},
		"e": {ac: true},
		"f": {re: true},
		"g": {re: true},
		"h": {pause: true},
		"i": {origin: true},
		"j": {init: true},
		"k": {},
		"l": {ac: true},
	}
	for name, w := range cases {
		f := fnOf(t, m, "T", name)
		g := f.Guards()
		if g.AccessControl != w.ac || g.TxOrigin != w.origin || g.Reentrancy != w.re || g.Pause != w.pause || g.Initializer != w.init {
			t.Errorf("%s: got %+v want %+v", name, g, w)
		}
		if (w != want{}) && len(g.Guards) == 0 {
			t.Errorf("%s: no evidence", name)
		}
	}
	if !fnOf(t, m, "T", "a").IsPubliclyReachable() || fnOf(t, m, "T", "n").IsPubliclyReachable() {
		t.Errorf("reachability")
	}
	if m.Contract("T").Constructor().IsPubliclyReachable() {
		t.Errorf("constructor reachable")
	}
	if !fnOf(t, m, "T", "a").HasModifier("onlyOwner") {
		t.Errorf("HasModifier")
	}
}

func TestGuardsByName(t *testing.T) {
	m := build(t, `pragma solidity ^0.8.0;
import "missing/Ownable.sol";
contract T is Ownable, Pausable {
    function a() external onlyOwner whenNotPaused nonReentrant {}
    function b() external initializer {}
}
`)
	g := fnOf(t, m, "T", "a").Guards()
	if !g.AccessControl || !g.Pause || !g.Reentrancy {
		t.Errorf("a: %+v", g)
	}
	for _, x := range g.Guards {
		if !x.ByName {
			t.Errorf("not by name: %+v", x)
		}
	}
	if !fnOf(t, m, "T", "b").Guards().Initializer {
		t.Errorf("b initializer")
	}
	c := m.Contract("T")
	if len(c.UnresolvedBases) != 2 || !c.InheritsFrom("Ownable") {
		t.Errorf("unresolved bases %v", c.UnresolvedBases)
	}
}
