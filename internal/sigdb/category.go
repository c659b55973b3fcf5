package sigdb

import "strings"

// Privilege categories of functions that look like admin levers.
const (
	// CategoryMint: creating tokens or granting the right to (mint, setMinter).
	CategoryMint = "mint"
	// CategoryBurn: destroying someone else's tokens (burn(address,uint256)).
	CategoryBurn = "burn"
	// CategoryPause: pausing and unpausing.
	CategoryPause = "pause"
	// CategoryBlacklist: blocking accounts (blacklist, setBot, freeze).
	CategoryBlacklist = "blacklist"
	// CategoryFee: setting fees or taxes and their recipients or exemptions.
	CategoryFee = "fee"
	// CategoryTrading: switching trading on or off.
	CategoryTrading = "trading"
	// CategoryLimits: max-transaction / max-wallet limits.
	CategoryLimits = "limits"
	// CategoryUpgrade: changing code (upgradeTo, diamondCut) or the proxy admin.
	CategoryUpgrade = "upgrade"
	// CategoryOwnership: transferring or renouncing ownership, multisig owners.
	CategoryOwnership = "ownership"
	// CategoryRole: granting roles and setting admins, operators, guardians.
	CategoryRole = "role"
	// CategoryWithdraw: owner withdrawals and token rescues.
	CategoryWithdraw = "withdraw"
	// CategoryOracle: replacing the price source or setting prices.
	CategoryOracle = "oracle"
	// CategoryDestroy: self-destruct entry points (kill, destroy).
	CategoryDestroy = "destroy"
	// CategoryConfig: other privileged configuration (markets, routers, pairs,
	// treasuries, strategies).
	CategoryConfig = "config"
)

// exactCategory returns the category of lower-cased function names (leading
// underscores removed) that are admin levers by themselves, or "".
func exactCategory(n string) string {
	switch n {
	case "mint", "mintto", "mintfor", "ownermint", "adminmint", "batchmint", "mintbatch", "safemint",
		"setminter", "addminter", "removeminter":
		return CategoryMint
	case "burn", "adminburn", "ownerburn":
		return CategoryBurn
	case "pause", "unpause", "setpaused", "togglepause":
		return CategoryPause
	case "setbot", "setbots", "addbots", "delbot", "freeze", "unfreeze", "freezeaccount":
		return CategoryBlacklist
	case "excludefromfee", "excludefromfees", "includeinfee", "setfeeto", "setfeetosetter",
		"setfeeprotocol", "collectprotocol":
		return CategoryFee
	case "enabletrading", "disabletrading", "opentrading", "starttrading", "settrading",
		"setswapenabled", "setswapandliquifyenabled":
		return CategoryTrading
	case "removelimits":
		return CategoryLimits
	case "upgradeto", "upgradetoandcall", "upgrade", "upgradeandcall", "changeadmin",
		"changeproxyadmin", "setimplementation", "diamondcut":
		return CategoryUpgrade
	case "transferownership", "renounceownership", "setowner", "changeowner", "addownerwiththreshold",
		"removeowner", "swapowner", "changethreshold":
		return CategoryOwnership
	case "grantrole", "revokerole", "setadmin", "setpendingadmin", "setoperator", "setgovernance",
		"setguardian", "setsigner", "enablemodule", "disablemodule", "setguard", "settrustedremote",
		"setpeer":
		return CategoryRole
	case "emergencywithdraw", "sweep", "withdraweth", "withdrawtokens", "withdrawtoken",
		"withdrawstucktokens", "clearstuckbalance", "adminwithdraw", "ownerwithdraw", "reducereserves":
		return CategoryWithdraw
	case "setprice", "setaggregator":
		return CategoryOracle
	case "kill", "destroy":
		return CategoryDestroy
	case "setreservefactor", "setcollateralfactor", "setinterestratemodel", "setcomptroller",
		"supportmarket", "setrouter", "settreasury", "setstrategy", "setammpair",
		"setautomatedmarketmakerpair", "enablefeeamount":
		return CategoryConfig
	}
	return ""
}

// notPrivileged reports whether sig is one of the signatures whose name matches a
// rule but which are user-facing in the standards that define them (ERC-4626 and Compound
// mint, Uniswap pair mint/burn, self-burn, MasterChef emergencyWithdraw).
func notPrivileged(sig string) bool {
	switch sig {
	case "mint(uint256)": // Compound cToken
		return true
	case "mint(address)": // Uniswap V2 pair
		return true
	case "mint(uint256,address)": // ERC-4626
		return true
	case "mint(address,int24,int24,uint128,bytes)": // Uniswap V3 pool
		return true
	case "burn(uint256)": // self-burn
		return true
	case "burn(address)": // Uniswap V2 pair
		return true
	case "burn(int24,int24,uint128)": // Uniswap V3 pool
		return true
	case "emergencyWithdraw(uint256)": // MasterChef (user)
		return true
	case "mint((address,address,uint24,int24,int24,uint256,uint256,uint256,uint256,address,uint256))":
		return true
	}
	return false
}

// Categorize returns the privilege category of the function with canonical
// signature sig, or "" if it does not look like an admin lever. It looks at
// the name (exact names such as "mint", "pause", "upgradeTo", and patterns
// such as set*Fee*/set*Tax*, *blacklist*, rescue*, recover*, set*Oracle*) and
// excludes the user-facing functions of common standards (ERC-4626
// mint(uint256,address), Uniswap pair mint(address), burn(uint256), WETH
// withdraw(uint256), ...).
func Categorize(sig string) string {
	if notPrivileged(sig) {
		return ""
	}
	name := sig
	if i := strings.IndexByte(sig, '('); i >= 0 {
		name = sig[:i]
	}
	n := strings.ToLower(strings.TrimLeft(name, "_"))
	if c := exactCategory(n); c != "" {
		return c
	}
	if hasAnyPrefix(n, "is", "get", "max", "min", "total", "preview", "convert") {
		return ""
	}
	setter := hasAnyPrefix(n, "set", "update", "change", "modify", "enable", "disable", "add", "remove", "exclude", "include", "toggle")
	has := func(subs ...string) bool {
		for _, s := range subs {
			if strings.Contains(n, s) {
				return true
			}
		}
		return false
	}
	switch {
	case has("blacklist", "blocklist", "denylist"):
		return CategoryBlacklist
	case setter && has("oracle", "pricefeed", "aggregator"):
		return CategoryOracle
	case setter && has("fee", "tax"):
		return CategoryFee
	case setter && has("trading"):
		return CategoryTrading
	case setter && has("maxtx", "maxwallet", "maxtransaction", "limit"):
		return CategoryLimits
	case setter && has("minter"):
		return CategoryMint
	case setter && has("pause"):
		return CategoryPause
	case setter && has("owner"):
		return CategoryOwnership
	case hasAnyPrefix(n, "rescue", "recover", "emergencywithdraw"):
		return CategoryWithdraw
	case hasAnyPrefix(n, "upgrade"):
		return CategoryUpgrade
	}
	return ""
}

func hasAnyPrefix(s string, prefixes ...string) bool {
	for _, p := range prefixes {
		if strings.HasPrefix(s, p) {
			return true
		}
	}
	return false
}
