package txmodel

import (
	"encoding/json"
	"fmt"
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// Kind names the well-known event a Log was decoded as ("" when it was
// not).
type Kind string

// The well-known event kinds. Each has a typed view in Log.Decoded.
const (
	// KindERC20Transfer is Transfer(address indexed,address indexed,uint256): *Transfer.
	KindERC20Transfer Kind = "erc20-transfer"
	// KindERC721Transfer is Transfer with an indexed tokenId (4 topics): *NFTTransfer.
	KindERC721Transfer Kind = "erc721-transfer"
	// KindERC20Approval is Approval(address indexed,address indexed,uint256): *Approval.
	KindERC20Approval Kind = "erc20-approval"
	// KindERC721Approval is Approval with an indexed tokenId: *NFTApproval.
	KindERC721Approval Kind = "erc721-approval"
	// KindWETHDeposit is WETH9's Deposit(address indexed dst,uint256 wad): *WETHDeposit.
	KindWETHDeposit Kind = "weth-deposit"
	// KindWETHWithdrawal is WETH9's Withdrawal(address indexed src,uint256 wad): *WETHWithdrawal.
	KindWETHWithdrawal Kind = "weth-withdrawal"
	// KindV2Swap is the Uniswap V2 pair's Swap: *V2Swap.
	KindV2Swap Kind = "uniswap-v2-swap"
	// KindV2Sync is the Uniswap V2 pair's Sync(uint112,uint112): *V2Sync.
	KindV2Sync Kind = "uniswap-v2-sync"
	// KindV2Mint is the Uniswap V2 pair's Mint: *V2Mint.
	KindV2Mint Kind = "uniswap-v2-mint"
	// KindV2Burn is the Uniswap V2 pair's Burn: *V2Burn.
	KindV2Burn Kind = "uniswap-v2-burn"
	// KindV3Swap is the Uniswap V3 pool's Swap: *V3Swap.
	KindV3Swap Kind = "uniswap-v3-swap"
	// KindFlashLoan is a flash loan (our FlashLoanPool / Balancer V2, Aave
	// V2, Aave V3): *FlashLoan.
	KindFlashLoan Kind = "flash-loan"
	// KindOwnershipTransferred is OwnershipTransferred(address indexed,address indexed): *OwnershipTransferred.
	KindOwnershipTransferred Kind = "ownership-transferred"
	// KindRoleGranted is AccessControl's RoleGranted: *RoleChange.
	KindRoleGranted Kind = "role-granted"
	// KindRoleRevoked is AccessControl's RoleRevoked: *RoleChange.
	KindRoleRevoked Kind = "role-revoked"
	// KindUpgraded is ERC-1967 Upgraded(address indexed implementation): *Upgraded.
	KindUpgraded Kind = "upgraded"
	// KindAdminChanged is ERC-1967 AdminChanged(address,address): *AdminChanged.
	KindAdminChanged Kind = "admin-changed"
	// KindBeaconUpgraded is ERC-1967 BeaconUpgraded(address indexed beacon): *BeaconUpgraded.
	KindBeaconUpgraded Kind = "beacon-upgraded"
	// KindPaused is Paused(address account) (OZ Pausable, our Guarded): *PauseChange.
	KindPaused Kind = "paused"
	// KindUnpaused is Unpaused(address account): *PauseChange.
	KindUnpaused Kind = "unpaused"
	// KindProposalCreated is a governance ProposalCreated (OZ Governor,
	// SafeDAO, VulnerableDAO): *ProposalCreated.
	KindProposalCreated Kind = "proposal-created"
	// KindVoteCast is a governance VoteCast (OZ Governor, our DAOs): *VoteCast.
	KindVoteCast Kind = "vote-cast"
	// KindProposalExecuted is a governance ProposalExecuted (OZ Governor,
	// our DAOs): *ProposalExecuted.
	KindProposalExecuted Kind = "proposal-executed"
)

// Event is a typed view of a decoded well-known log. The concrete type is
// given by EventKind (see the Kind constants).
type Event interface {
	// EventKind returns the log's Kind.
	EventKind() Kind
}

// Log is one event log.
type Log struct {
	// Address is the emitting contract.
	Address common.Address `json:"address"`
	// Topics and Data are the raw log.
	Topics []common.Hash `json:"topics"`
	Data   hexutil.Bytes `json:"data"`
	// Index is the log's position among the transaction's logs in
	// execution order (only logs of non-reverted frames are numbered; the
	// others get -1).
	Index int `json:"index"`
	// BlockIndex is the log index within the block when known (mined
	// transactions fetched with receipts), otherwise nil.
	BlockIndex *uint `json:"block_index,omitempty"`
	// Depth is the depth of the emitting frame (0 = top frame).
	Depth int `json:"depth"`
	// Event is the event's canonical signature, e.g.
	// "Transfer(address,address,uint256)", from the well-known table,
	// user ABIs or sigdb ("" when unknown).
	Event string `json:"event,omitempty"`
	// Kind is the well-known kind the log was decoded as ("" if none).
	Kind Kind `json:"kind,omitempty"`
	// Decoded is the typed view matching Kind (nil if none).
	Decoded Event `json:"decoded,omitempty"`
}

// Topic0 returns the event topic (zero hash for anonymous logs).
func (l *Log) Topic0() common.Hash {
	if len(l.Topics) == 0 {
		return common.Hash{}
	}
	return l.Topics[0]
}

// UnmarshalJSON implements json.Unmarshaler, restoring Decoded's concrete
// type from Kind.
func (l *Log) UnmarshalJSON(b []byte) error {
	type plain Log
	var aux struct {
		*plain
		Decoded json.RawMessage `json:"decoded,omitempty"`
	}
	aux.plain = (*plain)(l)
	if err := json.Unmarshal(b, &aux); err != nil {
		return err
	}
	l.Decoded = nil
	if len(aux.Decoded) == 0 || string(aux.Decoded) == "null" {
		return nil
	}
	ev := newEvent(l.Kind)
	if ev == nil {
		return fmt.Errorf("log: decoded view for unknown kind %q", l.Kind)
	}
	if err := json.Unmarshal(aux.Decoded, ev); err != nil {
		return fmt.Errorf("log: decoded %s: %w", l.Kind, err)
	}
	l.Decoded = ev
	return nil
}

// newEvent returns a new zero typed view for kind (nil if unknown).
func newEvent(kind Kind) Event {
	switch kind {
	case KindERC20Transfer:
		return &Transfer{}
	case KindERC721Transfer:
		return &NFTTransfer{}
	case KindERC20Approval:
		return &Approval{}
	case KindERC721Approval:
		return &NFTApproval{}
	case KindWETHDeposit:
		return &WETHDeposit{}
	case KindWETHWithdrawal:
		return &WETHWithdrawal{}
	case KindV2Swap:
		return &V2Swap{}
	case KindV2Sync:
		return &V2Sync{}
	case KindV2Mint:
		return &V2Mint{}
	case KindV2Burn:
		return &V2Burn{}
	case KindV3Swap:
		return &V3Swap{}
	case KindFlashLoan:
		return &FlashLoan{}
	case KindOwnershipTransferred:
		return &OwnershipTransferred{}
	case KindRoleGranted:
		return &RoleChange{Granted: true}
	case KindRoleRevoked:
		return &RoleChange{}
	case KindUpgraded:
		return &Upgraded{}
	case KindAdminChanged:
		return &AdminChanged{}
	case KindBeaconUpgraded:
		return &BeaconUpgraded{}
	case KindPaused:
		return &PauseChange{Paused: true}
	case KindUnpaused:
		return &PauseChange{}
	case KindProposalCreated:
		return &ProposalCreated{}
	case KindVoteCast:
		return &VoteCast{}
	case KindProposalExecuted:
		return &ProposalExecuted{}
	}
	return nil
}

// Transfer is an ERC-20 Transfer. A mint has From == 0x0, a burn To == 0x0.
type Transfer struct {
	From  common.Address `json:"from"`
	To    common.Address `json:"to"`
	Value *big.Int       `json:"value"`
}

// EventKind implements Event.
func (*Transfer) EventKind() Kind { return KindERC20Transfer }

// NFTTransfer is an ERC-721 Transfer (tokenId indexed).
type NFTTransfer struct {
	From    common.Address `json:"from"`
	To      common.Address `json:"to"`
	TokenID *big.Int       `json:"token_id"`
}

// EventKind implements Event.
func (*NFTTransfer) EventKind() Kind { return KindERC721Transfer }

// Approval is an ERC-20 Approval.
type Approval struct {
	Owner   common.Address `json:"owner"`
	Spender common.Address `json:"spender"`
	Value   *big.Int       `json:"value"`
}

// EventKind implements Event.
func (*Approval) EventKind() Kind { return KindERC20Approval }

// NFTApproval is an ERC-721 Approval (tokenId indexed).
type NFTApproval struct {
	Owner    common.Address `json:"owner"`
	Approved common.Address `json:"approved"`
	TokenID  *big.Int       `json:"token_id"`
}

// EventKind implements Event.
func (*NFTApproval) EventKind() Kind { return KindERC721Approval }

// WETHDeposit is WETH9's Deposit: Dst wrapped Wad ETH. In traces it is only
// decoded when the emitting frame received exactly Wad wei (other
// contracts, e.g. LendingMarket, emit a Deposit(address,uint256) with the
// same topic).
type WETHDeposit struct {
	Dst common.Address `json:"dst"`
	Wad *big.Int       `json:"wad"`
}

// EventKind implements Event.
func (*WETHDeposit) EventKind() Kind { return KindWETHDeposit }

// WETHWithdrawal is WETH9's Withdrawal: Src unwrapped Wad WETH.
type WETHWithdrawal struct {
	Src common.Address `json:"src"`
	Wad *big.Int       `json:"wad"`
}

// EventKind implements Event.
func (*WETHWithdrawal) EventKind() Kind { return KindWETHWithdrawal }

// V2Swap is a Uniswap V2 pair's Swap.
type V2Swap struct {
	Sender     common.Address `json:"sender"`
	To         common.Address `json:"to"`
	Amount0In  *big.Int       `json:"amount0_in"`
	Amount1In  *big.Int       `json:"amount1_in"`
	Amount0Out *big.Int       `json:"amount0_out"`
	Amount1Out *big.Int       `json:"amount1_out"`
}

// EventKind implements Event.
func (*V2Swap) EventKind() Kind { return KindV2Swap }

// V2Sync is a Uniswap V2 pair's Sync: the reserves after an operation.
type V2Sync struct {
	Reserve0 *big.Int `json:"reserve0"`
	Reserve1 *big.Int `json:"reserve1"`
}

// EventKind implements Event.
func (*V2Sync) EventKind() Kind { return KindV2Sync }

// V2Mint is a Uniswap V2 pair's Mint (liquidity added).
type V2Mint struct {
	Sender  common.Address `json:"sender"`
	Amount0 *big.Int       `json:"amount0"`
	Amount1 *big.Int       `json:"amount1"`
}

// EventKind implements Event.
func (*V2Mint) EventKind() Kind { return KindV2Mint }

// V2Burn is a Uniswap V2 pair's Burn (liquidity removed).
type V2Burn struct {
	Sender  common.Address `json:"sender"`
	To      common.Address `json:"to"`
	Amount0 *big.Int       `json:"amount0"`
	Amount1 *big.Int       `json:"amount1"`
}

// EventKind implements Event.
func (*V2Burn) EventKind() Kind { return KindV2Burn }

// V3Swap is a Uniswap V3 pool's Swap. Amounts are signed pool deltas
// (positive: the pool received).
type V3Swap struct {
	Sender       common.Address `json:"sender"`
	Recipient    common.Address `json:"recipient"`
	Amount0      *big.Int       `json:"amount0"`
	Amount1      *big.Int       `json:"amount1"`
	SqrtPriceX96 *big.Int       `json:"sqrt_price_x96"`
	Liquidity    *big.Int       `json:"liquidity"`
	Tick         int64          `json:"tick"`
}

// EventKind implements Event.
func (*V3Swap) EventKind() Kind { return KindV3Swap }

// FlashLoanSource names the flash-loan event variant.
type FlashLoanSource string

// The flash-loan event variants.
const (
	// FlashLoanERC3156 is FlashLoan(address indexed receiver, address
	// indexed token, uint256 amount, uint256 fee), emitted by our
	// FlashLoanPool; Balancer V2's Vault emits the identical
	// FlashLoan(recipient, token, amount, feeAmount).
	FlashLoanERC3156 FlashLoanSource = "erc3156"
	// FlashLoanAaveV2 is Aave V2's FlashLoan(target, initiator, asset,
	// amount, premium, referralCode).
	FlashLoanAaveV2 FlashLoanSource = "aave-v2"
	// FlashLoanAaveV3 is Aave V3's FlashLoan(target, initiator, asset,
	// amount, interestRateMode, premium, referralCode).
	FlashLoanAaveV3 FlashLoanSource = "aave-v3"
)

// FlashLoan is a flash loan of Amount of Token to Receiver for Fee.
type FlashLoan struct {
	Source   FlashLoanSource `json:"source"`
	Receiver common.Address  `json:"receiver"`
	// Initiator is the account that requested the loan (Aave only).
	Initiator *common.Address `json:"initiator,omitempty"`
	Token     common.Address  `json:"token"`
	Amount    *big.Int        `json:"amount"`
	Fee       *big.Int        `json:"fee"`
}

// EventKind implements Event.
func (*FlashLoan) EventKind() Kind { return KindFlashLoan }

// OwnershipTransferred is Ownable's OwnershipTransferred.
type OwnershipTransferred struct {
	Previous common.Address `json:"previous"`
	New      common.Address `json:"new"`
}

// EventKind implements Event.
func (*OwnershipTransferred) EventKind() Kind { return KindOwnershipTransferred }

// RoleChange is AccessControl's RoleGranted (Granted) or RoleRevoked.
type RoleChange struct {
	Granted bool           `json:"granted"`
	Role    common.Hash    `json:"role"`
	Account common.Address `json:"account"`
	Sender  common.Address `json:"sender"`
}

// EventKind implements Event.
func (r *RoleChange) EventKind() Kind {
	if r.Granted {
		return KindRoleGranted
	}
	return KindRoleRevoked
}

// Upgraded is ERC-1967's Upgraded: a proxy's implementation changed.
type Upgraded struct {
	Implementation common.Address `json:"implementation"`
}

// EventKind implements Event.
func (*Upgraded) EventKind() Kind { return KindUpgraded }

// AdminChanged is ERC-1967's AdminChanged.
type AdminChanged struct {
	Previous common.Address `json:"previous"`
	New      common.Address `json:"new"`
}

// EventKind implements Event.
func (*AdminChanged) EventKind() Kind { return KindAdminChanged }

// BeaconUpgraded is ERC-1967's BeaconUpgraded.
type BeaconUpgraded struct {
	Beacon common.Address `json:"beacon"`
}

// EventKind implements Event.
func (*BeaconUpgraded) EventKind() Kind { return KindBeaconUpgraded }

// PauseChange is Paused(address account) (Paused) or Unpaused(address
// account), as emitted by OZ Pausable and our Guarded.
type PauseChange struct {
	Paused  bool           `json:"paused"`
	Account common.Address `json:"account"`
}

// EventKind implements Event.
func (p *PauseChange) EventKind() Kind {
	if p.Paused {
		return KindPaused
	}
	return KindUnpaused
}

// ProposalCreated is a governance proposal's creation: OZ Governor's
// ProposalCreated(proposalId, proposer, targets, values, signatures,
// calldatas, voteStart, voteEnd, description), SafeDAO's (id, proposer,
// snapshot, description) or VulnerableDAO's (id, proposer, description).
// Fields a variant lacks are zero.
type ProposalCreated struct {
	ProposalID  *big.Int         `json:"proposal_id"`
	Proposer    common.Address   `json:"proposer"`
	Description string           `json:"description,omitempty"`
	Targets     []common.Address `json:"targets,omitempty"`
	Snapshot    *big.Int         `json:"snapshot,omitempty"`
	VoteStart   *big.Int         `json:"vote_start,omitempty"`
	VoteEnd     *big.Int         `json:"vote_end,omitempty"`
}

// EventKind implements Event.
func (*ProposalCreated) EventKind() Kind { return KindProposalCreated }

// VoteCast is a governance vote: OZ Governor's VoteCast(voter, proposalId,
// support, weight, reason) (Support 0 against, 1 for, 2 abstain) or our
// DAOs' VoteCast(id, voter, bool support, weight) (Support 0 or 1).
type VoteCast struct {
	ProposalID *big.Int       `json:"proposal_id"`
	Voter      common.Address `json:"voter"`
	Support    uint8          `json:"support"`
	Weight     *big.Int       `json:"weight"`
	Reason     string         `json:"reason,omitempty"`
}

// EventKind implements Event.
func (*VoteCast) EventKind() Kind { return KindVoteCast }

// ProposalExecuted is a governance proposal's execution: OZ Governor's
// ProposalExecuted(uint256 proposalId), SafeDAO's ProposalExecuted(uint256
// indexed id) or VulnerableDAO's ProposalExecuted(uint256 indexed id, bool
// emergency).
type ProposalExecuted struct {
	ProposalID *big.Int `json:"proposal_id"`
	Emergency  bool     `json:"emergency,omitempty"`
}

// EventKind implements Event.
func (*ProposalExecuted) EventKind() Kind { return KindProposalExecuted }
