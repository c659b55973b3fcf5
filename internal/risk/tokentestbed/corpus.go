package tokentestbed

import (
	"fmt"

	"github.com/aegis-defi/aegis/contracts"
)

// Runtime is one token's runtime bytecode with its label.
type Runtime struct {
	// Token is the contract name; Label its ground truth.
	Token string
	Label Label
	// Code is the artifact's runtime bytecode. Immutables are zero in it
	// (solc fills them at deployment), which is why a fee held in an
	// immutable is not in Label.Offline.
	Code []byte
	// Implementation is the runtime code behind a proxy (nil otherwise).
	Implementation []byte
}

// RuntimeCorpus returns the runtime bytecode of every testbed token, in
// Labels() order, from the embedded artifacts: the input of the offline
// (bytecode-only) benchmark, scored against each Label.Offline.
func RuntimeCorpus() ([]Runtime, error) {
	var out []Runtime
	for _, l := range Labels() {
		art, err := contracts.Load(l.Token)
		if err != nil {
			return nil, fmt.Errorf("tokentestbed: runtime of %s: %w", l.Token, err)
		}
		r := Runtime{Token: l.Token, Label: l, Code: art.DeployedBytecode}
		if l.Flags.IsProxy {
			impl, err := contracts.Load(implementationOf(l.Token))
			if err != nil {
				return nil, fmt.Errorf("tokentestbed: implementation of %s: %w", l.Token, err)
			}
			r.Implementation = impl.DeployedBytecode
		}
		out = append(out, r)
	}
	return out, nil
}

// implementationOf names the implementation artifact behind a proxy token.
func implementationOf(proxy string) string {
	for _, s := range specs() {
		if s.name == proxy && s.abi != "" {
			return s.abi
		}
	}
	return proxy
}
