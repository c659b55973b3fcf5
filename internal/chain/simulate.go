package chain

import (
	"math/big"

	"github.com/ethereum/go-ethereum/common"
	"github.com/ethereum/go-ethereum/common/hexutil"
)

// The eth_simulateV1 wire types (execution-apis), shared by the guard's
// simulation gate and the risk engine's trade simulation and probing.
// Fee fields are left out on purpose: callers simulate with validation off,
// so calls pay no gas and balance deltas are pure value flows.

// SimCall is one call of a simulated block.
type SimCall struct {
	From  common.Address  `json:"from"`
	To    *common.Address `json:"to,omitempty"`
	Value *hexutil.Big    `json:"value,omitempty"`
	Input hexutil.Bytes   `json:"input,omitempty"`
	Gas   hexutil.Uint64  `json:"gas"`
}

// SimAccount is a state override of one account.
type SimAccount struct {
	Code    hexutil.Bytes `json:"code,omitempty"`
	Balance *hexutil.Big  `json:"balance,omitempty"`
	// StateDiff overrides single storage slots, keeping the others.
	StateDiff map[common.Hash]common.Hash `json:"stateDiff,omitempty"`
}

// SimBlock is one simulated block: state overrides applied before its calls.
type SimBlock struct {
	StateOverrides map[common.Address]SimAccount `json:"stateOverrides,omitempty"`
	Calls          []SimCall                     `json:"calls"`
}

// SimRequest is the first parameter of eth_simulateV1 (the second is the
// block tag).
type SimRequest struct {
	BlockStateCalls []SimBlock `json:"blockStateCalls"`
	Validation      bool       `json:"validation"`
	TraceTransfers  bool       `json:"traceTransfers"`
}

// SimLog is a log of a simulated call.
type SimLog struct {
	Address common.Address `json:"address"`
	Topics  []common.Hash  `json:"topics"`
	Data    hexutil.Bytes  `json:"data"`
}

// SimCallResult is the outcome of one simulated call.
type SimCallResult struct {
	ReturnData hexutil.Bytes  `json:"returnData"`
	Logs       []SimLog       `json:"logs"`
	GasUsed    hexutil.Uint64 `json:"gasUsed"`
	// Status is 1 for success.
	Status hexutil.Uint64 `json:"status"`
	Error  *SimError      `json:"error"`
}

// SimError is the error of a failed simulated call.
type SimError struct {
	Code    int    `json:"code"`
	Message string `json:"message"`
	// Data is the hex revert data, when the node puts it here.
	Data string `json:"data"`
}

// SimBlockResult is one simulated block's result.
type SimBlockResult struct {
	Number hexutil.Uint64  `json:"number"`
	Calls  []SimCallResult `json:"calls"`
}

// OK reports whether the call succeeded.
func (r SimCallResult) OK() bool { return r.Status == 1 }

// RevertData returns the revert data of a failed call: the return data, or
// the error's data when the node reports it there.
func (r SimCallResult) RevertData() []byte {
	if len(r.ReturnData) > 0 {
		return r.ReturnData
	}
	if r.Error != nil && r.Error.Data != "" {
		return common.FromHex(r.Error.Data)
	}
	return nil
}

// Revert returns the decoded revert reason of a failed call (decoded with
// RevertReason; the node's error message when the data decodes to nothing;
// "reverted" when there is neither).
func (r SimCallResult) Revert() string {
	if s := RevertReason(r.RevertData(), nil); s != "" {
		return s
	}
	if r.Error != nil && r.Error.Message != "" {
		return r.Error.Message
	}
	return "reverted"
}

// Word returns the first 32-byte word of a successful call's return data as
// an integer, nil when the call failed or returned less.
func (r SimCallResult) Word() *big.Int {
	if r.Status != 1 || len(r.ReturnData) < 32 {
		return nil
	}
	return new(big.Int).SetBytes(r.ReturnData[:32])
}
