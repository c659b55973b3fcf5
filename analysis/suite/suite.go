// Package suite defines the default list of analyzers run by `aegis audit`.
// It is an explicit list; add a detector here to enable it by default.
package suite

import (
	"github.com/aegis-defi/aegis/analysis"
	"github.com/aegis-defi/aegis/analysis/passes/approverace"
	"github.com/aegis-defi/aegis/analysis/passes/callsinloop"
	"github.com/aegis-defi/aegis/analysis/passes/chainlink"
	"github.com/aegis-defi/aegis/analysis/passes/controlleddelegatecall"
	"github.com/aegis-defi/aegis/analysis/passes/criticalevent"
	"github.com/aegis-defi/aegis/analysis/passes/delegatecallloop"
	"github.com/aegis-defi/aegis/analysis/passes/deprecated"
	"github.com/aegis-defi/aegis/analysis/passes/dividemultiply"
	"github.com/aegis-defi/aegis/analysis/passes/donation"
	"github.com/aegis-defi/aegis/analysis/passes/erc20interface"
	"github.com/aegis-defi/aegis/analysis/passes/erc721interface"
	"github.com/aegis-defi/aegis/analysis/passes/feeontransfer"
	"github.com/aegis-defi/aegis/analysis/passes/flashvote"
	"github.com/aegis-defi/aegis/analysis/passes/frontrunreward"
	"github.com/aegis-defi/aegis/analysis/passes/healthcheck"
	"github.com/aegis-defi/aegis/analysis/passes/lockedether"
	"github.com/aegis-defi/aegis/analysis/passes/misnamedconstructor"
	"github.com/aegis-defi/aegis/analysis/passes/msgvalueloop"
	"github.com/aegis-defi/aegis/analysis/passes/overflow"
	"github.com/aegis-defi/aegis/analysis/passes/pragma"
	"github.com/aegis-defi/aegis/analysis/passes/privilegedsetter"
	"github.com/aegis-defi/aegis/analysis/passes/proxystorage"
	"github.com/aegis-defi/aegis/analysis/passes/reentrancycross"
	"github.com/aegis-defi/aegis/analysis/passes/reentrancyeth"
	"github.com/aegis-defi/aegis/analysis/passes/reentrancyevents"
	"github.com/aegis-defi/aegis/analysis/passes/reentrancynoeth"
	"github.com/aegis-defi/aegis/analysis/passes/reentrancyreadonly"
	"github.com/aegis-defi/aegis/analysis/passes/shadowing"
	"github.com/aegis-defi/aegis/analysis/passes/sigreplay"
	"github.com/aegis-defi/aegis/analysis/passes/slippage"
	"github.com/aegis-defi/aegis/analysis/passes/spotprice"
	"github.com/aegis-defi/aegis/analysis/passes/storageptr"
	"github.com/aegis-defi/aegis/analysis/passes/strictbalance"
	"github.com/aegis-defi/aegis/analysis/passes/timestampdep"
	"github.com/aegis-defi/aegis/analysis/passes/txorigin"
	"github.com/aegis-defi/aegis/analysis/passes/uncheckedcall"
	"github.com/aegis-defi/aegis/analysis/passes/uncheckederc20"
	"github.com/aegis-defi/aegis/analysis/passes/uncheckedmath"
	"github.com/aegis-defi/aegis/analysis/passes/uncheckedsend"
	"github.com/aegis-defi/aegis/analysis/passes/unprotectedinit"
	"github.com/aegis-defi/aegis/analysis/passes/unprotectedmint"
	"github.com/aegis-defi/aegis/analysis/passes/unprotectedselfdestruct"
	"github.com/aegis-defi/aegis/analysis/passes/unprotectedupgrade"
	"github.com/aegis-defi/aegis/analysis/passes/unprotectedwithdrawal"
	"github.com/aegis-defi/aegis/analysis/passes/unsafedowncast"
	"github.com/aegis-defi/aegis/analysis/passes/weakrandomness"
	"github.com/aegis-defi/aegis/analysis/passes/zeroaddress"
)

// Default returns the analyzers of the default suite, in name order. The
// returned slice is new on each call; the analyzers are shared values.
func Default() []*analysis.Analyzer {
	return []*analysis.Analyzer{
		callsinloop.Analyzer,
		chainlink.Analyzer,
		controlleddelegatecall.Analyzer,
		delegatecallloop.Analyzer,
		deprecated.Analyzer,
		dividemultiply.Analyzer,
		donation.Analyzer,
		approverace.Analyzer,
		feeontransfer.Analyzer,
		flashvote.Analyzer,
		frontrunreward.Analyzer,
		erc20interface.Analyzer,
		erc721interface.Analyzer,
		overflow.Analyzer,
		lockedether.Analyzer,
		misnamedconstructor.Analyzer,
		criticalevent.Analyzer,
		healthcheck.Analyzer,
		slippage.Analyzer,
		zeroaddress.Analyzer,
		msgvalueloop.Analyzer,
		pragma.Analyzer,
		proxystorage.Analyzer,
		reentrancycross.Analyzer,
		reentrancyeth.Analyzer,
		reentrancyevents.Analyzer,
		reentrancynoeth.Analyzer,
		reentrancyreadonly.Analyzer,
		shadowing.Analyzer,
		sigreplay.Analyzer,
		spotprice.Analyzer,
		strictbalance.Analyzer,
		timestampdep.Analyzer,
		txorigin.Analyzer,
		uncheckedmath.Analyzer,
		uncheckederc20.Analyzer,
		uncheckedcall.Analyzer,
		uncheckedsend.Analyzer,
		storageptr.Analyzer,
		unprotectedwithdrawal.Analyzer,
		unprotectedinit.Analyzer,
		unprotectedmint.Analyzer,
		privilegedsetter.Analyzer,
		unprotectedselfdestruct.Analyzer,
		unprotectedupgrade.Analyzer,
		unsafedowncast.Analyzer,
		weakrandomness.Analyzer,
	}
}
