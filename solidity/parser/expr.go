package parser

import (
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
	"github.com/aegis-defi/aegis/solidity/source"
)

func (p *parser) parseExpression() ast.Expr { return p.parseExpressionFrom(nil) }

// parseExpressionFrom parses an expression whose leading primary/postfix
// part may already have been parsed (prefix, possibly nil).
func (p *parser) parseExpressionFrom(prefix ast.Expr) ast.Expr {
	if !p.enter() {
		return &ast.BadExpr{Loc: p.loc(p.tok.Start)}
	}
	defer p.leave()
	if p.exprNest == 0 {
		p.chain = 0
	}
	p.exprNest++
	defer func() { p.exprNest-- }()
	x := p.parseBinary(4, prefix)
	k := p.tok.Kind
	if k.IsAssignOp() {
		p.next()
		rhs := p.parseExpression()
		return &ast.AssignExpr{Loc: joinLoc(x, rhs), LHS: x, Op: k, RHS: rhs}
	}
	if k == lexer.Question {
		p.next()
		c := &ast.CondExpr{Cond: x}
		c.Then = p.parseExpression()
		p.expect(lexer.Colon)
		c.Else = p.parseExpression()
		c.Loc = p.locAt(x.Pos())
		return c
	}
	return x
}

func maxPos(a, b source.Pos) source.Pos {
	if a > b {
		return a
	}
	return b
}

func joinLoc(a, b ast.Node) ast.Loc {
	return ast.Loc{Src: source.Span{Start: a.Pos(), End: maxPos(a.End(), b.End())}}
}

// parseBinary parses binary operations with precedence >= minPrec using
// precedence climbing; ** is right-associative.
func (p *parser) parseBinary(minPrec int, prefix ast.Expr) ast.Expr {
	x := p.parseUnary(prefix)
	for {
		k := p.tok.Kind
		prec := k.Precedence()
		if prec == 0 || prec < minPrec {
			return x
		}
		p.next()
		var y ast.Expr
		if !p.chained() {
			return p.tooLong(x)
		}
		if !p.enter() {
			return x
		}
		if k == lexer.Exp {
			y = p.parseBinary(prec, nil)
		} else {
			y = p.parseBinary(prec+1, nil)
		}
		p.leave()
		x = &ast.BinaryExpr{Loc: joinLoc(x, y), X: x, Op: k, Y: y}
	}
}

// tooLong replaces an expression cut at maxChain by a BadExpr over its
// text: the over-long tree is dropped so no later pass walks it.
func (p *parser) tooLong(x ast.Expr) ast.Expr {
	return &ast.BadExpr{Loc: ast.Loc{Src: source.Span{Start: x.Pos(), End: maxPos(x.End(), p.prevEnd)}}}
}

func (p *parser) parseUnary(prefix ast.Expr) ast.Expr {
	if prefix != nil {
		return p.parsePostfixOps(p.parsePostfix(prefix))
	}
	start := p.tok.Start
	switch k := p.tok.Kind; k {
	case lexer.Not, lexer.BitNot, lexer.Sub, lexer.Add, lexer.Inc, lexer.Dec, lexer.Delete:
		p.next()
		if !p.enter() {
			return &ast.BadExpr{Loc: p.loc(start)}
		}
		x := p.parseUnary(nil)
		p.leave()
		return &ast.UnaryExpr{Loc: p.loc(start), Op: k, X: x}
	}
	return p.parsePostfixOps(p.parsePostfix(p.parsePrimary()))
}

func (p *parser) parsePostfixOps(x ast.Expr) ast.Expr {
	for p.at(lexer.Inc) || p.at(lexer.Dec) {
		if !p.chained() {
			return p.tooLong(x)
		}
		k := p.tok.Kind
		p.next()
		x = &ast.UnaryExpr{Loc: p.locAt(x.Pos()), Op: k, X: x, Postfix: true}
	}
	return x
}

// parsePostfix parses member accesses, index accesses, call options and
// calls following x.
func (p *parser) parsePostfix(x ast.Expr) ast.Expr {
	start := x.Pos()
	for {
		switch p.tok.Kind {
		case lexer.LBrack, lexer.Period, lexer.LBrace, lexer.LParen:
			if !p.chained() {
				return p.tooLong(x)
			}
		}
		switch p.tok.Kind {
		case lexer.LBrack:
			p.next()
			var lo ast.Expr
			if !p.at(lexer.RBrack) && !p.at(lexer.Colon) {
				lo = p.parseExpression()
			}
			if p.got(lexer.Colon) {
				r := &ast.IndexRangeExpr{X: x, Low: lo}
				if !p.at(lexer.RBrack) {
					r.High = p.parseExpression()
				}
				p.expect(lexer.RBrack)
				r.Loc = p.locAt(start)
				x = r
				continue
			}
			p.expect(lexer.RBrack)
			x = &ast.IndexExpr{Loc: p.locAt(start), X: x, Index: lo}
		case lexer.Period:
			p.next()
			m := p.memberIdent()
			if m == nil {
				return x
			}
			x = &ast.MemberExpr{Loc: p.locAt(start), X: x, Member: m}
		case lexer.LBrace:
			if !isNameToken(p.peek(1)) || p.peek(2) != lexer.Colon {
				return x
			}
			p.next()
			o := &ast.CallOptions{X: x}
			for p.tok.Kind != lexer.RBrace && p.tok.Kind != lexer.EOF {
				n := p.ident()
				if n == nil {
					break
				}
				p.expect(lexer.Colon)
				o.Names = append(o.Names, n)
				o.Values = append(o.Values, p.parseExpression())
				if !p.got(lexer.Comma) {
					break
				}
			}
			p.expect(lexer.RBrace)
			o.Loc = p.locAt(start)
			x = o
		case lexer.LParen:
			c := &ast.CallExpr{Fun: x}
			c.Args, c.Names = p.parseCallArgs()
			c.Loc = p.locAt(start)
			x = c
		default:
			return x
		}
	}
}

