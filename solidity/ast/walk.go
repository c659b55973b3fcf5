package ast

// Visitor is what Walk calls: Visit is invoked for each node encountered. If
// the result visitor w is not nil, Walk visits each of the children of node
// with w, followed by a call of w.Visit(nil).
type Visitor interface {
	Visit(node Node) (w Visitor)
}

// Walk traverses the tree rooted at node in depth-first order, like
// go/ast.Walk. Nil children are skipped.
func Walk(v Visitor, node Node) {
	if isNil(node) {
		return
	}
	if v = v.Visit(node); v == nil {
		return
	}
	walkChildren(v, node)
	v.Visit(nil)
}

type inspector func(Node) bool

// Visit calls f and continues into children if it returns true.
func (f inspector) Visit(node Node) Visitor {
	if f(node) {
		return f
	}
	return nil
}

// Inspect traverses the tree rooted at node in depth-first order, calling
// f(node) for each node; if f returns true, Inspect visits the node's
// children, followed by a call of f(nil).
func Inspect(node Node, f func(Node) bool) {
	Walk(inspector(f), node)
}

// isNil reports whether n is nil or a typed nil pointer.
func isNil(n Node) bool {
	if n == nil {
		return true
	}
	switch n := n.(type) {
	case *Ident:
		return n == nil
	case *IdentPath:
		return n == nil
	case *Block:
		return n == nil
	case *YulBlock:
		return n == nil
	case *Literal:
		return n == nil
	case *YulIdent:
		return n == nil
	case *YulLiteral:
		return n == nil
	case *OverrideSpecifier:
		return n == nil
	case *Doc:
		return n == nil
	case *CallExpr:
		return n == nil
	case *ElementaryTypeName:
		return n == nil
	case *VariableDeclaration:
		return n == nil
	}
	return false
}

func walkList[T Node](v Visitor, list []T) {
	for _, n := range list {
		Walk(v, n)
	}
}

