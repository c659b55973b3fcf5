package sigdb

import (
	"encoding/hex"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
)

func sel(t *testing.T, h string) [4]byte {
	t.Helper()
	b, err := hex.DecodeString(h)
	if err != nil || len(b) != 4 {
		t.Fatalf("bad selector %q", h)
	}
	return [4]byte(b)
}

func TestBuiltinParsesCleanly(t *testing.T) {
	db, err := Parse(strings.NewReader(builtinText))
	if err != nil {
		t.Fatalf("signatures.txt: %v", err)
	}
	f, e, x := db.Len()
	t.Logf("built-in: %d functions, %d events, %d errors", f, e, x)
	if f < 300 || e < 60 {
		t.Errorf("too few signatures: %d functions, %d events", f, e)
	}
}

func TestNoDuplicateLines(t *testing.T) {
	seen := map[string]int{}
	for i, line := range strings.Split(builtinText, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if prev, ok := seen[line]; ok {
			t.Errorf("line %d duplicates line %d: %s", i+1, prev, line)
		}
		seen[line] = i + 1
	}
}

func TestEveryLineCanonical(t *testing.T) {
	for i, line := range strings.Split(builtinText, "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if _, err := ParseLine(line); err != nil {
			t.Errorf("line %d: %v", i+1, err)
		}
	}
}

func TestWellKnownSelectors(t *testing.T) {
	db := Default()
	for _, tc := range []struct{ hex, sig string }{
		{"a9059cbb", "transfer(address,uint256)"},
		{"095ea7b3", "approve(address,uint256)"},
		{"23b872dd", "transferFrom(address,address,uint256)"},
		{"70a08231", "balanceOf(address)"},
		{"18160ddd", "totalSupply()"},
		{"022c0d9f", "swap(uint256,uint256,address,bytes)"},
		{"3659cfe6", "upgradeTo(address)"},
		{"4f1ef286", "upgradeToAndCall(address,bytes)"},
		{"8da5cb5b", "owner()"},
		{"f2fde38b", "transferOwnership(address)"},
		{"715018a6", "renounceOwnership()"},
		{"d0e30db0", "deposit()"},
		{"2e1a7d4d", "withdraw(uint256)"},
		{"40c10f19", "mint(address,uint256)"},
		{"8456cb59", "pause()"},
		{"3f4ba83a", "unpause()"},
		{"d505accf", "permit(address,address,uint256,uint256,uint8,bytes32,bytes32)"},
		{"feaf968c", "latestRoundData()"},
		{"5c60da1b", "implementation()"},
		{"52d1902d", "proxiableUUID()"},
		{"0902f1ac", "getReserves()"},
		{"fff6cae9", "sync()"},
		{"bc25cf77", "skim(address)"},
		{"5cffe9de", "flashLoan(address,address,uint256,bytes)"},
		{"23e30c8b", "onFlashLoan(address,address,uint256,uint256,bytes)"},
		{"ac9650d8", "multicall(bytes[])"},
		{"6a761202", "execTransaction(address,uint256,bytes,uint8,uint256,uint256,uint256,address,address,bytes)"},
		{"38ed1739", "swapExactTokensForTokens(uint256,uint256,address[],address,uint256)"},
		{"128acb08", "swap(address,bool,int256,uint160,bytes)"},
		{"414bf389", "exactInputSingle((address,address,uint24,address,uint256,uint256,uint256,uint160))"},
	} {
		got := db.Function(sel(t, tc.hex))
		if !slices.Contains(got, tc.sig) {
			t.Errorf("Function(%s) = %v, want it to contain %s", tc.hex, got, tc.sig)
		}
	}
	for _, tc := range []struct{ hex, sig string }{
		{"08c379a0", "Error(string)"},
		{"4e487b71", "Panic(uint256)"},
	} {
		if got := db.Error(sel(t, tc.hex)); !slices.Contains(got, tc.sig) {
			t.Errorf("Error(%s) = %v, want %s", tc.hex, got, tc.sig)
		}
	}
}

