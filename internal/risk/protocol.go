package risk

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/ethereum/go-ethereum/common"

	"github.com/aegis-defi/aegis/internal/bytecode"
)

// Oracle read kinds.
const (
	OracleFeed = "chainlink-style feed"
	OracleSpot = "amm spot"
	OracleTWAP = "twap"
)

// oracleSelectors maps the selectors of price-read interfaces to their kind.
var oracleSelectors = map[bytecode.Sel]struct{ kind, name string }{
	{0xfe, 0xaf, 0x96, 0x8c}: {OracleFeed, "latestRoundData()"},
	{0x50, 0xd2, 0x5b, 0xcd}: {OracleFeed, "latestAnswer()"},
	{0x09, 0x02, 0xf1, 0xac}: {OracleSpot, "getReserves()"},
	{0x38, 0x50, 0xc7, 0xbd}: {OracleSpot, "slot0()"},
	{0x88, 0x3b, 0xdb, 0xfd}: {OracleTWAP, "observe(uint32[])"},
	{0x3d, 0xda, 0xc9, 0x53}: {OracleTWAP, "consult(address,uint256)"},
	{0x59, 0x09, 0xc0, 0xd5}: {OracleTWAP, "price0CumulativeLast()"},
	{0x5a, 0x3d, 0x54, 0x93}: {OracleTWAP, "price1CumulativeLast()"},
}

// Admin is a privileged address of a contract.
type Admin struct {
	Role    string `json:"role"`
	Address string `json:"address"`
	Kind    string `json:"kind"`
}

// OracleRead is a price-read interface the code calls.
type OracleRead struct {
	Kind     string `json:"kind"`
	Selector string `json:"selector"`
	Name     string `json:"name"`
}

// ContractRisk is the protocol view of one contract.
type ContractRisk struct {
	Address     string       `json:"address"`
	Skipped     string       `json:"skipped,omitempty"`
	Proxy       string       `json:"proxy,omitempty"`
	Upgradeable bool         `json:"upgradeable"`
	Pausable    bool         `json:"pausable"`
	Admins      []Admin      `json:"admins"`
	Oracles     []OracleRead `json:"oracles"`
	// Deposits is who holds the contract's deposits (deposits.go).
	Deposits *Deposits `json:"deposits,omitempty"`
	// Incidents are the monitor's past alerts involving the contract
	// (incidents.go); empty when the history is unknown or clean.
	Incidents []Incident `json:"incidents"`
	Report    *Report    `json:"report,omitempty"`
}

// ProtocolReport is the report of a set of contracts.
type ProtocolReport struct {
	Contracts []ContractRisk `json:"contracts"`
	// RiskScore and Level are the worst of the contracts'.
	RiskScore int   `json:"risk_score"`
	Level     Level `json:"level"`
	// IncidentHistory says whether the monitor's store was read.
	IncidentHistory IncidentHistory `json:"incident_history"`
	// SourceUnmatched names the source contracts (--source) with findings
	// whose deployed code is not among the analysed addresses.
	SourceUnmatched []string `json:"source_unmatched,omitempty"`
}

// NoMonitorStore is the reason the incident history is unknown when no
// store is given.
const NoMonitorStore = "no monitor store given (--data-dir of `aegis monitor`): past incidents not checked"

