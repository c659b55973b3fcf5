package parser

import (
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
)

// parseBlock parses { statements }. The opening brace is a synchronization
// point: pending error state is cleared.
func (p *parser) parseBlock() *ast.Block {
	start := p.tok.Start
	b := &ast.Block{}
	if !p.expect(lexer.LBrace) {
		b.Loc = p.loc(start)
		return b
	}
	p.bad = false
	for p.tok.Kind != lexer.RBrace && p.tok.Kind != lexer.EOF {
		s0 := p.p
		if s := p.parseStatement(); s != nil {
			b.Stmts = append(b.Stmts, s)
		}
		if p.bad {
			p.resync(isStmtStart)
		}
		if p.p == s0 {
			p.next()
		}
	}
	p.expect(lexer.RBrace)
	b.Loc = p.loc(start)
	return b
}

func (p *parser) parseStatement() ast.Stmt {
	if !p.enter() {
		return nil
	}
	defer p.leave()
	p.chain = 0
	start := p.tok.Start
	switch p.tok.Kind {
	case lexer.LBrace:
		return p.parseBlock()
	case lexer.Unchecked:
		if p.peek(1) == lexer.LBrace {
			p.next()
			b := p.parseBlock()
			b.Unchecked = true
			b.Loc = p.loc(start)
			return b
		}
	case lexer.If:
		p.next()
		s := &ast.IfStmt{}
		p.expect(lexer.LParen)
		s.Cond = p.parseExpression()
		p.expect(lexer.RParen)
		s.Then = p.parseStatement()
		if p.got(lexer.Else) {
			s.Else = p.parseStatement()
		}
		s.Loc = p.loc(start)
		return s
	case lexer.For:
		return p.parseFor()
	case lexer.While:
		p.next()
		s := &ast.WhileStmt{}
		p.expect(lexer.LParen)
		s.Cond = p.parseExpression()
		p.expect(lexer.RParen)
		s.Body = p.parseStatement()
		s.Loc = p.loc(start)
		return s
	case lexer.Do:
		p.next()
		s := &ast.DoWhileStmt{}
		s.Body = p.parseStatement()
		p.expect(lexer.While)
		p.expect(lexer.LParen)
		s.Cond = p.parseExpression()
		p.expect(lexer.RParen)
		p.expect(lexer.Semicolon)
		s.Loc = p.loc(start)
		return s
	case lexer.Continue:
		p.next()
		p.expect(lexer.Semicolon)
		return &ast.ContinueStmt{Loc: p.loc(start)}
	case lexer.Break:
		p.next()
		p.expect(lexer.Semicolon)
		return &ast.BreakStmt{Loc: p.loc(start)}
	case lexer.Throw:
		p.next()
		p.expect(lexer.Semicolon)
		return &ast.ThrowStmt{Loc: p.loc(start)}
	case lexer.Return:
		p.next()
		s := &ast.ReturnStmt{}
		if !p.at(lexer.Semicolon) {
			s.Value = p.parseExpression()
		}
		p.expect(lexer.Semicolon)
		s.Loc = p.loc(start)
		return s
	case lexer.Emit:
		if isNameToken(p.peek(1)) {
			p.next()
			s := &ast.EmitStmt{Call: p.parseCallStmt("event invocation")}
			p.expect(lexer.Semicolon)
			s.Loc = p.loc(start)
			return s
		}
	case lexer.Try:
		return p.parseTry()
	case lexer.Assembly:
		return p.parseAssembly()
	case lexer.Ident:
		switch p.text(p.tok) {
		case "_":
			if p.peek(1) == lexer.Semicolon {
				p.next()
				p.next()
				return &ast.PlaceholderStmt{Loc: p.loc(start)}
			}
		case "revert":
			if isNameToken(p.peek(1)) {
				p.next()
				s := &ast.RevertStmt{Call: p.parseCallStmt("error invocation")}
				p.expect(lexer.Semicolon)
				s.Loc = p.loc(start)
				return s
			}
		}
	}
	s := p.parseSimpleStatement()
	p.expect(lexer.Semicolon)
	setEnd(s, p.loc(start))
	return s
}

// setEnd sets the location of a simple statement to include its semicolon.
func setEnd(s ast.Stmt, l ast.Loc) {
	switch s := s.(type) {
	case *ast.VarDeclStmt:
		s.Loc = l
	case *ast.ExprStmt:
		s.Loc = l
	case *ast.BadStmt:
		s.Loc = l
	}
}

// parseCallStmt parses the call expression of an emit or revert statement.
func (p *parser) parseCallStmt(what string) *ast.CallExpr {
	start := p.tok.Start
	e := p.parseExpression()
	if c, ok := e.(*ast.CallExpr); ok {
		return c
	}
	if !p.bad {
		p.errorAt(p.tok, "expected "+what)
	}
	return &ast.CallExpr{Loc: p.loc(start), Fun: e}
}

