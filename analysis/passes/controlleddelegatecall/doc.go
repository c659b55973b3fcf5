// Package controlleddelegatecall defines an analyzer that reports
// delegatecall to an address chosen by the caller.
//
// # Analyzer controlled-delegatecall
//
// controlled-delegatecall: delegatecall to a caller-controlled address
//
// delegatecall runs foreign code with the storage, balance and identity of
// the calling contract. When the target comes from a parameter (or
// msg.data) of a public function without access control, an attacker
// supplies a contract that overwrites the owner, selfdestructs or moves
// the funds. Calls through Address.functionDelegateCall are included;
// delegatecalls to fixed or owner-set implementations (proxies) are not.
package controlleddelegatecall
