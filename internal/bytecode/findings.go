package bytecode

import (
	"fmt"
	"slices"
	"strings"

	"github.com/aegis-defi/aegis/internal/sigdb"
)

// privilegeFinding describes the finding raised for one privilege category.
func privilegeFinding(cat string) (Severity, string) {
	switch cat {
	case sigdb.CategoryMint:
		return SeverityHigh, "owner can mint"
	case sigdb.CategoryBurn:
		return SeverityHigh, "owner can burn holders' tokens"
	case sigdb.CategoryPause:
		return SeverityMedium, "owner can pause transfers"
	case sigdb.CategoryBlacklist:
		return SeverityHigh, "blacklist function"
	case sigdb.CategoryFee:
		return SeverityMedium, "fee/tax setter"
	case sigdb.CategoryTrading:
		return SeverityHigh, "owner can disable trading"
	case sigdb.CategoryLimits:
		return SeverityLow, "transaction/wallet limit setter"
	case sigdb.CategoryUpgrade:
		return SeverityMedium, "upgrade function"
	case sigdb.CategoryOwnership:
		return SeverityInfo, "ownership management"
	case sigdb.CategoryRole:
		return SeverityLow, "role/admin management"
	case sigdb.CategoryWithdraw:
		return SeverityMedium, "owner withdrawal / token rescue"
	case sigdb.CategoryOracle:
		return SeverityMedium, "price oracle setter"
	case sigdb.CategoryDestroy:
		return SeverityHigh, "destroy function"
	case sigdb.CategoryConfig:
		return SeverityLow, "privileged configuration"
	}
	return SeverityLow, "privileged function (" + cat + ")"
}

func findings(r *Report) []Finding {
	out := []Finding{}
	add := func(id string, sev Severity, title, detail string) {
		out = append(out, Finding{ID: id, Severity: sev, Title: title, Detail: detail})
	}
	o := r.Opcodes

	if p := r.Proxy; p != nil {
		switch p.Kind {
		case ProxyEIP1167:
			add("minimal-proxy", SeverityInfo, "minimal proxy to "+p.Target.Hex(),
				"EIP-1167 clone: every call is delegated to "+p.Target.Hex()+"; analyse that contract")
		case ProxyEIP1967:
			add("upgradeable-proxy", SeverityMedium, "upgradeable proxy (EIP-1967)",
				"code is delegated to the implementation in the EIP-1967 slot; whoever controls upgrades can replace all logic. "+p.Detail)
		case ProxyBeacon:
			add("beacon-proxy", SeverityMedium, "upgradeable beacon proxy (EIP-1967)",
				"the implementation is returned by the beacon in the EIP-1967 beacon slot; the beacon owner can replace all logic")
		case ProxyEIP1822:
			add("upgradeable-proxy", SeverityMedium, "upgradeable proxy (EIP-1822 UUPS)",
				"code is delegated to the implementation in the PROXIABLE slot")
		case ProxyZeppelinOS:
			add("upgradeable-proxy", SeverityMedium, "upgradeable proxy (ZeppelinOS)",
				"code is delegated to the implementation in the legacy ZeppelinOS slot")
		case ProxyForwarder:
			add("delegatecall-proxy", SeverityMedium, "DELEGATECALL forwarder", p.Detail)
		}
	} else if o.Delegatecall {
		add("delegatecall", SeverityMedium, "delegatecall present",
			"the code can run other code in its own storage context; check the target cannot be chosen by an attacker")
	}
	if r.Proxy == nil && r.HasSelector(Sel{0x52, 0xd1, 0x90, 0x2d}) {
		add("uups-implementation", SeverityMedium, "UUPS upgradeable implementation",
			"proxiableUUID() present: this is the logic contract of a UUPS proxy and carries its own upgrade function")
	}
	switch {
	case o.SelfdestructReachable:
		add("selfdestruct", SeverityHigh, "selfdestruct reachable",
			"SELFDESTRUCT is reachable; since Cancun it only sends the balance away (except in the creating transaction), before it deleted the code")
	case o.Selfdestruct:
		add("selfdestruct-unreachable", SeverityLow, "selfdestruct opcode in unreachable code",
			"a SELFDESTRUCT byte appears but no path from the entry point reaches it")
	}
	if o.Create2 && o.Selfdestruct {
		add("metamorphic", SeverityHigh, "CREATE2 and SELFDESTRUCT",
			"can deploy at deterministic addresses and self-destruct: a metamorphic-contract pattern")
	}
	if o.Callcode {
		add("callcode", SeverityMedium, "callcode present", "CALLCODE is deprecated and runs foreign code in this contract's storage")
	}
	if o.Origin {
		add("tx-origin", SeverityLow, "tx.origin used", "tx.origin-based authorisation can be phished through an intermediate contract")
	}
	if o.Prevrandao || o.Blockhash {
		add("weak-randomness", SeverityLow, "block values used (possible weak randomness)",
			"PREVRANDAO/BLOCKHASH are predictable or influenceable by validators")
	}
	if o.Create || o.Create2 {
		add("creates-contracts", SeverityInfo, "can deploy contracts", "CREATE/CREATE2 present")
	}
	if o.CallsWithValue > 0 {
		add("sends-ether", SeverityInfo, "CALL with value",
			fmt.Sprintf("%d CALL(s) whose value is not provably zero", o.CallsWithValue))
	}

	// Privileged functions, one finding per category.
	byCat := map[string][]string{}
	var cats []string
	for _, p := range r.Privileged {
		if _, ok := byCat[p.Category]; !ok {
			cats = append(cats, p.Category)
		}
		byCat[p.Category] = append(byCat[p.Category], p.Name)
	}
	slices.SortFunc(cats, func(a, b string) int {
		sa, _ := privilegeFinding(a)
		sb, _ := privilegeFinding(b)
		if d := sb.Rank() - sa.Rank(); d != 0 {
			return d
		}
		return strings.Compare(a, b)
	})
	for _, c := range cats {
		sev, title := privilegeFinding(c)
		add("privileged-"+c, sev, title, strings.Join(byCat[c], ", "))
	}
	if r.runtimeSize > 0 {
		add("creation-code", SeverityInfo, "this is creation (init) code",
			fmt.Sprintf("it deploys %d bytes of runtime code; analyse the runtime (deployed) code instead, see RuntimeFromInit", r.runtimeSize))
	}
	if r.Size > 24576 {
		add("oversized", SeverityInfo, "code exceeds the EIP-170 size limit",
			fmt.Sprintf("%d bytes > 24576: cannot be deployed on mainnet", r.Size))
	}
	if o.Undefined > 0 && r.Instructions > 0 && o.Undefined*4 > r.Instructions {
		add("not-code", SeverityInfo, "many undefined opcodes",
			"over a quarter of the bytes are not opcodes: this may be data, creation code with appended arguments, or not EVM code")
	}
	return out
}
