// Package storageptr defines an analyzer that reports uninitialized local
// storage pointers in pre-0.5 code.
//
// # Analyzer uninitialized-storage-pointer
//
// uninitialized-storage-pointer: local struct/array/mapping defaults to
// storage slot 0
//
// Before Solidity 0.5, a local variable of struct, array or mapping type
// declared without a data location and without an initializer is a storage
// pointer to slot 0. Writing through it overwrites the contract's first
// state variables — typically the owner or a lock flag (SWC-109; the
// OpenAddressLottery and CryptoRoulette honeypots). The analyzer reports
// such declarations in files whose pragma admits versions below 0.5 when
// the variable is written to afterwards.
package storageptr
