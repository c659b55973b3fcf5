// Package tokentestbed is the labelled token testbed for `aegis risk`: 30
// Solidity tokens (contracts/src/risktokens, contract names prefixed Rt)
// with known GoPlus-style labels, deployed with a WETH pool, organic-looking
// holders and their trap state on any node (the devnet, Anvil).
//
// The tokens are written like real ones — varied names and styles, the
// risky logic behind innocuous function names, in internal helpers or in
// assembly — so that an analysis calibrated here is not calibrated to a
// template. Honeypots: sell whitelist (RtShibaKingdom), 100% sell tax
// (RtFlokiRocket), trading switch closed after launch (RtPepeLaunch), 1-wei
// max sell (RtDustDoge), ten-year cooldown (RtCooldownCat), silent balance
// siphon on sell (RtSiphonMoon), allowance that
// transferFrom never finds (RtApproveTrap). Privileges: hidden mint (RtYieldBloom's
// syncRewards), balance overwrite (RtLedgerFix), allowance-free operator
// transferFrom (RtOperatorPull), fake renounce with a hidden owner slot
// (RtGhostOwner), EIP-1967 proxy behind an EOA admin (RtProxy1967), tax up
// to 100% (RtTaxDial), per-address tax (RtPersonalFee), blacklist
// (RtBotBlocker), blacklists set through the argument shapes a probe has to
// guess — (address[],bool) (RtHarborInu), (address,bool) and (address[])
// (RtQuietFrog) — a tax capped at 15% set by (uint256,uint256) (RtTideTax),
// modifiable anti-whale (RtWhaleGuard), selfdestruct
// (RtPhoenix), delegatecall to a settable module (RtModularHook), external
// call in transfer (RtDividendPay). Honest controls: RtPlainToken,
// RtWrappedEther, RtStableDollar (USDC-style, admin = RtMultisig2of3),
// RtReflectDrip (2% reflection), RtFixedFee (immutable 3%), RtRenouncedToken,
// RtTimelockMintable (minter = RtTimelock), RtLimitsFixed.
//
// API (stable; the risk engine's tests depend on it):
//
//   - Labels, LabelOf, LabelsJSON: the ground truth (labels.json is
//     generated from the Go table: go test ./internal/risk/tokentestbed
//     -run TestLabelsJSON -update). Label.Offline lists the flags decidable
//     from runtime bytecode alone.
//   - RuntimeCorpus: every token's runtime bytecode from the artifacts, for
//     the offline benchmark.
//   - Deploy(ctx, client, accounts, Options{}) deploys everything (about
//     two seconds on the devnet, transactions batched per phase) and returns
//     a Testbed: per Token its address, pair, creator, owner, holders, LP
//     fate and label. accounts needs MinAccounts funded accounts.
//   - Testbed.Buy (AMMRouter.swapExactETHForTokens), Sell (approve +
//     RtFeeSwapRouter, Router02's fee-on-transfer-safe swap, i.e. a
//     transferFrom by the router) and Transfer trade a token and measure its
//     tax the way a honeypot checker does; the tests use them to prove every
//     label against the chain.
//
// Trap state after Deploy: the honeypots' holders bought first, then the
// owner closed trading / raised the sell fee / lowered the max sell / set a
// ten-year cooldown; RtShibaKingdom's team wallet is whitelisted and can
// sell; RtGhostOwner renounced (fake); RtRenouncedToken renounced (real);
// RtPersonalFee charges Holders[0] 100%; RtBotBlocker, RtHarborInu and
// RtQuietFrog listed Holders[1];
// RtStableDollar's multisig minted (two signatures); RtTimelockMintable has
// a mint queued in its timelock. Then one holder per token tried to sell
// (Token.SellAttempts): the honeypots carry a reverted sell on chain, the
// others a successful one. LP tokens are kept by the creator, burned
// or locked for a year (Token.LP).
//
// Creators: each family is deployed by its own key, as in reality
// (Testbed.Creators, indexed by the Family* constants): accounts[1] ships
// only the honest controls, accounts[2] only the honeypots, and three keys
// derived from fixed seeds (funded by accounts[0]) the privilege abuses, the
// owner dials and the code hazards. So the risk engine's creator-history
// signal runs on every token: an honest token's creator has only honest
// earlier tokens, and only the honeypot creator is a serial honeypotter.
//
// The package depends only on internal/chain, internal/testbed and
// contracts; it never imports internal/risk.
package tokentestbed
