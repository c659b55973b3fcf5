package parser

import (
	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/lexer"
)

func (p *parser) parseFunction(top bool) ast.Decl {
	start := p.tok.Start
	f := &ast.FunctionDefinition{Doc: p.doc(), Free: top}
	switch p.tok.Kind {
	case lexer.Constructor:
		f.Kind = ast.FuncConstructor
		p.next()
	case lexer.Ident:
		if p.text(p.tok) == "fallback" {
			f.Kind = ast.FuncFallback
		} else {
			f.Kind = ast.FuncReceive
		}
		p.next()
	default: // function
		p.next()
		if p.at(lexer.LParen) {
			f.Kind = ast.FuncFallback
			f.OldFallback = true
		} else {
			f.Name = p.ident()
		}
	}
	f.Params = p.parseParams(paramFunc)
	p.parseFuncAttrs(f)
	if p.got(lexer.Returns) {
		f.Returns = p.parseParams(paramFunc)
		p.parseFuncAttrs(f)
	}
	switch p.tok.Kind {
	case lexer.Semicolon:
		p.next()
	case lexer.LBrace:
		f.Body = p.parseBlock()
	default:
		p.errorExpected("'{' or ';'")
	}
	f.Loc = p.loc(start)
	return f
}

func (p *parser) parseFuncAttrs(f *ast.FunctionDefinition) {
	for {
		switch p.tok.Kind {
		case lexer.Public:
			f.Visibility = ast.VisPublic
		case lexer.External:
			f.Visibility = ast.VisExternal
		case lexer.Internal:
			f.Visibility = ast.VisInternal
		case lexer.Private:
			f.Visibility = ast.VisPrivate
		case lexer.Pure:
			f.Mutability = ast.Pure
		case lexer.View:
			f.Mutability = ast.View
		case lexer.Payable:
			f.Mutability = ast.Payable
		case lexer.Constant:
			f.Mutability = ast.ConstantFn
		case lexer.Virtual:
			f.Virtual = true
		case lexer.Override:
			f.Override = p.parseOverride()
			continue
		case lexer.Ident:
			ms := p.tok.Start
			m := &ast.ModifierInvocation{Name: p.identPath()}
			if p.at(lexer.LParen) {
				m.HasArgs = true
				m.Args, _ = p.parseCallArgs()
			}
			m.Loc = p.loc(ms)
			f.Modifiers = append(f.Modifiers, m)
			continue
		default:
			return
		}
		p.next()
	}
}

func (p *parser) parseOverride() *ast.OverrideSpecifier {
	start := p.tok.Start
	p.next()
	o := &ast.OverrideSpecifier{}
	if p.got(lexer.LParen) {
		for p.tok.Kind != lexer.RParen && p.tok.Kind != lexer.EOF {
			b := p.identPath()
			if b == nil {
				break
			}
			o.Bases = append(o.Bases, b)
			if !p.got(lexer.Comma) {
				break
			}
		}
		p.expect(lexer.RParen)
	}
	o.Loc = p.loc(start)
	return o
}

func (p *parser) parseModifier() ast.Decl {
	start := p.tok.Start
	m := &ast.ModifierDefinition{Doc: p.doc()}
	p.next()
	m.Name = p.ident()
	if p.at(lexer.LParen) {
		m.Params = p.parseParams(paramFunc)
	}
	for {
		if p.got(lexer.Virtual) {
			m.Virtual = true
		} else if p.at(lexer.Override) {
			m.Override = p.parseOverride()
		} else {
			break
		}
	}
	switch p.tok.Kind {
	case lexer.Semicolon:
		p.next()
	case lexer.LBrace:
		m.Body = p.parseBlock()
	default:
		p.errorExpected("'{' or ';'")
	}
	m.Loc = p.loc(start)
	return m
}

func (p *parser) parseStruct() ast.Decl {
	start := p.tok.Start
	s := &ast.StructDefinition{Doc: p.doc()}
	p.next()
	s.Name = p.ident()
	if p.expect(lexer.LBrace) {
		for p.tok.Kind != lexer.RBrace && p.tok.Kind != lexer.EOF {
			vs := p.tok.Start
			v := &ast.VariableDeclaration{Doc: p.doc(), Type: p.parseTypeName()}
			if v.Type == nil {
				break
			}
			v.Name = p.ident()
			v.Loc = p.loc(vs)
			s.Members = append(s.Members, v)
			if !p.expect(lexer.Semicolon) {
				break
			}
		}
		p.expect(lexer.RBrace)
	}
	s.Loc = p.loc(start)
	return s
}

func (p *parser) parseEnum() ast.Decl {
	start := p.tok.Start
	e := &ast.EnumDefinition{Doc: p.doc()}
	p.next()
	e.Name = p.ident()
	if p.expect(lexer.LBrace) {
		for p.tok.Kind != lexer.RBrace && p.tok.Kind != lexer.EOF {
			v := p.ident()
			if v == nil {
				break
			}
			e.Values = append(e.Values, v)
			if !p.got(lexer.Comma) {
				break
			}
		}
		p.expect(lexer.RBrace)
	}
	e.Loc = p.loc(start)
	return e
}

func (p *parser) parseEvent() ast.Decl {
	start := p.tok.Start
	e := &ast.EventDefinition{Doc: p.doc()}
	p.next()
	e.Name = p.ident()
	e.Params = p.parseParams(paramEvent)
	if p.got(lexer.Anonymous) {
		e.Anonymous = true
	}
	p.expect(lexer.Semicolon)
	e.Loc = p.loc(start)
	return e
}

