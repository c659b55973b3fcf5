// Command audit benchmarks aegis against the tools a Solidity auditor would
// otherwise run, over one corpus: OpenZeppelin Contracts 3.4.2, 4.9.6 and
// 5.7.0, Uniswap v2-core and v3-core 1.0.1 (pinned in tools/corpus) and our
// own contracts/src. It measures, side by side,
//
//   - aegis parse only: solidity/parser in process over every file, with one
//     core (GOMAXPROCS=1, sequential) and with all cores (one goroutine per
//     core pulling files);
//   - aegis audit: the CLI binary (-aegis) with the default detector suite,
//     `aegis audit DIR... --format json --fail-on none --include-deps`, its
//     wall time and peak RSS;
//   - solc AST generation: solc-js of the pinned version each file's pragmas
//     select (bench/audit/solc-bench.mjs, AST-only standard JSON), one node
//     process per version, compiler load and node start-up reported apart
//     from the compile time; per file, and in shared batches;
//   - solhint: the pinned solhint with its recommended rule set, one process
//     over all files.
//
// and prints a markdown table of files/s and lines/s with the ratios
// between them. Lines are newline characters, like wc -l. Run it through
// bench/audit/run.sh, which installs the corpus and builds the binary:
//
//	go run ./bench/audit -aegis /tmp/aegis [-n 5] [-solc perfile,batch] [-solhint-n 1]
//
// Timings are the median of -n rounds (solhint: -solhint-n, solc: one).
package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/aegis-defi/aegis/solidity/parser"
	"github.com/aegis-defi/aegis/solidity/source"
)

// corpusDirs are the benchmark's source trees, relative to the repository
// root; they must match tools/corpus/corpus.mjs plus contracts/src.
var corpusDirs = []string{
	"tools/corpus/node_modules/oz3",
	"tools/corpus/node_modules/oz4",
	"tools/corpus/node_modules/oz5",
	"tools/corpus/node_modules/@uniswap/v2-core/contracts",
	"tools/corpus/node_modules/@uniswap/v3-core/contracts",
	"contracts/src",
}

// solcVersions are the pinned solc-js versions (tools/corpus/package.json).
var solcVersions = []string{"0.5.16", "0.6.12", "0.7.6", "0.8.28"}

// config holds the command-line settings.
type config struct {
	root      string // repository root
	aegis     string // aegis binary
	rounds    int
	repeat    int // corpus passes per parse round
	solhintN  int
	solcModes []string
}

func main() {
	var c config
	var modes string
	flag.StringVar(&c.root, "root", ".", "repository root")
	flag.StringVar(&c.aegis, "aegis", "", "aegis binary to time (required; build with go build -o BIN ./cmd/aegis)")
	flag.IntVar(&c.rounds, "n", 5, "rounds of the aegis measurements (median reported)")
	flag.IntVar(&c.repeat, "parse-repeat", 10, "passes over the corpus per timed parse round (the corpus parses in tens of ms)")
	flag.IntVar(&c.solhintN, "solhint-n", 1, "rounds of solhint (median reported)")
	flag.StringVar(&modes, "solc", "perfile,batch", "solc modes to time (perfile, batch; empty: skip solc)")
	flag.Parse()
	if modes != "" {
		c.solcModes = strings.Split(modes, ",")
	}
	if err := run(c); err != nil {
		fmt.Fprintln(os.Stderr, "bench/audit:", err)
		os.Exit(1)
	}
}

// corpus is the benchmark's file set.
type corpus struct {
	files []*source.File
	paths []string // repository-relative
	lines int
	bytes int
}

func loadCorpus(root string) (*corpus, error) {
	c := &corpus{}
	for _, dir := range corpusDirs {
		abs := filepath.Join(root, dir)
		if _, err := os.Stat(abs); err != nil {
			return nil, fmt.Errorf("corpus directory missing (run npm ci in tools/corpus): %w", err)
		}
		err := filepath.WalkDir(abs, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".sol") {
				return err
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return fmt.Errorf("reading source: %w", err)
			}
			rel, err := filepath.Rel(root, path)
			if err != nil {
				return fmt.Errorf("relative path: %w", err)
			}
			c.files = append(c.files, source.NewFile(rel, b))
			c.paths = append(c.paths, rel)
			c.lines += bytes.Count(b, []byte{'\n'})
			c.bytes += len(b)
			return nil
		})
		if err != nil {
			return nil, fmt.Errorf("walking %s: %w", dir, err)
		}
	}
	return c, nil
}

