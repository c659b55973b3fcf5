package project

import (
	"bufio"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
)

// config is the layout detected from a project's configuration files.
type config struct {
	kind       Kind
	root       string
	sources    []string // absolute source directories
	libs       []string // absolute library directories
	remappings []string // remapping specs, targets relative to root
	// tests is the absolute test directory of the convention (foundry.toml
	// test, default test/; Hardhat test/), excluded from discovery.
	tests string
	// testsReason says where tests comes from, for the report.
	testsReason string
	// outputs are absolute build output directories (foundry.toml out,
	// cache; Hardhat artifacts, cache, typechain-types), never walked.
	outputs []string
}

// detect looks for foundry.toml or hardhat.config.* in dir and its parents
// (up to a directory containing .git). It returns nil for a plain layout.
func detect(dir string) *config {
	for d := dir; ; d = filepath.Dir(d) {
		if exists(filepath.Join(d, "foundry.toml")) {
			return foundryConfig(d)
		}
		for _, ext := range []string{"js", "ts", "cjs", "mjs"} {
			if exists(filepath.Join(d, "hardhat.config."+ext)) {
				return hardhatConfig(d)
			}
		}
		if exists(filepath.Join(d, ".git")) || d == filepath.Dir(d) {
			return nil
		}
	}
}

func exists(path string) bool {
	_, err := os.Stat(path)
	return err == nil
}

// foundryConfig reads foundry.toml's default profile and remappings.txt.
func foundryConfig(root string) *config {
	c := &config{kind: Foundry, root: root}
	src, libs, test, out := "src", []string{"lib"}, "test", "out"
	c.testsReason = `Foundry test directory (default test = "test")`
	if data, err := os.ReadFile(filepath.Join(root, "foundry.toml")); err == nil {
		keys := parseTOMLProfile(string(data))
		if v, ok := keys["src"]; ok && len(v) == 1 {
			src = v[0]
		}
		if v, ok := keys["test"]; ok && len(v) == 1 {
			test = v[0]
			c.testsReason = fmt.Sprintf("Foundry test directory (foundry.toml test = %q)", test)
		}
		if v, ok := keys["out"]; ok && len(v) == 1 {
			out = v[0]
		}
		if v, ok := keys["libs"]; ok {
			libs = v
		}
		c.remappings = append(c.remappings, keys["remappings"]...)
	}
	if data, err := os.ReadFile(filepath.Join(root, "remappings.txt")); err == nil {
		sc := bufio.NewScanner(strings.NewReader(string(data)))
		for sc.Scan() {
			if line := strings.TrimSpace(sc.Text()); line != "" && !strings.HasPrefix(line, "#") {
				c.remappings = append(c.remappings, line)
			}
		}
	}
	c.sources = []string{filepath.Join(root, filepath.FromSlash(src))}
	for _, l := range libs {
		c.libs = append(c.libs, filepath.Join(root, filepath.FromSlash(l)))
	}
	c.tests = filepath.Join(root, filepath.FromSlash(test))
	c.outputs = []string{filepath.Join(root, filepath.FromSlash(out)), filepath.Join(root, "cache"), filepath.Join(root, "broadcast")}
	return c
}

// hardhatSources finds `sources: "..."` in a Hardhat config's paths.
var hardhatSources = regexp.MustCompile(`sources\s*:\s*["']([^"']+)["']`)

// hardhatConfig uses Hardhat's default layout (contracts/, node_modules/),
// honouring a literal `paths.sources` in the config file.
func hardhatConfig(root string) *config {
	c := &config{kind: Hardhat, root: root}
	src := "contracts"
	for _, ext := range []string{"js", "ts", "cjs", "mjs"} {
		data, err := os.ReadFile(filepath.Join(root, "hardhat.config."+ext))
		if err != nil {
			continue
		}
		if m := hardhatSources.FindSubmatch(data); m != nil {
			src = strings.TrimPrefix(string(m[1]), "./")
		}
		break
	}
	c.sources = []string{filepath.Join(root, filepath.FromSlash(src))}
	c.libs = []string{filepath.Join(root, "node_modules")}
	c.tests, c.testsReason = filepath.Join(root, "test"), "Hardhat test directory (test/)"
	for _, d := range []string{"artifacts", "cache", "typechain-types", "typechain"} {
		c.outputs = append(c.outputs, filepath.Join(root, d))
	}
	return c
}

// parseTOMLProfile extracts string and string-array keys of the
// [profile.default] table (or the top level) of a foundry.toml. It is a
// deliberately small subset of TOML: enough for src, libs and remappings.
func parseTOMLProfile(text string) map[string][]string {
	out := make(map[string][]string)
	section := ""
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		line := stripComment(strings.TrimSpace(lines[i]))
		if line == "" {
			continue
		}
		if strings.HasPrefix(line, "[") {
			section = strings.Trim(line, "[] ")
			continue
		}
		if section != "" && section != "profile.default" {
			continue
		}
		key, val, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		key, val = strings.TrimSpace(key), strings.TrimSpace(val)
		if strings.HasPrefix(val, "[") {
			for !strings.Contains(val, "]") && i+1 < len(lines) {
				i++
				val += " " + stripComment(strings.TrimSpace(lines[i]))
			}
		}
		out[key] = tomlStrings(val)
	}
	return out
}

// stripComment removes a # comment outside quotes.
func stripComment(s string) string {
	inq := byte(0)
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case inq != 0 && c == inq:
			inq = 0
		case inq == 0 && (c == '"' || c == '\''):
			inq = c
		case inq == 0 && c == '#':
			return strings.TrimSpace(s[:i])
		}
	}
	return s
}

// tomlString matches one quoted TOML string.
var tomlString = regexp.MustCompile(`"([^"]*)"|'([^']*)'`)

// tomlStrings returns the quoted strings of a TOML value.
func tomlStrings(val string) []string {
	var out []string
	for _, m := range tomlString.FindAllStringSubmatch(val, -1) {
		out = append(out, m[1]+m[2])
	}
	return out
}
