package guard

import (
	"errors"
	"fmt"
	"math/big"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
	"github.com/ethereum/go-ethereum/core/types"
	"github.com/ethereum/go-ethereum/crypto"
	"github.com/ethereum/go-ethereum/rpc"

	"github.com/aegis-defi/aegis/internal/chain"
)

// probeAddress is where the simulation installs the balance probe through a
// state override. Nothing lives there on any real chain.
var probeAddress = common.HexToAddress("0x00000000000000000000000000000000ae915000")

// probeCode returns BALANCE(calldata[0:32]) as a 32-byte word:
// PUSH1 0 CALLDATALOAD BALANCE PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN.
func probeCode() []byte { return common.FromHex("0x6000353160005260206000f3") }

// probeGas is the gas limit of one probe call.
const probeGas = 50_000

// transferTopic is ERC-20 Transfer(address,address,uint256).
func transferTopic() common.Hash {
	return crypto.Keccak256Hash([]byte("Transfer(address,address,uint256)"))
}

// Amount is a quantity of one asset: ETH (Asset empty) or an ERC-20 token.
type Amount struct {
	// Asset is the token address; empty for ETH.
	Asset string `json:"asset,omitempty"`
	// Symbol is "ETH" or the token's symbol when known.
	Symbol string `json:"symbol,omitempty"`
	// Wei is the amount in the asset's smallest unit, in decimal.
	Wei string `json:"wei"`
	// Decimals of the asset (18 for ETH and when unknown).
	Decimals int `json:"decimals"`
}

// String renders "50 ETH" or "1000 WETH".
func (a Amount) String() string {
	v, ok := new(big.Int).SetString(a.Wei, 10)
	if !ok {
		return a.Wei + " " + a.Symbol
	}
	f := new(big.Float).Quo(new(big.Float).SetInt(v), new(big.Float).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(a.Decimals)), nil)))
	s := strings.TrimRight(strings.TrimRight(f.Text('f', 6), "0"), ".")
	sym := a.Symbol
	if sym == "" {
		sym = a.Asset
	}
	return s + " " + sym
}

// CallResult is one simulated call.
type CallResult struct {
	// Label says what the call is, e.g. "pause() on VulnerableBank" or
	// "attack 0x…".
	Label   string `json:"label"`
	OK      bool   `json:"ok"`
	GasUsed uint64 `json:"gas_used"`
	// Revert is the decoded revert reason when the call failed.
	Revert string `json:"revert,omitempty"`
	Logs   int    `json:"logs"`
}

// Simulation is one eth_simulateV1 run as recorded in a Decision.
type Simulation struct {
	// Kind is "baseline" (the attack alone) or "protected" (protective
	// calls, then the attack).
	Kind string `json:"kind"`
	// Block is the block number the simulated block had (latest + 1).
	Block uint64 `json:"block"`
	// Calls are the protective calls (protected run only) and the attack;
	// balance probes are not listed.
	Calls []CallResult `json:"calls"`
	// AttackOK reports whether the attack call (for an early-stage
	// decision, the deployment) succeeded.
	AttackOK bool `json:"attack_ok"`
	// AttackerGain is the attacker's net gain per asset (positive entries
	// only).
	AttackerGain []Amount `json:"attacker_gain,omitempty"`
	// VictimLoss is what left the victim's contracts per asset (positive
	// entries only).
	VictimLoss []Amount `json:"victim_loss,omitempty"`
	// VictimETHBefore is the victim's ETH before the attack, in wei.
	VictimETHBefore string `json:"victim_eth_before,omitempty"`

	gain, loss map[common.Address]*big.Int
	victimETH  *big.Int
}

// profitable reports whether the attacker gains any asset.
func (s *Simulation) profitable() bool { return anyPositive(s.gain) }

// harmful reports whether the victim loses any asset.
func (s *Simulation) harmful() bool { return anyPositive(s.loss) }