// AnalyzeProtocol reports admin topology (EOA, multisig, timelock, renounced),
// upgradeability, pausability, the oracle kind of each price read and the
// concentration of deposits for every contract of a protocol. The incident
// history is unknown until ApplyIncidents is given the monitor's store.
func AnalyzeProtocol(ctx context.Context, c Node, rpcc RPC, addrs []common.Address, o Options) (*ProtocolReport, error) {
	out := &ProtocolReport{Contracts: []ContractRisk{}, Level: LevelLow}
	for _, a := range addrs {
		cr := ContractRisk{Address: strings.ToLower(a.Hex()), Admins: []Admin{}, Oracles: []OracleRead{}, Incidents: []Incident{}}
		code, err := c.CodeAt(ctx, a, nil)
		if err != nil {
			return nil, fmt.Errorf("risk: eth_getCode %s: %w", a.Hex(), err)
		}
		if len(code) == 0 {
			cr.Skipped = "no code (an externally owned account, or not deployed): skipped"
			out.Contracts = append(out.Contracts, cr)
			continue
		}
		br, err := bytecode.Fetch(ctx, c, a, o.DB)
		if err != nil {
			return nil, fmt.Errorf("risk: %w", err)
		}
		in := &NodeInput{Client: c, RPC: rpcc, Address: a}
		if br.Proxy != nil {
			cr.Proxy = br.Proxy.Kind
			cr.Upgradeable = br.Proxy.Kind != bytecode.ProxyEIP1167
			if br.Proxy.Admin != nil {
				kind, _, err := in.holderKind(ctx, *br.Proxy.Admin)
				if err != nil {
					return nil, err
				}
				cr.Admins = append(cr.Admins, Admin{Role: "proxy admin", Address: strings.ToLower(br.Proxy.Admin.Hex()), Kind: kind})
			}
		}
		logic := br
		if br.Implementation != nil {
			logic = br.Implementation
		}
		if !cr.Upgradeable && logic.HasSelector(bytecode.Sel{0x52, 0xd1, 0x90, 0x2d}) {
			cr.Upgradeable = true
		}
		for _, f := range logic.Behavior().Functions {
			for _, r := range f.Restrictions {
				if r.Kind == "flag-set" || r.Kind == "flag-unset" {
					cr.Pausable = true
				}
			}
		}
		for _, p := range logic.Privileged {
			if p.Category == "pause" {
				cr.Pausable = true
			}
		}
		own := map[bytecode.Sel]bool{}
		for _, s := range logic.Selectors {
			own[s.Selector] = true
		}
		seen := map[bytecode.Sel]bool{}
		for _, in := range bytecode.Disassemble(logicCode(ctx, c, br, code)) {
			if in.Op != bytecode.PUSH4 || in.Truncated {
				continue
			}
			s := bytecode.Sel(in.Arg)
			if k, ok := oracleSelectors[s]; ok && !own[s] && !seen[s] {
				seen[s] = true
				cr.Oracles = append(cr.Oracles, OracleRead{Kind: k.kind, Selector: s.String(), Name: k.name})
			}
		}
		rep, err := AnalyzeToken(ctx, c, rpcc, a, o)
		if err != nil {
			return nil, err
		}
		if owner, ok := rep.Flags["owner_address"].(string); ok && owner != "" {
			kind, _, err := in.holderKind(ctx, common.HexToAddress(owner))
			if err != nil {
				return nil, err
			}
			cr.Admins = append(cr.Admins, Admin{Role: "owner", Address: owner, Kind: kind})
		}
		for _, or := range cr.Oracles {
			if or.Kind == OracleSpot {
				rep.Factors = append(rep.Factors, Factor{ID: "spot-oracle", Signal: "oracle", Kind: KindBehaviour,
					Title: "reads an AMM spot price (manipulable within one transaction)", Points: 30, BasePoints: 30,
					Evidence: []Evidence{{Selector: or.Selector, Name: or.Name, Detail: "the code calls " + or.Name}}})
				rep.finish()
				break
			}
		}
		erc20 := logic.HasSelector(selTransfer) && logic.HasSelector(selBalanceOf) && logic.HasSelector(selTotalSupply)
		cr.Deposits = analyzeDeposits(ctx, c, rpcc, a, erc20)
		applyDeposits(rep, cr.Deposits)
		cr.Report = rep
		out.Contracts = append(out.Contracts, cr)
	}
	out.ApplyIncidents(nil, NoMonitorStore, time.Now())
	return out, nil
}

// logicCode returns the code whose oracle reads count: the implementation's
// for a resolved proxy.
func logicCode(ctx context.Context, c Node, br *bytecode.Report, code []byte) []byte {
	if br.Proxy != nil && br.Proxy.Implementation != nil {
		if impl, err := c.CodeAt(ctx, *br.Proxy.Implementation, nil); err == nil && len(impl) > 0 {
			return impl
		}
	}
	return code
}