// row is one line of the result table.
type row struct {
	tool    string
	seconds float64 // time for the whole corpus
	files   int     // files processed
	note    string
}

func run(c config) error {
	if c.aegis == "" {
		return errors.New("-aegis is required")
	}
	if c.rounds < 1 {
		c.rounds = 1
	}
	if c.repeat < 1 {
		c.repeat = 1
	}
	if c.solhintN < 1 {
		c.solhintN = 1
	}
	cp, err := loadCorpus(c.root)
	if err != nil {
		return err
	}
	fmt.Fprintf(os.Stderr, "corpus: %d files, %d lines, %.1f MB\n", len(cp.files), cp.lines, float64(cp.bytes)/1e6)

	var rows []row
	procs := runtime.GOMAXPROCS(0)

	seq, nerr := parseRounds(cp, 1, c.rounds, c.repeat)
	if nerr > 0 {
		return fmt.Errorf("parser reported %d errors on the corpus", nerr)
	}
	rows = append(rows, row{tool: "aegis parse, 1 core (GOMAXPROCS=1)", seconds: seq, files: len(cp.files)})
	par, _ := parseRounds(cp, procs, c.rounds, c.repeat)
	rows = append(rows, row{tool: fmt.Sprintf("aegis parse, %d cores", procs), seconds: par, files: len(cp.files)})

	audit, err := runAudit(c, cp)
	if err != nil {
		return err
	}
	rows = append(rows, row{tool: "aegis audit (CLI, default suite)", seconds: audit.seconds, files: audit.files,
		note: fmt.Sprintf("%d detectors, %d findings, peak RSS %.0f MB", audit.detectors, audit.findings, audit.rssMB)})

	var solcRows map[string]row
	if len(c.solcModes) > 0 {
		solcRows, err = runSolc(c)
		if err != nil {
			return err
		}
		for _, m := range c.solcModes {
			rows = append(rows, solcRows[m])
		}
	}

	sh, err := runSolhint(c, cp)
	if err != nil {
		return err
	}
	rows = append(rows, sh)

	printTable(os.Stdout, cp, rows)
	fmt.Println()
	fmt.Println("| ratio | value | target |")
	fmt.Println("| --- | ---: | --- |")
	fmt.Printf("| aegis parse, lines/s per core | %s | ≥ 1,000,000 |\n", commas(float64(cp.lines)/seq))
	fmt.Printf("| aegis parse, lines/s on %d cores | %s | |\n", procs, commas(float64(cp.lines)/par))
	fmt.Printf("| aegis audit vs solhint (speed-up) | %.1f× | ≥ 10× |\n", sh.seconds/audit.seconds)
	for _, m := range c.solcModes {
		fmt.Printf("| aegis audit vs solc AST, %s (speed-up) | %.1f× | ≥ 20× |\n", m, solcRows[m].seconds/audit.seconds)
	}
	fmt.Printf("| aegis audit peak RSS | %.0f MB | < 1 GB |\n", audit.rssMB)
	return nil
}

// parseRounds parses the corpus repeat times per round, rounds times, with
// the given number of goroutines (and GOMAXPROCS). It returns the median
// seconds of one pass over the corpus and the number of syntax errors seen in
// the first pass.
func parseRounds(cp *corpus, procs, rounds, repeat int) (float64, int) {
	old := runtime.GOMAXPROCS(procs)
	defer runtime.GOMAXPROCS(old)
	n := len(cp.files)
	times := make([]float64, 0, rounds)
	nerr := -1
	for r := 0; r < rounds; r++ {
		runtime.GC()
		var next, errCount atomic.Int64
		var wg sync.WaitGroup
		start := time.Now()
		for w := 0; w < procs; w++ {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for {
					i := int(next.Add(1)) - 1
					if i >= n*repeat {
						return
					}
					_, errs := parser.ParseFile(cp.files[i%n])
					if i < n {
						errCount.Add(int64(len(errs)))
					}
				}
			}()
		}
		wg.Wait()
		times = append(times, time.Since(start).Seconds()/float64(repeat))
		if nerr < 0 {
			nerr = int(errCount.Load())
		}
	}
	return median(times), nerr
}

