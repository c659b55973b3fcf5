package sema

import (
	"github.com/aegis-defi/aegis/solidity/ast"
)

// CFG is the control flow graph of a function, with the bodies of its
// modifiers spliced in at their `_` placeholders (the function body is
// instantiated once per placeholder). Nodes are statements and the
// condition/post expressions of control statements.
type CFG struct {
	// Blocks lists all basic blocks; Blocks[i].Index == i.
	Blocks []*BasicBlock
	// Entry is the first block.
	Entry *BasicBlock
	// Exit is reached by normal completion and return statements.
	Exit *BasicBlock
	// Revert is reached by revert, throw and failing require/assert.
	Revert *BasicBlock

	byAST map[ast.Node][]*Node
	reach [][]uint64 // reach[i] = blocks reachable from block i by >= 1 edge
	nodes int
}

// BasicBlock is a maximal straight-line sequence of nodes.
type BasicBlock struct {
	Index int
	Nodes []*Node
	Succs []*BasicBlock
	Preds []*BasicBlock
}

// Node is one CFG node.
type Node struct {
	// AST is the statement, or the condition/post expression of an if,
	// loop or for statement, or the try statement itself (its call).
	AST ast.Node
	// Modifier is set when the node comes from a spliced modifier body.
	Modifier *Modifier
	// Block is the containing block and Index the position in it.
	Block *BasicBlock
	Index int
	// Unchecked reports a node inside an unchecked block.
	Unchecked bool
	// Loop is the innermost enclosing loop statement (in the node's own
	// body), or nil.
	Loop ast.Stmt
}

// NodesOf returns the CFG nodes for an AST statement or condition
// expression (several if the owning modifier places `_` more than once).
func (g *CFG) NodesOf(n ast.Node) []*Node {
	if g == nil {
		return nil
	}
	return g.byAST[n]
}

// Nodes returns all nodes in block order.
func (g *CFG) Nodes() []*Node {
	if g == nil {
		return nil
	}
	out := make([]*Node, 0, g.nodes)
	for _, b := range g.Blocks {
		out = append(out, b.Nodes...)
	}
	return out
}

// BlockReaches reports whether there is a path of at least one edge from
// block a to block b.
func (g *CFG) BlockReaches(a, b *BasicBlock) bool {
	if g == nil || a == nil || b == nil || a.Index >= len(g.reach) {
		return false
	}
	return g.reach[a.Index][b.Index/64]&(1<<(uint(b.Index)%64)) != 0
}

// Reaches reports whether node b can execute after node a on some path
// (b later in a's block, or b's block reachable from a's block; a node
// reaches itself only through a loop).
func (g *CFG) Reaches(a, b *Node) bool {
	if a == nil || b == nil {
		return false
	}
	if a.Block == b.Block && a.Index < b.Index {
		return true
	}
	return g.BlockReaches(a.Block, b.Block)
}

// Reachable reports whether n is reachable from the entry.
func (g *CFG) Reachable(n *Node) bool {
	if n == nil {
		return false
	}
	return n.Block == g.Entry || g.BlockReaches(g.Entry, n.Block)
}

// Path reports whether AST node b may execute after AST node a (both
// statements or condition expressions of the function or its modifiers).
func (g *CFG) Path(a, b ast.Node) bool {
	for _, x := range g.NodesOf(a) {
		for _, y := range g.NodesOf(b) {
			if g.Reaches(x, y) {
				return true
			}
		}
	}
	return false
}

// CFG returns the control flow graph of f (nil if f has no body).
func (f *Function) CFG() *CFG { return f.cfg }

type jumpTargets struct {
	brk, cont *BasicBlock
}

type cfgBuilder struct {
	g         *CFG
	cur       *BasicBlock
	jumps     []jumpTargets
	ret       *BasicBlock
	owner     *Modifier
	unchecked int
	loops     []ast.Stmt
	fn        *Function
	layers    []*Modifier // modifier chain (nil entries skipped)
	splices   int
}

const maxSplices = 16

