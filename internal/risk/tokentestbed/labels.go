package tokentestbed

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"
)

// Level is an expected overall risk level.
type Level string

// The four levels, from harmless to "do not touch".
const (
	Low      Level = "low"
	Medium   Level = "medium"
	High     Level = "high"
	Critical Level = "critical"
)

// Flags are the expected GoPlus-style token-security flags (GoPlus field
// names in JSON). A true flag means the token has the mechanism (for the
// state flags is_honeypot, cannot_buy and cannot_sell_all: it is in force
// after Deploy set up the trap). Conventions where GoPlus is vague:
// is_whitelisted and is_blacklisted need an owner-editable list (exemptions
// fixed in the constructor do not count); is_mintable counts any privileged
// supply increase whoever holds it (a multisig or a timelock included: the
// Level, not the flag, says whether that is acceptable); external_call
// counts calls and delegatecalls to an address the owner can change.
type Flags struct {
	IsHoneypot                 bool `json:"is_honeypot"`
	CannotBuy                  bool `json:"cannot_buy"`
	CannotSellAll              bool `json:"cannot_sell_all"`
	IsMintable                 bool `json:"is_mintable"`
	OwnerChangeBalance         bool `json:"owner_change_balance"`
	HiddenOwner                bool `json:"hidden_owner"`
	CanTakeBackOwnership       bool `json:"can_take_back_ownership"`
	Selfdestruct               bool `json:"selfdestruct"`
	ExternalCall               bool `json:"external_call"`
	IsProxy                    bool `json:"is_proxy"`
	TransferPausable           bool `json:"transfer_pausable"`
	IsBlacklisted              bool `json:"is_blacklisted"`
	IsWhitelisted              bool `json:"is_whitelisted"`
	IsAntiWhale                bool `json:"is_anti_whale"`
	AntiWhaleModifiable        bool `json:"anti_whale_modifiable"`
	SlippageModifiable         bool `json:"slippage_modifiable"`
	PersonalSlippageModifiable bool `json:"personal_slippage_modifiable"`
	TradingCooldown            bool `json:"trading_cooldown"`
}

// Map returns the flags by GoPlus name.
func (f Flags) Map() map[string]bool {
	raw, _ := json.Marshal(f) // a struct of bools always marshals
	var m map[string]bool
	_ = json.Unmarshal(raw, &m)
	return m
}

// FlagNames returns every flag name Flags carries, sorted.
func FlagNames() []string {
	m := Flags{}.Map()
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}

// Tax names usable in Label.Offline besides the flag names.
const (
	BuyTax      = "buy_tax"
	SellTax     = "sell_tax"
	TransferTax = "transfer_tax"
)

// Taxes are the expected taxes in percent for a fresh buyer after Deploy:
// the share of the traded amount that does not arrive. A sell that reverts
// counts as a 100% sell tax (see Label.SellReverts); so does a sell that
// delivers nothing to the pair, which makes the router's swap revert.
type Taxes struct {
	Buy      float64 `json:"buy_tax"`
	Sell     float64 `json:"sell_tax"`
	Transfer float64 `json:"transfer_tax"`
	// Tolerance is how far (percentage points) a measured tax may be off;
	// reflection tokens pay part of a sell's fee back to the pair.
	Tolerance float64 `json:"tolerance"`
}

// Label is the ground truth of one testbed token.
type Label struct {
	// Token is the contract name (artifact) deployed at Token.Address.
	Token string `json:"token"`
	// Honest tokens are the controls: a scorer should rate them low.
	Honest bool `json:"honest"`
	// Level is the expected overall risk level.
	Level Level `json:"level"`
	// Mechanism says in one sentence what the token does and how.
	Mechanism string `json:"mechanism"`
	// Flags are the expected GoPlus flags; Taxes the expected taxes.
	Flags Flags `json:"flags"`
	Taxes Taxes `json:"taxes"`
	// SellReverts: a fresh holder's sell reverts (rather than paying out
	// little); BuyReverts: a fresh buy reverts.
	SellReverts bool `json:"sell_reverts"`
	BuyReverts  bool `json:"buy_reverts"`
	// Offline lists the flags (and taxes) whose expected value — true or
	// false — is decidable from the runtime bytecode alone, without chain
	// state or simulation. The rest need state, simulation or history.
	Offline []string `json:"offline"`
}

//go:embed labels.json
var labelsJSON []byte

// LabelsJSON returns the ground-truth file labels.json (the same data as
// Labels), for tools outside Go.
func LabelsJSON() []byte { return bytes.Clone(labelsJSON) }

// Labels returns the ground truth of every testbed token, in deploy order.
func Labels() []Label { return labelTable() }

// LabelOf returns the label of the named token.
func LabelOf(token string) (Label, error) {
	for _, l := range labelTable() {
		if l.Token == token {
			return l, nil
		}
	}
	return Label{}, fmt.Errorf("tokentestbed: no label for %q", token)
}