func walkChildren(v Visitor, node Node) {
	switch n := node.(type) {
	case *SourceUnit:
		walkList(v, n.Decls)
	case *Comment, *Ident, *Literal, *ThrowStmt, *BreakStmt, *ContinueStmt,
		*PlaceholderStmt, *BadStmt, *BadExpr, *BadDecl, *ElementaryTypeName,
		*PragmaDirective:
	case *Doc:
		walkList(v, n.Comments)
	case *IdentPath:
		walkList(v, n.Names)
	case *ImportSymbol:
		Walk(v, n.Name)
		Walk(v, n.Alias)
	case *ImportDirective:
		Walk(v, n.Path)
		Walk(v, n.Alias)
		walkList(v, n.Symbols)
	case *InheritanceSpecifier:
		Walk(v, n.Name)
		walkList(v, n.Args)
	case *ContractDefinition:
		Walk(v, n.Doc)
		Walk(v, n.Name)
		walkList(v, n.Bases)
		Walk(v, n.Layout)
		walkList(v, n.Body)
	case *UsingFunc:
		Walk(v, n.Path)
	case *UsingForDirective:
		Walk(v, n.Library)
		walkList(v, n.Functions)
		Walk(v, n.Type)
	case *StructDefinition:
		Walk(v, n.Doc)
		Walk(v, n.Name)
		walkList(v, n.Members)
	case *EnumDefinition:
		Walk(v, n.Doc)
		Walk(v, n.Name)
		walkList(v, n.Values)
	case *EventDefinition:
		Walk(v, n.Doc)
		Walk(v, n.Name)
		walkList(v, n.Params)
	case *ErrorDefinition:
		Walk(v, n.Doc)
		Walk(v, n.Name)
		walkList(v, n.Params)
	case *UserDefinedValueTypeDefinition:
		Walk(v, n.Doc)
		Walk(v, n.Name)
		Walk(v, n.Underlying)
	case *OverrideSpecifier:
		walkList(v, n.Bases)
	case *VariableDeclaration:
		Walk(v, n.Doc)
		Walk(v, n.Type)
		Walk(v, n.Name)
		Walk(v, n.Override)
		Walk(v, n.Value)
	case *ModifierInvocation:
		Walk(v, n.Name)
		walkList(v, n.Args)
	case *FunctionDefinition:
		Walk(v, n.Doc)
		Walk(v, n.Name)
		walkList(v, n.Params)
		walkList(v, n.Modifiers)
		Walk(v, n.Override)
		walkList(v, n.Returns)
		Walk(v, n.Body)
	case *ModifierDefinition:
		Walk(v, n.Doc)
		Walk(v, n.Name)
		walkList(v, n.Params)
		Walk(v, n.Override)
		Walk(v, n.Body)
	case *UserDefinedTypeName:
		Walk(v, n.Path)
	case *Mapping:
		Walk(v, n.Key)
		Walk(v, n.KeyName)
		Walk(v, n.Value)
		Walk(v, n.ValueName)
	case *ArrayTypeName:
		Walk(v, n.Elem)
		Walk(v, n.Len)
	case *FunctionTypeName:
		walkList(v, n.Params)
		walkList(v, n.Returns)
	case *Block:
		walkList(v, n.Stmts)
	case *IfStmt:
		Walk(v, n.Cond)
		Walk(v, n.Then)
		Walk(v, n.Else)
	case *ForStmt:
		Walk(v, n.Init)
		Walk(v, n.Cond)
		Walk(v, n.Post)
		Walk(v, n.Body)
	case *WhileStmt:
		Walk(v, n.Cond)
		Walk(v, n.Body)
	case *DoWhileStmt:
		Walk(v, n.Body)
		Walk(v, n.Cond)
	case *ReturnStmt:
		Walk(v, n.Value)
	case *EmitStmt:
		Walk(v, n.Call)
	case *RevertStmt:
		Walk(v, n.Call)
	case *VarDeclStmt:
		for _, d := range n.Decls {
			if d != nil {
				Walk(v, d)
			}
		}
		Walk(v, n.Value)
	case *ExprStmt:
		Walk(v, n.X)
	case *CatchClause:
		Walk(v, n.Name)
		walkList(v, n.Params)
		Walk(v, n.Body)
	case *TryStmt:
		Walk(v, n.Call)
		walkList(v, n.Returns)
		Walk(v, n.Body)
		walkList(v, n.Catches)
	case *AssemblyStmt:
		Walk(v, n.Dialect)
		walkList(v, n.Flags)
		Walk(v, n.Body)
	case *BinaryExpr:
		Walk(v, n.X)
		Walk(v, n.Y)
	case *UnaryExpr:
		Walk(v, n.X)
	case *AssignExpr:
		Walk(v, n.LHS)
		Walk(v, n.RHS)
	case *CondExpr:
		Walk(v, n.Cond)
		Walk(v, n.Then)
		Walk(v, n.Else)
	case *CallExpr:
		Walk(v, n.Fun)
		for i, a := range n.Args {
			if i < len(n.Names) {
				Walk(v, n.Names[i])
			}
			Walk(v, a)
		}
	case *CallOptions:
		Walk(v, n.X)
		for i, a := range n.Values {
			if i < len(n.Names) {
				Walk(v, n.Names[i])
			}
			Walk(v, a)
		}
	case *NewExpr:
		Walk(v, n.Type)
	case *IndexExpr:
		Walk(v, n.X)
		Walk(v, n.Index)
	case *IndexRangeExpr:
		Walk(v, n.X)
		Walk(v, n.Low)
		Walk(v, n.High)
	case *MemberExpr:
		Walk(v, n.X)
		Walk(v, n.Member)
	case *TupleExpr:
		for _, e := range n.Elems {
			if e != nil {
				Walk(v, e)
			}
		}
	case *ElementaryTypeExpr:
		Walk(v, n.Type)
	case *TypeNameExpr:
		Walk(v, n.Type)

	case *YulBlock:
		walkList(v, n.Stmts)
	case *YulIdent, *YulLiteral, *YulBreak, *YulContinue, *YulLeave, *YulBad:
	case *YulCall:
		Walk(v, n.Fun)
		walkList(v, n.Args)
	case *YulVarDecl:
		walkList(v, n.Names)
		Walk(v, n.Value)
	case *YulAssign:
		walkList(v, n.Names)
		Walk(v, n.Value)
	case *YulIf:
		Walk(v, n.Cond)
		Walk(v, n.Body)
	case *YulCase:
		Walk(v, n.Value)
		Walk(v, n.Body)
	case *YulSwitch:
		Walk(v, n.Expr)
		walkList(v, n.Cases)
	case *YulFor:
		Walk(v, n.Init)
		Walk(v, n.Cond)
		Walk(v, n.Post)
		Walk(v, n.Body)
	case *YulFunctionDef:
		Walk(v, n.Name)
		walkList(v, n.Params)
		walkList(v, n.Returns)
		Walk(v, n.Body)
	case *YulExprStmt:
		Walk(v, n.X)
	case *YulLabel:
		Walk(v, n.Name)
	case *YulStackAssign:
		Walk(v, n.Name)
	}
}
