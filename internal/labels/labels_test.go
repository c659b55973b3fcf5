package labels_test

import (
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/labels"
)

var (
	a1 = common.HexToAddress("0x1111111111111111111111111111111111111111")
	a2 = common.HexToAddress("0x2222222222222222222222222222222222222222")
	d0 = labels.Defaults{Now: time.Date(2026, 1, 2, 0, 0, 0, 0, time.UTC)}
)

func TestParsers(t *testing.T) {
	tests := []struct {
		name, format, data string
		want               []labels.Label
	}{
		{"list.csv", "csv", "address,label,category,source,confidence\n" +
			a1.Hex() + ",Hot wallet 1,CEX,https://example.org/x,0.9\n" + a2.Hex() + ",,mixer,,\n",
			[]labels.Label{{Address: a1, Label: "Hot wallet 1", Category: labels.Exchange, Source: "https://example.org/x", Confidence: 0.9},
				{Address: a2, Label: "mixer", Category: labels.Mixer, Source: "list.csv", Confidence: 0.7}}},
		{"list.json", "json", `[{"address":"` + a1.Hex() + `","name":"Bridge","category":"bridge","confidence":"authority_data"}]`,
			[]labels.Label{{Address: a1, Label: "Bridge", Category: labels.Bridge, Source: "list.json", Confidence: 0.95}}},
		{"map.json", "json", `{"` + a2.Hex() + `": "Some exchange"}`,
			[]labels.Label{{Address: a2, Label: "Some exchange", Category: labels.Other, Source: "map.json", Confidence: 0.7}}},
		{"sdn.txt", "ofac", "# comment\nLAZARUS GROUP, a.k.a. X; Digital Currency Address - XBT 1abc; Digital Currency Address - ETH " + a1.Hex() + "; Digital Currency Address - ETH " + a2.Hex() + ";\n",
			[]labels.Label{{Address: a1, Label: "OFAC SDN: LAZARUS GROUP", Category: labels.Sanctioned, Source: "sdn.txt", Confidence: 1},
				{Address: a2, Label: "OFAC SDN: LAZARUS GROUP", Category: labels.Sanctioned, Source: "sdn.txt", Confidence: 1}}},
		{"plain.txt", "ofac", a1.Hex() + "\n\n",
			[]labels.Label{{Address: a1, Label: "OFAC SDN list", Category: labels.Sanctioned, Source: "plain.txt", Confidence: 1}}},
		{"pack.yaml", "tagpack", "title: T\ncreator: me\nlabel: ExampleEx\ncategory: exchange\nsource: https://ex.org\nconfidence: forensic\ncurrency: ETH\nlastmod: 2025-03-04\ntags:\n  - address: " + a1.Hex() + "\n  - address: " + a2.Hex() + "\n    label: ExampleEx deposit\n    confidence: 0.6\n  - address: 1BoatSLRHtKNngkdXEeobR76b53LETtpyT\n    currency: BTC\n",
			[]labels.Label{{Address: a1, Label: "ExampleEx", Category: labels.Exchange, Source: "https://ex.org", Confidence: 0.8, Modified: time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC)},
				{Address: a2, Label: "ExampleEx deposit", Category: labels.Exchange, Source: "https://ex.org", Confidence: 0.6, Modified: time.Date(2025, 3, 4, 0, 0, 0, 0, time.UTC)}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := labels.Parse(tt.format, tt.name, []byte(tt.data), d0)
			if err != nil {
				t.Fatal(err)
			}
			got := s.All()
			if len(got) != len(tt.want) {
				t.Fatalf("got %d labels %+v, want %d", len(got), got, len(tt.want))
			}
			for i, w := range tt.want {
				if w.Modified.IsZero() {
					w.Modified = d0.Now
				}
				if got[i] != w {
					t.Errorf("label %d = %+v, want %+v", i, got[i], w)
				}
			}
		})
	}
}