func (p *parser) parseFor() ast.Stmt {
	start := p.tok.Start
	p.next()
	s := &ast.ForStmt{}
	p.expect(lexer.LParen)
	if !p.at(lexer.Semicolon) {
		is := p.tok.Start
		s.Init = p.parseSimpleStatement()
		p.expect(lexer.Semicolon)
		setEnd(s.Init, p.loc(is))
	} else {
		p.next()
	}
	if !p.at(lexer.Semicolon) {
		s.Cond = p.parseExpression()
	}
	p.expect(lexer.Semicolon)
	if !p.at(lexer.RParen) {
		s.Post = p.parseExpression()
	}
	p.expect(lexer.RParen)
	s.Body = p.parseStatement()
	s.Loc = p.loc(start)
	return s
}

func (p *parser) parseTry() ast.Stmt {
	start := p.tok.Start
	p.next()
	s := &ast.TryStmt{Call: p.parseExpression()}
	if p.got(lexer.Returns) {
		s.Returns = p.parseParams(paramFunc)
	}
	s.Body = p.parseBlock()
	for p.at(lexer.Catch) {
		cs := p.tok.Start
		p.next()
		c := &ast.CatchClause{}
		if isNameToken(p.tok.Kind) {
			c.Name = p.ident()
		}
		if p.at(lexer.LParen) {
			c.Params = p.parseParams(paramFunc)
		}
		c.Body = p.parseBlock()
		c.Loc = p.loc(cs)
		s.Catches = append(s.Catches, c)
	}
	if len(s.Catches) == 0 {
		p.errorExpected("'catch'")
	}
	s.Loc = p.loc(start)
	return s
}

func (p *parser) parseAssembly() ast.Stmt {
	start := p.tok.Start
	p.next()
	s := &ast.AssemblyStmt{}
	if p.at(lexer.String) {
		s.Dialect = p.stringLit()
	}
	if p.got(lexer.LParen) {
		for p.at(lexer.String) {
			s.Flags = append(s.Flags, p.stringLit())
			if !p.got(lexer.Comma) {
				break
			}
		}
		p.expect(lexer.RParen)
	}
	s.Body = p.parseYulBlock()
	s.Loc = p.loc(start)
	return s
}

// Statement lookahead classification, following solc.
const (
	laExpr = iota
	laVarDecl
	laIndexPath
)

func isLocation(k lexer.Kind) bool {
	return k == lexer.Memory || k == lexer.Storage || k == lexer.Calldata
}

func (p *parser) peekStatementType() int {
	k := p.tok.Kind
	if k == lexer.Mapping || k == lexer.Function {
		return laVarDecl
	}
	if k == lexer.ElemType || k == lexer.Ident {
		n := p.peek(1)
		if k == lexer.ElemType && n == lexer.Payable {
			return laVarDecl
		}
		if isNameToken(n) || isLocation(n) {
			return laVarDecl
		}
		if n == lexer.LBrack || n == lexer.Period {
			return laIndexPath
		}
	}
	return laExpr
}

// parseSimpleStatement parses a variable declaration statement or an
// expression statement, without the trailing semicolon.
func (p *parser) parseSimpleStatement() ast.Stmt {
	start := p.tok.Start
	switch p.tok.Kind {
	case lexer.LParen:
		return p.parseTupleStatement()
	case lexer.Var:
		return p.parseVarStatement()
	}
	switch p.peekStatementType() {
	case laVarDecl:
		return p.finishVarDecl(start, p.parseLocalVar(start, nil))
	case laIndexPath:
		path := p.parseIndexPath()
		if isNameToken(p.tok.Kind) || isLocation(p.tok.Kind) {
			if t := exprToType(path); t != nil {
				return p.finishVarDecl(start, p.parseLocalVar(start, t))
			}
		}
		x := p.parseExpressionFrom(path)
		return &ast.ExprStmt{Loc: p.loc(start), X: x}
	}
	x := p.parseExpression()
	return &ast.ExprStmt{Loc: p.loc(start), X: x}
}

func (p *parser) finishVarDecl(start int32, v *ast.VariableDeclaration) ast.Stmt {
	s := &ast.VarDeclStmt{Decls: []*ast.VariableDeclaration{v}}
	if p.got(lexer.Assign) {
		s.Value = p.parseExpression()
	}
	s.Loc = p.loc(start)
	return s
}

