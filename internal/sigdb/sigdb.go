// Package sigdb is aegis's built-in signature database: it names 4-byte
// function selectors, custom-error selectors and event topics seen in
// bytecode, calldata, call traces and logs.
//
// The built-in table is a list of canonical text signatures embedded from
// signatures.txt (common ERC standards, Uniswap V2/V3, flash-loan providers,
// lending markets, access control, proxies, governance, oracles, multisigs,
// bridges and the admin levers seen in rug pulls). Selectors and topics are
// computed with keccak256 when the table is first used. User ABIs can be
// merged into a DB with AddABI; the built-in table itself is never modified.
//
// Functions that look like privileged admin levers (mint, pause, blacklist,
// fee setters, upgrades, ownership transfer, rescue/withdraw) carry a
// category, see Privilege and Categorize.
package sigdb

import (
	_ "embed"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"
)

//go:embed signatures.txt
var builtinText string

// Kind is the kind of a signature.
type Kind uint8

// Signature kinds.
const (
	// KindFunction is a function; its selector is the first 4 bytes of the
	// keccak256 of its signature.
	KindFunction Kind = iota + 1
	// KindEvent is an event; its topic0 is the keccak256 of its signature.
	KindEvent
	// KindError is a custom error (including Error(string) and
	// Panic(uint256)); its selector is computed like a function's.
	KindError
)

// String returns "function", "event" or "error".
func (k Kind) String() string {
	switch k {
	case KindFunction:
		return "function"
	case KindEvent:
		return "event"
	case KindError:
		return "error"
	}
	return fmt.Sprintf("Kind(%d)", uint8(k))
}