func (m *Model) buildCFG(fn *Function) {
	if !fn.Implemented() {
		return
	}
	g := &CFG{byAST: map[ast.Node][]*Node{}}
	b := &cfgBuilder{g: g, fn: fn}
	g.Entry = b.newBlock()
	g.Exit = b.newBlock()
	g.Revert = b.newBlock()
	b.cur = g.Entry
	for _, mc := range fn.Modifiers {
		if mc.Modifier != nil && mc.Modifier.Def.Body != nil {
			b.layers = append(b.layers, mc.Modifier)
		}
	}
	b.ret = g.Exit
	b.layer(0)
	b.edge(b.cur, g.Exit)
	g.computeReach()
	fn.cfg = g
}

// layer builds modifier i of the chain, or the function body when i is
// past the last modifier.
func (b *cfgBuilder) layer(i int) {
	saveOwner, saveLoops, saveJumps, saveUnchecked := b.owner, b.loops, b.jumps, b.unchecked
	b.loops, b.jumps, b.unchecked = nil, nil, 0
	if i < len(b.layers) {
		b.owner = b.layers[i]
		b.stmts(b.layers[i].Def.Body.Stmts, i)
	} else {
		b.owner = nil
		b.stmts(b.fn.Def.Body.Stmts, i)
	}
	b.owner, b.loops, b.jumps, b.unchecked = saveOwner, saveLoops, saveJumps, saveUnchecked
}

func (b *cfgBuilder) newBlock() *BasicBlock {
	bb := &BasicBlock{Index: len(b.g.Blocks)}
	b.g.Blocks = append(b.g.Blocks, bb)
	return bb
}

func (b *cfgBuilder) edge(from, to *BasicBlock) {
	if from == nil || to == nil {
		return
	}
	for _, s := range from.Succs {
		if s == to {
			return
		}
	}
	from.Succs = append(from.Succs, to)
	to.Preds = append(to.Preds, from)
}

func (b *cfgBuilder) add(n ast.Node) *Node {
	nd := &Node{AST: n, Modifier: b.owner, Block: b.cur, Index: len(b.cur.Nodes), Unchecked: b.unchecked > 0}
	if len(b.loops) > 0 {
		nd.Loop = b.loops[len(b.loops)-1]
	}
	b.cur.Nodes = append(b.cur.Nodes, nd)
	b.g.byAST[n] = append(b.g.byAST[n], nd)
	b.g.nodes++
	return nd
}

// startNew ends the current block and starts a fresh one reached from it.
func (b *cfgBuilder) startNew() *BasicBlock {
	nb := b.newBlock()
	b.edge(b.cur, nb)
	b.cur = nb
	return nb
}

// deadEnd starts a fresh unreachable block after a jump.
func (b *cfgBuilder) deadEnd() { b.cur = b.newBlock() }

func (b *cfgBuilder) stmts(list []ast.Stmt, layer int) {
	for _, s := range list {
		b.stmt(s, layer)
	}
}

// jumpKind classifies a statement that terminates or may terminate.
func revertCall(s ast.Stmt) (always, maybe bool) {
	es, ok := s.(*ast.ExprStmt)
	if !ok {
		return false, false
	}
	ce, ok := es.X.(*ast.CallExpr)
	if !ok {
		return false, false
	}
	id, ok := ce.Fun.(*ast.Ident)
	if !ok {
		return false, false
	}
	switch id.Name {
	case "revert":
		return true, false
	case "require", "assert":
		return false, true
	case "selfdestruct", "suicide":
		return true, false
	}
	return false, false
}

