package attack

import "fmt"

// Library returns the attack library: every scenario, in the order the demo
// runs them. It is an explicit list, not a registry filled by init.
func Library() []Scenario {
	return []Scenario{
		OracleManipulation{},
		Reentrancy{},
		VaultInflation{},
		GovernanceTakeover{},
		RugPull{},
		InitializerTakeover{},
		BridgeForgery{},
	}
}

// Generalisation returns the generalisation set: real-incident mechanisms
// the monitor's detectors were not written around, on protocols with their
// own interfaces and their own tokens (no WETH, no ERC-3156, no Uniswap-V2
// events). They measure how far detection generalises; the default demo
// run (`aegis demo`, set "all") replays them after the library, and
// `aegis demo --set generalisation` runs them alone.
func Generalisation() []Scenario {
	return []Scenario{
		ReadOnlyReentrancy{},
		EmptyMarketRounding{},
		SignatureReplay{},
		RewardDoubleClaim{},
		SelfLiquidation{},
		ProxyUnprotectedSetter{},
		HookTokenReentrancy{},
		ThinPoolOracle{},
	}
}

// Set returns the named scenario set: "library" (the default run),
// "generalisation" or "all" (both, library first).
func Set(name string) ([]Scenario, error) {
	switch name {
	case "", SetLibrary:
		return Library(), nil
	case SetGeneralisation:
		return Generalisation(), nil
	case SetAll:
		return append(Library(), Generalisation()...), nil
	}
	return nil, fmt.Errorf("unknown scenario set %q (have: %s, %s, %s)", name, SetLibrary, SetGeneralisation, SetAll)
}

// The scenario set names Set accepts.
const (
	SetLibrary        = "library"
	SetGeneralisation = "generalisation"
	SetAll            = "all"
)
