package parser

import (
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
)

// parseTypeName parses a type name including array suffixes. It returns nil
// after reporting an error if no type name is present.
func (p *parser) parseTypeName() ast.TypeName {
	if !p.enter() {
		return nil
	}
	defer p.leave()
	start := p.tok.Start
	var t ast.TypeName
	switch p.tok.Kind {
	case lexer.ElemType:
		t = p.elementaryType()
	case lexer.Mapping:
		t = p.parseMapping()
	case lexer.Function:
		t = p.parseFunctionType()
	default:
		if !isNameToken(p.tok.Kind) {
			p.errorExpected("type name")
			return nil
		}
		path := p.identPath()
		t = &ast.UserDefinedTypeName{Loc: path.Loc, Path: path}
	}
	for p.at(lexer.LBrack) {
		p.next()
		a := &ast.ArrayTypeName{Elem: t}
		if !p.at(lexer.RBrack) {
			a.Len = p.parseExpression()
		}
		p.expect(lexer.RBrack)
		a.Loc = p.loc(start)
		t = a
	}
	return t
}

// elementaryType parses an elementary type name, including address payable.
func (p *parser) elementaryType() *ast.ElementaryTypeName {
	e := &ast.ElementaryTypeName{Name: p.text(p.tok)}
	start := p.tok.Start
	p.next()
	if e.Name == "address" && p.at(lexer.Payable) {
		e.Payable = true
		p.next()
	}
	e.Loc = p.loc(start)
	return e
}

func (p *parser) parseMapping() ast.TypeName {
	start := p.tok.Start
	m := &ast.Mapping{}
	p.next()
	p.expect(lexer.LParen)
	m.Key = p.parseTypeName()
	if isNameToken(p.tok.Kind) {
		m.KeyName = p.ident()
	}
	p.expect(lexer.DoubleArrow)
	m.Value = p.parseTypeName()
	if isNameToken(p.tok.Kind) {
		m.ValueName = p.ident()
	}
	p.expect(lexer.RParen)
	m.Loc = p.loc(start)
	return m
}

func (p *parser) parseFunctionType() ast.TypeName {
	start := p.tok.Start
	f := &ast.FunctionTypeName{}
	p.next()
	f.Params = p.parseParams(paramFunc)
	seenVis := false
	for {
		switch p.tok.Kind {
		case lexer.Internal, lexer.External, lexer.Public, lexer.Private:
			if seenVis {
				goto returns
			}
			seenVis = true
			f.Visibility = visOf(p.tok.Kind)
		case lexer.Pure:
			f.Mutability = ast.Pure
		case lexer.View:
			f.Mutability = ast.View
		case lexer.Payable:
			f.Mutability = ast.Payable
		case lexer.Constant:
			// In a function type, constant belongs to the variable.
			goto returns
		default:
			goto returns
		}
		p.next()
	}
returns:
	if p.at(lexer.Returns) {
		p.next()
		f.Returns = p.parseParams(paramFunc)
	}
	f.Loc = p.loc(start)
	return f
}

func visOf(k lexer.Kind) ast.Visibility {
	switch k {
	case lexer.Public:
		return ast.VisPublic
	case lexer.External:
		return ast.VisExternal
	case lexer.Internal:
		return ast.VisInternal
	case lexer.Private:
		return ast.VisPrivate
	}
	return ast.VisDefault
}

// exprToType converts an expression parsed from an index-accessed path (such
// as a.B[3][]) to the equivalent type name. It returns nil if e has another
// shape.
func exprToType(e ast.Expr) ast.TypeName {
	switch x := e.(type) {
	case *ast.ElementaryTypeExpr:
		return x.Type
	case *ast.Ident:
		path := &ast.IdentPath{Loc: x.Loc, Names: []*ast.Ident{x}}
		return &ast.UserDefinedTypeName{Loc: x.Loc, Path: path}
	case *ast.MemberExpr:
		var names []*ast.Ident
		var cur ast.Expr = x
		for {
			switch c := cur.(type) {
			case *ast.MemberExpr:
				if c.Member == nil {
					return nil
				}
				names = append(names, c.Member)
				cur = c.X
				continue
			case *ast.Ident:
				names = append(names, c)
			default:
				return nil
			}
			break
		}
		for i, j := 0, len(names)-1; i < j; i, j = i+1, j-1 {
			names[i], names[j] = names[j], names[i]
		}
		path := &ast.IdentPath{Loc: x.Loc, Names: names}
		return &ast.UserDefinedTypeName{Loc: x.Loc, Path: path}
	case *ast.IndexExpr:
		elem := exprToType(x.X)
		if elem == nil {
			return nil
		}
		return &ast.ArrayTypeName{Loc: x.Loc, Elem: elem, Len: x.Index}
	}
	return nil
}
