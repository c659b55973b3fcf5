package bytecode

import (
	"bytes"
	"context"
	"errors"
	"math/big"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/contracts"
	"github.com/aegis-defi/aegis/internal/chain"
	"github.com/aegis-defi/aegis/internal/testchain"
)

// asm concatenates hex fragments and byte slices into code.
func asm(t testing.TB, parts ...any) []byte {
	t.Helper()
	var b []byte
	for _, p := range parts {
		switch v := p.(type) {
		case string:
			x, err := ParseHex(v)
			if err != nil {
				t.Fatalf("asm %q: %v", v, err)
			}
			b = append(b, x...)
		case []byte:
			b = append(b, v...)
		case common.Address:
			b = append(b, v.Bytes()...)
		default:
			t.Fatalf("asm: unsupported %T", p)
		}
	}
	return b
}

// eip1967Runtime is a hand-assembled EIP-1967 proxy: it DELEGATECALLs every
// call to the address in the implementation slot and bubbles the result.
func eip1967Runtime(t testing.TB) []byte {
	return asm(t,
		"36 5f 5f 37",                         // calldatacopy(0, 0, calldatasize)
		"5f 5f 36 5f",                         // retSize retOffset argsSize argsOffset
		"7f", SlotEIP1967Implementation, "54", // sload(implementation slot)
		"5a f4",       // gas delegatecall
		"3d 5f 5f 3e", // returndatacopy(0, 0, returndatasize)
		"60 36 57",    // jumpi(ok, success)
		"3d 5f fd",    // revert(0, returndatasize)
		"5b 3d 5f f3", // ok: return(0, returndatasize)
	)
}

// beaconProxyRuntime asks the beacon in the EIP-1967 beacon slot for
// implementation() and DELEGATECALLs to the answer.
func beaconProxyRuntime(t testing.TB) []byte {
	code := asm(t,
		"63 5c60da1b 60 e0 1b 5f 52",  // mstore(0, implementation.selector << 224)
		"60 20 5f 60 04 5f",           // retSize=32 retOffset=0 argsSize=4 argsOffset=0
		"7f", SlotEIP1967Beacon, "54", // sload(beacon slot)
		"5a fa 50",       // gas staticcall pop
		"5f 51",          // impl = mload(0)
		"36 5f 5f 37",    // calldatacopy(0, 0, calldatasize)
		"5f 5f 36 5f 84", // retSize retOffset argsSize argsOffset dup5(impl)
		"5a f4",          // gas delegatecall
		"3d 5f 5f 3e",    // returndatacopy
		"60 00 57",       // jumpi(ok, success); ok patched by the caller
		"3d 5f fd",
		"5b 3d 5f f3",
	)
	return code
}

// deployInit returns init code that stores each (slot, address) pair and
// deploys runtime.
func deployInit(t testing.TB, runtime []byte, stores ...any) []byte {
	var init []byte
	for i := 0; i+1 < len(stores); i += 2 {
		init = append(init, asm(t, "73", stores[i+1], "7f", stores[i], "55")...)
	}
	n := len(runtime)
	if n > 255 {
		t.Fatal("runtime too long for this init code")
	}
	off := len(init) + 9
	init = append(init, 0x60, byte(n), 0x80, 0x60, byte(off), 0x5f, 0x39, 0x5f, 0xf3)
	return append(init, runtime...)
}

