package sema

import "testing"

// TestAssertionHelpersAndCallerPredicates covers the access-control and
// condition analyses Balancer, Uniswap and ERC-4337 code rely on.
func TestAssertionHelpersAndCallerPredicates(t *testing.T) {
	m := build(t, `pragma solidity ^0.7.0;
function _require(bool condition, uint256 code) pure { if (!condition) _revert(code); }
function _revert(uint256 code) pure { revert(string(abi.encodePacked(code))); }
function _log(bool ok) pure returns (bool) { return ok; }
library PoolAddress {
    function compute(address f, bytes32 k) internal pure returns (address) { return address(uint160(uint256(keccak256(abi.encodePacked(f, k))))); }
}
abstract contract Authentication {
    modifier authenticate() { _authenticateCaller(); _; }
    function _authenticateCaller() internal view { _require(_canPerform(msg.sig, msg.sender), 401); }
    function _canPerform(bytes4 action, address user) internal view virtual returns (bool);
}
contract T is Authentication {
    address factory; uint256 fee; mapping(address => bool) allowed;
    function _canPerform(bytes4, address user) internal view override returns (bool) { return allowed[user]; }
    function a(uint256 x) external authenticate { fee = x; }
    function b(uint256 x) external { fee = x; }
    function c(bytes32 key) external { address pool = PoolAddress.compute(factory, key); require(msg.sender == pool); fee = 1; }
    function d(address pool) external { require(msg.sender == pool); fee = 2; }
    function e() external { require(msg.sender == address(this)); fee = 3; }
    function f(uint256 x) external { _require(fee >= x, 1); fee -= x; }
    function g(uint256 x) external { _log(fee >= x); fee -= x; }
    function h(uint256 x) external { require(_canPerform(msg.sig, msg.sender)); fee = x; }
    function i(uint256 x) external { require(!isContract(msg.sender)); fee = x; }
    function isContract(address a) internal view returns (bool) { return a.code.length > 0; }
}
`)
	ac := map[string]bool{"a": true, "b": false, "c": true, "d": false, "e": true, "f": false, "h": true, "i": false}
	for name, want := range ac {
		if got := fnOf(t, m, "T", name).Guards().AccessControl; got != want {
			t.Errorf("%s: access control %v, want %v", name, got, want)
		}
	}
	var req, log *Function
	for _, fn := range m.Functions {
		switch fn.Name {
		case "_require":
			req = fn
		case "_log":
			log = fn
		}
	}
	if req == nil || len(req.AssertedParams()) != 1 || req.AssertedParams()[0] != 0 {
		t.Errorf("_require asserted params = %v, want [0]", req.AssertedParams())
	}
	if log == nil || len(log.AssertedParams()) != 0 {
		t.Errorf("_log asserted params = %v, want none", log.AssertedParams())
	}
	if n := len(fnOf(t, m, "T", "f").Conditions()); n != 1 {
		t.Errorf("f: %d conditions, want 1 (the _require argument)", n)
	}
	if n := len(fnOf(t, m, "T", "g").Conditions()); n != 0 {
		t.Errorf("g: %d conditions, want 0", n)
	}
}

func TestAlwaysRevertsAndNeverCompletes(t *testing.T) {
	m := build(t, `pragma solidity ^0.8.0;
abstract contract Base {
    function _report(bytes calldata r) internal virtual;
    function transmit(bytes calldata r) external { _report(r); }
    function simulate(address t, bytes memory d) external {
        assembly {
            let ok := delegatecall(gas(), t, add(d, 0x20), mload(d), 0, 0)
            revert(0, 0)
        }
    }
    function maybe(bool x) external pure returns (uint256) { if (x) return 1; revert("no"); }
}
contract Disabled is Base {
    function _report(bytes calldata) internal pure override { revert("unsupported"); }
}
abstract contract Base2 {
    function _report(bytes calldata r) internal virtual;
    function transmit(bytes calldata r) external { _report(r); }
}
contract Enabled is Base2 {
    uint256 n;
    function _report(bytes calldata) internal override { n++; }
}
`)
	if !fnOf(t, m, "Base", "simulate").AlwaysReverts() {
		t.Error("simulate: want AlwaysReverts")
	}
	if fnOf(t, m, "Base", "maybe").AlwaysReverts() {
		t.Error("maybe returns early: want not AlwaysReverts")
	}
	if !m.NeverCompletes(fnOf(t, m, "Base", "transmit")) {
		t.Error("Base.transmit: every concrete _report reverts, want NeverCompletes")
	}
	if m.NeverCompletes(fnOf(t, m, "Base2", "transmit")) {
		t.Error("Base2.transmit: Enabled._report completes, want not NeverCompletes")
	}
}
