// Package attacks benchmarks the attack library: the wall time to set up and
// run every scenario against its vulnerable and its safe variant on a fresh
// embedded devnet, as `aegis demo --set library --no-traffic` does.
//
//	go test -run '^$' -bench . -benchtime 5x ./bench/attacks/
package attacks

import (
	"context"
	"testing"
	"time"

	"github.com/aegis-defi/aegis/internal/attack"
	"github.com/aegis-defi/aegis/internal/testchain"
)

func BenchmarkAttackLibrary(b *testing.B) {
	ctx := context.Background()
	lib := attack.Library()
	var perScenario = make(map[string]time.Duration)
	for b.Loop() {
		b.StopTimer()
		env, err := testchain.Start(ctx, 10)
		if err != nil {
			b.Fatal(err)
		}
		aenv := &attack.Env{Client: env.Client, Deployer: env.Accounts[0], Guardian: env.Accounts[1],
			Attacker: env.Accounts[2], Users: env.Accounts[3:]}
		b.StartTimer()
		for _, sc := range lib {
			start := time.Now()
			for _, v := range []attack.Variant{attack.Vulnerable, attack.Safe} {
				staged, err := sc.Setup(ctx, aenv, v)
				if err != nil {
					b.Fatalf("%s %s setup: %v", sc.Info().Name, v, err)
				}
				res, err := attack.Execute(ctx, env.Client, staged, nil)
				if err != nil {
					b.Fatalf("%s %s: %v", sc.Info().Name, v, err)
				}
				if res.Succeeded != (v == attack.Vulnerable) {
					b.Fatalf("%s %s: succeeded=%v", sc.Info().Name, v, res.Succeeded)
				}
			}
			perScenario[sc.Info().Name] += time.Since(start)
		}
		b.StopTimer()
		_ = env.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(len(lib)), "scenarios")
	for name, d := range perScenario {
		b.ReportMetric(float64(d.Milliseconds())/float64(b.N), name+"-ms")
	}
}
