// Package testenv decides what a test does when a tool or corpus it needs
// (Anvil, the pinned Solidity corpus, …) is not installed: on a developer
// machine the test is skipped with the command that installs it; in CI
// (the CI environment variable is set, as .ci/run and every CI service do)
// it fails, so a broken install step can never turn a suite green by
// skipping it.
package testenv

import (
	"os"
	"testing"
)

// InCI reports whether the tests run under CI.
func InCI() bool { return os.Getenv("CI") != "" }

// Require skips t (locally) or fails it (in CI) unless ok; what names the
// missing tool and hint how to install it.
func Require(t testing.TB, ok bool, what, hint string) {
	t.Helper()
	if ok {
		return
	}
	if InCI() {
		t.Fatalf("%s is missing, and CI must run this test: %s", what, hint)
		return
	}
	t.Skipf("%s is not installed: %s", what, hint)
}