// auditResult is the outcome of the timed aegis audit runs.
type auditResult struct {
	seconds   float64
	rssMB     float64
	files     int
	detectors int
	findings  int
}

// runAudit times the aegis CLI over the corpus directories.
func runAudit(c config, cp *corpus) (auditResult, error) {
	out, err := os.CreateTemp("", "aegis-bench-*.json")
	if err != nil {
		return auditResult{}, fmt.Errorf("temp file: %w", err)
	}
	out.Close()
	defer os.Remove(out.Name())
	args := append([]string{"audit"}, corpusDirs...)
	args = append(args, "--format", "json", "--fail-on", "none", "--include-deps", "--output", out.Name())
	var res auditResult
	times := make([]float64, 0, c.rounds)
	for r := 0; r < c.rounds; r++ {
		sec, rss, err := timeCommand(c.root, c.aegis, args, true)
		if err != nil {
			return res, fmt.Errorf("aegis audit: %w", err)
		}
		times = append(times, sec)
		res.rssMB = max(res.rssMB, rss)
	}
	res.seconds = median(times)
	b, err := os.ReadFile(out.Name())
	if err != nil {
		return res, fmt.Errorf("reading audit report: %w", err)
	}
	var rep struct {
		Findings []json.RawMessage `json:"findings"`
		Stats    struct {
			Files     int `json:"files"`
			Lines     int `json:"lines"`
			Detectors int `json:"detectors"`
		} `json:"stats"`
	}
	if err := json.Unmarshal(b, &rep); err != nil {
		return res, fmt.Errorf("decoding audit report: %w", err)
	}
	res.files, res.detectors, res.findings = rep.Stats.Files, rep.Stats.Detectors, len(rep.Findings)
	if rep.Stats.Files != len(cp.files) || rep.Stats.Lines != cp.lines {
		fmt.Fprintf(os.Stderr, "warning: aegis audited %d files, %d lines; corpus has %d files, %d lines\n",
			rep.Stats.Files, rep.Stats.Lines, len(cp.files), cp.lines)
	}
	return res, nil
}

// solcResult is the JSON printed by solc-bench.mjs.
type solcResult struct {
	Version string  `json:"version"`
	Files   int     `json:"files"`
	LoadMS  float64 `json:"load_ms"`
	PerFile *struct {
		MS       float64 `json:"ms"`
		Rejected int     `json:"rejected"`
	} `json:"perfile"`
	Batch *struct {
		MS       float64 `json:"ms"`
		Rejected int     `json:"rejected"`
	} `json:"batch"`
}

// runSolc runs solc-bench.mjs once per pinned version and returns a row per
// mode: the compile time summed over versions, with compiler load and node
// start-up in the note.
func runSolc(c config) (map[string]row, error) {
	total := map[string]float64{}
	files, rejected := 0, map[string]int{}
	var load, wall float64
	for _, v := range solcVersions {
		args := append([]string{"bench/audit/solc-bench.mjs", v}, c.solcModes...)
		var stdout bytes.Buffer
		cmd := exec.Command("node", args...)
		cmd.Dir = c.root
		cmd.Stdout = &stdout
		cmd.Stderr = os.Stderr
		start := time.Now()
		if err := cmd.Run(); err != nil {
			return nil, fmt.Errorf("solc-bench.mjs %s: %w", v, err)
		}
		wall += time.Since(start).Seconds()
		var r solcResult
		if err := json.Unmarshal(stdout.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("solc-bench.mjs %s output: %w", v, err)
		}
		fmt.Fprintf(os.Stderr, "solc %s: %s", v, stdout.String())
		files += r.Files
		load += r.LoadMS / 1e3
		if r.PerFile != nil {
			total["perfile"] += r.PerFile.MS / 1e3
			rejected["perfile"] += r.PerFile.Rejected
		}
		if r.Batch != nil {
			total["batch"] += r.Batch.MS / 1e3
			rejected["batch"] += r.Batch.Rejected
		}
	}
	startup := wall - load
	for _, m := range c.solcModes {
		startup -= total[m]
	}
	rows := map[string]row{}
	names := map[string]string{"perfile": "solc-js AST, one job per file", "batch": "solc-js AST, batches of ≤64 files"}
	for _, m := range c.solcModes {
		rows[m] = row{tool: names[m], seconds: total[m], files: files,
			note: fmt.Sprintf("%d versions; +%.1f s compiler load, +%.1f s node start-up & setup (excluded); %d rejected",
				len(solcVersions), load, startup, rejected[m])}
	}
	return rows, nil
}

