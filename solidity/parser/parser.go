// Package parser implements a hand-written, error-recovering parser for
// Solidity source files of all language versions from 0.4 to 0.8, including
// inline assembly (Yul).
package parser

import (
	"context"
	"fmt"
	"sort"

	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/source"
)

// maxDepth bounds syntactic nesting so that hostile input cannot exhaust the
// stack.
const maxDepth = 1000

// maxChain bounds the operators chained in one expression (a + a + ...,
// a.b.c..., f()()...): the parser builds such chains in loops, but the tree
// they form is as deep as the chain, and every tree walker recurses on it.
// At this bound the walkers stay well inside Go's stack limit; real code is
// orders of magnitude below it.
const maxChain = 1 << 19

type parser struct {
	file     *source.File
	src      string
	toks     []lexer.Token
	comments []*ast.Comment
	p        int         // index of the current token
	tok      lexer.Token // current token
	prevEnd  source.Pos  // end of the previous token
	errs     []source.Error
	bad      bool       // an error was reported and not yet synchronized
	emptyAt  source.Pos // position of the last empty (error) node
	depth    int
	done     <-chan struct{} // closed when parsing should stop (ParseFileContext)
	chain    int             // operators chained in the current expression (maxChain)
	exprNest int             // parseExpressionFrom nesting; chain restarts at 0
}

// chained counts one more operator built by a loop into the current
// expression; it returns false (after reporting an error and consuming the
// rest of the input) beyond maxChain.
func (p *parser) chained() bool {
	p.chain++
	if p.chain > maxChain {
		p.errorAt(p.tok, fmt.Sprintf("expression too long (more than %d chained operators)", maxChain))
		for p.tok.Kind != lexer.EOF {
			p.next()
		}
		return false
	}
	return true
}

// cancelled reports whether the caller asked parsing to stop.
func (p *parser) cancelled() bool {
	select {
	case <-p.done:
		return true
	default:
		return false
	}
}

// ParseFile parses a Solidity source file. It always returns a SourceUnit,
// even when errors are reported: malformed constructs are skipped and parsing
// resumes at the next statement or declaration. ParseFile never panics.
func ParseFile(f *source.File) (unit *ast.SourceUnit, errs []source.Error) {
	return parseFile(&parser{}, f)
}

// ParseFileContext is ParseFile that stops between declarations (top-level
// and contract members) once ctx is done; it then returns the partial unit,
// the errors so far and ctx's error.
func ParseFileContext(ctx context.Context, f *source.File) (*ast.SourceUnit, []source.Error, error) {
	unit, errs := parseFile(&parser{done: ctx.Done()}, f)
	if ctx.Err() != nil {
		return unit, errs, fmt.Errorf("parse %s: %w", f.Name(), context.Cause(ctx))
	}
	return unit, errs, nil
}

func parseFile(p *parser, f *source.File) (unit *ast.SourceUnit, errs []source.Error) {
	defer func() {
		// Last-resort safety net; the parser is designed not to panic.
		if r := recover(); r != nil {
			if unit == nil {
				unit = &ast.SourceUnit{File: f}
			}
			errs = append(p.errs, source.Error{File: f, Span: p.span(p.tok.Start), Msg: fmt.Sprintf("internal parser error: %v", r)})
		}
	}()
	p.init(f)
	unit = p.parseSourceUnit()
	return unit, p.errs
}

// ParseSource is a convenience wrapper that parses src as a file named name.
func ParseSource(name string, src []byte) (*ast.SourceUnit, []source.Error) {
	return ParseFile(source.NewFile(name, src))
}

func (p *parser) init(f *source.File) {
	p.file = f
	p.src = f.Text()
	toks, comments, lexErrs := lexer.Tokenize(f.Content())
	p.toks = toks
	if len(comments) > 0 {
		p.comments = make([]*ast.Comment, len(comments))
		buf := make([]ast.Comment, len(comments))
		for i, c := range comments {
			buf[i] = ast.Comment{Loc: ast.Loc{Src: source.Span{Start: source.Pos(c.Start), End: source.Pos(c.End)}}, Kind: c.Kind, Text: p.src[c.Start:c.End]}
			p.comments[i] = &buf[i]
		}
	}
	for _, e := range lexErrs {
		p.errs = append(p.errs, source.Error{File: f, Span: source.Span{Start: source.Pos(e.Offset), End: source.Pos(e.Offset)}, Msg: e.Msg})
	}
	p.tok = p.toks[0]
}