// MarshalText encodes the kind as its String form.
func (k Kind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Entry is one signature of the database.
type Entry struct {
	// Kind is the signature kind.
	Kind Kind `json:"kind"`
	// Signature is the canonical signature, e.g. "transfer(address,uint256)".
	Signature string `json:"signature"`
	// Name is the function, event or error name, e.g. "transfer".
	Name string `json:"name"`
	// Hash is keccak256(Signature): the event topic0, and for functions and
	// errors the selector is its first 4 bytes.
	Hash common.Hash `json:"hash"`
	// Category is the privilege category of a function ("" if it does not
	// look privileged); see Categorize.
	Category string `json:"category,omitempty"`
}

// Selector returns the first 4 bytes of the entry's hash.
func (e Entry) Selector() [4]byte { return [4]byte(e.Hash[:4]) }

// table is an index of entries. Tables reachable from more than one DB are
// never modified.
type table struct {
	funcs  map[[4]byte][]Entry
	errs   map[[4]byte][]Entry
	events map[common.Hash][]Entry
	byName map[string][]Entry
	seen   map[string]bool // Kind.String()+" "+Signature
	order  []Entry
}

func newTable() *table {
	return &table{
		funcs:  make(map[[4]byte][]Entry),
		errs:   make(map[[4]byte][]Entry),
		events: make(map[common.Hash][]Entry),
		byName: make(map[string][]Entry),
		seen:   make(map[string]bool),
	}
}

func (t *table) clone() *table {
	c := newTable()
	for _, e := range t.order {
		c.add(e)
	}
	return c
}

// add inserts e unless an entry of the same kind and signature exists; it
// reports whether e was new.
func (t *table) add(e Entry) bool {
	key := e.Kind.String() + " " + e.Signature
	if t.seen[key] {
		return false
	}
	t.seen[key] = true
	t.order = append(t.order, e)
	switch e.Kind {
	case KindFunction:
		t.funcs[e.Selector()] = append(t.funcs[e.Selector()], e)
	case KindError:
		t.errs[e.Selector()] = append(t.errs[e.Selector()], e)
	case KindEvent:
		t.events[e.Hash] = append(t.events[e.Hash], e)
	}
	t.byName[e.Name] = append(t.byName[e.Name], e)
	return true
}

// builtin parses the embedded table once; the result is never modified.
// signatures.txt is validated by the package tests, so invalid lines (which
// are skipped) cannot occur in a released build.
var builtin = sync.OnceValue(func() *table {
	t, _ := parseTable(strings.NewReader(builtinText))
	return t
})

// DB is a signature database: the shared, immutable built-in table (or a
// parsed one) plus signatures added to this DB. Its methods are safe for
// concurrent use, including AddABI and Add.
type DB struct {
	base *table

	mu    sync.RWMutex
	extra *table // nil until something is added
}

// Default returns a new DB over the built-in signature table. Each call
// returns an independent DB (cheap: the built-in table is shared and
// immutable), so adding signatures to it affects no other caller.
func Default() *DB { return &DB{base: builtin()} }

// New returns an empty DB.
func New() *DB { return &DB{base: newTable()} }

// Parse reads signatures in the signatures.txt format ("function f(uint256)",
// "event E(address)", "error X()", '#' comments, blank lines) into a new DB.
// Invalid lines are skipped and reported, joined, in the error; the DB holds
// every valid line.
func Parse(r io.Reader) (*DB, error) {
	t, err := parseTable(r)
	return &DB{base: t}, err
}

func parseTable(r io.Reader) (*table, error) {
	raw, err := io.ReadAll(r)
	t := newTable()
	if err != nil {
		return t, fmt.Errorf("sigdb: read signatures: %w", err)
	}
	var errs []error
	for i, line := range strings.Split(string(raw), "\n") {
		line = strings.TrimSpace(line)
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		e, err := ParseLine(line)
		if err != nil {
			errs = append(errs, fmt.Errorf("line %d: %w", i+1, err))
			continue
		}
		t.add(e)
	}
	return t, errors.Join(errs...)
}

// ParseLine parses one line of the signatures.txt format, e.g.
// "function transfer(address,uint256)", into an Entry with its hash and
// privilege category. The signature must be canonical.
func ParseLine(line string) (Entry, error) {
	kindWord, sig, ok := strings.Cut(strings.TrimSpace(line), " ")
	if !ok {
		return Entry{}, fmt.Errorf("sigdb: %q: want \"function|event|error <signature>\"", line)
	}
	var k Kind
	switch kindWord {
	case "function":
		k = KindFunction
	case "event":
		k = KindEvent
	case "error":
		k = KindError
	default:
		return Entry{}, fmt.Errorf("sigdb: %q: unknown kind %q", line, kindWord)
	}
	return NewEntry(k, sig)
}

// NewEntry builds the entry of a canonical signature of the given kind.
func NewEntry(k Kind, sig string) (Entry, error) {
	if k != KindFunction && k != KindEvent && k != KindError {
		return Entry{}, fmt.Errorf("sigdb: invalid kind %d", uint8(k))
	}
	name, err := CheckCanonical(sig)
	if err != nil {
		return Entry{}, err
	}
	e := Entry{Kind: k, Signature: sig, Name: name, Hash: crypto.Keccak256Hash([]byte(sig))}
	if k == KindFunction {
		e.Category = Categorize(sig)
	}
	return e, nil
}

// Clone returns an independent copy of db.
func (db *DB) Clone() *DB {
	db.mu.RLock()
	defer db.mu.RUnlock()
	c := &DB{base: db.base}
	if db.extra != nil {
		c.extra = db.extra.clone()
	}
	return c
}

// Add adds one signature line ("function f(uint256)", "event E(address)" or
// "error X()") to db.
func (db *DB) Add(line string) error {
	e, err := ParseLine(line)
	if err != nil {
		return err
	}
	db.addEntries([]Entry{e})
	return nil
}

// AddABI merges the functions, events and errors of a into db (and only db:
// the built-in table and other DBs are unaffected; use Clone first to keep
// db unchanged). Entries from added ABIs are returned before built-in ones.
func (db *DB) AddABI(a abi.ABI) {
	var es []Entry
	for _, m := range sortedKeys(a.Methods) {
		sig := a.Methods[m].Sig
		es = append(es, Entry{Kind: KindFunction, Signature: sig, Name: a.Methods[m].RawName,
			Hash: crypto.Keccak256Hash([]byte(sig)), Category: Categorize(sig)})
	}
	for _, n := range sortedKeys(a.Events) {
		sig := a.Events[n].Sig
		es = append(es, Entry{Kind: KindEvent, Signature: sig, Name: a.Events[n].RawName,
			Hash: crypto.Keccak256Hash([]byte(sig))})
	}
	for _, n := range sortedKeys(a.Errors) {
		sig := a.Errors[n].Sig
		es = append(es, Entry{Kind: KindError, Signature: sig, Name: a.Errors[n].Name,
			Hash: crypto.Keccak256Hash([]byte(sig))})
	}
	db.addEntries(es)
}

func sortedKeys[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

func (db *DB) addEntries(es []Entry) {
	db.mu.Lock()
	defer db.mu.Unlock()
	if db.extra == nil {
		db.extra = newTable()
	}
	for _, e := range es {
		db.extra.add(e)
	}
}

// lookup merges the extra and base results of get, dropping duplicate
// signatures, into a fresh slice.
func (db *DB) lookup(get func(*table) []Entry) []Entry {
	db.mu.RLock()
	defer db.mu.RUnlock()
	var out []Entry
	if db.extra != nil {
		out = append(out, get(db.extra)...)
	}
	for _, e := range get(db.base) {
		if db.extra != nil && db.extra.seen[e.Kind.String()+" "+e.Signature] {
			continue
		}
		out = append(out, e)
	}
	return out
}

func signatures(es []Entry) []string {
	if len(es) == 0 {
		return nil
	}
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.Signature
	}
	return out
}

// FunctionEntries returns every known function with selector sel.
func (db *DB) FunctionEntries(sel [4]byte) []Entry {
	return db.lookup(func(t *table) []Entry { return t.funcs[sel] })
}

// Function returns the signatures of every known function with selector sel
// (nil if none); added ABIs come first.
func (db *DB) Function(sel [4]byte) []string { return signatures(db.FunctionEntries(sel)) }

// FunctionName returns the first candidate signature for sel, or "".
func (db *DB) FunctionName(sel [4]byte) string {
	if s := db.Function(sel); len(s) > 0 {
		return s[0]
	}
	return ""
}

// Event returns the signatures of every known event with topic0 topic (nil
// if none).
func (db *DB) Event(topic common.Hash) []string {
	return signatures(db.lookup(func(t *table) []Entry { return t.events[topic] }))
}

// Error returns the signatures of every known custom error (including
// Error(string) and Panic(uint256)) with selector sel (nil if none).
func (db *DB) Error(sel [4]byte) []string {
	return signatures(db.lookup(func(t *table) []Entry { return t.errs[sel] }))
}

// Lookup returns the entries named name (e.g. "transfer", any kind), or, if
// name contains '(', the entries whose signature is exactly name.
func (db *DB) Lookup(name string) []Entry {
	if i := strings.IndexByte(name, '('); i >= 0 {
		var out []Entry
		for _, e := range db.lookup(func(t *table) []Entry { return t.byName[name[:i]] }) {
			if e.Signature == name {
				out = append(out, e)
			}
		}
		return out
	}
	return db.lookup(func(t *table) []Entry { return t.byName[name] })
}

// Privilege returns the privilege category of the function with selector sel
// ("mint", "pause", "upgrade", ...; see Categorize): the category of the
// first candidate that has one. ok is false if no candidate looks privileged.
func (db *DB) Privilege(sel [4]byte) (category string, ok bool) {
	for _, e := range db.FunctionEntries(sel) {
		if e.Category != "" {
			return e.Category, true
		}
	}
	return "", false
}

// Entries returns every entry of db, added ones first.
func (db *DB) Entries() []Entry {
	return db.lookup(func(t *table) []Entry { return t.order })
}

// Len returns the number of distinct functions, events and errors in db.
func (db *DB) Len() (functions, events, errs int) {
	for _, e := range db.Entries() {
		switch e.Kind {
		case KindFunction:
			functions++
		case KindEvent:
			events++
		case KindError:
			errs++
		}
	}
	return functions, events, errs
}
