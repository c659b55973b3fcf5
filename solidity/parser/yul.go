package parser

import (
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/source"
)

// isYulName reports whether k can spell a Yul identifier: Yul builtins such
// as return, byte or address collide with Solidity keywords.
func isYulName(k lexer.Kind) bool {
	return k == lexer.Ident || k == lexer.ElemType || k.IsKeyword()
}

func (p *parser) parseYulBlock() *ast.YulBlock {
	start := p.tok.Start
	b := &ast.YulBlock{}
	if !p.expect(lexer.LBrace) {
		b.Loc = p.loc(start)
		return b
	}
	p.bad = false
	for p.tok.Kind != lexer.RBrace && p.tok.Kind != lexer.EOF {
		s0 := p.p
		if s := p.parseYulStmt(); s != nil {
			b.Stmts = append(b.Stmts, s)
		}
		if p.bad {
			p.yulSync()
		}
		if p.p == s0 {
			p.next()
		}
	}
	p.expect(lexer.RBrace)
	b.Loc = p.loc(start)
	return b
}

// yulSync skips to the next plausible Yul statement start.
func (p *parser) yulSync() {
	depth := 0
	for p.tok.Kind != lexer.EOF {
		switch p.tok.Kind {
		case lexer.LBrace:
			if depth == 0 {
				p.bad = false
				return
			}
			depth++
		case lexer.LParen:
			depth++
		case lexer.RParen:
			if depth > 0 {
				depth--
			}
		case lexer.RBrace:
			p.bad = false
			return
		case lexer.If, lexer.For, lexer.Function, lexer.Break, lexer.Continue:
			if depth == 0 {
				p.bad = false
				return
			}
		case lexer.Ident:
			if depth == 0 {
				switch p.text(p.tok) {
				case "let", "switch", "leave":
					p.bad = false
					return
				}
			}
		}
		p.next()
	}
	p.bad = false
}

func (p *parser) yulIdent() *ast.YulIdent {
	if !isYulName(p.tok.Kind) {
		p.errorExpected("identifier")
		return nil
	}
	start := p.tok
	p.next()
	// Dotted names such as x.slot; the parts are adjacent.
	for p.at(lexer.Period) && p.tok.Start == int32(p.prevEnd) && isYulName(p.peek(1)) && p.peekTok(1).Start == p.tok.End {
		p.next()
		p.next()
	}
	return &ast.YulIdent{Loc: p.loc(start.Start), Name: p.src[start.Start:p.prevEnd]}
}

func (p *parser) yulIdentList() []*ast.YulIdent {
	var ids []*ast.YulIdent
	for {
		id := p.yulIdent()
		if id == nil {
			return ids
		}
		ids = append(ids, id)
		if !p.got(lexer.Comma) {
			return ids
		}
	}
}

func (p *parser) parseYulStmt() ast.YulStmt {
	if !p.enter() {
		return nil
	}
	defer p.leave()
	start := p.tok.Start
	switch p.tok.Kind {
	case lexer.LBrace:
		return p.parseYulBlock()
	case lexer.If:
		p.next()
		s := &ast.YulIf{Cond: p.parseYulExpr()}
		s.Body = p.parseYulBlock()
		s.Loc = p.loc(start)
		return s
	case lexer.For:
		p.next()
		s := &ast.YulFor{}
		s.Init = p.parseYulBlock()
		s.Cond = p.parseYulExpr()
		s.Post = p.parseYulBlock()
		s.Body = p.parseYulBlock()
		s.Loc = p.loc(start)
		return s
	case lexer.Function:
		p.next()
		s := &ast.YulFunctionDef{Name: p.yulIdent()}
		p.expect(lexer.LParen)
		if !p.at(lexer.RParen) {
			s.Params = p.yulIdentList()
		}
		p.expect(lexer.RParen)
		if p.got(lexer.Arrow) {
			s.Returns = p.yulIdentList()
		}
		s.Body = p.parseYulBlock()
		s.Loc = p.loc(start)
		return s
	case lexer.Break:
		p.next()
		return &ast.YulBreak{Loc: p.loc(start)}
	case lexer.Continue:
		p.next()
		return &ast.YulContinue{Loc: p.loc(start)}
	case lexer.EqColon:
		p.next()
		return &ast.YulStackAssign{Name: p.yulIdent(), Loc: p.loc(start)}
	case lexer.Ident:
		switch p.text(p.tok) {
		case "let":
			if isYulName(p.peek(1)) {
				p.next()
				s := &ast.YulVarDecl{Names: p.yulIdentList()}
				if p.got(lexer.ColonAssign) {
					s.Value = p.parseYulExpr()
				}
				s.Loc = p.loc(start)
				return s
			}
		case "leave":
			p.next()
			return &ast.YulLeave{Loc: p.loc(start)}
		case "switch":
			return p.parseYulSwitch()
		}
	}
	x := p.parseYulExpr()
	if id, ok := x.(*ast.YulIdent); ok {
		switch p.tok.Kind {
		case lexer.Comma, lexer.ColonAssign:
			s := &ast.YulAssign{Names: []*ast.YulIdent{id}}
			if p.got(lexer.Comma) {
				s.Names = append(s.Names, p.yulIdentList()...)
			}
			p.expect(lexer.ColonAssign)
			s.Value = p.parseYulExpr()
			s.Loc = p.loc(start)
			return s
		case lexer.Colon:
			p.next()
			return &ast.YulLabel{Name: id, Loc: p.loc(start)}
		}
	}
	if x == nil {
		return &ast.YulBad{Loc: p.loc(start)}
	}
	return &ast.YulExprStmt{Loc: p.loc(start), X: x}
}

