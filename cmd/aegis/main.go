// Command aegis is the aegis DeFi security platform: static auditing of
// Solidity, real-time threat detection, autonomous response, risk scoring and
// fund-flow forensics. Run `aegis --help` for the commands.
package main

import (
	"context"
	"fmt"
	"os"
	"os/signal"
	"syscall"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err := newRootCmd(os.Stdout, os.Stderr).ExecuteContext(ctx)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "aegis: "+err.Error())
		os.Exit(1)
	}
}
