package risk

import (
	"strings"
)

// GoPlusResponse is the GoPlus token_security response shape:
// {"code":1,"message":"OK","result":{"<lower-case address>":{…}}}. Flags
// are strings ("1"/"0"), fractions are decimal strings ("0.05"), and a
// missing field means unknown.
type GoPlusResponse struct {
	Code    int                       `json:"code"`
	Message string                    `json:"message"`
	Result  map[string]map[string]any `json:"result"`
}

// GoPlusKey is the result key of a report: its lower-case address, or in
// bytecode mode (no address) its lower-case code hash.
func GoPlusKey(r *Report) string {
	if r.Address != "" {
		return strings.ToLower(r.Address)
	}
	return strings.ToLower(r.CodeHash)
}

// GoPlus converts reports to the GoPlus token_security response. Reports
// that were skipped entirely still get an entry (with no flags: all
// unknown) so that a client sees every address it asked for.
func GoPlus(reports ...*Report) GoPlusResponse {
	out := GoPlusResponse{Code: 1, Message: "OK", Result: map[string]map[string]any{}}
	for _, r := range reports {
		m := map[string]any{}
		for k, v := range r.Flags {
			m[k] = v
		}
		out.Result[GoPlusKey(r)] = m
	}
	return out
}