func (p *parser) parseYulSwitch() ast.YulStmt {
	start := p.tok.Start
	p.next()
	s := &ast.YulSwitch{Expr: p.parseYulExpr()}
	for {
		cs := p.tok.Start
		if p.isWord("case") {
			p.next()
			c := &ast.YulCase{}
			if l, ok := p.parseYulExpr().(*ast.YulLiteral); ok {
				c.Value = l
			} else {
				p.errorAt(p.tok, "expected literal in case")
			}
			c.Body = p.parseYulBlock()
			c.Loc = p.loc(cs)
			s.Cases = append(s.Cases, c)
		} else if p.isWord("default") {
			p.next()
			c := &ast.YulCase{Body: p.parseYulBlock()}
			c.Loc = p.loc(cs)
			s.Cases = append(s.Cases, c)
		} else {
			break
		}
	}
	if len(s.Cases) == 0 {
		p.errorExpected("'case' or 'default'")
	}
	s.Loc = p.loc(start)
	return s
}

// parseYulExpr parses a Yul literal, identifier or call. It returns nil after
// reporting an error if no expression is present.
func (p *parser) parseYulExpr() ast.YulExpr {
	if !p.enter() {
		return nil
	}
	defer p.leave()
	t := p.tok
	span := source.Span{Start: source.Pos(t.Start), End: source.Pos(t.End)}
	switch t.Kind {
	case lexer.Number:
		p.next()
		return &ast.YulLiteral{Loc: ast.Loc{Src: span}, Kind: ast.LitNumber, Value: p.text(t)}
	case lexer.HexNumber:
		p.next()
		return &ast.YulLiteral{Loc: ast.Loc{Src: span}, Kind: ast.LitHexNumber, Value: p.text(t)}
	case lexer.String:
		p.next()
		return &ast.YulLiteral{Loc: ast.Loc{Src: span}, Kind: ast.LitString, Value: p.text(t)}
	case lexer.HexString:
		p.next()
		return &ast.YulLiteral{Loc: ast.Loc{Src: span}, Kind: ast.LitHexString, Value: p.text(t)}
	case lexer.True, lexer.False:
		p.next()
		return &ast.YulLiteral{Loc: ast.Loc{Src: span}, Kind: ast.LitBool, Value: p.text(t)}
	}
	if !isYulName(t.Kind) {
		p.errorExpected("Yul expression")
		return nil
	}
	id := p.yulIdent()
	if !p.at(lexer.LParen) {
		return id
	}
	p.next()
	c := &ast.YulCall{Fun: id}
	for p.tok.Kind != lexer.RParen && p.tok.Kind != lexer.EOF {
		a := p.parseYulExpr()
		if a == nil {
			break
		}
		c.Args = append(c.Args, a)
		if !p.got(lexer.Comma) {
			break
		}
	}
	p.expect(lexer.RParen)
	c.Loc = p.loc(t.Start)
	return c
}
