package bytecode

import (
	"encoding/hex"
	"fmt"
	"math/big"
	"strconv"
	"strings"
)

// Metadata is the CBOR metadata trailer that solc (and Vyper 0.3.x) append
// to runtime code: a CBOR map followed by its length as 2 big-endian bytes.
type Metadata struct {
	// Length is the trailer size in bytes, including the 2 length bytes.
	Length int `json:"length"`
	// Compiler is "solc 0.8.28" / "vyper 0.3.7" when the trailer names the
	// compiler version, else "".
	Compiler string `json:"compiler,omitempty"`
	// IPFS is the CIDv0 ("Qm...") of the metadata JSON, when present.
	IPFS string `json:"ipfs,omitempty"`
	// Bzzr0 and Bzzr1 are the Swarm hashes (hex) of older solc versions.
	Bzzr0 string `json:"bzzr0,omitempty"`
	Bzzr1 string `json:"bzzr1,omitempty"`
	// Experimental is set when compiled with experimental features.
	Experimental bool `json:"experimental,omitempty"`
}

// SplitMetadata splits code into the executable part and the metadata
// trailer. If code has no recognisable trailer it returns code, nil.
func SplitMetadata(code []byte) ([]byte, *Metadata) {
	if len(code) < 2 {
		return code, nil
	}
	n := int(code[len(code)-2])<<8 | int(code[len(code)-1])
	if n == 0 || n+2 > len(code) {
		return code, nil
	}
	start := len(code) - 2 - n
	md, ok := decodeMetadata(code[start : len(code)-2])
	if !ok {
		return code, nil
	}
	md.Length = n + 2
	return code[:start:start], md
}

// decodeMetadata decodes the CBOR map of a metadata trailer; it accepts only
// the subset solc and Vyper emit and requires the map to span all of b.
func decodeMetadata(b []byte) (*Metadata, bool) {
	d := cbor{b: b}
	major, count, ok := d.head()
	if !ok || major != 5 || count == 0 || count > 8 {
		return nil, false
	}
	md := &Metadata{}
	for range count {
		key, ok := d.text()
		if !ok {
			return nil, false
		}
		switch key {
		case "ipfs", "bzzr0", "bzzr1":
			v, ok := d.bytes()
			if !ok {
				return nil, false
			}
			switch key {
			case "ipfs":
				md.IPFS = base58(v)
			case "bzzr0":
				md.Bzzr0 = hex.EncodeToString(v)
			default:
				md.Bzzr1 = hex.EncodeToString(v)
			}
		case "solc":
			major, n, ok := d.head()
			switch {
			case ok && major == 2 && n == 3 && d.pos+3 <= len(d.b):
				v := d.b[d.pos : d.pos+3]
				d.pos += 3
				md.Compiler = fmt.Sprintf("solc %d.%d.%d", v[0], v[1], v[2])
			case ok && major == 3 && d.pos+int(n) <= len(d.b):
				md.Compiler = "solc " + printable(d.b[d.pos:d.pos+int(n)])
				d.pos += int(n)
			default:
				return nil, false
			}
		case "vyper":
			major, n, ok := d.head()
			if !ok || major != 4 || n == 0 || n > 4 {
				return nil, false
			}
			parts := make([]string, 0, n)
			for range n {
				m, v, ok := d.head()
				if !ok || m != 0 {
					return nil, false
				}
				parts = append(parts, strconv.FormatUint(v, 10))
			}
			md.Compiler = "vyper " + strings.Join(parts, ".")
		case "experimental":
			if d.pos >= len(d.b) || (d.b[d.pos] != 0xf4 && d.b[d.pos] != 0xf5) {
				return nil, false
			}
			md.Experimental = d.b[d.pos] == 0xf5
			d.pos++
		default:
			// Unknown key: skip a byte/text string or small integer value.
			major, n, ok := d.head()
			if !ok {
				return nil, false
			}
			if major == 2 || major == 3 {
				if d.pos+int(n) > len(d.b) {
					return nil, false
				}
				d.pos += int(n)
			} else if major != 0 {
				return nil, false
			}
		}
	}
	return md, d.pos == len(d.b)
}

func printable(b []byte) string {
	var s strings.Builder
	for _, c := range b {
		if c >= 0x20 && c < 0x7f {
			s.WriteByte(c)
		} else {
			s.WriteByte('?')
		}
	}
	return s.String()
}

// cbor is a minimal CBOR reader for metadata trailers.
type cbor struct {
	b   []byte
	pos int
}

// head reads an item head: major type and argument (length/count/value).
func (d *cbor) head() (major byte, arg uint64, ok bool) {
	if d.pos >= len(d.b) {
		return 0, 0, false
	}
	ib := d.b[d.pos]
	d.pos++
	major, info := ib>>5, ib&0x1f
	switch {
	case info < 24:
		return major, uint64(info), true
	case info == 24 && d.pos+1 <= len(d.b):
		d.pos++
		return major, uint64(d.b[d.pos-1]), true
	case info == 25 && d.pos+2 <= len(d.b):
		d.pos += 2
		return major, uint64(d.b[d.pos-2])<<8 | uint64(d.b[d.pos-1]), true
	}
	return 0, 0, false
}

func (d *cbor) str(wantMajor byte) ([]byte, bool) {
	major, n, ok := d.head()
	if !ok || major != wantMajor || n > uint64(len(d.b)-d.pos) {
		return nil, false
	}
	v := d.b[d.pos : d.pos+int(n)]
	d.pos += int(n)
	return v, true
}

func (d *cbor) text() (string, bool) {
	v, ok := d.str(3)
	return string(v), ok
}

func (d *cbor) bytes() ([]byte, bool) { return d.str(2) }

// base58 encodes b with the Bitcoin alphabet (IPFS CIDv0 when b is a
// sha2-256 multihash).
func base58(b []byte) string {
	const alphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"
	x := new(big.Int).SetBytes(b)
	base, mod := big.NewInt(58), new(big.Int)
	var out []byte
	for x.Sign() > 0 {
		x.DivMod(x, base, mod)
		out = append(out, alphabet[mod.Int64()])
	}
	for _, c := range b {
		if c != 0 {
			break
		}
		out = append(out, '1')
	}
	for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
		out[i], out[j] = out[j], out[i]
	}
	return string(out)
}
