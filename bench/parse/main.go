// Command parse measures the Solidity parser over a directory tree: it
// parses every .sol file under -dir, reports files, lines, syntax errors and
// throughput in lines per second.
//
// Usage:
//
//	go run ./bench/parse -dir /path/to/contracts [-n 5] [-v]
package main

import (
	"bytes"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/aegis-defi/aegis/solidity/parser"
	"github.com/aegis-defi/aegis/solidity/source"
)

func main() {
	dir := flag.String("dir", ".", "directory to scan for .sol files")
	rounds := flag.Int("n", 5, "number of timed parsing rounds")
	verbose := flag.Bool("v", false, "print every syntax error")
	flag.Parse()
	if err := run(*dir, *rounds, *verbose); err != nil {
		fmt.Fprintln(os.Stderr, "parse:", err)
		os.Exit(1)
	}
}

func run(dir string, rounds int, verbose bool) error {
	var files []*source.File
	lines, size := 0, 0
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".sol") {
			return err
		}
		b, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		files = append(files, source.NewFile(path, b))
		lines += bytes.Count(b, []byte{'\n'})
		size += len(b)
		return nil
	})
	if err != nil {
		return err
	}
	bad, nerr := 0, 0
	for _, f := range files {
		_, errs := parser.ParseFile(f)
		if len(errs) > 0 {
			bad++
			nerr += len(errs)
			if verbose {
				for _, e := range errs {
					fmt.Println(e)
				}
			}
		}
	}
	if rounds < 1 {
		rounds = 1
	}
	start := time.Now()
	for i := 0; i < rounds; i++ {
		for _, f := range files {
			parser.ParseFile(f)
		}
	}
	el := time.Since(start).Seconds()
	fmt.Printf("files=%d lines=%d bytes=%d files_with_errors=%d errors=%d\n", len(files), lines, size, bad, nerr)
	if el > 0 {
		fmt.Printf("%.0f lines/s  %.1f MB/s (single goroutine, %d rounds)\n",
			float64(lines*rounds)/el, float64(size*rounds)/el/1e6, rounds)
	}
	return nil
}
