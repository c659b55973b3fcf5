package contracts

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"os"
	"path"
	"sort"
	"strings"
	"testing"
)

// TestArtifactsFresh recomputes the sha256 of every source under src/ and
// compares it with artifacts/manifest.json, so a .sol edit without
// regenerating the artifacts fails CI. It needs no Solidity compiler.
func TestArtifactsFresh(t *testing.T) {
	s, err := Default()
	if err != nil {
		t.Fatal(err)
	}
	m := s.Manifest()
	const hint = "artifacts are stale: run go generate ./contracts"

	disk := os.DirFS(".")
	var paths []string
	err = fs.WalkDir(disk, "src", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".sol") && !strings.HasPrefix(path.Base(p), ".") && !strings.HasPrefix(path.Base(p), "_") {
			paths = append(paths, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(paths)
	var combined strings.Builder
	for _, p := range paths {
		b, err := fs.ReadFile(disk, p)
		if err != nil {
			t.Fatal(err)
		}
		sum := sha256.Sum256(b)
		got := hex.EncodeToString(sum[:])
		fmt.Fprintf(&combined, "%s  %s\n", got, p)
		want, ok := m.Sources[p]
		switch {
		case !ok:
			t.Errorf("%s is not in the manifest; %s", p, hint)
		case want != got:
			t.Errorf("%s changed since the artifacts were built; %s", p, hint)
		}
	}
	for p := range m.Sources {
		if _, err := fs.Stat(disk, p); err != nil {
			t.Errorf("%s is in the manifest but not on disk; %s", p, hint)
		}
	}
	sum := sha256.Sum256([]byte(combined.String()))
	if got := hex.EncodeToString(sum[:]); got != m.CombinedSha256 {
		t.Errorf("combined sources sha256 = %s, manifest has %s; %s", got, m.CombinedSha256, hint)
	}
	if m.Compiler != "0.8.28" {
		t.Errorf("manifest compiler = %q, want 0.8.28", m.Compiler)
	}
}

// TestEveryArtifactLoads parses every artifact and checks that concrete
// contracts have code and that each artifact's source is embedded.
func TestEveryArtifactLoads(t *testing.T) {
	names := Names()
	if len(names) == 0 {
		t.Fatal("no artifacts")
	}
	for _, name := range names {
		a, err := Load(name)
		if err != nil {
			t.Errorf("load %s: %v", name, err)
			continue
		}
		if a.Name != name || a.Compiler != "0.8.28" {
			t.Errorf("%s: name %q compiler %q", name, a.Name, a.Compiler)
		}
		if a.Kind == KindContract && (len(a.Bytecode) == 0 || len(a.DeployedBytecode) == 0) {
			t.Errorf("%s: concrete contract without bytecode", name)
		}
		if len(a.AST) == 0 || len(a.StorageLayout) == 0 {
			t.Errorf("%s: missing AST or storage layout", name)
		}
		if _, err := fs.ReadFile(Sources(), a.SourceName); err != nil {
			t.Errorf("%s: source %s not embedded: %v", name, a.SourceName, err)
		}
	}
	for _, must := range []string{"WETH9", "FlashLoanPool", "MintableToken", "Guarded"} {
		if _, err := Load(must); err != nil {
			t.Errorf("core artifact missing: %v", err)
		}
	}
}

func TestUnknownNameListsKnown(t *testing.T) {
	_, err := Load("NoSuchContract")
	if err == nil || !strings.Contains(err.Error(), "WETH9") {
		t.Fatalf("err = %v, want a list of known names", err)
	}
}

func TestRevertReasonFindsCustomErrors(t *testing.T) {
	a, err := Load("Guarded")
	if err != nil {
		t.Fatal(err)
	}
	id := a.ABI.Errors["EnforcedPause"].ID
	data := id[:4]
	if got := RevertReason(data); got != "EnforcedPause[]" {
		t.Fatalf("RevertReason = %q", got)
	}
}
