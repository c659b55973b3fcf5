// Command aegis is the aegis DeFi security platform: static auditing of
// Solidity, real-time threat detection, autonomous response, risk scoring and
// fund-flow forensics. Run `aegis --help` for the commands.
//
// Exit codes: 0 success; 1 `aegis audit` found issues at or above --fail-on;
// 2 any other error (bad flags, unreadable or unparsable input, nothing to
// audit, interrupted by SIGINT/SIGTERM, unreachable node, …).
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"

	"github.com/aegis-defi/aegis/internal/redact"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	red := redact.New()
	err := newRootCmd(os.Stdout, os.Stderr).ExecuteContext(redact.WithContext(ctx, red))
	stop()
	os.Exit(exitCode(os.Stderr, red, err))
}

// exitCode prints err (if any) as one line, with credentials masked by
// red, and maps it to the exit code.
func exitCode(w io.Writer, red *redact.Redactor, err error) int {
	if err == nil {
		return 0
	}
	fmt.Fprintln(w, "aegis: "+red.String(err.Error()))
	var fe *FindingsError
	if errors.As(err, &fe) {
		return 1
	}
	return 2
}