func TestParseErrors(t *testing.T) {
	tests := []struct{ name, format, data, want string }{
		{"a.csv", "csv", "label\nx\n", "a.csv:1:1: header has no address column"},
		{"a.csv", "csv", "address,label\n" + a1.Hex() + ",ok\n0x12,bad\n", "a.csv:3:1: \"0x12\" is not"},
		{"a.csv", "csv", "address,confidence\n" + a1.Hex() + ",2000\n", "a.csv:2:1: confidence"},
		{"a.json", "json", "[\n{\"address\": 1}]", "a.json:2:"},
		{"a.json", "json", "[\n {\"address\":\"0x00\"}]", "a.json:2:2: \"0x00\" is not"},
		{"a.json", "json", "[{\"address\":\"" + a1.Hex() + "\",", "a.json"},
		{"a.txt", "ofac", a1.Hex() + "\n0x1234\n", "a.txt:2:1: \"0x1234\" is not"},
		{"a.yaml", "tagpack", "title: x\ntags:\n  - address: nope\n", "a.yaml:3:5: \"nope\" is not"},
		{"a.yaml", "tagpack", "title: x\n", "a.yaml:1:1: no tags"},
		{"a.yaml", "tagpack", "tags:\n  - address: " + a1.Hex() + "\n    label: x\n    lastmod: yesterday\n", "a.yaml:2:5: lastmod"},
		{"a.bin", "xml", "", "format \"xml\""},
	}
	for _, tt := range tests {
		_, err := labels.Parse(tt.format, tt.name, []byte(tt.data), d0)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s %q: error %v, want %q", tt.format, tt.data, err, tt.want)
		}
	}
}

func TestStoreRoundTripAndBuiltin(t *testing.T) {
	b := labels.Builtin()
	tornado10 := common.HexToAddress("0x910Cbd523D972eb0a6f4cAe4618aD62622b39DbF")
	l, ok := b.Boundary(tornado10)
	if !ok || (l.Category != labels.Mixer && l.Category != labels.Sanctioned) || !strings.Contains(l.Source, "OFAC") {
		t.Fatalf("tornado 10 ETH pool: %+v %v", l, ok)
	}
	weth := common.HexToAddress("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2")
	if _, ok := b.Boundary(weth); ok {
		t.Fatal("WETH is not a service boundary")
	}
	for _, l := range b.All() {
		if err := l.Validate(); err != nil {
			t.Fatal(err)
		}
	}
	path := filepath.Join(t.TempDir(), labels.FileName)
	if err := b.Save(path); err != nil {
		t.Fatal(err)
	}
	got, err := labels.Load(path)
	if err != nil {
		t.Fatal(err)
	}
	if got.Len() != b.Len() || got.Len() < 8 {
		t.Fatalf("round trip %d labels, want %d", got.Len(), b.Len())
	}
	for i, l := range got.All() {
		if w := b.All()[i]; !l.Modified.Equal(w.Modified) || l.Address != w.Address || l.Label != w.Label {
			t.Fatalf("label %d = %+v, want %+v", i, l, w)
		}
	}
	empty, err := labels.Load(filepath.Join(t.TempDir(), "missing.jsonl"))
	if err != nil || empty.Len() != 0 {
		t.Fatalf("missing store: %v %d", err, empty.Len())
	}
}

// fuzzParse checks a parser never panics and only returns valid labels.
func fuzzParse(f *testing.F, format string, seeds ...string) {
	for _, s := range seeds {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := labels.Parse(format, "fuzz", data, d0)
		if err != nil {
			if s != nil {
				t.Fatal("set with error")
			}
			return
		}
		for _, l := range s.All() {
			if err := l.Validate(); err != nil {
				t.Fatalf("invalid label from %q: %v", data, err)
			}
		}
	})
}

func FuzzParseCSV(f *testing.F) {
	fuzzParse(f, "csv", "address,label\n"+a1.Hex()+",x\n", "address,confidence\n"+a1.Hex()+",0.5\n")
}

func FuzzParseJSON(f *testing.F) {
	fuzzParse(f, "json", `[{"address":"`+a1.Hex()+`","label":"x"}]`, `{"`+a2.Hex()+`":"y"}`)
}

func FuzzParseOFAC(f *testing.F) {
	fuzzParse(f, "ofac", "X, Digital Currency Address - ETH "+a1.Hex()+";\n", a2.Hex()+"\n")
}

func FuzzParseTagPack(f *testing.F) {
	fuzzParse(f, "tagpack", "label: x\ntags:\n  - address: "+a1.Hex()+"\n")
}