func TestWellKnownTopics(t *testing.T) {
	db := Default()
	for _, tc := range []struct{ hex, sig string }{
		{"ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef", "Transfer(address,address,uint256)"},
		{"8c5be1e5ebec7d5bd14f71427d1e84f3dd0314c0f7b2291e5b200ac8c7c3b925", "Approval(address,address,uint256)"},
		{"e1fffcc4923d04b559f4d29a8bfc6cda04eb5b0d3c460751c2402c5c5cc9109c", "Deposit(address,uint256)"},
		{"7fcf532c15f0a6db0bd6d0e038bea71d30d808c7d98cb3bf7268a95bf5081b65", "Withdrawal(address,uint256)"},
		{"d78ad95fa46c994b6551d0da85fc275fe613ce37657fb8d5e3d130840159d822", "Swap(address,uint256,uint256,uint256,uint256,address)"},
		{"1c411e9a96e071241c2f21f7726b17ae89e3cab4c78be50e062b03a9fffbbad1", "Sync(uint112,uint112)"},
		{"8be0079c531659141344cd1fd0a4f28419497f9722a3daafe3b4186f6b6457e0", "OwnershipTransferred(address,address)"},
		{"bc7cd75a20ee27fd9adebab32041f755214dbc6bffa90cc0225b39da2e5c2d3b", "Upgraded(address)"},
		{"7e644d79422f17c01e4894b5f4f588d331ebfa28653d42ae832dc59e38c9798f", "AdminChanged(address,address)"},
		{"1cf3b03a6cf19fa2baba4df148e9dcabedea7f8a5c07840e207e5c089be95d3e", "BeaconUpgraded(address)"},
		{"62e78cea01bee320cd4e420270b5ea74000d11b0c9f74754ebdbfc544b05a258", "Paused(address)"},
	} {
		got := db.Event(common.HexToHash(tc.hex))
		if !slices.Contains(got, tc.sig) {
			t.Errorf("Event(%s) = %v, want it to contain %s", tc.hex[:8], got, tc.sig)
		}
	}
}

func TestCheckCanonical(t *testing.T) {
	good := []string{"f()", "f(uint256)", "f((address,uint256)[],bytes32[3][])", "f(int8,bytes1,function)", "_$x1(bool)"}
	bad := []string{"f(uint)", "f(uint256 x)", "f( uint256)", "f(uint7)", "f(bytes33)", "f(uint256[0])",
		"f(uint256[01])", "f(", "f(uint256,)", "1f()", "f(address", "f()x", "f(Address)", "(uint256)", "f(int264)"}
	for _, s := range good {
		if _, err := CheckCanonical(s); err != nil {
			t.Errorf("CheckCanonical(%q): %v", s, err)
		}
	}
	for _, s := range bad {
		if _, err := CheckCanonical(s); err == nil {
			t.Errorf("CheckCanonical(%q) accepted", s)
		}
	}
}

func TestPrivilege(t *testing.T) {
	db := Default()
	for _, tc := range []struct{ sig, want string }{
		{"mint(address,uint256)", CategoryMint},
		{"pause()", CategoryPause},
		{"unpause()", CategoryPause},
		{"upgradeTo(address)", CategoryUpgrade},
		{"upgradeToAndCall(address,bytes)", CategoryUpgrade},
		{"blacklist(address)", CategoryBlacklist},
		{"addToBlacklist(address)", CategoryBlacklist},
		{"setFee(uint256)", CategoryFee},
		{"setSellTax(uint256)", CategoryFee},
		{"setSellFee(uint256)", CategoryFee},
		{"setTaxRecipient(address)", CategoryFee},
		{"setTradingEnabled(bool)", CategoryTrading},
		{"enableTrading()", CategoryTrading},
		{"setMaxTx(uint256)", CategoryLimits},
		{"transferOwnership(address)", CategoryOwnership},
		{"renounceOwnership()", CategoryOwnership},
		{"rescueTokens(address,uint256)", CategoryWithdraw},
		{"emergencyWithdraw()", CategoryWithdraw},
		{"setOracle(address)", CategoryOracle},
		{"setPriceFeed(address)", CategoryOracle},
		{"setMinter(address)", CategoryMint},
		{"grantRole(bytes32,address)", CategoryRole},
	} {
		e, err := NewEntry(KindFunction, tc.sig)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := db.Privilege(e.Selector())
		if !ok || got != tc.want {
			t.Errorf("Privilege(%s) = %q, %v; want %q", tc.sig, got, ok, tc.want)
		}
	}
	for _, sig := range []string{"transfer(address,uint256)", "withdraw(uint256)", "deposit()", "mint(uint256,address)",
		"mint(address)", "burn(address)", "burn(uint256)", "skim(address)", "sync()", "isBlacklisted(address)",
		"approve(address,uint256)", "redeem(uint256,address,address)", "maxMint(address)", "fee()"} {
		e, err := NewEntry(KindFunction, sig)
		if err != nil {
			t.Fatal(err)
		}
		if got, ok := db.Privilege(e.Selector()); ok {
			t.Errorf("Privilege(%s) = %q, want none", sig, got)
		}
	}
}

