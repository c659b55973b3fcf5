package trace

import (
	"fmt"
	"hash/fnv"
	"html/template"
	"io"
	"sort"

	"github.com/ethereum/go-ethereum/common"
)

// htmlNode is one box of the flow picture.
type htmlNode struct {
	ID, Label, Kind, Title string
	X, Y                   int
	Endpoint               bool
}

// htmlEdge is one arrow of the flow picture.
type htmlEdge struct {
	From, To, Path, Label, Color, Title string
	Width                               float64
	LX, LY                              int
}

// writeHTML writes one self-contained page: a left-to-right flow graph
// (seeds on the left, columns by hop), edge width by share of the traced
// value, edges numbered in time order and coloured per asset; hovering
// shows details and clicking a node highlights its edges. No external
// resources.
func writeHTML(w io.Writer, r *Result) error {
	const colW, rowH, boxW, boxH = 250, 70, 170, 44
	kind := map[common.Address]Endpoint{}
	for _, e := range r.Endpoints {
		kind[e.Address] = e
	}
	// Columns: hops from the seeds along the tainted edges.
	hop := map[common.Address]int{}
	var order []common.Address
	for _, s := range r.Seeds {
		if _, ok := hop[s]; !ok {
			hop[s] = 0
			order = append(order, s)
		}
	}
	for changed := true; changed; {
		changed = false
		for _, e := range r.Edges {
			from, to := e.From, e.To
			if r.Direction == Backward {
				from, to = to, from
			}
			h, ok := hop[from]
			if !ok || from == to {
				continue
			}
			if old, seen := hop[to]; !seen || old > h+1 {
				if !seen {
					order = append(order, to)
				}
				hop[to] = h + 1
				changed = true
			}
		}
	}
	for _, e := range r.Edges { // anything unreachable goes in column 0
		for _, a := range []common.Address{e.From, e.To} {
			if _, ok := hop[a]; !ok {
				hop[a] = 0
				order = append(order, a)
			}
		}
	}
	rows := map[int]int{}
	pos := map[common.Address][2]int{}
	var nodes []htmlNode
	maxX, maxY := 0, 0
	for _, a := range order {
		col := hop[a]
		x, y := 20+col*colW, 40+rows[col]*rowH
		rows[col]++
		pos[a] = [2]int{x, y}
		n := htmlNode{ID: a.Hex(), Label: Short(a), X: x, Y: y, Title: a.Hex()}
		if ep, ok := kind[a]; ok {
			n.Endpoint, n.Kind = true, ep.Kind
			n.Title += "\n" + ep.Explanation
		}
		nodes = append(nodes, n)
		maxX, maxY = max(maxX, x+boxW+40), max(maxY, y+boxH+40)
	}
	var edges []htmlEdge
	sorted := append([]Edge(nil), r.Edges...)
	sort.Slice(sorted, func(i, j int) bool { return sorted[i].Order < sorted[j].Order })
	scale := float64(max(len(r.Totals), 1))
	for _, e := range sorted {
		p, q := pos[e.From], pos[e.To]
		var path string
		lx, ly := 0, 0
		if e.From == e.To { // a swap paid to the trader itself
			x, y := p[0]+boxW/2, p[1]
			path = fmt.Sprintf("M%d,%d C%d,%d %d,%d %d,%d", x-20, y, x-40, y-45, x+40, y-45, x+20, y)
			lx, ly = x, y-40
		} else {
			x1, y1, x2, y2 := p[0]+boxW, p[1]+boxH/2, q[0], q[1]+boxH/2
			if x2 <= x1 {
				x1, x2 = p[0], q[0]+boxW
			}
			mx := (x1 + x2) / 2
			path = fmt.Sprintf("M%d,%d C%d,%d %d,%d %d,%d", x1, y1, mx, y1, mx, y2, x2, y2)
			lx, ly = mx, (y1+y2)/2-4
		}
		label := fmt.Sprintf("#%d %.4g %s", e.Order, Units(e.Amount), AssetName(e.Asset))
		if e.Kind == "swap" {
			label += "→" + AssetName(e.AssetOut)
		}
		edges = append(edges, htmlEdge{From: e.From.Hex(), To: e.To.Hex(), Path: path, Label: label, Color: assetColor(e.Asset),
			Width: 1.5 + 10*e.Share*scale, LX: lx, LY: ly,
			Title: fmt.Sprintf("%s\ntx %s (block %d)\n%.1f%% of the traced value", label, e.Tx.Hex(), e.Block, 100*e.Share*scale)})
	}
	type epRow struct {
		Address, Kind, Pct, Explanation string
	}
	var eps []epRow
	for _, e := range r.Endpoints {
		eps = append(eps, epRow{e.Address.Hex(), e.Kind, fmt.Sprintf("%.1f%%", 100*e.Share*scale), e.Explanation})
	}
	return htmlPage.Execute(w, map[string]any{"R": r, "Nodes": nodes, "Edges": edges, "Eps": eps, "W": max(maxX, 400), "H": max(maxY, 200),
		"BoxW": boxW, "BoxH": boxH, "Units": Units, "Asset": AssetName})
}

