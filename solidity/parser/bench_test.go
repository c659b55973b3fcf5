package parser

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/aegis-defi/aegis/solidity/source"
)

// benchFiles returns the corpus below $AEGIS_CORPUS_DIR, or a synthesized
// file built from the test snippets when the variable is unset.
func benchFiles(b *testing.B) []*source.File {
	if dir := os.Getenv("AEGIS_CORPUS_DIR"); dir != "" {
		return corpusFiles(b, dir)
	}
	var sb strings.Builder
	for i := 0; i < 200; i++ {
		sb.WriteString(benchContract)
	}
	return []*source.File{source.NewFile("synth.sol", []byte(sb.String()))}
}

// BenchmarkParse measures parsing throughput in source lines per second.
func BenchmarkParse(b *testing.B) {
	files := benchFiles(b)
	lines, size := 0, 0
	for _, f := range files {
		lines += bytes.Count(f.Content(), []byte{'\n'})
		size += f.Size()
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for _, f := range files {
			if _, errs := ParseFile(f); len(errs) > 0 {
				b.Fatal(errs[0])
			}
		}
	}
	b.ReportMetric(float64(lines)*float64(b.N)/b.Elapsed().Seconds(), "lines/s")
}

const benchContract = `
/// @notice A token used for benchmarking.
contract Token is IERC20, Ownable {
    using SafeMath for uint256;

    mapping(address => uint256) private _balances;
    mapping(address => mapping(address => uint256)) private _allowances;
    uint256 private _totalSupply;
    string public name;

    event Transfer(address indexed from, address indexed to, uint256 value);
    error Insufficient(uint256 have, uint256 want);

    modifier nonZero(address a) {
        require(a != address(0), "zero address");
        _;
    }

    constructor(string memory name_) {
        name = name_;
        _mint(msg.sender, 1_000_000 * 10 ** 18);
    }

    function transfer(address to, uint256 amount) external nonZero(to) returns (bool) {
        uint256 bal = _balances[msg.sender];
        if (bal < amount) {
            revert Insufficient(bal, amount);
        }
        unchecked {
            _balances[msg.sender] = bal - amount;
        }
        _balances[to] += amount;
        emit Transfer(msg.sender, to, amount);
        return true;
    }

    function _mint(address to, uint256 amount) internal {
        for (uint256 i = 0; i < 1; i++) {
            _totalSupply = _totalSupply.add(amount);
        }
        _balances[to] = _balances[to] + amount;
        assembly {
            let x := mload(0x40)
            mstore(x, amount)
        }
    }
}
`