const testABI = `[
 {"type":"function","name":"setBlocklist","inputs":[{"name":"a","type":"address"},{"name":"b","type":"bool"}],"outputs":[],"stateMutability":"nonpayable"},
 {"type":"function","name":"frobnicate","inputs":[{"name":"x","type":"tuple","components":[{"name":"a","type":"address"},{"name":"b","type":"uint256[]"}]}],"outputs":[],"stateMutability":"nonpayable"},
 {"type":"event","name":"Frobbed","inputs":[{"name":"who","type":"address","indexed":true}],"anonymous":false},
 {"type":"error","name":"NotFrob","inputs":[{"name":"n","type":"uint256"}]}
]`

func TestAddABIIsolated(t *testing.T) {
	parsed, err := abi.JSON(strings.NewReader(testABI))
	if err != nil {
		t.Fatal(err)
	}
	base := Default()
	db := base.Clone()
	db.AddABI(parsed)

	frob := parsed.Methods["frobnicate"]
	if got := db.Function([4]byte(frob.ID)); !slices.Equal(got, []string{"frobnicate((address,uint256[]))"}) {
		t.Errorf("added function: %v", got)
	}
	if got := base.Function([4]byte(frob.ID)); got != nil {
		t.Errorf("base DB changed by AddABI on a clone: %v", got)
	}
	if got := Default().Function([4]byte(frob.ID)); got != nil {
		t.Errorf("built-in table changed by AddABI: %v", got)
	}
	if got := db.Event(parsed.Events["Frobbed"].ID); !slices.Equal(got, []string{"Frobbed(address)"}) {
		t.Errorf("added event: %v", got)
	}
	if got := db.Error([4]byte(parsed.Errors["NotFrob"].ID.Bytes())); !slices.Equal(got, []string{"NotFrob(uint256)"}) {
		t.Errorf("added error: %v", got)
	}
	if c, ok := db.Privilege([4]byte(parsed.Methods["setBlocklist"].ID)); !ok || c != CategoryBlacklist {
		t.Errorf("added privileged function: %q %v", c, ok)
	}
	// Built-in entries are still there and not duplicated.
	if got := db.Function(sel(t, "a9059cbb")); !slices.Equal(got, []string{"transfer(address,uint256)"}) {
		t.Errorf("transfer: %v", got)
	}
	if got := db.Lookup("frobnicate"); len(got) != 1 || got[0].Kind != KindFunction {
		t.Errorf("Lookup(frobnicate) = %v", got)
	}
	if got := db.Lookup("Transfer(address,address,uint256)"); len(got) != 1 || got[0].Kind != KindEvent {
		t.Errorf("Lookup(Transfer(...)) = %v", got)
	}
	if got := db.Lookup("transfer"); len(got) != 1 {
		t.Errorf("Lookup(transfer) = %v", got)
	}
}

func TestConcurrentUse(t *testing.T) {
	parsed, err := abi.JSON(strings.NewReader(testABI))
	if err != nil {
		t.Fatal(err)
	}
	db := Default()
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 50 {
				db.AddABI(parsed)
				_ = db.Function(sel(t, "a9059cbb"))
				_, _ = db.Privilege(sel(t, "40c10f19"))
			}
		})
	}
	wg.Wait()
}

func TestAddAndParseErrors(t *testing.T) {
	db := New()
	if err := db.Add("function foo(uint256)"); err != nil {
		t.Fatal(err)
	}
	if err := db.Add("func foo(uint256)"); err == nil {
		t.Error("bad kind accepted")
	}
	if err := db.Add("event Foo(uint)"); err == nil {
		t.Error("non-canonical type accepted")
	}
	if _, err := Parse(strings.NewReader("function a()\nbogus\nevent B(uint)\n")); err == nil ||
		!strings.Contains(err.Error(), "line 2") || !strings.Contains(err.Error(), "line 3") {
		t.Errorf("Parse error = %v, want lines 2 and 3", err)
	}
}
