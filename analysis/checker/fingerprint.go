package checker

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"unicode"

	"github.com/aegis-defi/aegis/analysis"
)

// maxSnippet bounds the normalized code that goes into a fingerprint, so a
// finding on a whole contract does not churn on every edit of its body.
const maxSnippet = 256

// Fingerprint sets the Fingerprint of every finding. A fingerprint is the
// hex SHA-256 (first 16 bytes) of the detector name, the file path, the
// enclosing contract and function, the offending code with all whitespace
// removed, and the occurrence index among findings with the same key (in
// source order). Line numbers are deliberately not part of it: edits
// elsewhere in the file do not change the fingerprints of existing
// findings. files maps paths to files for the snippets.
func Fingerprint(findings []analysis.Finding, files map[string]*analysis.File) {
	keys := make([]string, len(findings))
	order := make([]int, len(findings))
	for i := range findings {
		fd := &findings[i]
		snippet := ""
		if f := files[fd.File]; f != nil && f.Source != nil {
			snippet = NormalizeSnippet(f.Source.Slice(fd.Span))
		}
		keys[i] = strings.Join([]string{fd.Detector, fd.File, fd.Contract, fd.Function, snippet}, "\x00")
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int {
		return cmp.Or(cmp.Compare(keys[a], keys[b]), cmp.Compare(findings[a].Span.Start, findings[b].Span.Start))
	})
	occ := 0
	for j, i := range order {
		if j > 0 && keys[order[j-1]] == keys[i] {
			occ++
		} else {
			occ = 0
		}
		sum := sha256.Sum256([]byte(keys[i] + "\x00" + strconv.Itoa(occ)))
		findings[i].Fingerprint = hex.EncodeToString(sum[:16])
	}
}

// NormalizeSnippet removes all whitespace from code and truncates it to a
// bounded length.
func NormalizeSnippet(code string) string {
	var b strings.Builder
	for _, r := range code {
		if unicode.IsSpace(r) {
			continue
		}
		if b.Len() >= maxSnippet {
			break
		}
		b.WriteRune(r)
	}
	return b.String()
}
