package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestMain lets a test run the real aegis main (signal handling, exit
// codes) in a child process: the test binary re-executes itself with
// AEGIS_TEST_MAIN=1 and the aegis arguments.
func TestMain(m *testing.M) {
	if os.Getenv("AEGIS_TEST_MAIN") == "1" {
		main()
		return
	}
	os.Exit(m.Run())
}

// aegisProcess returns the command running aegis main with args.
func aegisProcess(t *testing.T, args ...string) *exec.Cmd {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(exe, args...)
	cmd.Env = append(os.Environ(), "AEGIS_TEST_MAIN=1")
	return cmd
}

// manyContracts returns a Solidity file of n contracts, each with an
// external call before a state write.
func manyContracts(n int) []byte {
	var b bytes.Buffer
	b.WriteString("pragma solidity ^0.8.0;\n")
	for i := range n {
		fmt.Fprintf(&b, `contract C%d {
    mapping(address => uint256) balances;
    function withdraw(uint256 amt) external {
        (bool ok,) = msg.sender.call{value: amt}("");
        require(ok);
        balances[msg.sender] -= amt;
    }
}
`, i)
	}
	return b.Bytes()
}

// TestAuditStopsOnSignal sends SIGTERM/SIGINT to a running `aegis audit`
// of a large input (tens of seconds of work) once it has reached a phase
// (loading and parsing, analyzing; the phases are logged at info level) and
// checks it stops promptly with an "interrupted" message, exit code 2 and
// no report.
func TestAuditStopsOnSignal(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "Big.sol"), manyContracts(40_000), 0o600); err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name  string
		sig   syscall.Signal
		phase string        // log message to wait for
		after time.Duration // then wait this long
	}{
		{"SIGTERM while loading", syscall.SIGTERM, "audit: loading", 0},
		{"SIGTERM while analyzing", syscall.SIGTERM, "audit: analyzing", 300 * time.Millisecond},
		{"SIGINT while analyzing", syscall.SIGINT, "audit: analyzing", 300 * time.Millisecond},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			cmd := aegisProcess(t, "audit", dir, "--format", "json", "--fail-on", "none", "--log-level", "info")
			var stdout bytes.Buffer
			cmd.Stdout = &stdout
			stderrPipe, err := cmd.StderrPipe()
			if err != nil {
				t.Fatal(err)
			}
			if err := cmd.Start(); err != nil {
				t.Fatal(err)
			}
			var stderr strings.Builder
			reached := make(chan struct{})
			read := make(chan struct{})
			go func() {
				defer close(read)
				sc := bufio.NewScanner(stderrPipe)
				for sc.Scan() {
					stderr.WriteString(sc.Text() + "\n")
					if strings.Contains(sc.Text(), `msg="`+c.phase+`"`) {
						close(reached)
					}
				}
			}()
			select {
			case <-reached:
			case <-read:
				_ = cmd.Wait()
				t.Fatalf("exited before %q:\n%s", c.phase, stderr.String())
			case <-time.After(60 * time.Second):
				_ = cmd.Process.Kill()
				<-read
				_ = cmd.Wait()
				t.Fatalf("never reached %q", c.phase)
			}
			time.Sleep(c.after)
			sent := time.Now()
			if err := cmd.Process.Signal(c.sig); err != nil {
				t.Fatalf("signal: %v (the audit finished before it; the input is too small)", err)
			}
			done := make(chan error, 1)
			go func() {
				<-read // Wait closes the pipe: finish reading first
				done <- cmd.Wait()
			}()
			select {
			case err = <-done:
			case <-time.After(10 * time.Second):
				_ = cmd.Process.Kill()
				<-done
				t.Fatalf("audit still running 10 s after %v", c.sig)
			}
			t.Logf("stopped %v after the signal", time.Since(sent).Round(time.Millisecond))
			var ee *exec.ExitError
			if !errors.As(err, &ee) || ee.ExitCode() != 2 {
				t.Fatalf("exit: %v, want exit status 2; stderr:\n%s", err, stderr.String())
			}
			if !strings.Contains(stderr.String(), "audit interrupted") || !strings.Contains(stderr.String(), "signal received") {
				t.Errorf("stderr = %q, want an interrupted message naming the signal", stderr.String())
			}
			if strings.Contains(stderr.String(), `msg="audit: done"`) || stdout.Len() != 0 {
				t.Errorf("the audit completed after the signal: %.200s", stdout.String())
			}
		})
	}
}

