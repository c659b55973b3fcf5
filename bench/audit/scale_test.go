package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/checker"
	"github.com/aegis-defi/aegis/analysis/suite"
	"github.com/aegis-defi/aegis/solidity/project"
)

// genContracts returns one Solidity file holding n small contracts, each
// with state, a modifier, an external call before a state write and an
// owner setter: enough to exercise every detector's per-contract work.
func genContracts(n int) string {
	var b strings.Builder
	b.WriteString("// SPDX-License-Identifier: MIT\npragma solidity ^0.8.0;\n")
	for i := range n {
		fmt.Fprintf(&b, `
contract C%d {
    address public owner;
    uint256 public total;
    mapping(address => uint256) public balances;
    modifier onlyOwner() { require(msg.sender == owner, "no"); _; }
    function deposit() external payable { balances[msg.sender] += msg.value; total += msg.value; }
    function withdraw(uint256 amt) external {
        require(balances[msg.sender] >= amt);
        (bool ok,) = msg.sender.call{value: amt}("");
        require(ok);
        balances[msg.sender] -= amt;
    }
    function setOwner(address o) external onlyOwner { owner = o; }
}
`, i)
	}
	return b.String()
}

// genExpr returns one Solidity file whose only function returns the sum of
// n terms, a + a + ... + a: a left-nested expression n levels deep.
func genExpr(n int) string {
	var b strings.Builder
	b.WriteString("pragma solidity ^0.8.0;\ncontract E {\n    function f(uint256 a) external pure returns (uint256) {\n        return a")
	for range n - 1 {
		b.WriteString(" + a")
	}
	b.WriteString(";\n    }\n}\n")
	return b.String()
}

// auditOnce loads dir and runs the default suite over it, like `aegis
// audit DIR`, returning the number of findings.
func auditOnce(tb testing.TB, dir string) int {
	tb.Helper()
	ctx := context.Background()
	p, err := project.Load(ctx, dir, project.Options{BaseDir: dir})
	if err != nil {
		tb.Fatal(err)
	}
	files := make([]*analysis.File, 0, len(p.Files))
	for _, f := range p.Files {
		files = append(files, &analysis.File{Path: f.Path, Source: f.Source, AST: f.AST, ParseErrors: f.ParseErrors, Dependency: f.Dependency})
	}
	res, err := checker.Run(ctx, suite.Default(), files, checker.Options{})
	if err != nil {
		tb.Fatal(err)
	}
	return len(res.Findings)
}

// writeSource writes text as dir/A.sol and returns dir.
func writeSource(tb testing.TB, text string) string {
	tb.Helper()
	dir := tb.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "A.sol"), []byte(text), 0o644); err != nil {
		tb.Fatal(err)
	}
	return dir
}

// BenchmarkAuditContracts audits one file of 1k contracts and its 2x and
// 4x scalings; the ns/op of the three sub-benchmarks grow linearly when
// every pass is linear in the number of contracts per file.
func BenchmarkAuditContracts(b *testing.B) {
	for _, n := range []int{1000, 2000, 4000} {
		b.Run(fmt.Sprintf("contracts=%d", n), func(b *testing.B) {
			dir := writeSource(b, genContracts(n))
			b.ResetTimer()
			for b.Loop() {
				if auditOnce(b, dir) == 0 {
					b.Fatal("no findings")
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/contract")
		})
	}
}

// BenchmarkAuditExpr audits a function returning a 100k-term sum and its
// 2x and 4x scalings (linear growth expected; no stack overflow).
func BenchmarkAuditExpr(b *testing.B) {
	for _, n := range []int{100_000, 200_000, 400_000} {
		b.Run(fmt.Sprintf("terms=%d", n), func(b *testing.B) {
			dir := writeSource(b, genExpr(n))
			b.ResetTimer()
			for b.Loop() {
				auditOnce(b, dir)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/term")
		})
	}
}

// genStatements returns one function of n statements, each a mapping
// write and a state update.
func genStatements(n int) string {
	var b strings.Builder
	b.WriteString("pragma solidity ^0.8.0;\ncontract S {\n    uint256 total;\n    mapping(uint256 => uint256) m;\n    function f(uint256 a) external {\n")
	for i := range n {
		fmt.Fprintf(&b, "        m[%d] = a + %d; total += m[%d];\n", i, i, i)
	}
	b.WriteString("    }\n}\n")
	return b.String()
}

// BenchmarkAuditStatements audits one function of 2.5k statements and its
// 2x and 4x scalings (a long straight-line body: CFG, data flow).
func BenchmarkAuditStatements(b *testing.B) {
	for _, n := range []int{2500, 5000, 10000} {
		b.Run(fmt.Sprintf("statements=%d", n), func(b *testing.B) {
			dir := writeSource(b, genStatements(n))
			b.ResetTimer()
			for b.Loop() {
				auditOnce(b, dir)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/statement")
		})
	}
}
