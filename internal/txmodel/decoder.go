package txmodel

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"os"
	"sort"
	"strings"
	"sync"

	"github.com/ethereum/go-ethereum/accounts/abi"
	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/aegis-defi/aegis/internal/sigdb"
)

// maxCache bounds each of the Decoder's lookup caches; a full cache is
// dropped and rebuilt (random calldata must not grow memory without bound).
const maxCache = 1 << 16

// Decoder names functions, events and errors and decodes logs and revert
// data, from the built-in signature database plus user ABIs. It is safe
// for concurrent use, including AddABI.
type Decoder struct {
	// known is the well-known event table, immutable after NewDecoder.
	known map[common.Hash]knownEvent

	mu      sync.RWMutex
	db      *sigdb.DB
	abis    []namedABI
	errs    map[Selector][]abi.Error
	events  map[common.Hash][]abi.Event
	methods map[Selector][]abi.Method
	fnCache map[Selector][]string
	evCache map[common.Hash]string
}

type namedABI struct {
	name string
	abi  abi.ABI
}

// NewDecoder returns a Decoder over a clone of db (nil: sigdb.Default()),
// so that AddABI never changes the caller's DB.
func NewDecoder(db *sigdb.DB) *Decoder {
	if db == nil {
		db = sigdb.Default()
	} else {
		db = db.Clone()
	}
	return &Decoder{
		known:   knownEvents(),
		db:      db,
		errs:    map[Selector][]abi.Error{},
		events:  map[common.Hash][]abi.Event{},
		methods: map[Selector][]abi.Method{},
		fnCache: map[Selector][]string{},
		evCache: map[common.Hash]string{},
	}
}

// AddABI adds a user ABI (name is for ABIs only, e.g. the contract name):
// its functions, events and errors name selectors and topics (before the
// built-in table's candidates), its custom errors decode revert data with
// arguments, and Unpack/UnpackInput use it.
func (d *Decoder) AddABI(name string, a abi.ABI) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.db.AddABI(a)
	d.abis = append(d.abis, namedABI{name: name, abi: a})
	for _, n := range sortedNames(a.Errors) {
		e := a.Errors[n]
		sel := Selector(e.ID[:4])
		d.errs[sel] = append(d.errs[sel], e)
	}
	for _, n := range sortedNames(a.Events) {
		e := a.Events[n]
		d.events[e.ID] = append(d.events[e.ID], e)
	}
	for _, n := range sortedNames(a.Methods) {
		m := a.Methods[n]
		sel := Selector(m.ID)
		d.methods[sel] = append(d.methods[sel], m)
	}
	d.fnCache = map[Selector][]string{}
	d.evCache = map[common.Hash]string{}
}

// ABIs returns the names of the user ABIs added, in order.
func (d *Decoder) ABIs() []string {
	d.mu.RLock()
	defer d.mu.RUnlock()
	out := make([]string, len(d.abis))
	for i, a := range d.abis {
		out[i] = a.name
	}
	return out
}

func sortedNames[V any](m map[string]V) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	sort.Strings(ks)
	return ks
}

// LoadABIFile reads an ABI from a JSON file: either a compiler artifact
// (an object with an "abi" field: solc standard JSON output per contract,
// Foundry, Hardhat and our contracts/artifacts) or a plain ABI array.
func LoadABIFile(path string) (abi.ABI, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return abi.ABI{}, fmt.Errorf("load ABI: %w", err)
	}
	a, err := ParseABI(b)
	if err != nil {
		return abi.ABI{}, fmt.Errorf("load ABI %s: %w", path, err)
	}
	return a, nil
}

// ParseABI parses an ABI from JSON: a compiler artifact with an "abi" field
// or a plain ABI array.
func ParseABI(b []byte) (abi.ABI, error) {
	b = bytes.TrimSpace(b)
	if len(b) > 0 && b[0] == '{' {
		var art struct {
			ABI json.RawMessage `json:"abi"`
		}
		if err := json.Unmarshal(b, &art); err != nil {
			return abi.ABI{}, fmt.Errorf("parse artifact: %w", err)
		}
		if len(art.ABI) == 0 {
			return abi.ABI{}, errors.New("artifact has no \"abi\" field")
		}
		b = art.ABI
	}
	a, err := abi.JSON(bytes.NewReader(b))
	if err != nil {
		return abi.ABI{}, fmt.Errorf("parse ABI: %w", err)
	}
	return a, nil
}

