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
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRootCmd(os.Stdout, os.Stderr).ExecuteContext(ctx)
	stop()
	os.Exit(exitCode(err))
}

// exitCode prints err (if any) as one line and maps it to the exit code.
func exitCode(err error) int {
	if err == nil {
		return 0
	}
	fmt.Fprintln(os.Stderr, "aegis: "+err.Error())
	var fe *FindingsError
	if errors.As(err, &fe) {
		return 1
	}
	return 2
}