// parseCallArgs parses (a, b) or ({name: a, other: b}).
func (p *parser) parseCallArgs() (args []ast.Expr, names []*ast.Ident) {
	if !p.expect(lexer.LParen) {
		return nil, nil
	}
	if p.at(lexer.LBrace) {
		p.next()
		names = []*ast.Ident{}
		for p.tok.Kind != lexer.RBrace && p.tok.Kind != lexer.EOF {
			n := p.ident()
			if n == nil {
				break
			}
			p.expect(lexer.Colon)
			names = append(names, n)
			args = append(args, p.parseExpression())
			if !p.got(lexer.Comma) {
				break
			}
		}
		p.expect(lexer.RBrace)
	} else {
		for p.tok.Kind != lexer.RParen && p.tok.Kind != lexer.EOF {
			args = append(args, p.parseExpression())
			if !p.got(lexer.Comma) {
				break
			}
		}
	}
	p.expect(lexer.RParen)
	return args, names
}

// isUnit reports whether s is a number subdenomination.
func isUnit(s string) bool {
	switch s {
	case "wei", "gwei", "szabo", "finney", "ether", "seconds", "minutes", "hours", "days", "weeks", "years":
		return true
	}
	return false
}

func (p *parser) parsePrimary() ast.Expr {
	start := p.tok.Start
	t := p.tok
	switch t.Kind {
	case lexer.Ident:
		p.next()
		return p.newIdent(t)
	case lexer.Number, lexer.HexNumber:
		p.next()
		l := &ast.Literal{Kind: ast.LitNumber, Value: p.text(t)}
		if t.Kind == lexer.HexNumber {
			l.Kind = ast.LitHexNumber
		}
		if p.at(lexer.Ident) && isUnit(p.text(p.tok)) {
			l.Unit = p.text(p.tok)
			p.next()
		}
		l.Loc = p.loc(start)
		return l
	case lexer.True, lexer.False:
		p.next()
		return &ast.Literal{Loc: p.loc(start), Kind: ast.LitBool, Value: p.text(t)}
	case lexer.String, lexer.HexString, lexer.UnicodeString:
		for p.tok.Kind == lexer.String || p.tok.Kind == lexer.HexString || p.tok.Kind == lexer.UnicodeString {
			p.next()
		}
		l := &ast.Literal{Loc: p.loc(start), Kind: ast.LitString, Value: p.src[start:p.prevEnd]}
		switch t.Kind {
		case lexer.HexString:
			l.Kind = ast.LitHexString
		case lexer.UnicodeString:
			l.Kind = ast.LitUnicodeString
		}
		return l
	case lexer.ElemType:
		e := p.elementaryType()
		return &ast.ElementaryTypeExpr{Loc: e.Loc, Type: e}
	case lexer.Payable:
		p.next()
		e := &ast.ElementaryTypeName{Loc: p.loc(start), Name: "address", Payable: true}
		return &ast.ElementaryTypeExpr{Loc: e.Loc, Type: e}
	case lexer.Type:
		p.next()
		return p.newIdent(t)
	case lexer.New:
		p.next()
		n := &ast.NewExpr{Type: p.parseTypeName()}
		n.Loc = p.loc(start)
		return n
	case lexer.LParen, lexer.LBrack:
		closer := lexer.RParen
		if t.Kind == lexer.LBrack {
			closer = lexer.RBrack
		}
		p.next()
		tu := &ast.TupleExpr{IsArray: t.Kind == lexer.LBrack}
		if !p.at(closer) {
			for {
				var e ast.Expr
				if !p.at(lexer.Comma) && !p.at(closer) {
					e = p.parseExpression()
				}
				tu.Elems = append(tu.Elems, e)
				if !p.got(lexer.Comma) {
					break
				}
			}
		}
		p.expect(closer)
		tu.Loc = p.loc(start)
		return tu
	case lexer.Mapping, lexer.Function:
		tn := p.parseTypeName()
		if tn == nil {
			return &ast.BadExpr{Loc: p.loc(start)}
		}
		return &ast.TypeNameExpr{Loc: p.loc(start), Type: tn}
	}
	if isNameToken(t.Kind) {
		// Keywords of later versions used as identifiers in old code.
		p.next()
		return p.newIdent(t)
	}
	p.errorExpected("expression")
	return &ast.BadExpr{Loc: p.loc(t.Start)}
}