// next advances to the next token.
func (p *parser) next() {
	if p.p < len(p.toks)-1 {
		p.prevEnd = source.Pos(p.tok.End)
		p.p++
		p.tok = p.toks[p.p]
	}
}

// peek returns the kind of the token n positions ahead.
func (p *parser) peek(n int) lexer.Kind {
	if i := p.p + n; i < len(p.toks) {
		return p.toks[i].Kind
	}
	return lexer.EOF
}

// peekTok returns the token n positions ahead.
func (p *parser) peekTok(n int) lexer.Token {
	if i := p.p + n; i < len(p.toks) {
		return p.toks[i]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) text(t lexer.Token) string { return p.src[t.Start:t.End] }

func (p *parser) at(k lexer.Kind) bool { return p.tok.Kind == k }

// isWord reports whether the current token is the identifier w.
func (p *parser) isWord(w string) bool {
	return p.tok.Kind == lexer.Ident && p.text(p.tok) == w
}

func (p *parser) got(k lexer.Kind) bool {
	if p.tok.Kind == k {
		p.next()
		return true
	}
	return false
}

func (p *parser) span(start int32) source.Span {
	return source.Span{Start: source.Pos(start), End: source.Pos(start)}
}

// loc returns a node location from start to the end of the previous token.
func (p *parser) loc(start int32) ast.Loc { return p.locAt(source.Pos(start)) }

// locAt returns a node location from s to the end of the previous token.
func (p *parser) locAt(s source.Pos) ast.Loc {
	end := p.prevEnd
	if end < s {
		// Nothing was consumed (only after an error): an empty node. Remember
		// it so that enclosing nodes extend over it.
		end = s
		p.emptyAt = s
	}
	if p.emptyAt > end && p.emptyAt >= s {
		end = p.emptyAt
	}
	return ast.Loc{Src: source.Span{Start: s, End: end}}
}

func (p *parser) errorAt(t lexer.Token, msg string) {
	if p.bad {
		return
	}
	p.bad = true
	p.errs = append(p.errs, source.Error{File: p.file, Span: source.Span{Start: source.Pos(t.Start), End: source.Pos(t.End)}, Msg: msg})
}

func (p *parser) describe(t lexer.Token) string {
	switch t.Kind {
	case lexer.EOF:
		return "end of file"
	case lexer.Illegal:
		return fmt.Sprintf("illegal character %q", p.text(t))
	}
	s := p.text(t)
	if len(s) > 40 {
		s = s[:40] + "..."
	}
	return "'" + s + "'"
}

func (p *parser) errorExpected(what string) {
	p.errorAt(p.tok, "expected "+what+", found "+p.describe(p.tok))
}

// expect consumes a token of kind k or reports an error without advancing.
func (p *parser) expect(k lexer.Kind) bool {
	if p.tok.Kind == k {
		p.next()
		return true
	}
	p.errorExpected("'" + k.String() + "'")
	return false
}

// enter increments the nesting depth; it returns false (after consuming the
// rest of the input) when the limit is exceeded.
func (p *parser) enter() bool {
	p.depth++
	if p.depth > maxDepth {
		p.errorAt(p.tok, "nesting too deep")
		for p.tok.Kind != lexer.EOF {
			p.next()
		}
		return false
	}
	return true
}

func (p *parser) leave() { p.depth-- }

// isNameToken reports whether k can be used as a declared name. Keywords
// introduced in later language versions are accepted for old code.
func isNameToken(k lexer.Kind) bool {
	switch k {
	case lexer.Ident, lexer.Abstract, lexer.Calldata, lexer.Catch, lexer.Constructor,
		lexer.Emit, lexer.Immutable, lexer.Override, lexer.Try, lexer.Unchecked,
		lexer.Virtual:
		return true
	}
	return false
}

func (p *parser) newIdent(t lexer.Token) *ast.Ident {
	return &ast.Ident{Loc: ast.Loc{Src: source.Span{Start: source.Pos(t.Start), End: source.Pos(t.End)}}, Name: p.text(t)}
}

// ident parses a declared name.
func (p *parser) ident() *ast.Ident {
	if !isNameToken(p.tok.Kind) {
		p.errorExpected("identifier")
		return nil
	}
	id := p.newIdent(p.tok)
	p.next()
	return id
}

// memberIdent parses a member name after '.', which may be any word.
func (p *parser) memberIdent() *ast.Ident {
	k := p.tok.Kind
	if k == lexer.Ident || k == lexer.ElemType || k.IsKeyword() {
		id := p.newIdent(p.tok)
		p.next()
		return id
	}
	p.errorExpected("member name")
	return nil
}

// identPath parses A.B.C.
func (p *parser) identPath() *ast.IdentPath {
	start := p.tok.Start
	path := &ast.IdentPath{}
	id := p.ident()
	if id == nil {
		return nil
	}
	path.Names = append(path.Names, id)
	for p.tok.Kind == lexer.Period && isNameToken(p.peek(1)) {
		p.next()
		path.Names = append(path.Names, p.ident())
	}
	path.Loc = p.loc(start)
	return path
}

// doc returns the NatSpec comments between the previous token and the
// current one.
func (p *parser) doc() *ast.Doc {
	if len(p.comments) == 0 {
		return nil
	}
	lo := source.Pos(0)
	if p.p > 0 {
		lo = source.Pos(p.toks[p.p-1].End)
	}
	hi := source.Pos(p.tok.Start)
	i := sort.Search(len(p.comments), func(i int) bool { return p.comments[i].Src.Start >= lo })
	var d *ast.Doc
	for ; i < len(p.comments) && p.comments[i].Src.End <= hi; i++ {
		c := p.comments[i]
		if c.Kind != lexer.DocLineComment && c.Kind != lexer.DocBlockComment {
			continue
		}
		if d == nil {
			d = &ast.Doc{Loc: ast.Loc{Src: c.Src}}
		}
		d.Comments = append(d.Comments, c)
		d.Src.End = c.Src.End
	}
	return d
}

// resync recovers after an error: if the construct just parsed ended with
// ';' or '}', the parser is already synchronized; otherwise it skips tokens.
func (p *parser) resync(stop func(lexer.Kind) bool) {
	if p.p > 0 {
		if k := p.toks[p.p-1].Kind; k == lexer.Semicolon || k == lexer.RBrace {
			p.bad = false
			return
		}
	}
	p.skipTo(stop)
}

// skipTo skips tokens for error recovery. It tracks bracket depth; at depth
// zero it consumes a ';' and stops, stops before a '}' or any token for which
// stop returns true, and stops after a '}' that closes a brace opened while
// skipping.
func (p *parser) skipTo(stop func(lexer.Kind) bool) {
	depth := 0
	for p.tok.Kind != lexer.EOF {
		k := p.tok.Kind
		switch k {
		case lexer.LParen, lexer.LBrack, lexer.LBrace:
			depth++
		case lexer.RParen, lexer.RBrack:
			if depth > 0 {
				depth--
			}
		case lexer.RBrace:
			if depth == 0 {
				p.bad = false
				return
			}
			depth--
			if depth == 0 {
				p.next()
				p.bad = false
				return
			}
		case lexer.Semicolon:
			if depth == 0 {
				p.next()
				p.bad = false
				return
			}
		default:
			if depth == 0 && stop != nil && stop(k) {
				p.bad = false
				return
			}
		}
		p.next()
	}
	p.bad = false
}

func isTopLevelStart(k lexer.Kind) bool {
	switch k {
	case lexer.Pragma, lexer.Import, lexer.Contract, lexer.Interface, lexer.Library, lexer.Abstract:
		return true
	}
	return false
}

func isMemberStart(k lexer.Kind) bool {
	switch k {
	case lexer.Function, lexer.Modifier, lexer.Event, lexer.Struct, lexer.Enum, lexer.Constructor,
		lexer.Using, lexer.Contract, lexer.Interface, lexer.Library, lexer.Pragma, lexer.Import:
		return true
	}
	return false
}

func isStmtStart(k lexer.Kind) bool {
	switch k {
	case lexer.If, lexer.For, lexer.While, lexer.Do, lexer.Return, lexer.Emit, lexer.Throw,
		lexer.Try, lexer.Assembly, lexer.Break, lexer.Continue, lexer.Function, lexer.Modifier,
		lexer.Contract, lexer.Event:
		return true
	}
	return false
}

func (p *parser) parseSourceUnit() *ast.SourceUnit {
	unit := &ast.SourceUnit{File: p.file, Comments: p.comments}
	for p.tok.Kind != lexer.EOF && !p.cancelled() {
		start := p.p
		if d := p.parseTopLevel(); d != nil {
			unit.Decls = append(unit.Decls, d)
		}
		if p.bad {
			if p.tok.Kind == lexer.RBrace {
				p.next()
			}
			p.skipTo(isTopLevelStart)
		}
		if p.p == start {
			p.next()
		}
	}
	unit.Loc = ast.Loc{Src: source.Span{Start: 0, End: source.Pos(len(p.src))}}
	return unit
}

func (p *parser) parseTopLevel() ast.Decl {
	switch p.tok.Kind {
	case lexer.Pragma:
		return p.parsePragma()
	case lexer.Import:
		return p.parseImport()
	case lexer.Abstract, lexer.Contract, lexer.Interface, lexer.Library:
		return p.parseContract()
	case lexer.Semicolon:
		p.next()
		return nil
	case lexer.RBrace:
		p.errorExpected("declaration")
		p.next()
		return nil
	}
	return p.parseMember(true, "")
}

func (p *parser) parsePragma() ast.Decl {
	start := p.tok.Start
	p.next()
	d := &ast.PragmaDirective{}
	if p.tok.Kind != lexer.Semicolon && p.tok.Kind != lexer.EOF {
		d.Name = p.newIdent(p.tok)
		p.next()
	} else {
		p.errorExpected("pragma name")
	}
	vs := p.tok.Start
	for p.tok.Kind != lexer.Semicolon && p.tok.Kind != lexer.EOF {
		p.next()
	}
	if vs < p.tok.Start {
		d.Value = p.src[vs:p.prevEnd]
	}
	p.expect(lexer.Semicolon)
	d.Loc = p.loc(start)
	return d
}

func (p *parser) stringLit() *ast.Literal {
	if p.tok.Kind != lexer.String {
		p.errorExpected("string literal")
		return nil
	}
	l := &ast.Literal{Loc: ast.Loc{Src: source.Span{Start: source.Pos(p.tok.Start), End: source.Pos(p.tok.End)}}, Kind: ast.LitString, Value: p.text(p.tok)}
	p.next()
	return l
}

func (p *parser) parseImport() ast.Decl {
	start := p.tok.Start
	p.next()
	d := &ast.ImportDirective{}
	switch p.tok.Kind {
	case lexer.String:
		d.Path = p.stringLit()
		if p.got(lexer.As) {
			d.Alias = p.ident()
		}
	case lexer.Mul:
		d.Star = true
		p.next()
		p.expect(lexer.As)
		d.Alias = p.ident()
		p.expectWord("from")
		d.Path = p.stringLit()
	case lexer.LBrace:
		d.HasBrace = true
		p.next()
		for p.tok.Kind != lexer.RBrace && p.tok.Kind != lexer.EOF {
			s := &ast.ImportSymbol{}
			ss := p.tok.Start
			s.Name = p.ident()
			if s.Name == nil {
				break
			}
			if p.got(lexer.As) {
				s.Alias = p.ident()
			}
			s.Loc = p.loc(ss)
			d.Symbols = append(d.Symbols, s)
			if !p.got(lexer.Comma) {
				break
			}
		}
		p.expect(lexer.RBrace)
		p.expectWord("from")
		d.Path = p.stringLit()
	default:
		if isNameToken(p.tok.Kind) {
			// import A from "p"; (accepted leniently)
			s := &ast.ImportSymbol{Name: p.ident()}
			s.Loc = ast.Loc{Src: s.Name.Src}
			d.Symbols = append(d.Symbols, s)
			p.expectWord("from")
			d.Path = p.stringLit()
		} else {
			p.errorExpected("import path")
		}
	}
	p.expect(lexer.Semicolon)
	d.Loc = p.loc(start)
	return d
}

func (p *parser) expectWord(w string) {
	if p.isWord(w) {
		p.next()
		return
	}
	p.errorExpected("'" + w + "'")
}

func (p *parser) parseContract() ast.Decl {
	start := p.tok.Start
	c := &ast.ContractDefinition{Doc: p.doc()}
	if p.got(lexer.Abstract) {
		c.Abstract = true
	}
	switch p.tok.Kind {
	case lexer.Contract:
		c.Kind = ast.KindContract
	case lexer.Interface:
		c.Kind = ast.KindInterface
	case lexer.Library:
		c.Kind = ast.KindLibrary
	default:
		p.errorExpected("'contract'")
		c.Loc = p.loc(start)
		return c
	}
	p.next()
	c.Name = p.ident()
	name := ""
	if c.Name != nil {
		name = c.Name.Name
	}
	if p.got(lexer.Is) {
		for {
			bs := p.tok.Start
			b := &ast.InheritanceSpecifier{Name: p.identPath()}
			if b.Name == nil {
				break
			}
			if p.at(lexer.LParen) {
				b.HasArgs = true
				b.Args, _ = p.parseCallArgs()
			}
			b.Loc = p.loc(bs)
			c.Bases = append(c.Bases, b)
			if !p.got(lexer.Comma) {
				break
			}
		}
	}
	if p.isWord("layout") && p.peek(1) == lexer.Ident && p.text(p.peekTok(1)) == "at" {
		p.next()
		p.next()
		c.Layout = p.parseExpression()
	}
	if !p.at(lexer.LBrace) {
		p.errorExpected("'{'")
		for p.tok.Kind != lexer.LBrace && p.tok.Kind != lexer.EOF && !isTopLevelStart(p.tok.Kind) {
			p.next()
		}
		if !p.at(lexer.LBrace) {
			c.Loc = p.loc(start)
			return c
		}
	}
	p.next()
	p.bad = false
	for p.tok.Kind != lexer.RBrace && p.tok.Kind != lexer.EOF && !p.cancelled() {
		ms := p.p
		if m := p.parseMember(false, name); m != nil {
			c.Body = append(c.Body, m)
		}
		if p.bad {
			p.resync(isMemberStart)
		}
		if p.p == ms {
			p.next()
		}
	}
	p.expect(lexer.RBrace)
	c.Loc = p.loc(start)
	return c
}

// parseMember parses a contract member or, if top is set, a file-level
// declaration.
func (p *parser) parseMember(top bool, contract string) ast.Decl {
	switch p.tok.Kind {
	case lexer.Function:
		// A function type state variable: function (...) internal f;
		if p.peek(1) == lexer.LParen && p.isFunctionTypeVar() {
			return p.parseStateVar(top)
		}
		return p.parseFunction(top)
	case lexer.Constructor:
		if p.peek(1) == lexer.LParen {
			return p.parseFunction(top)
		}
	case lexer.Modifier:
		return p.parseModifier()
	case lexer.Struct:
		return p.parseStruct()
	case lexer.Enum:
		return p.parseEnum()
	case lexer.Event:
		return p.parseEvent()
	case lexer.Using:
		return p.parseUsing()
	case lexer.Semicolon:
		p.next()
		return nil
	case lexer.Type:
		if isNameToken(p.peek(1)) && p.peek(2) == lexer.Is {
			return p.parseUDVT()
		}
	case lexer.Abstract, lexer.Contract, lexer.Interface, lexer.Library:
		if !top {
			// Nested contracts are invalid but parsed to keep going.
			return p.parseContract()
		}
	case lexer.Ident:
		switch p.text(p.tok) {
		case "fallback", "receive":
			if p.peek(1) == lexer.LParen {
				return p.parseFunction(top)
			}
		case "error":
			if isNameToken(p.peek(1)) && p.peek(2) == lexer.LParen {
				return p.parseError()
			}
		}
	}
	return p.parseStateVar(top)
}

// isFunctionTypeVar reports whether the `function (` at the current token
// starts a function-typed variable rather than an old unnamed fallback. It
// scans to the matching ')' of the parameter list and then over attributes.
func (p *parser) isFunctionTypeVar() bool {
	i := p.p + 1
	depth := 0
	for ; i < len(p.toks); i++ {
		k := p.toks[i].Kind
		if k == lexer.LParen {
			depth++
		} else if k == lexer.RParen {
			depth--
			if depth == 0 {
				break
			}
		} else if k == lexer.EOF {
			return false
		}
	}
	for i++; i < len(p.toks); i++ {
		switch p.toks[i].Kind {
		case lexer.LBrace, lexer.Semicolon:
			return false
		case lexer.Assign:
			return true
		case lexer.Returns, lexer.LParen, lexer.RParen, lexer.Comma, lexer.LBrack, lexer.RBrack:
			// continue scanning return parameters and array suffixes
		case lexer.Ident:
			// An identifier followed by ';' or '=' is the variable name; a
			// modifier invocation is followed by '{', '(' or another word.
			if n := p.toks[i+1].Kind; n == lexer.Semicolon || n == lexer.Assign {
				return true
			}
		case lexer.EOF:
			return false
		}
	}
	return false
}
