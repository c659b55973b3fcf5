package main

import (
	"context"
	"testing"
)

// BenchmarkDevnet runs every workload on the aegis devnet and on Anvil in
// both mining modes and reports tx/s. Each iteration is a full run on a
// fresh node, so use -benchtime=1x (or a small Nx):
//
//	go test -run '^$' -bench . -benchtime 1x ./bench/devnet/
func BenchmarkDevnet(b *testing.B) {
	opt := Options{Txs: 2000, Batch: 100, Accounts: 100, ChainID: 1337}
	nodes := []struct {
		name  string
		start StartFunc
	}{{"aegis", startAegis}}
	if bin, err := findAnvil(""); err != nil {
		b.Logf("skipping anvil: %v", err)
	} else {
		nodes = append(nodes, struct {
			name  string
			start StartFunc
		}{"anvil", anvilStarter(bin)})
	}
	for _, w := range Workloads() {
		for _, automine := range []bool{true, false} {
			for _, nd := range nodes {
				b.Run(w.Name+"/"+modeName(automine)+"/"+nd.name, func(b *testing.B) {
					var txs int
					var secs float64
					for b.Loop() {
						elapsed, n, err := RunOne(context.Background(), nd.start, automine, w, opt)
						if err != nil {
							b.Fatal(err)
						}
						txs += n
						secs += elapsed.Seconds()
					}
					b.ReportMetric(float64(txs)/secs, "tx/s")
				})
			}
		}
	}
}

// TestSmoke runs a tiny version of every workload on the aegis devnet so the
// harness itself stays tested without Anvil.
func TestSmoke(t *testing.T) {
	opt := Options{Txs: 40, Batch: 10, Accounts: 4, ChainID: 1337}
	for _, w := range Workloads() {
		for _, automine := range []bool{true, false} {
			if _, n, err := RunOne(context.Background(), startAegis, automine, w, opt); err != nil || n != opt.Txs {
				t.Fatalf("%s %s: n=%d err=%v", w.Name, modeName(automine), n, err)
			}
		}
	}
}