func anyPositive(m map[common.Address]*big.Int) bool {
	for _, v := range m {
		if v.Sign() > 0 {
			return true
		}
	}
	return false
}

// protectCall is a protective call ready for simulation and signing.
type protectCall struct {
	call Call
	data []byte
}

func (p protectCall) label() string {
	return fmt.Sprintf("%s on %s", p.call.Signature, p.call.Name)
}

// simPlan is the layout of one simulated block.
type simPlan struct {
	watched  []common.Address // probed before and after the attack
	attacker map[common.Address]bool
	victim   map[common.Address]bool
	guardian common.Address
	protect  []protectCall
	attack   *types.Transaction
	sender   common.Address
	// deployment marks an early-stage plan: attack is a pending contract
	// deployment, replayed after the protective calls for the record.
	deployment bool
}

// request builds the eth_simulateV1 parameter for the plan, with or without
// the protective calls.
func (p *simPlan) request(withProtect bool) chain.SimRequest {
	var calls []chain.SimCall
	probe := func() {
		for _, a := range p.watched {
			to := probeAddress
			calls = append(calls, chain.SimCall{From: common.Address{}, To: &to, Input: common.LeftPadBytes(a.Bytes(), 32), Gas: probeGas})
		}
	}
	probe()
	if withProtect {
		for _, pc := range p.protect {
			to := pc.call.Target
			c := chain.SimCall{From: p.guardian, To: &to, Input: pc.data, Gas: hexutil.Uint64(protectSimGas)}
			if pc.call.Value != nil {
				c.Value = (*hexutil.Big)(pc.call.Value)
			}
			calls = append(calls, c)
		}
	}
	calls = append(calls, chain.SimCall{From: p.sender, To: p.attack.To(), Value: (*hexutil.Big)(p.attack.Value()),
		Input: p.attack.Data(), Gas: hexutil.Uint64(p.attack.Gas())})
	probe()
	return chain.SimRequest{
		BlockStateCalls: []chain.SimBlock{{
			StateOverrides: map[common.Address]chain.SimAccount{probeAddress: {Code: probeCode()}},
			Calls:          calls,
		}},
		Validation: false,
	}
}

// protectSimGas is the gas limit of a simulated protective call; the sent
// transaction's limit is derived from what it used.
const protectSimGas = 1_000_000

// errNoSimulate reports a node without eth_simulateV1.
var errNoSimulate = errors.New("node does not support eth_simulateV1")

// simulateErr classifies an eth_simulateV1 failure.
func simulateErr(err error) error {
	var re rpc.Error
	if errors.As(err, &re) && re.ErrorCode() == -32601 {
		return fmt.Errorf("%w: %v", errNoSimulate, err)
	}
	msg := strings.ToLower(err.Error())
	if strings.Contains(msg, "method not found") || strings.Contains(msg, "does not exist") || strings.Contains(msg, "not supported") {
		return fmt.Errorf("%w: %v", errNoSimulate, err)
	}
	return fmt.Errorf("eth_simulateV1: %w", err)
}

