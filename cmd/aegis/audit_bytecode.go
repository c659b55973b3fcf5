package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/ethclient"

	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/internal/bytecode"
	"github.com/aegis-defi/aegis/internal/sigdb"
)

// bytecodeOptions are the flags of `aegis audit` in bytecode mode.
type bytecodeOptions struct {
	code    string // --bytecode: hex or a file holding hex
	address string // --address
	rpc     string // --rpc
}

func (b bytecodeOptions) active() bool { return b.code != "" || b.address != "" }

// runBytecodeAudit analyzes deployed code: given as hex or a file of hex
// (--bytecode), or fetched from a node (--address with --rpc), following
// proxies to their implementation.
func runBytecodeAudit(ctx context.Context, stdout io.Writer, b bytecodeOptions, format, failOn string) error {
	if format != "text" && format != "json" {
		return fmt.Errorf("--format %q: bytecode mode supports text or json", format)
	}
	var threshold bytecode.Severity
	if failOn != "" && failOn != "none" {
		sev, err := analysis.ParseSeverity(failOn)
		if err != nil {
			return fmt.Errorf("--fail-on: %w", err)
		}
		threshold = bytecode.Severity(sev.String())
	}
	db := sigdb.Default()
	var rep *bytecode.Report
	switch {
	case b.code != "" && b.address != "":
		return fmt.Errorf("--bytecode and --address are exclusive")
	case b.code != "":
		code, err := readBytecodeArg(b.code)
		if err != nil {
			return fmt.Errorf("--bytecode: %w", err)
		}
		if rep, err = bytecode.Analyze(code, db); err != nil {
			return fmt.Errorf("--bytecode: %w", err)
		}
	default:
		if !common.IsHexAddress(b.address) {
			return fmt.Errorf("--address %q: not a hex address", b.address)
		}
		if b.rpc == "" {
			return fmt.Errorf("--address needs --rpc URL")
		}
		c, err := ethclient.DialContext(ctx, b.rpc)
		if err != nil {
			return fmt.Errorf("--rpc %s: %w", b.rpc, err)
		}
		defer c.Close()
		if rep, err = bytecode.Fetch(ctx, c, common.HexToAddress(b.address), db); err != nil {
			return fmt.Errorf("%s via %s: %w", b.address, b.rpc, err)
		}
	}
	if format == "json" {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		if err := enc.Encode(rep); err != nil {
			return err
		}
	} else {
		writeBytecodeText(stdout, rep, "")
	}
	if threshold != "" {
		n := countAtOrAbove(rep, threshold)
		if n > 0 {
			sev, _ := analysis.ParseSeverity(string(threshold))
			return &FindingsError{Count: n, Threshold: sev}
		}
	}
	return nil
}

func countAtOrAbove(r *bytecode.Report, t bytecode.Severity) int {
	n := 0
	for _, f := range r.Findings {
		if f.Severity.Rank() >= t.Rank() {
			n++
		}
	}
	if r.Implementation != nil {
		n += countAtOrAbove(r.Implementation, t)
	}
	return n
}

func writeBytecodeText(w io.Writer, r *bytecode.Report, indent string) {
	p := func(format string, a ...any) { fmt.Fprintf(w, indent+format+"\n", a...) }
	if r.Address != nil {
		p("address   %s", r.Address.Hex())
	}
	p("code      %d bytes (%d without metadata), %d instructions, hash %s", r.Size, r.CodeSize, r.Instructions, r.CodeHash.Hex())
	if r.Compiler != "" {
		p("compiler  %s", r.Compiler)
	}
	if r.Proxy != nil {
		line := "proxy     " + r.Proxy.Kind
		if r.Proxy.Target != nil {
			line += " → " + r.Proxy.Target.Hex()
		}
		if r.Proxy.Implementation != nil {
			line += " → implementation " + r.Proxy.Implementation.Hex()
		}
		p("%s", line)
	}
	p("functions %d", len(r.Selectors))
	for _, s := range r.Selectors {
		name := "?"
		if len(s.Names) > 0 {
			name = strings.Join(s.Names, " | ")
		}
		p("  %s  %s", s.Selector, name)
	}
	if len(r.Privileged) > 0 {
		p("privileged")
		for _, pr := range r.Privileged {
			p("  %-10s %s (%s)", pr.Category, pr.Name, pr.Selector)
		}
	}
	p("findings  %d", len(r.Findings))
	for _, f := range r.Findings {
		detail := ""
		if f.Detail != "" {
			detail = ": " + f.Detail
		}
		p("  [%s] %s%s", strings.ToUpper(string(f.Severity)), f.Title, detail)
	}
	for _, n := range r.Notes {
		p("note      %s", n)
	}
	if r.Implementation != nil {
		p("implementation:")
		writeBytecodeText(w, r.Implementation, indent+"  ")
	}
}

// readBytecodeArg decodes --bytecode: hex (with or without 0x), or the name
// of a file holding hex. A 0x-prefixed value is always hex; otherwise an
// existing file wins, then bare hex; a value that is neither gets an error
// saying both why it is not hex and why it could not be read as a file.
func readBytecodeArg(arg string) ([]byte, error) {
	trimmed := strings.TrimSpace(arg)
	if strings.HasPrefix(trimmed, "0x") || strings.HasPrefix(trimmed, "0X") {
		return bytecode.ParseHex(trimmed)
	}
	data, ferr := os.ReadFile(arg)
	if ferr == nil {
		code, err := bytecode.ParseHex(string(data))
		if err != nil {
			return nil, fmt.Errorf("bytecode file %s: %w", arg, err)
		}
		return code, nil
	}
	code, herr := bytecode.ParseHex(trimmed)
	if herr == nil {
		return code, nil
	}
	if errors.Is(ferr, fs.ErrNotExist) {
		ferr = fs.ErrNotExist // "file does not exist", without repeating the name
	}
	return nil, fmt.Errorf("read bytecode file %s: %w (and as hex: %v)", arg, ferr, herr)
}
