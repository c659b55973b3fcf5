package labels

import (
	"time"

	"github.com/ethereum/go-ethereum/common"
)

// builtinDate is when the built-in set was last reviewed.
var builtinDate = time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)

const (
	ofacTornado = "OFAC SDN list, Tornado Cash designation of 2022-08-08 (https://home.treasury.gov/news/press-releases/jy0916)"
	ofacRonin   = "OFAC SDN list, Lazarus Group update of 2022-04-14 (Ronin bridge exploiter)"
)

// Builtin returns the small built-in set of well-known Ethereum mainnet
// addresses, each with the source of the claim. Only addresses whose
// identity is public record are included.
func Builtin() *Set {
	s := &Set{}
	add := func(addr, label string, c Category, source string, conf float64) {
		s.Add(Label{Address: common.HexToAddress(addr), Label: label, Category: c, Source: source, Confidence: conf, Modified: builtinDate})
	}
	for _, p := range []struct{ addr, size string }{
		{"0x12D66f87A04A9E220743712cE6d9bB1B5616B8Fc", "0.1 ETH"},
		{"0x47CE0C6eD5B0Ce3d3A51fdb1C52DC66a7c3c2936", "1 ETH"},
		{"0x910Cbd523D972eb0a6f4cAe4618aD62622b39DbF", "10 ETH"},
		{"0xA160cdAB225685dA1d56aa342Ad8841c3b53f291", "100 ETH"},
	} {
		add(p.addr, "Tornado Cash "+p.size+" pool", Mixer, ofacTornado, 1)
		add(p.addr, "Tornado Cash "+p.size+" pool (OFAC SDN)", Sanctioned, ofacTornado, 1)
	}
	add("0x098B716B8Aaf21512996dC57EB0615e2383E2f96", "Ronin bridge exploiter (Lazarus Group)", Sanctioned, ofacRonin, 1)
	add("0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", "Wrapped Ether (WETH9)", DeFi, "WETH9 contract, https://etherscan.io/address/0xC02aaA39b223FE8D0A0e5C4F27eAD9083C756Cc2", 1)
	add("0x28C6c06298d514Db089934071355E5743bf21d60", "Binance 14 hot wallet", Exchange, "Etherscan public name tag \"Binance 14\"", 0.9)
	return s
}