func TestFetchFollowsProxies(t *testing.T) {
	if testing.Short() {
		t.Skip("devnet test")
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	env := testchain.New(t)
	deployer := env.Accounts[0]
	weth, err := contracts.Load("WETH9")
	if err != nil {
		t.Fatal(err)
	}
	impl, _, err := env.Client.Deploy(ctx, deployer, weth.ABI, weth.Bytecode)
	if err != nil {
		t.Fatalf("deploy WETH9: %v", err)
	}
	create := func(name string, init []byte) common.Address {
		t.Helper()
		rc, err := env.Client.Transact(ctx, deployer, nil, init, chain.TxOpts{GasLimit: 1_000_000})
		if err != nil {
			t.Fatalf("deploy %s: %v", name, err)
		}
		return rc.ContractAddress
	}
	admin := env.Accounts[1].Address

	// EIP-1967 proxy with admin.
	proxy := create("eip1967 proxy", deployInit(t, eip1967Runtime(t),
		SlotEIP1967Implementation, impl.Address, SlotEIP1967Admin, admin))
	// It works as a proxy: WETH's symbol() through it.
	pw := env.Client.Bind(proxy, weth.ABI)
	if out, err := pw.Call(ctx, "symbol"); err != nil || out[0] != "WETH" {
		t.Fatalf("symbol() through proxy = %v, %v", out, err)
	}
	ec := env.Node.Client()
	r, err := Fetch(ctx, ec, proxy, nil)
	if err != nil {
		t.Fatalf("Fetch: %v", err)
	}
	if r.Proxy == nil || r.Proxy.Kind != ProxyEIP1967 {
		t.Fatalf("proxy = %+v", r.Proxy)
	}
	if r.Proxy.Implementation == nil || *r.Proxy.Implementation != impl.Address {
		t.Errorf("implementation = %v, want %s", r.Proxy.Implementation, impl.Address)
	}
	if r.Proxy.Admin == nil || *r.Proxy.Admin != admin {
		t.Errorf("admin = %v, want %s", r.Proxy.Admin, admin)
	}
	if r.Finding("upgradeable-proxy") == nil {
		t.Errorf("no upgradeable-proxy finding: %+v", r.Findings)
	}
	if r.Implementation == nil || r.Implementation.Address == nil || *r.Implementation.Address != impl.Address {
		t.Fatalf("implementation report = %+v", r.Implementation)
	}
	if len(r.Implementation.Selectors) != len(weth.ABI.Methods) {
		t.Errorf("implementation selectors = %d, want %d", len(r.Implementation.Selectors), len(weth.ABI.Methods))
	}

	// EIP-1167 clone of WETH9 (OpenZeppelin Clones init code).
	clone := create("clone", asm(t, "3d602d80600a3d3981f3 363d3d373d3d3d363d73", impl.Address,
		"5af43d82803e903d91602b57fd5bf3"))
	r, err = Fetch(ctx, ec, clone, nil)
	if err != nil {
		t.Fatalf("Fetch clone: %v", err)
	}
	if r.Proxy == nil || r.Proxy.Kind != ProxyEIP1167 || *r.Proxy.Target != impl.Address || r.Implementation == nil {
		t.Fatalf("clone: proxy %+v implementation %v", r.Proxy, r.Implementation != nil)
	}
	if f := r.Finding("minimal-proxy"); f == nil || f.Title != "minimal proxy to "+impl.Address.Hex() {
		t.Errorf("clone finding = %+v", f)
	}

	// Beacon proxy: the beacon returns the WETH9 address for any call.
	beacon := create("beacon", deployInit(t, asm(t, "73", impl.Address, "5f 52 60 20 5f f3")))
	bcode := beaconProxyRuntime(t)
	// Patch the JUMPI destination: the JUMPDEST is 4 bytes from the end.
	at := bytes.Index(bcode, []byte{0x3e, 0x60})
	bcode[at+2] = byte(len(bcode) - 4)
	bproxy := create("beacon proxy", deployInit(t, bcode, SlotEIP1967Beacon, beacon))
	if out, err := env.Client.Bind(bproxy, weth.ABI).Call(ctx, "symbol"); err != nil || out[0] != "WETH" {
		t.Fatalf("symbol() through beacon proxy = %v, %v", out, err)
	}
	r, err = Fetch(ctx, ec, bproxy, nil)
	if err != nil {
		t.Fatalf("Fetch beacon proxy: %v", err)
	}
	if r.Proxy == nil || r.Proxy.Kind != ProxyBeacon || r.Proxy.Beacon == nil || *r.Proxy.Beacon != beacon ||
		r.Proxy.Implementation == nil || *r.Proxy.Implementation != impl.Address || r.Implementation == nil {
		t.Fatalf("beacon proxy = %+v", r.Proxy)
	}

	// A plain contract, an EOA.
	r, err = Fetch(ctx, ec, impl.Address, nil)
	if err != nil || r.Proxy != nil || r.Implementation != nil {
		t.Fatalf("Fetch WETH9: %+v, %v", r, err)
	}
	if _, err := Fetch(ctx, ec, admin, nil); !errors.Is(err, ErrNoCode) {
		t.Errorf("Fetch(EOA) error = %v, want ErrNoCode", err)
	}
}

// failingReader fails every RPC.
type failingReader struct{}

func (failingReader) CodeAt(context.Context, common.Address, *big.Int) ([]byte, error) {
	return nil, errors.New("boom")
}

func (failingReader) StorageAt(context.Context, common.Address, common.Hash, *big.Int) ([]byte, error) {
	return nil, errors.New("boom")
}

// mapReader serves code from a map and fails storage reads.
type mapReader map[common.Address][]byte

func (m mapReader) CodeAt(_ context.Context, a common.Address, _ *big.Int) ([]byte, error) {
	return m[a], nil
}

func (mapReader) StorageAt(context.Context, common.Address, common.Hash, *big.Int) ([]byte, error) {
	return nil, errors.New("storage unavailable")
}

func TestFetchErrorsNameRPC(t *testing.T) {
	ctx := context.Background()
	a := common.HexToAddress("0x1234")
	if _, err := Fetch(ctx, failingReader{}, a, nil); err == nil || !bytes.Contains([]byte(err.Error()), []byte("eth_getCode")) {
		t.Errorf("CodeAt error = %v", err)
	}
	m := mapReader{a: eip1967Runtime(t)}
	if _, err := Fetch(ctx, m, a, nil); err == nil || !bytes.Contains([]byte(err.Error()), []byte("eth_getStorageAt")) {
		t.Errorf("StorageAt error = %v", err)
	}
	if _, err := Fetch(ctx, m, common.HexToAddress("0x99"), nil); !errors.Is(err, ErrNoCode) ||
		!bytes.Contains([]byte(err.Error()), []byte("no code at address")) {
		t.Errorf("no code error = %v", err)
	}
	// A clone whose target has no code is noted, not an error.
	target := common.HexToAddress("0xbeef")
	c := common.HexToAddress("0xc10e")
	m[c] = asm(t, "363d3d373d3d3d363d73", target, "5af43d82803e903d91602b57fd5bf3")
	r, err := Fetch(ctx, m, c, nil)
	if err != nil || len(r.Notes) != 1 || r.Implementation != nil {
		t.Errorf("clone to empty target: %+v, %v", r, err)
	}
}
