package lexer

// Error is a lexical error at a byte offset.
type Error struct {
	Offset int
	Msg    string
}

// Lexer scans tokens from a byte slice. Call Init before use.
type Lexer struct {
	src      []byte
	pos      int
	comments []Comment
	errs     []Error
	keep     bool
}

// Init resets l to scan src. If keepComments is true, comments are recorded
// and available through Comments.
func (l *Lexer) Init(src []byte, keepComments bool) {
	l.src = src
	l.pos = 0
	l.comments = l.comments[:0]
	l.errs = l.errs[:0]
	l.keep = keepComments
	// Skip a UTF-8 byte order mark.
	if len(src) >= 3 && src[0] == 0xEF && src[1] == 0xBB && src[2] == 0xBF {
		l.pos = 3
	}
}

// Comments returns the comments seen so far, in source order.
func (l *Lexer) Comments() []Comment { return l.comments }

// Errors returns the lexical errors seen so far.
func (l *Lexer) Errors() []Error { return l.errs }

// Tokenize scans all of src and returns its tokens (ending with EOF), its
// comments and lexical errors.
func Tokenize(src []byte) ([]Token, []Comment, []Error) {
	var l Lexer
	l.Init(src, true)
	toks := make([]Token, 0, len(src)/5+16)
	for {
		t := l.Next()
		toks = append(toks, t)
		if t.Kind == EOF {
			break
		}
	}
	return toks, l.comments, l.errs
}

func (l *Lexer) error(off int, msg string) {
	l.errs = append(l.errs, Error{Offset: off, Msg: msg})
}