// CapabilityFlags returns the mechanism flags: whether the code has the
// function is a property of the bytecode (ignoring proxies), so their value
// is decidable offline. The state flags (is_honeypot, cannot_buy,
// cannot_sell_all) and the taxes usually are not.
func CapabilityFlags() []string {
	return []string{
		"is_mintable", "owner_change_balance", "hidden_owner", "can_take_back_ownership", "selfdestruct",
		"external_call", "is_proxy", "transfer_pausable", "is_blacklisted", "is_whitelisted", "is_anti_whale",
		"anti_whale_modifiable", "slippage_modifiable", "personal_slippage_modifiable", "trading_cooldown",
	}
}

// offline returns the capability flags plus extra.
func offline(extra ...string) []string {
	return append(CapabilityFlags(), extra...)
}

// fixedTax lists the taxes of tokens whose fee (or absence of one) is a
// constant in the runtime code: their values are decidable offline.
func fixedTax() []string { return []string{BuyTax, SellTax, TransferTax} }

func labelTable() []Label {
	return []Label{
		// ---- honeypots ----
		{Token: "RtShibaKingdom", Level: Critical,
			Mechanism:   "sell to the pair reverts with a fake router error unless the seller is on the fee-exclusion list the marketing wallet edits",
			Flags:       Flags{IsHoneypot: true, IsWhitelisted: true},
			Taxes:       Taxes{Sell: 100},
			SellReverts: true, Offline: offline()},
		{Token: "RtFlokiRocket", Level: Critical,
			Mechanism:   "dev-settable buy/sell fees without a cap; set to 3% buy / 100% sell after holders bought",
			Flags:       Flags{IsHoneypot: true, SlippageModifiable: true},
			Taxes:       Taxes{Buy: 3, Sell: 100},
			SellReverts: true, Offline: offline()},
		{Token: "RtPepeLaunch", Level: Critical,
			Mechanism:   "owner-toggled trading switch (hidden in setSwapEnabled); closed again after holders bought, only the owner can move tokens",
			Flags:       Flags{IsHoneypot: true, CannotBuy: true, TransferPausable: true},
			Taxes:       Taxes{Buy: 100, Sell: 100, Transfer: 100},
			SellReverts: true, BuyReverts: true, Offline: offline()},
		{Token: "RtDustDoge", Level: Critical,
			Mechanism:   "owner-settable max sell (named a swap-back threshold) lowered to 1 wei after holders bought",
			Flags:       Flags{IsHoneypot: true, CannotSellAll: true, IsAntiWhale: true, AntiWhaleModifiable: true},
			Taxes:       Taxes{Sell: 100},
			SellReverts: true, Offline: offline()},
		{Token: "RtCooldownCat", Level: Critical,
			Mechanism:   "buy-to-sell cooldown the owner stretched to ten years after holders bought",
			Flags:       Flags{IsHoneypot: true, TradingCooldown: true},
			Taxes:       Taxes{Sell: 100},
			SellReverts: true, Offline: offline()},
		{Token: "RtSiphonMoon", Level: Critical,
			Mechanism: "assembly balance storage; a sell credits the pair 1% and the collector 99% with no Transfer event for the skim",
			Flags:     Flags{IsHoneypot: true},
			Taxes:     Taxes{Sell: 99}, Offline: offline("is_honeypot", BuyTax, SellTax, TransferTax)},
		{Token: "RtApproveTrap", Level: Critical,
			Mechanism:   "approve() files the allowance under a shifted key for anyone off the dev's presale list, so every router sell (transferFrom) fails while wallet transfers work",
			Flags:       Flags{IsHoneypot: true, IsWhitelisted: true},
			Taxes:       Taxes{Sell: 100},
			SellReverts: true, Offline: offline()},
		// ---- privileged supply / balance / ownership ----
		{Token: "RtYieldBloom", Level: High,
			Mechanism: "syncRewards(address,uint256) is a mint for an EOA 'reward distributor'",
			Flags:     Flags{IsMintable: true}, Offline: offline(fixedTax()...)},
		{Token: "RtLedgerFix", Level: Critical,
			Mechanism: "fixSnapshot(address,uint256) lets the owner overwrite any balance",
			Flags:     Flags{OwnerChangeBalance: true}, Offline: offline(fixedTax()...)},
		{Token: "RtOperatorPull", Level: Critical,
			Mechanism: "transferFrom skips the allowance check for a private operator, who can move anyone's tokens",
			Flags:     Flags{OwnerChangeBalance: true}, Offline: offline(fixedTax()...)},
		{Token: "RtGhostOwner", Level: Critical,
			Mechanism: "renounceOwnership clears owner, but an unnamed storage slot keeps the deployer's privileges (fee up to 100%) and syncOwner restores ownership",
			Flags:     Flags{HiddenOwner: true, CanTakeBackOwnership: true, SlippageModifiable: true},
			Taxes:     Taxes{Buy: 2, Sell: 2}, Offline: offline()},
		{Token: "RtProxy1967", Level: High,
			Mechanism: "EIP-1967 transparent proxy whose admin is an EOA; the implementation (RtVaultTokenV1) is a plain ERC-20",
			Flags:     Flags{IsProxy: true}, Offline: []string{"is_proxy"}},
		// ---- owner-adjustable trading parameters ----
		{Token: "RtTaxDial", Level: High,
			Mechanism: "5% buy and sell tax the owner may raise to 100%",
			Flags:     Flags{SlippageModifiable: true},
			Taxes:     Taxes{Buy: 5, Sell: 5}, Offline: offline()},
		{Token: "RtPersonalFee", Level: High,
			Mechanism: "1% sell fee plus a per-address 'partner rate' up to 100%; one holder was set to 100%",
			Flags:     Flags{PersonalSlippageModifiable: true},
			Taxes:     Taxes{Sell: 1}, Offline: offline()},
		{Token: "RtBotBlocker", Level: High,
			Mechanism: "owner-managed bot list that freezes listed holders; one holder was listed",
			Flags:     Flags{IsBlacklisted: true}, Offline: offline(fixedTax()...)},
		{Token: "RtWhaleGuard", Level: Medium,
			Mechanism: "max transaction 2% and max wallet 2.5% of supply, owner-adjustable down to a 0.1% floor",
			Flags:     Flags{IsAntiWhale: true, AntiWhaleModifiable: true}, Offline: offline(fixedTax()...)},
		// setter shapes the probing has to guess: (address[],bool),
		// (address,bool) with an (address[]) batch, (uint256,uint256) capped
		{Token: "RtHarborInu", Level: High,
			Mechanism: "syncHarborRoutes(address[],bool) lets the owner flag holders so their sells to the pair revert; one holder was flagged",
			Flags:     Flags{IsBlacklisted: true}, Offline: offline(fixedTax()...)},
		{Token: "RtQuietFrog", Level: High,
			Mechanism: "noteRipple(address,bool) and noteRippleBatch(address[]) mark addresses that can no longer move tokens; one holder was marked",
			Flags:     Flags{IsBlacklisted: true}, Offline: offline(fixedTax()...)},
		{Token: "RtTideTax", Level: Low,
			Mechanism: "3% buy and sell tax the owner sets in one moonPhase(uint256,uint256) call, each capped at 15%",
			Flags:     Flags{SlippageModifiable: true},
			Taxes:     Taxes{Buy: 3, Sell: 3}, Offline: offline()},
		{Token: "RtPhoenix", Level: High,
			Mechanism: "owner-only selfdestruct behind an innocuous name (rise) and an internal helper",
			Flags:     Flags{Selfdestruct: true}, Offline: offline(fixedTax()...)},
		// a settable delegatecall target is an upgradeable implementation
		// in disguise: rated like the EOA-admin proxy
		{Token: "RtModularHook", Level: High,
			Mechanism: "every transfer delegatecalls an owner-settable module that runs with the token's storage",
			Flags:     Flags{ExternalCall: true}, Offline: offline()},
		{Token: "RtDividendPay", Level: Medium,
			Mechanism: "every transfer calls an owner-replaceable dividend tracker (try/catch)",
			Flags:     Flags{ExternalCall: true}, Offline: offline(fixedTax()...)},
		// ---- honest controls ----
		{Token: "RtPlainToken", Honest: true, Level: Low,
			Mechanism: "fixed-supply ERC-20, no owner", Offline: offline(fixedTax()...)},
		{Token: "RtWrappedEther", Honest: true, Level: Low,
			Mechanism: "WETH9-style wrapper, no owner", Offline: offline(fixedTax()...)},
		// capability only, held by a multisig: medium centralization
		// risk, never high (issue 8)
		{Token: "RtStableDollar", Honest: true, Level: Medium,
			Mechanism: "USDC-style: mint, pause and blacklist, all held by a 2-of-3 multisig contract",
			Flags:     Flags{IsMintable: true, TransferPausable: true, IsBlacklisted: true}, Offline: offline(fixedTax()...)},
		{Token: "RtReflectDrip", Honest: true, Level: Low,
			Mechanism: "RFI-style reflection with a constant 2% fee, no owner",
			Taxes:     Taxes{Buy: 2, Sell: 2, Transfer: 2, Tolerance: 1.5}, Offline: offline(fixedTax()...)},
		{Token: "RtFixedFee", Honest: true, Level: Low,
			Mechanism: "3% swap fee fixed at deployment (immutable, capped at 5%), no owner",
			// the fee is an immutable: zeroed in the artifact's runtime code,
			// so only on-chain code decides it
			Taxes: Taxes{Buy: 3, Sell: 3}, Offline: offline()},
		{Token: "RtRenouncedToken", Honest: true, Level: Low,
			Mechanism: "OpenZeppelin-style Ownable token, ownership really renounced", Offline: offline(fixedTax()...)},
		{Token: "RtTimelockMintable", Honest: true, Level: Low,
			Mechanism: "mint only by MINTER_ROLE, held by a 2-day timelock contract",
			Flags:     Flags{IsMintable: true}, Offline: offline(fixedTax()...)},
		{Token: "RtLimitsFixed", Honest: true, Level: Low,
			Mechanism: "immutable 2% max wallet, no owner",
			Flags:     Flags{IsAntiWhale: true}, Offline: offline(fixedTax()...)},
	}
}
