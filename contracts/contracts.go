// Package contracts holds the testbed's Solidity sources (src/) and their
// compiled artifacts (artifacts/), embedded into the binary so that nothing
// at run time or test time needs a Solidity compiler.
//
// Artifacts are produced by `go generate ./contracts` (see generate.go) and
// looked up by contract name, which is unique across src/:
//
//	art, err := contracts.Load("LendingMarket")
//	c, _, err := client.Deploy(ctx, deployer, art.ABI, art.Bytecode, args...)
package contracts

import (
	"embed"
	"encoding/json"
	"fmt"
	"io/fs"
	"sort"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

//go:embed artifacts/*.json
var artifactFiles embed.FS

//go:embed src
var sourceFiles embed.FS

// Artifact kinds, from the contract's declaration.
const (
	KindContract  = "contract"
	KindAbstract  = "abstract"
	KindInterface = "interface"
	KindLibrary   = "library"
)

// Artifact is one compiled contract. Artifacts returned by Load are shared:
// callers must not modify them.
type Artifact struct {
	// Name is the contract name, e.g. "AMMPair".
	Name string
	// SourceName is the path of its source relative to this package, e.g.
	// "src/amm/AMMPair.sol"; fs.ReadFile(Sources(), SourceName) reads it.
	SourceName string
	// Compiler is the solc version, e.g. "0.8.28".
	Compiler string
	// Kind is KindContract, KindAbstract, KindInterface or KindLibrary.
	Kind string
	// ABI is the parsed contract ABI.
	ABI *abi.ABI
	// Bytecode is the creation code (empty for interfaces and abstract
	// contracts); DeployedBytecode is the runtime code.
	Bytecode, DeployedBytecode []byte
	// SourceMap and DeployedSourceMap are solc's compressed source maps.
	SourceMap, DeployedSourceMap string
	// StorageLayout is solc's storage layout JSON.
	StorageLayout json.RawMessage
	// AST is the compact AST JSON of the whole source file.
	AST json.RawMessage
}

// Deployable reports whether the artifact has creation code.
func (a *Artifact) Deployable() bool { return len(a.Bytecode) > 0 }

// Manifest describes one generation of the artifacts.
type Manifest struct {
	// Compiler is the solc version used.
	Compiler string `json:"compiler"`
	// CompilerLongVersion is solc's full version string.
	CompilerLongVersion string `json:"compilerLongVersion"`
	// Sources maps each source path ("src/...") to its sha256 (hex).
	Sources map[string]string `json:"sources"`
	// CombinedSha256 is the sha256 of the sha256sum-style listing
	// "<sha256>  <path>\n" of all sources in path order.
	CombinedSha256 string `json:"combinedSha256"`
	// Contracts maps each contract name to its kind and source.
	Contracts map[string]ManifestContract `json:"contracts"`
}

// ManifestContract is one contract's entry in the manifest.
type ManifestContract struct {
	Kind       string `json:"kind"`
	SourceName string `json:"sourceName"`
}

type artifactJSON struct {
	ContractName      string          `json:"contractName"`
	SourceName        string          `json:"sourceName"`
	Compiler          string          `json:"compiler"`
	Kind              string          `json:"kind"`
	ABI               json.RawMessage `json:"abi"`
	Bytecode          string          `json:"bytecode"`
	DeployedBytecode  string          `json:"deployedBytecode"`
	SourceMap         string          `json:"sourceMap"`
	DeployedSourceMap string          `json:"deployedSourceMap"`
	StorageLayout     json.RawMessage `json:"storageLayout"`
	AST               json.RawMessage `json:"ast"`
}

// Set is a collection of artifacts, parsed lazily and cached; it is safe for
// concurrent use.
type Set struct {
	files    fs.FS
	manifest *Manifest
	names    []string
	loaders  map[string]func() (*Artifact, error)
}

// defaultSet is the Set over the embedded artifacts, built on first use.
var defaultSet = sync.OnceValues(func() (*Set, error) { return NewSet(artifactFiles, "artifacts") })

// Default returns the Set over the embedded artifacts.
func Default() (*Set, error) { return defaultSet() }

// NewSet reads manifest.json from dir in files and returns a Set over the
// artifacts it lists.
func NewSet(files fs.FS, dir string) (*Set, error) {
	sub, err := fs.Sub(files, dir)
	if err != nil {
		return nil, fmt.Errorf("contracts: open %s: %w", dir, err)
	}
	raw, err := fs.ReadFile(sub, "manifest.json")
	if err != nil {
		return nil, fmt.Errorf("contracts: read manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, fmt.Errorf("contracts: parse manifest: %w", err)
	}
	s := &Set{files: sub, manifest: &m, loaders: make(map[string]func() (*Artifact, error), len(m.Contracts))}
	for name := range m.Contracts {
		s.names = append(s.names, name)
		s.loaders[name] = sync.OnceValues(func() (*Artifact, error) { return s.parse(name) })
	}
	sort.Strings(s.names)
	return s, nil
}

// Manifest returns the manifest the set was built from (shared; do not modify).
func (s *Set) Manifest() *Manifest { return s.manifest }

// Names returns every contract name in the set, sorted.
func (s *Set) Names() []string { return append([]string(nil), s.names...) }

// Load returns the artifact of the named contract.
func (s *Set) Load(name string) (*Artifact, error) {
	load, ok := s.loaders[name]
	if !ok {
		return nil, fmt.Errorf("contracts: no artifact %q (have: %s)", name, strings.Join(s.names, ", "))
	}
	return load()
}

func (s *Set) parse(name string) (*Artifact, error) {
	raw, err := fs.ReadFile(s.files, name+".json")
	if err != nil {
		return nil, fmt.Errorf("contracts: read artifact %s: %w", name, err)
	}
	var j artifactJSON
	if err := json.Unmarshal(raw, &j); err != nil {
		return nil, fmt.Errorf("contracts: parse artifact %s: %w", name, err)
	}
	parsed, err := abi.JSON(strings.NewReader(string(j.ABI)))
	if err != nil {
		return nil, fmt.Errorf("contracts: parse ABI of %s: %w", name, err)
	}
	code, err := hexutil.Decode(j.Bytecode)
	if err != nil {
		return nil, fmt.Errorf("contracts: decode bytecode of %s: %w", name, err)
	}
	deployed, err := hexutil.Decode(j.DeployedBytecode)
	if err != nil {
		return nil, fmt.Errorf("contracts: decode deployedBytecode of %s: %w", name, err)
	}
	return &Artifact{
		Name:              j.ContractName,
		SourceName:        j.SourceName,
		Compiler:          j.Compiler,
		Kind:              j.Kind,
		ABI:               &parsed,
		Bytecode:          code,
		DeployedBytecode:  deployed,
		SourceMap:         j.SourceMap,
		DeployedSourceMap: j.DeployedSourceMap,
		StorageLayout:     j.StorageLayout,
		AST:               j.AST,
	}, nil
}

// Load returns the embedded artifact of the named contract. An unknown name
// is an error listing the names that exist.
func Load(name string) (*Artifact, error) {
	s, err := Default()
	if err != nil {
		return nil, err
	}
	return s.Load(name)
}

// Names returns the names of all embedded artifacts, sorted (nil if the
// embedded manifest is unreadable, which TestArtifactsFresh rules out).
func Names() []string {
	s, err := Default()
	if err != nil {
		return nil
	}
	return s.Names()
}

// Sources returns the embedded Solidity sources. Paths start with "src/",
// matching Artifact.SourceName.
func Sources() fs.FS { return sourceFiles }

// RevertReason decodes revert data against every artifact's ABI: an
// Error(string), a Panic(uint256) or any custom error declared in
// src/ (also one raised by a contract deeper in the call tree, which the
// called contract's ABI alone cannot decode). It returns the hex data when
// nothing matches.
func RevertReason(data []byte) string {
	if len(data) < 4 {
		return fmt.Sprintf("0x%x", data)
	}
	if reason, err := abi.UnpackRevert(data); err == nil {
		return reason
	}
	s, err := Default()
	if err == nil {
		for _, name := range s.names {
			a, err := s.Load(name)
			if err != nil {
				continue
			}
			for errName, e := range a.ABI.Errors {
				if [4]byte(e.ID[:4]) != [4]byte(data[:4]) {
					continue
				}
				vals, err := e.Inputs.Unpack(data[4:])
				if err != nil {
					return errName
				}
				return fmt.Sprintf("%s%v", errName, vals)
			}
		}
	}
	return fmt.Sprintf("0x%x", data)
}