// Functions returns the candidate signatures of sel, user ABIs first (nil
// if unknown). The returned slice is shared: do not modify it.
func (d *Decoder) Functions(sel Selector) []string {
	d.mu.RLock()
	s, ok := d.fnCache[sel]
	d.mu.RUnlock()
	if ok {
		return s
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if s, ok := d.fnCache[sel]; ok {
		return s
	}
	s = d.db.Function(sel)
	if len(d.fnCache) >= maxCache {
		d.fnCache = map[Selector][]string{}
	}
	d.fnCache[sel] = s
	return s
}

// EventSignature returns the canonical signature of the event with topic0
// topic: the well-known table first, then user ABIs and sigdb ("" if
// unknown).
func (d *Decoder) EventSignature(topic common.Hash) string {
	if k, ok := d.known[topic]; ok {
		return k.sig
	}
	d.mu.RLock()
	s, ok := d.evCache[topic]
	d.mu.RUnlock()
	if ok {
		return s
	}
	d.mu.Lock()
	defer d.mu.Unlock()
	if s, ok := d.evCache[topic]; ok {
		return s
	}
	if sigs := d.db.Event(topic); len(sigs) > 0 {
		s = sigs[0]
	}
	if len(d.evCache) >= maxCache {
		d.evCache = map[common.Hash]string{}
	}
	d.evCache[topic] = s
	return s
}

// RevertReason decodes revert data: Error(string) as the message,
// Panic(uint256) as "Panic(0x11): arithmetic underflow or overflow", a
// custom error of a user ABI as "Name(arg: value, ...)", one known to sigdb
// as its signature, and anything else as 0x-prefixed hex ("" for no data).
func (d *Decoder) RevertReason(data []byte) string {
	if len(data) == 0 {
		return ""
	}
	if len(data) < 4 {
		return "0x" + hex.EncodeToString(data)
	}
	sel := Selector(data[:4])
	switch sel {
	case Selector{0x08, 0xc3, 0x79, 0xa0}: // Error(string)
		if s, err := abi.UnpackRevert(data); err == nil {
			return s
		}
	case Selector{0x4e, 0x48, 0x7b, 0x71}: // Panic(uint256)
		if s, err := abi.UnpackRevert(data); err == nil && len(data) >= 36 {
			code := new(big.Int).SetBytes(data[4:36])
			return fmt.Sprintf("Panic(%#x): %s", code, s)
		}
	}
	d.mu.RLock()
	errs := d.errs[sel]
	d.mu.RUnlock()
	for _, e := range errs {
		vals, err := e.Inputs.Unpack(data[4:])
		if err != nil {
			continue
		}
		parts := make([]string, len(vals))
		for i, v := range vals {
			name := e.Inputs[i].Name
			if name == "" {
				parts[i] = fmt.Sprint(v)
			} else {
				parts[i] = fmt.Sprintf("%s: %v", name, v)
			}
		}
		return e.Name + "(" + strings.Join(parts, ", ") + ")"
	}
	if sigs := d.db.Error([4]byte(sel)); len(sigs) > 0 {
		return sigs[0]
	}
	return "0x" + hex.EncodeToString(data)
}

// Unpack decodes a log's arguments (indexed and not) with the first user
// ABI event of its topic that fits, by argument name. It is the lazy,
// reflection-based path for events outside the well-known table.
func (d *Decoder) Unpack(l *Log) (string, map[string]any, error) {
	if len(l.Topics) == 0 {
		return "", nil, errors.New("unpack log: anonymous log")
	}
	d.mu.RLock()
	evs := d.events[l.Topics[0]]
	d.mu.RUnlock()
	var errs []error
	for _, e := range evs {
		out := map[string]any{}
		if err := e.Inputs.UnpackIntoMap(out, l.Data); err != nil {
			errs = append(errs, err)
			continue
		}
		var indexed abi.Arguments
		for _, in := range e.Inputs {
			if in.Indexed {
				indexed = append(indexed, in)
			}
		}
		if err := abi.ParseTopicsIntoMap(out, indexed, l.Topics[1:]); err != nil {
			errs = append(errs, err)
			continue
		}
		return e.Sig, out, nil
	}
	if len(errs) > 0 {
		return "", nil, fmt.Errorf("unpack log %s: %w", l.Topics[0], errors.Join(errs...))
	}
	return "", nil, fmt.Errorf("unpack log: no user ABI event with topic %s", l.Topics[0])
}

// UnpackInput decodes a call's input with the first user ABI method of its
// selector that fits, by argument name.
func (d *Decoder) UnpackInput(c *Call) (string, map[string]any, error) {
	if len(c.Input) < 4 {
		return "", nil, errors.New("unpack input: no selector")
	}
	d.mu.RLock()
	ms := d.methods[Selector(c.Input[:4])]
	d.mu.RUnlock()
	var errs []error
	for _, m := range ms {
		out := map[string]any{}
		if err := m.Inputs.UnpackIntoMap(out, c.Input[4:]); err != nil {
			errs = append(errs, err)
			continue
		}
		return m.Sig, out, nil
	}
	if len(errs) > 0 {
		return "", nil, fmt.Errorf("unpack input %x: %w", c.Input[:4], errors.Join(errs...))
	}
	return "", nil, fmt.Errorf("unpack input: no user ABI method with selector %x", c.Input[:4])
}

// decodeLog fills l.Event, l.Kind and l.Decoded.
func (d *Decoder) decodeLog(l *Log) {
	if len(l.Topics) == 0 {
		return
	}
	if k, ok := d.known[l.Topics[0]]; ok {
		l.Event = k.sig
		if ev := k.decode(l.Topics, l.Data); ev != nil {
			l.Kind, l.Decoded = ev.EventKind(), ev
		}
		return
	}
	l.Event = d.EventSignature(l.Topics[0])
}

// knownEvent is one entry of the well-known event table: its signature and
// a hand-written decoder returning nil when the log does not fit the
// layout.
type knownEvent struct {
	sig    string
	decode func(topics []common.Hash, data []byte) Event
}

// knownEvents builds the well-known event table.
func knownEvents() map[common.Hash]knownEvent {
	m := map[common.Hash]knownEvent{}
	add := func(sig string, dec func([]common.Hash, []byte) Event) {
		m[crypto.Keccak256Hash([]byte(sig))] = knownEvent{sig: sig, decode: dec}
	}
	add("Transfer(address,address,uint256)", decodeTransfer)
	add("Approval(address,address,uint256)", decodeApproval)
	add("Deposit(address,uint256)", func(t []common.Hash, data []byte) Event {
		if a, ok := topicAddrs(t, 2); ok && len(data) == 32 {
			return &WETHDeposit{Dst: a[0], Wad: word(data, 0)}
		}
		return nil
	})
	add("Withdrawal(address,uint256)", func(t []common.Hash, data []byte) Event {
		if a, ok := topicAddrs(t, 2); ok && len(data) == 32 {
			return &WETHWithdrawal{Src: a[0], Wad: word(data, 0)}
		}
		return nil
	})
	add("Swap(address,uint256,uint256,uint256,uint256,address)", func(t []common.Hash, data []byte) Event {
		if a, ok := topicAddrs(t, 3); ok && len(data) == 128 {
			return &V2Swap{Sender: a[0], To: a[1], Amount0In: word(data, 0), Amount1In: word(data, 1),
				Amount0Out: word(data, 2), Amount1Out: word(data, 3)}
		}
		return nil
	})
	add("Sync(uint112,uint112)", func(t []common.Hash, data []byte) Event {
		if len(t) == 1 && len(data) == 64 {
			return &V2Sync{Reserve0: word(data, 0), Reserve1: word(data, 1)}
		}
		return nil
	})
	add("Mint(address,uint256,uint256)", func(t []common.Hash, data []byte) Event {
		if a, ok := topicAddrs(t, 2); ok && len(data) == 64 {
			return &V2Mint{Sender: a[0], Amount0: word(data, 0), Amount1: word(data, 1)}
		}
		return nil
	})
	add("Burn(address,uint256,uint256,address)", func(t []common.Hash, data []byte) Event {
		if a, ok := topicAddrs(t, 3); ok && len(data) == 64 {
			return &V2Burn{Sender: a[0], To: a[1], Amount0: word(data, 0), Amount1: word(data, 1)}
		}
		return nil
	})
	add("Swap(address,address,int256,int256,uint160,uint128,int24)", func(t []common.Hash, data []byte) Event {
		a, ok := topicAddrs(t, 3)
		if !ok || len(data) != 160 {
			return nil
		}
		tick := signedWord(data, 4)
		if !tick.IsInt64() {
			return nil
		}
		return &V3Swap{Sender: a[0], Recipient: a[1], Amount0: signedWord(data, 0), Amount1: signedWord(data, 1),
			SqrtPriceX96: word(data, 2), Liquidity: word(data, 3), Tick: tick.Int64()}
	})
	add("FlashLoan(address,address,uint256,uint256)", func(t []common.Hash, data []byte) Event {
		if a, ok := topicAddrs(t, 3); ok && len(data) == 64 {
			return &FlashLoan{Source: FlashLoanERC3156, Receiver: a[0], Token: a[1], Amount: word(data, 0), Fee: word(data, 1)}
		}
		return nil
	})
	add("FlashLoan(address,address,address,uint256,uint256,uint16)", func(t []common.Hash, data []byte) Event {
		if a, ok := topicAddrs(t, 4); ok && len(data) == 96 {
			init := a[1]
			return &FlashLoan{Source: FlashLoanAaveV2, Receiver: a[0], Initiator: &init, Token: a[2],
				Amount: word(data, 0), Fee: word(data, 1)}
		}
		return nil
	})
	add("FlashLoan(address,address,address,uint256,uint8,uint256,uint16)", func(t []common.Hash, data []byte) Event {
		if len(t) != 4 || len(data) != 128 {
			return nil
		}
		target, ok1 := hashAddr(t[1])
		asset, ok2 := hashAddr(t[2])
		init, ok3 := wordAddr(data, 0)
		if !ok1 || !ok2 || !ok3 {
			return nil
		}
		return &FlashLoan{Source: FlashLoanAaveV3, Receiver: target, Initiator: &init, Token: asset,
			Amount: word(data, 1), Fee: word(data, 3)}
	})
	add("OwnershipTransferred(address,address)", func(t []common.Hash, data []byte) Event {
		if a, ok := topicAddrs(t, 3); ok && len(data) == 0 {
			return &OwnershipTransferred{Previous: a[0], New: a[1]}
		}
		return nil
	})
	role := func(granted bool) func([]common.Hash, []byte) Event {
		return func(t []common.Hash, data []byte) Event {
			if len(t) != 4 || len(data) != 0 {
				return nil
			}
			acct, ok1 := hashAddr(t[2])
			sender, ok2 := hashAddr(t[3])
			if !ok1 || !ok2 {
				return nil
			}
			return &RoleChange{Granted: granted, Role: t[1], Account: acct, Sender: sender}
		}
	}
	add("RoleGranted(bytes32,address,address)", role(true))
	add("RoleRevoked(bytes32,address,address)", role(false))
	add("Upgraded(address)", func(t []common.Hash, data []byte) Event {
		if a, ok := topicAddrs(t, 2); ok && len(data) == 0 {
			return &Upgraded{Implementation: a[0]}
		}
		return nil
	})
	add("BeaconUpgraded(address)", func(t []common.Hash, data []byte) Event {
		if a, ok := topicAddrs(t, 2); ok && len(data) == 0 {
			return &BeaconUpgraded{Beacon: a[0]}
		}
		return nil
	})
	add("AdminChanged(address,address)", func(t []common.Hash, data []byte) Event {
		if len(t) != 1 || len(data) != 64 {
			return nil
		}
		prev, ok1 := wordAddr(data, 0)
		next, ok2 := wordAddr(data, 1)
		if !ok1 || !ok2 {
			return nil
		}
		return &AdminChanged{Previous: prev, New: next}
	})
	pause := func(paused bool) func([]common.Hash, []byte) Event {
		return func(t []common.Hash, data []byte) Event {
			switch {
			case len(t) == 1 && len(data) == 32:
				if a, ok := wordAddr(data, 0); ok {
					return &PauseChange{Paused: paused, Account: a}
				}
			case len(t) == 2 && len(data) == 0:
				if a, ok := hashAddr(t[1]); ok {
					return &PauseChange{Paused: paused, Account: a}
				}
			}
			return nil
		}
	}
	add("Paused(address)", pause(true))
	add("Unpaused(address)", pause(false))
	addGovernance(add)
	return m
}

// addGovernance adds the governance events. Their dynamic fields are rare
// enough to be decoded with the ABI package.
func addGovernance(add func(string, func([]common.Hash, []byte) Event)) {
	args := func(types ...string) (abi.Arguments, bool) {
		var out abi.Arguments
		for _, ts := range types {
			t, err := abi.NewType(ts, "", nil)
			if err != nil {
				return nil, false
			}
			out = append(out, abi.Argument{Type: t})
		}
		return out, true
	}
	// OZ Governor: everything in data.
	if oz, ok := args("uint256", "address", "address[]", "uint256[]", "string[]", "bytes[]", "uint256", "uint256", "string"); ok {
		add("ProposalCreated(uint256,address,address[],uint256[],string[],bytes[],uint256,uint256,string)",
			func(t []common.Hash, data []byte) Event {
				if len(t) != 1 {
					return nil
				}
				v, err := oz.Unpack(data)
				if err != nil || len(v) != 9 {
					return nil
				}
				id, _ := v[0].(*big.Int)
				prop, _ := v[1].(common.Address)
				targets, _ := v[2].([]common.Address)
				start, _ := v[6].(*big.Int)
				end, _ := v[7].(*big.Int)
				desc, _ := v[8].(string)
				return &ProposalCreated{ProposalID: id, Proposer: prop, Targets: targets, VoteStart: start, VoteEnd: end, Description: desc}
			})
	}
	// SafeDAO: (uint256 indexed id, address indexed proposer, uint256 snapshot, string description).
	if safe, ok := args("uint256", "string"); ok {
		add("ProposalCreated(uint256,address,uint256,string)", func(t []common.Hash, data []byte) Event {
			if len(t) != 3 {
				return nil
			}
			a, ok := hashAddr(t[2])
			if !ok {
				return nil
			}
			v, err := safe.Unpack(data)
			if err != nil || len(v) != 2 {
				return nil
			}
			snap, _ := v[0].(*big.Int)
			desc, _ := v[1].(string)
			return &ProposalCreated{ProposalID: t[1].Big(), Proposer: a, Snapshot: snap, Description: desc}
		})
	}
	// VulnerableDAO: (uint256 indexed id, address indexed proposer, string description).
	if vuln, ok := args("string"); ok {
		add("ProposalCreated(uint256,address,string)", func(t []common.Hash, data []byte) Event {
			if len(t) != 3 {
				return nil
			}
			a, ok := hashAddr(t[2])
			if !ok {
				return nil
			}
			v, err := vuln.Unpack(data)
			if err != nil || len(v) != 1 {
				return nil
			}
			desc, _ := v[0].(string)
			return &ProposalCreated{ProposalID: t[1].Big(), Proposer: a, Description: desc}
		})
	}
	// OZ Governor: (address indexed voter, uint256 proposalId, uint8 support, uint256 weight, string reason).
	if oz, ok := args("uint256", "uint8", "uint256", "string"); ok {
		add("VoteCast(address,uint256,uint8,uint256,string)", func(t []common.Hash, data []byte) Event {
			a, ok := topicAddrs(t, 2)
			if !ok {
				return nil
			}
			v, err := oz.Unpack(data)
			if err != nil || len(v) != 4 {
				return nil
			}
			id, _ := v[0].(*big.Int)
			support, _ := v[1].(uint8)
			weight, _ := v[2].(*big.Int)
			reason, _ := v[3].(string)
			return &VoteCast{ProposalID: id, Voter: a[0], Support: support, Weight: weight, Reason: reason}
		})
	}
	// Our DAOs: (uint256 indexed id, address indexed voter, bool support, uint256 weight).
	add("VoteCast(uint256,address,bool,uint256)", func(t []common.Hash, data []byte) Event {
		if len(t) != 3 || len(data) != 64 {
			return nil
		}
		voter, ok := hashAddr(t[2])
		support := word(data, 0)
		if !ok || support.BitLen() > 1 {
			return nil
		}
		return &VoteCast{ProposalID: t[1].Big(), Voter: voter, Support: uint8(support.Uint64()), Weight: word(data, 1)}
	})
	// OZ Governor: ProposalExecuted(uint256 proposalId); SafeDAO: indexed id.
	add("ProposalExecuted(uint256)", func(t []common.Hash, data []byte) Event {
		switch {
		case len(t) == 1 && len(data) == 32:
			return &ProposalExecuted{ProposalID: word(data, 0)}
		case len(t) == 2 && len(data) == 0:
			return &ProposalExecuted{ProposalID: t[1].Big()}
		}
		return nil
	})
	// VulnerableDAO: (uint256 indexed id, bool emergency).
	add("ProposalExecuted(uint256,bool)", func(t []common.Hash, data []byte) Event {
		if len(t) != 2 || len(data) != 32 {
			return nil
		}
		e := word(data, 0)
		if e.BitLen() > 1 {
			return nil
		}
		return &ProposalExecuted{ProposalID: t[1].Big(), Emergency: e.Sign() != 0}
	})
}

func decodeTransfer(t []common.Hash, data []byte) Event {
	switch {
	case len(t) == 3 && len(data) == 32:
		if a, ok := topicAddrs(t, 3); ok {
			return &Transfer{From: a[0], To: a[1], Value: word(data, 0)}
		}
	case len(t) == 4 && len(data) == 0:
		from, ok1 := hashAddr(t[1])
		to, ok2 := hashAddr(t[2])
		if ok1 && ok2 {
			return &NFTTransfer{From: from, To: to, TokenID: t[3].Big()}
		}
	}
	return nil
}

func decodeApproval(t []common.Hash, data []byte) Event {
	switch {
	case len(t) == 3 && len(data) == 32:
		if a, ok := topicAddrs(t, 3); ok {
			return &Approval{Owner: a[0], Spender: a[1], Value: word(data, 0)}
		}
	case len(t) == 4 && len(data) == 0:
		owner, ok1 := hashAddr(t[1])
		appr, ok2 := hashAddr(t[2])
		if ok1 && ok2 {
			return &NFTApproval{Owner: owner, Approved: appr, TokenID: t[3].Big()}
		}
	}
	return nil
}

// topicAddrs checks that there are exactly n topics and returns topics
// 1..n-1 as addresses (at most 3).
func topicAddrs(t []common.Hash, n int) ([3]common.Address, bool) {
	var out [3]common.Address
	if len(t) != n || n < 1 || n > 4 {
		return out, false
	}
	for i := 1; i < n; i++ {
		a, ok := hashAddr(t[i])
		if !ok {
			return out, false
		}
		out[i-1] = a
	}
	return out, true
}

// hashAddr returns the address in the low 20 bytes of h, failing if the
// high 12 bytes are not zero.
func hashAddr(h common.Hash) (common.Address, bool) {
	for _, b := range h[:12] {
		if b != 0 {
			return common.Address{}, false
		}
	}
	return common.BytesToAddress(h[12:]), true
}

// word returns 32-byte word i of data as an unsigned integer (data must
// hold it).
func word(data []byte, i int) *big.Int {
	return new(big.Int).SetBytes(data[32*i : 32*i+32])
}

// signedWord returns word i as a two's-complement int256.
func signedWord(data []byte, i int) *big.Int {
	v := word(data, i)
	if data[32*i]&0x80 != 0 {
		v.Sub(v, new(big.Int).Lsh(big.NewInt(1), 256))
	}
	return v
}

// wordAddr returns word i as an address.
func wordAddr(data []byte, i int) (common.Address, bool) {
	return hashAddr(common.BytesToHash(data[32*i : 32*i+32]))
}