// evaluate turns a simulated block into a Simulation.
func (p *simPlan) evaluate(kind string, res []chain.SimBlockResult, withProtect bool, decode func([]byte) string) (*Simulation, error) {
	if len(res) != 1 {
		return nil, fmt.Errorf("eth_simulateV1 %s: got %d blocks, want 1", kind, len(res))
	}
	b := res[0]
	nprot := 0
	if withProtect {
		nprot = len(p.protect)
	}
	want := 2*len(p.watched) + nprot + 1
	if len(b.Calls) != want {
		return nil, fmt.Errorf("eth_simulateV1 %s: got %d call results, want %d", kind, len(b.Calls), want)
	}
	s := &Simulation{Kind: kind, Block: uint64(b.Number), gain: map[common.Address]*big.Int{}, loss: map[common.Address]*big.Int{}, victimETH: new(big.Int)}
	nw := len(p.watched)
	before, after := b.Calls[:nw], b.Calls[nw+nprot+1:]
	for i := range nprot {
		r := b.Calls[nw+i]
		s.Calls = append(s.Calls, callResult(p.protect[i].label(), r, decode))
	}
	ar := b.Calls[nw+nprot]
	label := "attack "
	if p.deployment {
		label = "deployment "
	}
	s.Calls = append(s.Calls, callResult(label+p.attack.Hash().Hex(), ar, decode))
	s.AttackOK = ar.Status == 1

	eth := common.Address{}
	s.gain[eth], s.loss[eth] = new(big.Int), new(big.Int)
	for i, a := range p.watched {
		if len(before[i].ReturnData) != 32 || len(after[i].ReturnData) != 32 {
			return nil, fmt.Errorf("eth_simulateV1 %s: balance probe of %s returned %d bytes", kind, a, len(before[i].ReturnData))
		}
		b0, b1 := new(big.Int).SetBytes(before[i].ReturnData), new(big.Int).SetBytes(after[i].ReturnData)
		d := new(big.Int).Sub(b1, b0)
		if p.attacker[a] {
			s.gain[eth].Add(s.gain[eth], d)
		}
		if p.victim[a] {
			s.loss[eth].Sub(s.loss[eth], d)
			s.victimETH.Add(s.victimETH, b0)
		}
	}
	if s.AttackOK {
		topic := transferTopic()
		for _, l := range ar.Logs {
			if len(l.Topics) != 3 || l.Topics[0] != topic || len(l.Data) != 32 {
				continue
			}
			from, to := common.BytesToAddress(l.Topics[1][12:]), common.BytesToAddress(l.Topics[2][12:])
			v := new(big.Int).SetBytes(l.Data)
			add := func(m map[common.Address]*big.Int, sign int) {
				if m[l.Address] == nil {
					m[l.Address] = new(big.Int)
				}
				if sign > 0 {
					m[l.Address].Add(m[l.Address], v)
				} else {
					m[l.Address].Sub(m[l.Address], v)
				}
			}
			if p.attacker[to] {
				add(s.gain, +1)
			}
			if p.attacker[from] {
				add(s.gain, -1)
			}
			if p.victim[from] {
				add(s.loss, +1)
			}
			if p.victim[to] {
				add(s.loss, -1)
			}
		}
	}
	s.VictimETHBefore = s.victimETH.String()
	s.AttackerGain, s.VictimLoss = amounts(s.gain), amounts(s.loss)
	return s, nil
}

// callResult records one simulated call.
func callResult(label string, r chain.SimCallResult, decode func([]byte) string) CallResult {
	c := CallResult{Label: label, OK: r.Status == 1, GasUsed: uint64(r.GasUsed), Logs: len(r.Logs)}
	if !c.OK {
		c.Revert = revertReason(r.RevertData(), decode)
		if c.Revert == "" && r.Error != nil {
			c.Revert = r.Error.Message
		}
		if c.Revert == "" {
			c.Revert = "reverted without a reason"
		}
	}
	return c
}

// revertReason decodes revert data with decode, falling back to
// Error(string)/Panic(uint256).
func revertReason(data []byte, decode func([]byte) string) string {
	if len(data) == 0 {
		return ""
	}
	if decode != nil {
		if s := decode(data); s != "" && !strings.HasPrefix(s, "0x") {
			return s
		}
	}
	return chain.RevertReason(data, nil)
}

// amounts lists the positive entries of m, ETH first, then by address.
func amounts(m map[common.Address]*big.Int) []Amount {
	var keys []common.Address
	for k, v := range m {
		if v.Sign() > 0 {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b common.Address) int { return a.Cmp(b) })
	var out []Amount
	for _, k := range keys {
		a := Amount{Wei: m[k].String(), Decimals: 18}
		if k == (common.Address{}) {
			a.Symbol = "ETH"
		} else {
			a.Asset = k.Hex()
		}
		out = append(out, a)
	}
	return out
}
