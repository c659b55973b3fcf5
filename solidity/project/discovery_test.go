package project

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// exclusions formats p.Excluded as "path (files): reason" lines.
func exclusions(p *Project) string {
	var s []string
	for _, e := range p.Excluded {
		s = append(s, fmt.Sprintf("%s (%d): %s", e.Path, e.Files, e.Reason))
	}
	return strings.Join(s, "\n")
}

func TestDiscovery(t *testing.T) {
	tests := []struct {
		name, path string
		opts       Options
		files      []string
		excluded   []string
	}{
		{
			// lib/ is a dependency folder only at the root; a folder named
			// test inside src is project code; the test directory comes from
			// foundry.toml (test = "tests").
			name: "foundry conventions at the root only", path: "testdata/discovery/foundry",
			files: []string{
				"discovery/foundry/lib/dep/src/Dep.sol (dep)",
				"discovery/foundry/src/A.sol",
				"discovery/foundry/src/lib/Helper.sol",
				"discovery/foundry/src/test/InSrc.sol",
			},
			excluded: []string{
				"lib/ (0): Foundry library directory (analyzed where imported)",
				"script/ (1): outside the Foundry source directory src/",
				`tests/ (1): Foundry test directory (foundry.toml test = "tests")`,
			},
		},
		{
			// An explicitly requested directory is audited even when a
			// convention would exclude it.
			name: "foundry test directory asked for", path: "testdata/discovery/foundry/tests",
			files: []string{
				"discovery/foundry/lib/dep/src/Dep.sol (dep)",
				"discovery/foundry/src/A.sol (dep)",
				"discovery/foundry/src/lib/Helper.sol (dep)",
				"discovery/foundry/tests/A.t.sol",
			},
		},
		{
			// No project configuration: no directory convention, so lib/
			// and test/ are audited; node_modules is a dependency folder at
			// any depth; Foundry's *.t.sol file convention holds anywhere.
			name: "plain directory", path: "testdata/discovery/plain",
			files: []string{
				"discovery/plain/Main.sol",
				"discovery/plain/lib/Math.sol",
				"discovery/plain/test/T.sol",
			},
			excluded: []string{
				"**/*.t.sol (1): Foundry test files (the .t.sol naming convention)",
				"sub/node_modules/ (0): node_modules dependencies (analyzed where imported)",
			},
		},
		{
			name: "configured exclusion", path: "testdata/discovery/plain", opts: Options{Exclude: []string{"test"}},
			files: []string{
				"discovery/plain/Main.sol",
				"discovery/plain/lib/Math.sol",
			},
			excluded: []string{
				"**/*.t.sol (1): Foundry test files (the .t.sol naming convention)",
				"sub/node_modules/ (0): node_modules dependencies (analyzed where imported)",
				"test (1): excluded by configuration (audit.exclude_paths or --exclude)",
			},
		},
		{
			// @oz/Token.sol is found in a node_modules above the Hardhat
			// root, like Node resolves it; test/ is Hardhat's.
			name: "hardhat in a monorepo", path: "testdata/discovery/mono/packages/app",
			files: []string{
				"discovery/mono/node_modules/@oz/Token.sol (dep)",
				"discovery/mono/packages/app/contracts/App.sol",
			},
			excluded: []string{"test/ (1): Hardhat test directory (test/)"},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := load(t, tt.path, tt.opts)
			if got, want := summary(p), strings.Join(tt.files, "\n"); got != want {
				t.Errorf("files:\n%s\nwant:\n%s", got, want)
			}
			if got, want := exclusions(p), strings.Join(tt.excluded, "\n"); got != want {
				t.Errorf("excluded:\n%s\nwant:\n%s", got, want)
			}
			for _, e := range p.Errors {
				t.Errorf("error: %v", e)
			}
		})
	}
}

// write creates the files of tree (path → content) under dir.
func write(t *testing.T, dir string, tree map[string]string) {
	t.Helper()
	for p, c := range tree {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(c), 0o600); err != nil {
			t.Fatal(err)
		}
	}
}

