package risk

import (
	"os"
	"strings"
	"testing"
)

func TestEvidenceFile(t *testing.T) {
	data, err := os.ReadFile("testdata/evidence.yaml")
	if err != nil {
		t.Fatal(err)
	}
	f, err := ParseEvidence("evidence.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	// capability 20 + audit −10 + team +15 = 25
	r := &Report{Address: "0x00000000000000000000000000000000000000A1", Factors: []Factor{{ID: "mint-path", Kind: KindCapability, Points: 20}}}
	r.finish()
	r.ApplyEvidence(f)
	if r.RiskScore != 25 || r.Level != LevelMedium || r.Factor("evidence-audit") == nil || r.Factor("evidence-team").Evidence[0].Source != "https://example.com/about" {
		t.Errorf("score %d level %s factors %+v", r.RiskScore, r.Level, r.Factors)
	}
	// reassuring evidence never lowers behaviour: a honeypot stays critical
	hp := &Report{Address: "0x00000000000000000000000000000000000000a1", Factors: []Factor{{ID: "cannot-sell", Kind: KindBehaviour, Points: 90}}}
	only := &EvidenceFile{Subjects: []EvidenceSubject{{Address: hp.Address, Items: []EvidenceItem{{Kind: "audit", Claim: "x", Source: "https://a.example", Points: -20}}}}}
	hp.ApplyEvidence(only)
	if hp.RiskScore != 90 || hp.Level != LevelCritical {
		t.Errorf("honeypot with an audit: %d %s", hp.RiskScore, hp.Level)
	}
	// by code hash (bytecode mode)
	b := &Report{CodeHash: "0x00000000000000000000000000000000000000000000000000000000000000B2"}
	b.ApplyEvidence(f)
	if b.RiskScore != 40 || b.Factor("evidence-incident") == nil {
		t.Errorf("by code hash: %d %+v", b.RiskScore, b.Factors)
	}
	// no evidence: the signal is unknown, nothing added
	n := &Report{Address: "0x00000000000000000000000000000000000000c3"}
	n.ApplyEvidence(f)
	if n.RiskScore != 0 || len(n.Factors) != 0 || n.Signals[len(n.Signals)-1].Status != StatusUnknown {
		t.Errorf("no evidence: %+v", n)
	}
}

func TestEvidenceBadInput(t *testing.T) {
	const head = "version: 1\nsubjects:\n  - address: 0x00000000000000000000000000000000000000a1\n    items:\n"
	for _, c := range []struct{ in, want string }{
		{"", "e.yaml: empty evidence file"},
		{"[1, 2", "e.yaml: yaml:"},
		{"- a\n", "e.yaml:1:1: (top level): want a mapping"},
		{"version: 2\nsubjects: []\n", "e.yaml:1:10: version: \"2\": want 1"},
		{"version: 1\nsubject: []\n", "e.yaml:2:1: subject: unknown key"},
		{"version: 1\n", "subjects: want a list"},
		{"version: 1\nsubjects:\n  - name: x\n    items: []\n", "e.yaml:3:5: subjects[0]: give address or code_hash"},
		{"version: 1\nsubjects:\n  - address: 0x12\n    items: []\n", "e.yaml:3:14: subjects[0].address: \"0x12\" is not"},
		{"version: 1\nsubjects:\n  - address: 0x00000000000000000000000000000000000000a1\n    items: []\n", "subjects[0].items: want a non-empty list"},
		{head + "      - {kind: rumour, claim: x, source: https://a.example}\n", "e.yaml:5:9: subjects[0].items[0].kind: \"rumour\""},
		{head + "      - {kind: audit, claim: '', source: https://a.example}\n", "subjects[0].items[0].claim: required"},
		{head + "      - {kind: audit, claim: x, source: twitter.com/x}\n", "subjects[0].items[0].source: \"twitter.com/x\""},
		{head + "      - {kind: audit, claim: x, source: https://a.example, points: 99}\n", "subjects[0].items[0].points: 99"},
		{head + "      - {kind: audit, claim: x, source: https://a.example, points: lots}\n", "line 5"},
		{head + "      - {kind: audit, claim: x, source: https://a.example, date: May}\n", "subjects[0].items[0].date: \"May\""},
		{head + "      - {kind: audit, claim: x, source: https://a.example, weight: 3}\n", "e.yaml:5:60: subjects[0].items[0].weight: unknown key"},
	} {
		_, err := ParseEvidence("e.yaml", []byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%q: %v, want %q", c.in, err, c.want)
		}
	}
}

func FuzzParseEvidence(f *testing.F) {
	if data, err := os.ReadFile("testdata/evidence.yaml"); err == nil {
		f.Add(data)
	}
	f.Add([]byte("version: 1\nsubjects: [{address: 0x00000000000000000000000000000000000000a1, items: [{kind: audit}]}]"))
	f.Fuzz(func(t *testing.T, data []byte) {
		ef, err := ParseEvidence("f.yaml", data)
		if err != nil {
			return
		}
		for _, s := range ef.Subjects {
			if len(s.Items) == 0 {
				t.Fatal("accepted a subject without items")
			}
			r := &Report{Address: s.Address, CodeHash: s.CodeHash}
			r.ApplyEvidence(ef)
			if r.RiskScore < 0 || r.RiskScore > 100 {
				t.Fatalf("score %d", r.RiskScore)
			}
		}
	})
}

func TestApplyAudit(t *testing.T) {
	r := &Report{}
	r.ApplyAudit([]AuditFinding{
		{Detector: "a", Severity: "high", Title: "A"}, {Detector: "a", Severity: "critical", Title: "A"},
		{Detector: "b", Severity: "high", Title: "B"}, {Detector: "c", Severity: "info", Title: "C"},
	}, true, "")
	// a: critical 40 (its most severe), b: high 25 → capped at 50 in total
	if r.Factor("audit-a").Points != 40 || len(r.Factor("audit-a").Evidence) != 2 || r.Factor("audit-b").Points != 10 || r.Factor("audit-c").Points != 0 || r.RiskScore != 50 {
		t.Errorf("%d %+v", r.RiskScore, r.Factors)
	}
	u := &Report{}
	u.ApplyAudit(nil, false, "no source")
	if len(u.Unknowns) != 1 || u.Signals[0].Status != StatusUnknown || u.RiskScore != 0 {
		t.Errorf("%+v", u)
	}
}