func (b *cfgBuilder) stmt(s ast.Stmt, layer int) {
	switch s := s.(type) {
	case nil:
	case *ast.Block:
		if s == nil {
			return
		}
		if s.Unchecked {
			b.unchecked++
		}
		b.stmts(s.Stmts, layer)
		if s.Unchecked {
			b.unchecked--
		}
	case *ast.IfStmt:
		b.add(s.Cond)
		condB := b.cur
		join := b.newBlock()
		b.cur = b.newBlock()
		b.edge(condB, b.cur)
		b.stmt(s.Then, layer)
		b.edge(b.cur, join)
		if s.Else != nil {
			b.cur = b.newBlock()
			b.edge(condB, b.cur)
			b.stmt(s.Else, layer)
			b.edge(b.cur, join)
		} else {
			b.edge(condB, join)
		}
		b.cur = join
	case *ast.WhileStmt:
		head := b.startNew()
		b.add(s.Cond)
		exit := b.newBlock()
		b.edge(head, exit)
		b.cur = b.newBlock()
		b.edge(head, b.cur)
		b.loop(s, exit, head, s.Body, layer)
		b.edge(b.cur, head)
		b.cur = exit
	case *ast.DoWhileStmt:
		body := b.startNew()
		cond := b.newBlock()
		exit := b.newBlock()
		b.loop(s, exit, cond, s.Body, layer)
		b.edge(b.cur, cond)
		b.cur = cond
		b.add(s.Cond)
		b.edge(cond, body)
		b.edge(cond, exit)
		b.cur = exit
	case *ast.ForStmt:
		if s.Init != nil {
			b.stmt(s.Init, layer)
		}
		head := b.startNew()
		exit := b.newBlock()
		if s.Cond != nil {
			b.add(s.Cond)
			b.edge(head, exit)
		}
		post := b.newBlock()
		b.cur = b.newBlock()
		b.edge(head, b.cur)
		b.loop(s, exit, post, s.Body, layer)
		b.edge(b.cur, post)
		b.cur = post
		if s.Post != nil {
			b.loops = append(b.loops, s)
			b.add(s.Post)
			b.loops = b.loops[:len(b.loops)-1]
		}
		b.edge(post, head)
		b.cur = exit
	case *ast.ReturnStmt:
		b.add(s)
		b.edge(b.cur, b.ret)
		b.deadEnd()
	case *ast.RevertStmt, *ast.ThrowStmt:
		b.add(s)
		b.edge(b.cur, b.g.Revert)
		b.deadEnd()
	case *ast.BreakStmt:
		b.add(s)
		if n := len(b.jumps); n > 0 {
			b.edge(b.cur, b.jumps[n-1].brk)
		}
		b.deadEnd()
	case *ast.ContinueStmt:
		b.add(s)
		if n := len(b.jumps); n > 0 {
			b.edge(b.cur, b.jumps[n-1].cont)
		}
		b.deadEnd()
	case *ast.TryStmt:
		b.add(s)
		from := b.cur
		join := b.newBlock()
		b.cur = b.newBlock()
		b.edge(from, b.cur)
		b.stmt(s.Body, layer)
		b.edge(b.cur, join)
		for _, cc := range s.Catches {
			if cc == nil || cc.Body == nil {
				continue
			}
			b.cur = b.newBlock()
			b.edge(from, b.cur)
			b.stmt(cc.Body, layer)
			b.edge(b.cur, join)
		}
		if len(s.Catches) == 0 {
			b.edge(from, b.g.Revert)
		}
		b.cur = join
	case *ast.PlaceholderStmt:
		b.add(s)
		if b.splices >= maxSplices {
			return
		}
		b.splices++
		after := b.newBlock()
		saveRet := b.ret
		b.ret = after
		b.startNew()
		b.layer(layer + 1)
		b.edge(b.cur, after)
		b.ret = saveRet
		b.cur = after
	default:
		b.add(s)
		if always, maybe := revertCall(s); always {
			b.edge(b.cur, b.g.Revert)
			b.deadEnd()
		} else if maybe {
			b.edge(b.cur, b.g.Revert)
			b.startNew()
		}
	}
}

func (b *cfgBuilder) loop(s ast.Stmt, brk, cont *BasicBlock, bodyStmt ast.Stmt, layer int) {
	b.jumps = append(b.jumps, jumpTargets{brk: brk, cont: cont})
	b.loops = append(b.loops, s)
	b.stmt(bodyStmt, layer)
	b.loops = b.loops[:len(b.loops)-1]
	b.jumps = b.jumps[:len(b.jumps)-1]
}

// computeReach fills the block reachability bitsets.
func (g *CFG) computeReach() {
	n := len(g.Blocks)
	words := (n + 63) / 64
	g.reach = make([][]uint64, n)
	stack := make([]*BasicBlock, 0, n)
	for i, start := range g.Blocks {
		bits := make([]uint64, words)
		stack = append(stack[:0], start.Succs...)
		for len(stack) > 0 {
			x := stack[len(stack)-1]
			stack = stack[:len(stack)-1]
			if bits[x.Index/64]&(1<<(uint(x.Index)%64)) != 0 {
				continue
			}
			bits[x.Index/64] |= 1 << (uint(x.Index) % 64)
			stack = append(stack, x.Succs...)
		}
		g.reach[i] = bits
	}
}