// assetColor gives each asset a stable colour (ETH is blue).
func assetColor(a common.Address) string {
	if a == (common.Address{}) {
		return "hsl(215,70%,45%)"
	}
	h := fnv.New32a()
	_, _ = h.Write(a[:])
	return fmt.Sprintf("hsl(%d,65%%,42%%)", h.Sum32()%360)
}

var htmlPage = template.Must(template.New("trace").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>aegis trace — {{.R.Seed}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:16px;color:#222}
svg{border:1px solid #ddd;background:#fcfcfc}
.node rect{fill:#fff;stroke:#555;rx:6}
.node.endpoint rect{fill:#fff4e0}
.node.boundary rect{fill:#ffe0e0}
.node text{font:12px monospace}
.edge path{fill:none;opacity:.75}
.edge text{font:11px sans-serif;fill:#333}
.dim{opacity:.12}
table{border-collapse:collapse;margin-top:12px}td,th{border:1px solid #ddd;padding:3px 8px;font-size:13px;text-align:left}
</style></head><body>
<h2>aegis trace — {{.R.Direction}} from {{.R.Seed}} ({{.R.Model}})</h2>
<p>{{range .R.Totals}}{{printf "%.6g" (call $.Units .Amount)}} {{call $.Asset .Asset}} · {{end}}{{.R.Visited}} nodes expanded · {{len .R.Edges}} tainted edges · click a node to highlight its flows</p>
<svg id="flow" xmlns="http://www.w3.org/2000/svg" width="{{.W}}" height="{{.H}}" viewBox="0 0 {{.W}} {{.H}}">
<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="6" markerHeight="6" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#555"/></marker></defs>
{{range .Edges}}<g class="edge" data-from="{{.From}}" data-to="{{.To}}"><path d="{{.Path}}" stroke="{{.Color}}" stroke-width="{{printf "%.2f" .Width}}" marker-end="url(#arrow)"><title>{{.Title}}</title></path><text x="{{.LX}}" y="{{.LY}}" text-anchor="middle">{{.Label}}</text></g>
{{end}}{{range .Nodes}}<g class="node{{if .Endpoint}} endpoint{{end}}{{if and .Endpoint (ne .Kind "holder")}} boundary{{end}}" data-id="{{.ID}}" transform="translate({{.X}},{{.Y}})"><rect width="{{$.BoxW}}" height="{{$.BoxH}}"></rect><text x="8" y="18">{{.Label}}</text><text x="8" y="35">{{.Kind}}</text><title>{{.Title}}</title></g>
{{end}}</svg>
<table><tr><th>#</th><th>endpoint</th><th>kind</th><th>share</th><th>explanation</th></tr>
{{range $i, $e := .Eps}}<tr><td>{{$i}}</td><td><code>{{$e.Address}}</code></td><td>{{$e.Kind}}</td><td>{{$e.Pct}}</td><td>{{$e.Explanation}}</td></tr>
{{end}}</table>
{{if .R.Findings}}<h3>laundering patterns</h3><ul>{{range .R.Findings}}<li><b>{{.Pattern}}</b>: {{.Detail}}</li>{{end}}</ul>{{end}}
<script>
document.querySelectorAll('.node').forEach(function(n){n.addEventListener('click',function(){
  var id=n.getAttribute('data-id'),on=n.classList.toggle('sel');
  document.querySelectorAll('.edge').forEach(function(e){
    var hit=e.getAttribute('data-from')===id||e.getAttribute('data-to')===id;
    e.classList.toggle('dim',on&&!hit);});});});
</script>
</body></html>
`))