// TestAuditBadSources checks the outcome of auditing inputs that are not
// (all) analyzable Solidity: binary data, a flood of syntax errors, no .sol
// file at all; a clean project is the negative case.
func TestAuditBadSources(t *testing.T) {
	empty := t.TempDir()
	cases := []struct {
		name       string
		path       string
		wantErr    string // substring of the returned error; "" for success
		wantOut    []string
		wantErrors int // entries in the JSON report's errors (-1: no report)
	}{
		{"binary data renamed .sol", "testdata/audit/binary", "1 file could not be parsed",
			[]string{"Blob.sol", `"line": 1`, `"column": 1`, "not a Solidity source (binary data)"}, 1},
		{"error flood is capped per file", "testdata/audit/noisy", "1 file could not be parsed",
			[]string{"Noisy.sol", "more errors suppressed"}, maxErrorsPerFile + 1},
		{"empty directory", empty, "nothing to audit: no Solidity (.sol) files found in " + empty, nil, -1},
		{"directory without .sol files", "testdata/audit/nosol", "nothing to audit", nil, -1},
		{"clean project", "testdata/audit/clean", "", []string{`"errors": []`}, 0},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			out, err := runAuditCLI(t, "audit", c.path, "--format", "json", "--fail-on", "none")
			switch {
			case c.wantErr == "" && err != nil:
				t.Fatalf("err = %v", err)
			case c.wantErr != "" && (err == nil || !strings.Contains(err.Error(), c.wantErr)):
				t.Fatalf("err = %v, want %q", err, c.wantErr)
			}
			if code := exitCode(io.Discard, nil, err); c.wantErr != "" && code != 2 {
				t.Errorf("exit code %d, want 2", code)
			}
			for _, w := range c.wantOut {
				if !strings.Contains(out, w) {
					t.Errorf("report lacks %q:\n%.2000s", w, out)
				}
			}
			if c.wantErrors < 0 {
				if out != "" {
					t.Errorf("a report was written: %.300s", out)
				}
				return
			}
			var doc struct {
				Errors []struct{ Message string } `json:"errors"`
			}
			if err := json.Unmarshal([]byte(out), &doc); err != nil {
				t.Fatalf("json report: %v", err)
			}
			if len(doc.Errors) != c.wantErrors {
				t.Errorf("%d errors reported, want %d", len(doc.Errors), c.wantErrors)
			}
		})
	}
}

// TestAuditBytecodeArg checks how --bytecode tells a file from hex.
func TestAuditBytecodeArg(t *testing.T) {
	dir := t.TempDir()
	good := filepath.Join(dir, "good.hex")
	os.WriteFile(good, []byte("0x6001600101\n"), 0o600)
	odd := filepath.Join(dir, "odd.hex")
	os.WriteFile(odd, []byte("6001600"), 0o600)
	missing := filepath.Join(dir, "missing.hex")
	cases := []struct {
		arg, wantErr, wantOut string
	}{
		{"0x6001600101", "", "5 bytes"},
		{"6001600101", "", "5 bytes"},
		{good, "", "5 bytes"},
		{odd, "bytecode file " + odd + ": bytecode: odd number of hex digits", ""},
		{missing, "read bytecode file " + missing + ": file does not exist (and as hex: ", ""},
		{"0xzz", "--bytecode: bytecode: invalid hex", ""},
	}
	for _, c := range cases {
		t.Run(filepath.Base(c.arg), func(t *testing.T) {
			out, _, err := runCLI(t, "audit", "--bytecode", c.arg, "--fail-on", "none")
			if c.wantErr == "" {
				if err != nil || !strings.Contains(out, c.wantOut) {
					t.Fatalf("err = %v, out:\n%s", err, out)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), c.wantErr) {
				t.Fatalf("err = %v, want %q", err, c.wantErr)
			}
			if strings.Contains(err.Error(), "file does not exist") && strings.Count(err.Error(), missing) != 1 {
				t.Errorf("file name repeated: %v", err)
			}
		})
	}
}

// TestAuditLongExpression runs the whole audit (parser, semantic model,
// every detector) over a function returning a 100k-term sum: the tree is
// 100k levels deep and no pass may overflow the stack or fail on it.
func TestAuditLongExpression(t *testing.T) {
	dir := t.TempDir()
	src := "pragma solidity 0.8.24;\ncontract E {\n    function f(uint256 a) external pure returns (uint256) {\n        return a" +
		strings.Repeat(" + a", 100_000-1) + ";\n    }\n}\n"
	if err := os.WriteFile(filepath.Join(dir, "Long.sol"), []byte(src), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := runAuditCLI(t, "audit", dir, "--format", "json", "--fail-on", "none")
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Errors []struct{ Message string } `json:"errors"`
		Stats  struct{ Files, Detectors int }
	}
	if err := json.Unmarshal([]byte(out), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Errors) > 0 || doc.Stats.Files != 1 || doc.Stats.Detectors != len(detectorNames(defaultSuite())) {
		t.Errorf("errors %v, stats %+v", doc.Errors, doc.Stats)
	}
}