func isLetter(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '_' || c == '$'
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isHex(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// skipTrivia skips whitespace and comments.
func (l *Lexer) skipTrivia() {
	src := l.src
	i := l.pos
	for i < len(src) {
		c := src[i]
		switch c {
		case ' ', '\t', '\n', '\r', '\f', '\v':
			i++
			continue
		case '/':
			if i+1 >= len(src) {
				l.pos = i
				return
			}
			switch src[i+1] {
			case '/':
				start := i
				i += 2
				for i < len(src) && src[i] != '\n' {
					i++
				}
				if l.keep {
					k := LineComment
					if i-start >= 3 && src[start+2] == '/' && (i-start == 3 || src[start+3] != '/') {
						k = DocLineComment
					}
					l.comments = append(l.comments, Comment{Kind: k, Start: int32(start), End: int32(i)})
				}
				continue
			case '*':
				start := i
				i += 2
				closed := false
				for i+1 < len(src) {
					if src[i] == '*' && src[i+1] == '/' {
						i += 2
						closed = true
						break
					}
					i++
				}
				if !closed {
					i = len(src)
					l.error(start, "comment not terminated")
				}
				if l.keep {
					k := BlockComment
					if i-start >= 5 && src[start+2] == '*' && src[start+3] != '*' {
						k = DocBlockComment
					}
					l.comments = append(l.comments, Comment{Kind: k, Start: int32(start), End: int32(i)})
				}
				continue
			}
		}
		if c >= 0x80 {
			// Treat non-ASCII Unicode spaces (NBSP, BOM, ...) as whitespace
			// leniently only when they are known space runes.
			if n := unicodeSpace(src[i:]); n > 0 {
				i += n
				continue
			}
		}
		break
	}
	l.pos = i
}

// unicodeSpace returns the byte length of a Unicode space at the start of b.
func unicodeSpace(b []byte) int {
	switch {
	case len(b) >= 2 && b[0] == 0xC2 && b[1] == 0xA0: // U+00A0
		return 2
	case len(b) >= 3 && b[0] == 0xEF && b[1] == 0xBB && b[2] == 0xBF: // U+FEFF
		return 3
	case len(b) >= 3 && b[0] == 0xE2 && b[1] == 0x80 && (b[2] >= 0x80 && b[2] <= 0x8B || b[2] == 0xA8 || b[2] == 0xA9 || b[2] == 0xAF):
		return 3
	}
	return 0
}

// Next scans and returns the next token, skipping trivia.
func (l *Lexer) Next() Token {
	l.skipTrivia()
	src := l.src
	start := l.pos
	if start >= len(src) {
		return Token{Kind: EOF, Start: int32(len(src)), End: int32(len(src))}
	}
	c := src[start]
	i := start + 1
	var k Kind
	switch {
	case isLetter(c):
		for i < len(src) && (isLetter(src[i]) || isDigit(src[i])) {
			i++
		}
		word := src[start:i]
		k = lookupKeyword(word)
		if k == Ident && i < len(src) && (src[i] == '"' || src[i] == '\'') {
			switch string(word) {
			case "hex":
				i = l.scanString(i, true)
				k = HexString
			case "unicode":
				i = l.scanString(i, false)
				k = UnicodeString
			}
		}
	case isDigit(c):
		k, i = l.scanNumber(start)
	default:
		k, i = l.scanOperator(start)
	}
	l.pos = i
	return Token{Kind: k, Start: int32(start), End: int32(i)}
}

// scanNumber scans a number starting at start.
func (l *Lexer) scanNumber(start int) (Kind, int) {
	src := l.src
	i := start
	if src[i] == '0' && i+1 < len(src) && (src[i+1] == 'x' || src[i+1] == 'X') {
		i += 2
		for i < len(src) && (isHex(src[i]) || src[i] == '_') {
			i++
		}
		if i == start+2 {
			l.error(start, "malformed hex number")
		}
		return HexNumber, i
	}
	for i < len(src) && (isDigit(src[i]) || src[i] == '_') {
		i++
	}
	if i+1 < len(src) && src[i] == '.' && isDigit(src[i+1]) {
		i++
		for i < len(src) && (isDigit(src[i]) || src[i] == '_') {
			i++
		}
	}
	return l.scanExponent(i)
}

func (l *Lexer) scanExponent(i int) (Kind, int) {
	src := l.src
	if i < len(src) && (src[i] == 'e' || src[i] == 'E') {
		j := i + 1
		if j < len(src) && src[j] == '-' {
			j++
		}
		if j < len(src) && isDigit(src[j]) {
			for j < len(src) && (isDigit(src[j]) || src[j] == '_') {
				j++
			}
			i = j
		}
	}
	return Number, i
}

// scanString scans a quoted string whose opening quote is at i and returns
// the offset after the closing quote.
func (l *Lexer) scanString(i int, hex bool) int {
	src := l.src
	q := src[i]
	start := i
	i++
	for i < len(src) {
		c := src[i]
		if c == q {
			return i + 1
		}
		if c == '\n' || c == '\r' {
			break
		}
		if c == '\\' && !hex {
			i += 2
			continue
		}
		i++
	}
	if i > len(src) {
		i = len(src)
	}
	l.error(start, "string literal not terminated")
	return i
}

func (l *Lexer) at(i int) byte {
	if i < len(l.src) {
		return l.src[i]
	}
	return 0
}

// scanOperator scans punctuation, operators and strings.
func (l *Lexer) scanOperator(start int) (Kind, int) {
	c := l.src[start]
	i := start + 1
	n1 := l.at(i)
	switch c {
	case '"', '\'':
		return String, l.scanString(start, false)
	case '(':
		return LParen, i
	case ')':
		return RParen, i
	case '[':
		return LBrack, i
	case ']':
		return RBrack, i
	case '{':
		return LBrace, i
	case '}':
		return RBrace, i
	case ';':
		return Semicolon, i
	case ',':
		return Comma, i
	case '?':
		return Question, i
	case '~':
		return BitNot, i
	case '.':
		if isDigit(n1) {
			j := i
			for j < len(l.src) && (isDigit(l.src[j]) || l.src[j] == '_') {
				j++
			}
			return l.scanExponent(j)
		}
		return Period, i
	case ':':
		if n1 == '=' {
			return ColonAssign, i + 1
		}
		return Colon, i
	case '=':
		switch n1 {
		case '=':
			return Eq, i + 1
		case '>':
			return DoubleArrow, i + 1
		case ':':
			return EqColon, i + 1
		}
		return Assign, i
	case '!':
		if n1 == '=' {
			return Ne, i + 1
		}
		return Not, i
	case '+':
		switch n1 {
		case '+':
			return Inc, i + 1
		case '=':
			return AssignAdd, i + 1
		}
		return Add, i
	case '-':
		switch n1 {
		case '-':
			return Dec, i + 1
		case '=':
			return AssignSub, i + 1
		case '>':
			return Arrow, i + 1
		}
		return Sub, i
	case '*':
		switch n1 {
		case '*':
			return Exp, i + 1
		case '=':
			return AssignMul, i + 1
		}
		return Mul, i
	case '/':
		if n1 == '=' {
			return AssignDiv, i + 1
		}
		return Div, i
	case '%':
		if n1 == '=' {
			return AssignMod, i + 1
		}
		return Mod, i
	case '&':
		switch n1 {
		case '&':
			return And, i + 1
		case '=':
			return AssignBitAnd, i + 1
		}
		return BitAnd, i
	case '|':
		switch n1 {
		case '|':
			return Or, i + 1
		case '=':
			return AssignBitOr, i + 1
		}
		return BitOr, i
	case '^':
		if n1 == '=' {
			return AssignBitXor, i + 1
		}
		return BitXor, i
	case '<':
		switch n1 {
		case '=':
			return Le, i + 1
		case '<':
			if l.at(i+1) == '=' {
				return AssignShl, i + 2
			}
			return Shl, i + 1
		}
		return Lt, i
	case '>':
		switch n1 {
		case '=':
			return Ge, i + 1
		case '>':
			if l.at(i+1) == '=' {
				return AssignSar, i + 2
			}
			if l.at(i+1) == '>' {
				if l.at(i+2) == '=' {
					return AssignShr, i + 3
				}
				return Shr, i + 2
			}
			return Sar, i + 1
		}
		return Gt, i
	}
	// Skip a whole UTF-8 sequence so that errors point at characters.
	if c >= 0x80 {
		for i < len(l.src) && l.src[i]&0xC0 == 0x80 {
			i++
		}
	}
	l.error(start, "invalid character")
	return Illegal, i
}
