package attack

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