// runSolhint times solhint (recommended rules) over every corpus file.
func runSolhint(c config, cp *corpus) (row, error) {
	ignore, err := os.CreateTemp("", "solhintignore-*")
	if err != nil {
		return row{}, fmt.Errorf("temp file: %w", err)
	}
	ignore.Close()
	defer os.Remove(ignore.Name())
	bin := filepath.Join("tools", "corpus", "node_modules", ".bin", "solhint")
	args := []string{"-c", "bench/audit/solhint.json", "--disc", "--noPoster", "--ignore-path", ignore.Name(), "-f", "unix"}
	args = append(args, cp.paths...)
	times := make([]float64, 0, c.solhintN)
	var rss float64
	for r := 0; r < c.solhintN; r++ {
		// solhint exits 1 when it reports errors: only a failure to run counts.
		sec, m, err := timeCommand(c.root, bin, args, false)
		if err != nil {
			return row{}, fmt.Errorf("solhint: %w", err)
		}
		times = append(times, sec)
		rss = max(rss, m)
	}
	return row{tool: "solhint 6.2.4 (solhint:recommended)", seconds: median(times), files: len(cp.files),
		note: fmt.Sprintf("one process incl. node start-up; peak RSS %.0f MB", rss)}, nil
}

// timeCommand runs name with args in dir, discarding its output, and returns
// its wall time and peak RSS in MB. Unless mustSucceed, a non-zero exit
// status is not an error.
func timeCommand(dir, name string, args []string, mustSucceed bool) (float64, float64, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	start := time.Now()
	err := cmd.Run()
	sec := time.Since(start).Seconds()
	var exit *exec.ExitError
	if err != nil && (mustSucceed || !errors.As(err, &exit)) {
		return 0, 0, fmt.Errorf("%w: %s", err, strings.TrimSpace(stderr.String()))
	}
	var rss float64
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		rss = float64(ru.Maxrss) / 1024 // Linux reports KiB
	}
	return sec, rss, nil
}

// printTable writes the throughput table.
func printTable(w *os.File, cp *corpus, rows []row) {
	fmt.Fprintf(w, "Corpus: %d files, %s lines, %.1f MB (OZ 3.4.2/4.9.6/5.7.0, Uniswap v2/v3-core 1.0.1, contracts/src).\n\n",
		len(cp.files), commas(float64(cp.lines)), float64(cp.bytes)/1e6)
	fmt.Fprintln(w, "| tool | time | files/s | lines/s | notes |")
	fmt.Fprintln(w, "| --- | ---: | ---: | ---: | --- |")
	for _, r := range rows {
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", r.tool, duration(r.seconds),
			commas(float64(r.files)/r.seconds), commas(float64(cp.lines)/r.seconds), r.note)
	}
}

// duration formats seconds with a unit suited to its size.
func duration(s float64) string {
	if s < 1 {
		return fmt.Sprintf("%.1f ms", s*1e3)
	}
	return fmt.Sprintf("%.2f s", s)
}

// commas formats v rounded to an integer with thousands separators.
func commas(v float64) string {
	s := fmt.Sprintf("%.0f", v)
	var b strings.Builder
	for i, ch := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(ch)
	}
	return b.String()
}

// median returns the median of xs (which it sorts).
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	sort.Float64s(xs)
	return xs[len(xs)/2]
}