func (p *parser) parseError() ast.Decl {
	start := p.tok.Start
	e := &ast.ErrorDefinition{Doc: p.doc()}
	p.next()
	e.Name = p.ident()
	e.Params = p.parseParams(paramEvent)
	p.expect(lexer.Semicolon)
	e.Loc = p.loc(start)
	return e
}

func (p *parser) parseUDVT() ast.Decl {
	start := p.tok.Start
	u := &ast.UserDefinedValueTypeDefinition{Doc: p.doc()}
	p.next()
	u.Name = p.ident()
	p.expect(lexer.Is)
	u.Underlying = p.parseTypeName()
	p.expect(lexer.Semicolon)
	u.Loc = p.loc(start)
	return u
}

func (p *parser) parseUsing() ast.Decl {
	start := p.tok.Start
	u := &ast.UsingForDirective{}
	p.next()
	if p.got(lexer.LBrace) {
		for p.tok.Kind != lexer.RBrace && p.tok.Kind != lexer.EOF {
			fs := p.tok.Start
			f := &ast.UsingFunc{Path: p.identPath()}
			if f.Path == nil {
				break
			}
			if p.got(lexer.As) {
				if p.tok.Kind.IsBinaryOp() || p.tok.Kind == lexer.BitNot || p.tok.Kind == lexer.Not {
					f.Operator = p.tok.Kind
					p.next()
				} else {
					p.errorExpected("operator")
				}
			}
			f.Loc = p.loc(fs)
			u.Functions = append(u.Functions, f)
			if !p.got(lexer.Comma) {
				break
			}
		}
		p.expect(lexer.RBrace)
	} else {
		u.Library = p.identPath()
	}
	p.expect(lexer.For)
	if !p.got(lexer.Mul) {
		u.Type = p.parseTypeName()
	}
	if p.isWord("global") {
		u.Global = true
		p.next()
	}
	p.expect(lexer.Semicolon)
	u.Loc = p.loc(start)
	return u
}

// parseStateVar parses a state variable or file-level constant.
func (p *parser) parseStateVar(top bool) ast.Decl {
	start := p.tok.Start
	v := &ast.VariableDeclaration{Doc: p.doc(), StateVar: !top}
	v.Type = p.parseTypeName()
	if v.Type == nil {
		return nil
	}
loop:
	for {
		switch p.tok.Kind {
		case lexer.Public:
			v.Visibility = ast.VisPublic
		case lexer.Private:
			v.Visibility = ast.VisPrivate
		case lexer.Internal:
			v.Visibility = ast.VisInternal
		case lexer.External:
			v.Visibility = ast.VisExternal
		case lexer.Constant:
			v.Constant = true
		case lexer.Immutable:
			if !isNameToken(p.peek(1)) && !isVarAttr(p.peek(1)) {
				break loop
			}
			v.Immutable = true
		case lexer.Override:
			v.Override = p.parseOverride()
			continue
		case lexer.Ident:
			if p.text(p.tok) == "transient" && (isNameToken(p.peek(1)) || isVarAttr(p.peek(1))) {
				v.Transient = true
			} else {
				break loop
			}
		default:
			break loop
		}
		p.next()
	}
	v.Name = p.ident()
	if p.got(lexer.Assign) {
		v.Value = p.parseExpression()
	}
	// Like solc, the declaration's range ends before the ';'.
	v.Loc = p.loc(start)
	p.expect(lexer.Semicolon)
	return v
}

func isVarAttr(k lexer.Kind) bool {
	switch k {
	case lexer.Public, lexer.Private, lexer.Internal, lexer.External, lexer.Constant,
		lexer.Immutable, lexer.Override:
		return true
	}
	return false
}

type paramKind uint8

const (
	paramFunc paramKind = iota
	paramEvent
)

// parseParams parses a parenthesized parameter list.
func (p *parser) parseParams(kind paramKind) []*ast.VariableDeclaration {
	if !p.expect(lexer.LParen) {
		return nil
	}
	var params []*ast.VariableDeclaration
	for p.tok.Kind != lexer.RParen && p.tok.Kind != lexer.EOF {
		v := p.parseParam()
		if v == nil {
			break
		}
		params = append(params, v)
		if !p.got(lexer.Comma) {
			break
		}
	}
	p.expect(lexer.RParen)
	return params
}

// parseParam parses a parameter: type, attributes and an optional name.
func (p *parser) parseParam() *ast.VariableDeclaration {
	start := p.tok.Start
	v := &ast.VariableDeclaration{Type: p.parseTypeName()}
	if v.Type == nil {
		return nil
	}
	p.parseLocation(v)
	if isNameToken(p.tok.Kind) {
		v.Name = p.newIdent(p.tok)
		p.next()
	}
	v.Loc = p.loc(start)
	return v
}

// parseLocation parses data location and indexed attributes.
func (p *parser) parseLocation(v *ast.VariableDeclaration) {
	for {
		switch p.tok.Kind {
		case lexer.Memory:
			v.Location = ast.LocMemory
		case lexer.Storage:
			v.Location = ast.LocStorage
		case lexer.Calldata:
			v.Location = ast.LocCalldata
		case lexer.Indexed:
			v.Indexed = true
		case lexer.Ident:
			if p.text(p.tok) != "transient" || !isNameToken(p.peek(1)) {
				return
			}
			v.Transient = true
		default:
			return
		}
		p.next()
	}
}
