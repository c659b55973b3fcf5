package sema

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/parser"
	"github.com/aegis-defi/aegis/solidity/source"

	"github.com/aegis-defi/aegis/internal/testenv"
)

// TestCorpus builds one model over every .sol file below
// $AEGIS_CORPUS_DIR, checks that no internal error is reported and logs
// parse and build timings.
func TestCorpus(t *testing.T) {
	dir := os.Getenv("AEGIS_CORPUS_DIR")
	testenv.Require(t, dir != "", "the Solidity corpus (AEGIS_CORPUS_DIR)", "run scripts/test.sh, or npm ci in tools/corpus and set AEGIS_CORPUS_DIR")
	var files []*source.File
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() || !strings.HasSuffix(path, ".sol") {
			return nil
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files = append(files, source.NewFile(path, b))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	units := make([]*ast.SourceUnit, len(files))
	for i, f := range files {
		units[i], _ = parser.ParseFile(f)
	}
	parse := time.Since(start)
	start = time.Now()
	m := Build(units, files)
	sema := time.Since(start)
	for _, d := range m.Diagnostics {
		if strings.Contains(d.Msg, "internal error") {
			t.Error(d)
		}
	}
	var unresolvedImports, calls, ext, unresolvedCalls, wac int
	for _, f := range m.Files {
		for _, im := range f.Imports {
			if im.File == nil {
				unresolvedImports++
			}
		}
	}
	for _, fn := range m.Functions {
		for _, cs := range fn.Calls() {
			calls++
			if cs.IsExternal() {
				ext++
			}
			if cs.Kind == CallUnresolved {
				unresolvedCalls++
			}
		}
		wac += len(fn.WritesAfterCall())
	}
	t.Logf("%d files, %d contracts, %d functions; parse %v, sema %v (%.2fx)", len(files), len(m.Contracts), len(m.Functions), parse, sema, float64(sema)/float64(parse))
	t.Logf("imports unresolved %d; calls %d (external %d, unresolved %d); writes-after-call %d; diagnostics %d", unresolvedImports, calls, ext, unresolvedCalls, wac, len(m.Diagnostics))
}

// TestPrefixes builds the model for every prefix of a complex file: the
// parser produces partial trees and Build must never panic or report an
// internal error.
func TestPrefixes(t *testing.T) {
	src := prefixSource
	step := 1
	if testing.Short() {
		step = 7
	}
	for i := 0; i <= len(src); i += step {
		f := source.NewFile("p.sol", []byte(src[:i]))
		u, _ := parser.ParseFile(f)
		m := Build([]*ast.SourceUnit{u}, []*source.File{f})
		for _, d := range m.Diagnostics {
			if strings.Contains(d.Msg, "internal error") {
				t.Fatalf("prefix %d: %v", i, d)
			}
		}
	}
}

// TestBuildNil checks degenerate inputs.
func TestBuildNil(t *testing.T) {
	m := Build(nil, nil)
	if len(m.Files) != 0 {
		t.Fatal("files")
	}
	m = Build([]*ast.SourceUnit{nil, {}}, nil)
	if len(m.Files) != 1 {
		t.Fatal("nil unit")
	}
}

const prefixSource = `// SPDX-License-Identifier: MIT
pragma solidity >=0.6.0 <0.9.0;
import "./IERC20.sol";
import {A as B} from "./a.sol";
library SafeMath { function add(uint a, uint b) internal pure returns (uint c) { c = a + b; require(c >= a); } }
interface IERC20 { function transfer(address to, uint v) external returns (bool); }
abstract contract Base { uint internal total; function hook() internal virtual; modifier nonReentrant() { require(total != 2); total = 2; _; total = 1; } }
contract Vault is Base, Missing {
    using SafeMath for uint;
    struct Pos { uint amt; address who; }
    enum St { A, B }
    event E(uint indexed x);
    error Bad(uint);
    mapping(address => Pos) pos;
    IERC20 public token;
    address owner;
    modifier onlyOwner() { require(msg.sender == owner, "no"); _; }
    constructor(IERC20 t) payable { token = t; owner = msg.sender; }
    receive() external payable {}
    fallback() external {}
    function hook() internal override { total = total.add(1); }
    function deposit(uint a) external nonReentrant {
        Pos storage p = pos[msg.sender];
        p.amt += a;
        require(token.transfer(address(this), a));
        emit E(a);
    }
    function withdraw(uint a) external {
        (bool ok, bytes memory d) = msg.sender.call{value: a, gas: 5000}(abi.encode(a));
        if (!ok) revert Bad(a);
        for (uint i; i < 3; ++i) { if (i == 1) continue; else break; }
        do { a--; } while (a > 0);
        unchecked { total -= a; }
        try token.transfer(msg.sender, a) returns (bool r) { r; } catch Error(string memory) {} catch (bytes memory) {}
        assembly { let x := sload(0) sstore(0, x) let s := call(gas(), caller(), 0, 0, 0, 0, 0) }
        delete pos[msg.sender];
        pos[msg.sender] = Pos({amt: 1, who: address(0)});
        hook();
        super.hook();
        new Vault{value: 1}(token);
        d;
    }
}
`

// BenchmarkCorpus measures parse and Build over $AEGIS_CORPUS_DIR.
func BenchmarkCorpus(b *testing.B) {
	dir := os.Getenv("AEGIS_CORPUS_DIR")
	testenv.Require(b, dir != "", "the Solidity corpus (AEGIS_CORPUS_DIR)", "run scripts/test.sh, or npm ci in tools/corpus and set AEGIS_CORPUS_DIR")
	var files []*source.File
	_ = filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(path, ".sol") {
			if data, err := os.ReadFile(path); err == nil {
				files = append(files, source.NewFile(path, data))
			}
		}
		return nil
	})
	units := make([]*ast.SourceUnit, len(files))
	for j, f := range files {
		units[j], _ = parser.ParseFile(f)
	}
	b.Run("parse", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			for j, f := range files {
				units[j], _ = parser.ParseFile(f)
			}
		}
	})
	b.Run("build", func(b *testing.B) {
		for i := 0; i < b.N; i++ {
			Build(units, files)
		}
	})
}