// TestDiscoverySymlinks: a Foundry library that is a symbolic link (a
// shared checkout) resolves through the automatic remapping, a linked
// source directory is walked, a link cycle is walked once, and a file
// reached under two names is loaded once.
func TestDiscoverySymlinks(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"shared/forge-std/src/Test.sol": "pragma solidity ^0.8.0;\ncontract Test {}\n",
		"elsewhere/Extra.sol":           "pragma solidity ^0.8.0;\ncontract Extra {}\n",
		"proj/foundry.toml":             "[profile.default]\nsrc = \"src\"\n",
		"proj/src/A.sol":                "pragma solidity ^0.8.0;\nimport \"forge-std/Test.sol\";\nimport \"./linked/Extra.sol\";\ncontract A is Test {}\n",
	})
	links := map[string]string{
		"proj/lib/forge-std": "../../shared/forge-std",
		"proj/src/linked":    "../../elsewhere",
		"proj/src/loop":      "..", // src/loop → proj: a cycle through src
	}
	for link, target := range links {
		full := filepath.Join(dir, filepath.FromSlash(link))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.Symlink(target, full); err != nil {
			t.Fatal(err)
		}
	}
	p, err := Load(context.Background(), filepath.Join(dir, "proj"), Options{BaseDir: filepath.Join(dir, "proj")})
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Join([]string{
		"lib/forge-std/src/Test.sol (dep)",
		"src/A.sol",
		"src/linked/Extra.sol",
	}, "\n")
	if got := summary(p); got != want {
		t.Errorf("files:\n%s\nwant:\n%s", got, want)
	}
	for _, e := range p.Errors {
		t.Errorf("error: %v", e)
	}
}

func TestIsBinary(t *testing.T) {
	long := strings.Repeat("contract A { function f() external {} }\n", 400) // > 8 KiB
	tests := []struct {
		name string
		data string
		want bool
	}{
		{"solidity", "pragma solidity ^0.8.0;\ncontract A {}\n", false},
		{"utf-8 comments", "// Ünïcödé ✓ 日本語\ncontract A {}\n", false},
		{"empty", "", false},
		{"rune cut at the sample end", long[:8190] + "日本", false},
		{"NUL byte", "contract A {}\x00", true},
		{"ELF header", "\x7fELF\x02\x01\x01", true},
		{"latin-1 bytes", strings.Repeat("\xe9\xe8\xe0 ", 20), true},
		{"few invalid bytes", long[:1000] + "\xff" + long[:1000], false},
		{"control characters", strings.Repeat("\x01\x02\x03a", 50), true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsBinary([]byte(tt.data)); got != tt.want {
				t.Errorf("IsBinary = %v, want %v", got, tt.want)
			}
		})
	}
}

// FuzzIsBinary checks IsBinary never panics and that text made only of
// printable ASCII is never called binary.
func FuzzIsBinary(f *testing.F) {
	f.Add([]byte("contract A {}"))
	f.Add([]byte("\x00\x01"))
	f.Fuzz(func(t *testing.T, data []byte) {
		got := IsBinary(data)
		ascii := true
		for _, c := range data {
			if c < 0x20 && c != '\t' && c != '\n' && c != '\r' || c >= 0x7f {
				ascii = false
			}
		}
		if ascii && got {
			t.Errorf("printable text %q reported binary", data)
		}
	})
}

// TestDiscoveryFoundrySrcDot: with src = "." the whole root is the source
// directory; conventions still keep lib/, out/ and the test directory out.
func TestDiscoveryFoundrySrcDot(t *testing.T) {
	dir := t.TempDir()
	write(t, dir, map[string]string{
		"foundry.toml":           "[profile.default]\nsrc = \".\"\nout = \"build\"\n",
		"contracts/A.sol":        "pragma solidity ^0.8.0;\ncontract A {}\n",
		"contracts/lib/L.sol":    "pragma solidity ^0.8.0;\nlibrary L {}\n",
		"lib/dep/src/D.sol":      "pragma solidity ^0.8.0;\ncontract D {}\n",
		"test/A.t.sol":           "pragma solidity ^0.8.0;\ncontract ATest {}\n",
		"build/A.sol/A.json.sol": "not walked",
	})
	p, err := Load(context.Background(), dir, Options{BaseDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := summary(p), "contracts/A.sol\ncontracts/lib/L.sol"; got != want {
		t.Errorf("files:\n%s\nwant:\n%s", got, want)
	}
	want := strings.Join([]string{
		"build/ (1): Foundry build output",
		"lib/ (0): Foundry library directory (analyzed where imported)",
		`test/ (1): Foundry test directory (default test = "test")`,
	}, "\n")
	if got := exclusions(p); got != want {
		t.Errorf("excluded:\n%s\nwant:\n%s", got, want)
	}
}