// parseLocalVar parses a local variable declaration (without initializer).
// If t is non-nil it is the already parsed type.
func (p *parser) parseLocalVar(start int32, t ast.TypeName) *ast.VariableDeclaration {
	if t == nil {
		t = p.parseTypeName()
	}
	v := &ast.VariableDeclaration{Type: t}
	p.parseLocation(v)
	v.Name = p.ident()
	v.Loc = p.loc(start)
	return v
}

// parseIndexPath parses an identifier path or elementary type followed by
// index accesses, e.g. a.b.C[1][], as an expression.
func (p *parser) parseIndexPath() ast.Expr {
	start := p.tok.Start
	var x ast.Expr
	if p.at(lexer.ElemType) {
		t := p.elementaryType()
		x = &ast.ElementaryTypeExpr{Loc: t.Loc, Type: t}
	} else {
		x = p.newIdent(p.tok)
		p.next()
		for p.at(lexer.Period) {
			p.next()
			m := p.memberIdent()
			if m == nil {
				return x
			}
			x = &ast.MemberExpr{X: x, Member: m, Loc: p.loc(start)}
		}
	}
	for p.at(lexer.LBrack) {
		p.next()
		ix := &ast.IndexExpr{X: x}
		if !p.at(lexer.RBrack) {
			ix.Index = p.parseExpression()
			if p.at(lexer.Colon) {
				// A range access: this is an expression.
				p.next()
				r := &ast.IndexRangeExpr{X: x, Low: ix.Index}
				if !p.at(lexer.RBrack) {
					r.High = p.parseExpression()
				}
				p.expect(lexer.RBrack)
				r.Loc = p.loc(start)
				return r
			}
		}
		p.expect(lexer.RBrack)
		ix.Loc = p.loc(start)
		x = ix
	}
	return x
}

// parseVarStatement parses the pre-0.5 `var x = e` and `var (a, , b) = e`.
func (p *parser) parseVarStatement() ast.Stmt {
	start := p.tok.Start
	p.next()
	s := &ast.VarDeclStmt{Var: true}
	if p.got(lexer.LParen) {
		s.Tuple = true
		for p.tok.Kind != lexer.RParen && p.tok.Kind != lexer.EOF {
			var v *ast.VariableDeclaration
			if isNameToken(p.tok.Kind) {
				id := p.ident()
				v = &ast.VariableDeclaration{Loc: id.Loc, Name: id}
			}
			s.Decls = append(s.Decls, v)
			if !p.got(lexer.Comma) {
				break
			}
			if p.at(lexer.RParen) {
				s.Decls = append(s.Decls, nil)
			}
		}
		p.expect(lexer.RParen)
	} else {
		id := p.ident()
		if id != nil {
			s.Decls = append(s.Decls, &ast.VariableDeclaration{Loc: id.Loc, Name: id})
		}
	}
	if p.got(lexer.Assign) {
		s.Value = p.parseExpression()
	}
	s.Loc = p.loc(start)
	return s
}

// parseTupleStatement parses a statement starting with '(' which is either
// a tuple variable declaration `(uint a, , bool b) = ...` or an expression.
func (p *parser) parseTupleStatement() ast.Stmt {
	start := p.tok.Start
	p.next()
	var decls []*ast.VariableDeclaration
	var exprs []ast.Expr
	isDecl, isExpr := false, false
	if !p.at(lexer.RParen) {
		for {
			if p.at(lexer.Comma) || p.at(lexer.RParen) {
				decls = append(decls, nil)
				exprs = append(exprs, nil)
			} else {
				es := p.tok.Start
				var v *ast.VariableDeclaration
				var x ast.Expr
				switch p.peekStatementType() {
				case laVarDecl:
					v = p.parseLocalVar(es, nil)
				case laIndexPath:
					path := p.parseIndexPath()
					if t := exprToType(path); t != nil && (isNameToken(p.tok.Kind) || isLocation(p.tok.Kind)) {
						v = p.parseLocalVar(es, t)
					} else {
						x = p.parseExpressionFrom(path)
					}
				default:
					x = p.parseExpression()
				}
				if v != nil {
					isDecl = true
				} else {
					isExpr = true
				}
				decls = append(decls, v)
				exprs = append(exprs, x)
			}
			if !p.got(lexer.Comma) {
				break
			}
		}
	}
	p.expect(lexer.RParen)
	if isDecl {
		if isExpr {
			p.errorAt(p.tok, "mixed declarations and expressions in tuple")
		}
		s := &ast.VarDeclStmt{Decls: decls, Tuple: true}
		if p.expect(lexer.Assign) {
			s.Value = p.parseExpression()
		}
		s.Loc = p.loc(start)
		return s
	}
	t := &ast.TupleExpr{Loc: p.loc(start), Elems: exprs}
	x := p.parseExpressionFrom(t)
	return &ast.ExprStmt{Loc: p.loc(start), X: x}
}
