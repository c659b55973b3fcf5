// Package privileged implements the privileged-operation detector:
// ownership, role and admin changes, upgrades, initializers, pause and
// unpause, and oracle/fee/config changes on watched contracts, found from
// events and from the called functions' privilege category (sigdb).
// Severity depends on the category and on whether the caller is a known
// administrator.
package privileged

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/crypto"

	"github.com/aegis-defi/aegis/internal/alert"
	"github.com/aegis-defi/aegis/internal/monitor/detect"
	"github.com/aegis-defi/aegis/internal/monitor/detectors/dutil"
	"github.com/aegis-defi/aegis/internal/sigdb"
	"github.com/aegis-defi/aegis/internal/txmodel"
)

// Name is the detector's name.
const Name = "privileged-operation"

// CategoryInitializer is the category of init*/initialize calls on an
// existing contract (Parity wallet).
const CategoryInitializer = "initializer"

// Config holds the detector's settings.
type Config struct {
	// Admins are the known administrators (deployers, multisigs,
	// guardians); accounts labelled "admin", "owner", "guardian",
	// "deployer" or "governance" count too.
	Admins []common.Address
	// DB is the signature database for privilege categories (default
	// sigdb.Default()).
	DB *sigdb.DB
}

// DefaultConfig returns the defaults.
func DefaultConfig() Config { return Config{} }

// Detector is the privileged-operation detector.
type Detector struct {
	cfg Config
	db  *sigdb.DB
	// inits is initializerSelectors(), computed once (it hashes).
	inits map[txmodel.Selector]bool
}

// New returns the detector.
func New(cfg Config) *Detector {
	db := cfg.DB
	if db == nil {
		db = sigdb.Default()
	}
	return &Detector{cfg: cfg, db: db, inits: initializerSelectors()}
}

// Meta implements detect.Detector.
func (*Detector) Meta() detect.Meta {
	return detect.Meta{
		Name:       Name,
		Title:      "Privileged operation",
		Doc:        "Reports privileged changes on watched contracts: ownership/role/admin changes, upgrades, initializers, selfdestruct (high by an unknown account, low by a known admin), mint/fee/oracle/trading/config/withdraw levers (medium unknown, info known), pause/unpause (info by an admin or guardian, medium otherwise).",
		Severity:   alert.SeverityMedium,
		Confidence: 0.6,
	}
}

func (d *Detector) known(env *detect.Env, a common.Address) bool {
	return slices.Contains(d.cfg.Admins, a) || dutil.HasLabelPrefix(env, a, "admin", "owner", "guardian", "deployer", "governance", "timelock")
}

func severity(category string, known bool) alert.Severity {
	switch category {
	case sigdb.CategoryUpgrade, sigdb.CategoryOwnership, sigdb.CategoryRole, sigdb.CategoryDestroy, CategoryInitializer:
		if known {
			return alert.SeverityLow
		}
		return alert.SeverityHigh
	case sigdb.CategoryPause:
		if known {
			return alert.SeverityInfo
		}
		return alert.SeverityMedium
	}
	if known {
		return alert.SeverityInfo
	}
	return alert.SeverityMedium
}

// eventCategory maps a well-known event kind to a category.
func eventCategory(k txmodel.Kind) string {
	switch k {
	case txmodel.KindOwnershipTransferred:
		return sigdb.CategoryOwnership
	case txmodel.KindRoleGranted, txmodel.KindRoleRevoked, txmodel.KindAdminChanged:
		return sigdb.CategoryRole
	case txmodel.KindUpgraded, txmodel.KindBeaconUpgraded:
		return sigdb.CategoryUpgrade
	case txmodel.KindPaused, txmodel.KindUnpaused:
		return sigdb.CategoryPause
	}
	return ""
}

// Inspect implements detect.Detector.
func (d *Detector) Inspect(_ context.Context, env *detect.Env, tx *txmodel.Tx) ([]alert.Observation, error) {
	if !dutil.Usable(tx) {
		return nil, nil
	}
	type key struct {
		addr common.Address
		cat  string
	}
	found := map[key]string{}
	var order []key
	add := func(a common.Address, cat, what string) {
		if _, ok := dutil.Protocol(env, a); !ok || cat == "" {
			return
		}
		k := key{a, cat}
		if _, ok := found[k]; !ok {
			order = append(order, k)
			found[k] = what
		}
	}
	created := func(a common.Address) bool { return slices.Contains(tx.Created, a) }
	for _, l := range tx.Logs {
		if created(l.Address) {
			continue
		}
		if c := eventCategory(l.Kind); c != "" {
			add(l.Address, c, l.Event)
		}
	}
	tx.Walk(func(c *txmodel.Call) bool {
		if c.Reverted() || c.Type == txmodel.CallStaticCall || c.Selector.IsZero() || c.Type.IsCreate() {
			return true
		}
		target := c.Context()
		if created(target) {
			return true
		}
		fn := c.Function()
		cat, ok := d.db.Privilege(c.Selector)
		if !ok && d.inits[c.Selector] {
			cat, ok = CategoryInitializer, true
		}
		if !ok {
			if name := strings.ToLower(strings.TrimLeft(fnName(fn), "_")); strings.HasPrefix(name, "init") {
				cat, ok = CategoryInitializer, true
			}
		}
		if ok {
			if fn == "" {
				fn = c.Selector.String()
			}
			add(target, cat, fn)
		}
		return true
	})
	if len(order) == 0 {
		return nil, nil
	}
	known := d.known(env, tx.From)
	var out []alert.Observation
	for _, k := range order {
		sev := severity(k.cat, known)
		who := "unknown account"
		if known {
			who = "known admin"
		}
		msg := fmt.Sprintf("%s operation %s on %s by %s %s", k.cat, found[k], dutil.Name(env, k.addr), who, dutil.Short(tx.From))
		conf := alert.Confidence(0.6)
		if sev >= alert.SeverityHigh {
			conf = 0.75
		}
		o := dutil.Observation(env, tx, d.Meta(), sev, conf, msg)
		o.Victim = dutil.Victim(env, k.addr)
		o.Technique = k.cat + " change by " + who
		out = append(out, o)
	}
	return out, nil
}

// initializerSelectors are well-known initializers recognised even when
// the signature database does not name the called function.
func initializerSelectors() map[txmodel.Selector]bool {
	out := map[txmodel.Selector]bool{}
	for _, sig := range []string{"initialize()", "initialize(address)", "initialize(bytes32)", "initialize(address,address)",
		"initWallet(address[],uint256)", "initWallet(address[],uint256,uint256)", "initMultiowned(address[],uint256)", "init()"} {
		out[txmodel.Selector(crypto.Keccak256([]byte(sig))[:4])] = true
	}
	return out
}

func fnName(sig string) string {
	if i := strings.IndexByte(sig, '('); i >= 0 {
		return sig[:i]
	}
	return sig
}
