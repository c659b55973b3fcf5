package parser

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aegis-defi/aegis/solidity/source"

	"github.com/aegis-defi/aegis/internal/testenv"
)

// corpusFiles returns all .sol files below dir.
func corpusFiles(tb testing.TB, dir string) []*source.File {
	tb.Helper()
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
		tb.Fatal(err)
	}
	return files
}

// TestCorpus parses every .sol file below $AEGIS_CORPUS_DIR and fails on any
// syntax error.
func TestCorpus(t *testing.T) {
	dir := os.Getenv("AEGIS_CORPUS_DIR")
	testenv.Require(t, dir != "", "the Solidity corpus (AEGIS_CORPUS_DIR)", "run scripts/test.sh, or npm ci in tools/corpus and set AEGIS_CORPUS_DIR")
	files := corpusFiles(t, dir)
	lines, bad := 0, 0
	for _, f := range files {
		lines += bytes.Count(f.Content(), []byte{'\n'})
		u, errs := ParseFile(f)
		checkSpans(t, u)
		if len(errs) > 0 {
			bad++
			for i, e := range errs {
				if i == 3 {
					break
				}
				t.Error(e)
			}
		}
	}
	t.Logf("parsed %d files, %d lines; %d files with errors", len(files), lines, bad)
}
