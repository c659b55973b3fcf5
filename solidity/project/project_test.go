package project

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
)

// summary formats the files of p as "path" or "path (dep)".
func summary(p *Project) string {
	var s []string
	for _, f := range p.Files {
		e := f.Path
		if f.Dependency {
			e += " (dep)"
		}
		s = append(s, e)
	}
	return strings.Join(s, "\n")
}

func load(t *testing.T, path string, opts Options) *Project {
	t.Helper()
	if opts.BaseDir == "" {
		opts.BaseDir = "testdata"
	}
	p, err := Load(context.Background(), path, opts)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoad(t *testing.T) {
	tests := []struct {
		name, path string
		opts       Options
		kind       Kind
		files      []string
		errs       []string
	}{
		{
			name: "foundry root", path: "testdata/foundry", kind: Foundry,
			files: []string{
				"foundry/lib/forge-std/src/console.sol (dep)",
				"foundry/lib/solmate/src/tokens/ERC20.sol (dep)",
				"foundry/src/Token.sol",
				"foundry/src/vault/Vault.sol",
			},
		},
		{
			name: "foundry subdirectory", path: "testdata/foundry/src/vault", kind: Foundry,
			files: []string{
				"foundry/lib/forge-std/src/console.sol (dep)",
				"foundry/lib/solmate/src/tokens/ERC20.sol (dep)",
				"foundry/src/Token.sol (dep)",
				"foundry/src/vault/Vault.sol",
			},
		},
		{
			name: "foundry exclude", path: "testdata/foundry", kind: Foundry,
			opts: Options{Exclude: []string{"src/Token.sol"}},
			files: []string{
				"foundry/lib/forge-std/src/console.sol (dep)",
				"foundry/lib/solmate/src/tokens/ERC20.sol (dep)",
				"foundry/src/Token.sol (dep)",
				"foundry/src/vault/Vault.sol",
			},
		},
		{
			name: "hardhat", path: "testdata/hardhat", kind: Hardhat,
			files: []string{
				"hardhat/contracts/Owned.sol",
				"hardhat/node_modules/@openzeppelin/contracts/access/Ownable.sol (dep)",
				"hardhat/node_modules/@openzeppelin/contracts/utils/Context.sol (dep)",
			},
		},
		{
			name: "single file", path: "testdata/hardhat/contracts/Owned.sol", kind: Hardhat,
			files: []string{
				"hardhat/contracts/Owned.sol",
				"hardhat/node_modules/@openzeppelin/contracts/access/Ownable.sol (dep)",
				"hardhat/node_modules/@openzeppelin/contracts/utils/Context.sol (dep)",
			},
		},
		{
			name: "plain directory", path: "testdata/plain", kind: Plain,
			files: []string{"plain/Main.sol", "plain/node_modules/x/X.sol (dep)", "plain/sub/Sub.sol"},
		},
		{
			name: "missing import", path: "testdata/missing", kind: Plain,
			files: []string{"missing/A.sol", "missing/B.sol"},
			errs:  []string{`missing/A.sol:4:20: import "./Nope.sol" not found`},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := load(t, tt.path, tt.opts)
			if p.Kind != tt.kind {
				t.Errorf("kind = %v, want %v", p.Kind, tt.kind)
			}
			if got, want := summary(p), strings.Join(tt.files, "\n"); got != want {
				t.Errorf("files:\n%s\nwant:\n%s", got, want)
			}
			var errs []string
			for _, e := range p.Errors {
				errs = append(errs, e.Error())
			}
			if got, want := strings.Join(errs, "\n"), strings.Join(tt.errs, "\n"); got != want {
				t.Errorf("errors:\n%s\nwant:\n%s", got, want)
			}
		})
	}
}

func TestLoadParseErrorsContinue(t *testing.T) {
	p := load(t, "testdata/missing", Options{})
	var b *File
	for _, f := range p.Files {
		if strings.HasSuffix(f.Path, "B.sol") {
			b = f
		}
	}
	if b == nil || len(b.ParseErrors) == 0 {
		t.Fatalf("B.sol parse errors not reported: %+v", b)
	}
	if !strings.HasPrefix(b.ParseErrors[0].Error(), "missing/B.sol:4:") {
		t.Errorf("parse error = %v", b.ParseErrors[0])
	}
	if got := p.Files[0].Imports["./B.sol"]; filepath.Base(got) != "B.sol" {
		t.Errorf("A.sol imports[./B.sol] = %q", got)
	}
}

func TestLoadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Load(ctx, "testdata/plain", Options{}); err == nil {
		t.Error("Load with cancelled context succeeded")
	}
}

func TestLoadErrors(t *testing.T) {
	for _, path := range []string{"testdata/nonexistent", "testdata/foundry/foundry.toml"} {
		if _, err := Load(context.Background(), path, Options{}); err == nil {
			t.Errorf("Load(%s) succeeded", path)
		}
	}
}

func TestParseTOMLProfile(t *testing.T) {
	got := parseTOMLProfile("src = 'contracts' # c\n[profile.default]\nlibs = [\n  \"lib\", # x\n  \"deps\"\n]\n[fmt]\nsrc = \"x\"\n")
	if strings.Join(got["src"], ",") != "contracts" || strings.Join(got["libs"], ",") != "lib,deps" {
		t.Errorf("got %v", got)
	}
}
