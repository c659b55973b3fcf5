package lexer

import (
	"testing"
)

func kinds(src string) ([]Kind, []string) {
	toks, _, _ := Tokenize([]byte(src))
	var ks []Kind
	var texts []string
	for _, t := range toks {
		ks = append(ks, t.Kind)
		texts = append(texts, src[t.Start:t.End])
	}
	return ks, texts
}

func TestTokens(t *testing.T) {
	cases := []struct {
		src   string
		kinds []Kind
	}{
		{"contract A is B {}", []Kind{Contract, Ident, Is, Ident, LBrace, RBrace, EOF}},
		{"uint256 x = 1 ether;", []Kind{ElemType, Ident, Assign, Number, Ident, Semicolon, EOF}},
		{"address payable bytes32 bytes int8 uint ufixed128x18 fixed bool string byte", []Kind{ElemType, Payable, ElemType, ElemType, ElemType, ElemType, ElemType, ElemType, ElemType, ElemType, ElemType, EOF}},
		{"uint0 bytes33x uint07 int9999", []Kind{Ident, Ident, Ident, Ident, EOF}},
		{"a >>>= b >>> c >>= d >> e <<= f << g", []Kind{Ident, AssignShr, Ident, Shr, Ident, AssignSar, Ident, Sar, Ident, AssignShl, Ident, Shl, Ident, EOF}},
		{"** *= * ++ += + -- -= -> - == => =: = != ! <= < >= > && &= & || |= | ^= ^ ~ %= % /= / := : ? , .", []Kind{Exp, AssignMul, Mul, Inc, AssignAdd, Add, Dec, AssignSub, Arrow, Sub, Eq, DoubleArrow, EqColon, Assign, Ne, Not, Le, Lt, Ge, Gt, And, AssignBitAnd, BitAnd, Or, AssignBitOr, BitOr, AssignBitXor, BitXor, BitNot, AssignMod, Mod, AssignDiv, Div, ColonAssign, Colon, Question, Comma, Period, EOF}},
		{`"a\"b" 'c' hex"00ff" hex'aa' unicode"😃" hex`, []Kind{String, String, HexString, HexString, UnicodeString, Ident, EOF}},
		{"0x1F 1e18 1.5 .5 1_000 2e-3 0.8.0", []Kind{HexNumber, Number, Number, Number, Number, Number, Number, Number, EOF}},
		{"x.slot $foo _bar a$1", []Kind{Ident, Period, Ident, Ident, Ident, Ident, EOF}},
		{"unchecked try catch emit revert error global", []Kind{Unchecked, Try, Catch, Emit, Ident, Ident, Ident, EOF}},
		{"a // c\n /* d */ b /// e\n/** f */", []Kind{Ident, Ident, EOF}},
	}
	for _, c := range cases {
		got, texts := kinds(c.src)
		if len(got) != len(c.kinds) {
			t.Errorf("%q: got %v %q, want %v", c.src, got, texts, c.kinds)
			continue
		}
		for i := range got {
			if got[i] != c.kinds[i] {
				t.Errorf("%q: token %d (%q) = %v, want %v", c.src, i, texts[i], got[i], c.kinds[i])
			}
		}
	}
}

func TestComments(t *testing.T) {
	src := "// line\n/// doc\n//// not doc\n/* block */\n/** doc block */\n/***/\n/**/ x"
	_, comments, errs := Tokenize([]byte(src))
	if len(errs) != 0 {
		t.Fatal(errs)
	}
	want := []CommentKind{LineComment, DocLineComment, LineComment, BlockComment, DocBlockComment, BlockComment, BlockComment}
	if len(comments) != len(want) {
		t.Fatalf("got %d comments, want %d", len(comments), len(want))
	}
	for i, c := range comments {
		if c.Kind != want[i] {
			t.Errorf("comment %d %q: kind %v, want %v", i, src[c.Start:c.End], c.Kind, want[i])
		}
	}
	if s := src[comments[4].Start:comments[4].End]; s != "/** doc block */" || !comments[4].IsDoc() {
		t.Errorf("comment text %q", s)
	}
}

func TestLexErrors(t *testing.T) {
	for _, src := range []string{`"abc`, "/* abc", "a # b", "x = 'a\n';", "0x", "\x80"} {
		_, _, errs := Tokenize([]byte(src))
		if len(errs) == 0 {
			t.Errorf("%q: no error", src)
		}
	}
}

func TestKindHelpers(t *testing.T) {
	if !AssignAdd.IsAssignOp() || Add.IsAssignOp() || AssignAdd.BinaryOf() != Add {
		t.Error("assign helpers")
	}
	if Exp.Precedence() <= Mul.Precedence() || Eq.Precedence() >= BitOr.Precedence() {
		t.Error("precedence")
	}
	if !Contract.IsKeyword() || Ident.IsKeyword() || Contract.String() != "contract" {
		t.Error("keyword helpers")
	}
}

func BenchmarkLexer(b *testing.B) {
	src := []byte("function transfer(address to, uint256 amount) external returns (bool) { _balances[to] += amount; /* c */ emit Transfer(msg.sender, to, amount); }\n")
	var buf []byte
	for i := 0; i < 1000; i++ {
		buf = append(buf, src...)
	}
	b.SetBytes(int64(len(buf)))
	var l Lexer
	for i := 0; i < b.N; i++ {
		l.Init(buf, false)
		for l.Next().Kind != EOF {
		}
	}
}
