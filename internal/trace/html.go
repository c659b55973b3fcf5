package trace

import (
	"fmt"
	"hash/fnv"
	"html/template"
	"io"
	"math"
	"slices"
	"sort"
	"strings"

	"github.com/ethereum/go-ethereum/common"
)

// HTML layout constants (pixels of the SVG user space).
const (
	htmlColW, htmlRowH, htmlBoxW, htmlBoxH = 290, 76, 170, 44
)

// htmlNode is one box of the flow picture.
type htmlNode struct {
	ID       string   `json:"id"`
	Label    string   `json:"label"`
	Kind     string   `json:"kind"`
	X        int      `json:"x"`
	Y        int      `json:"y"`
	Endpoint bool     `json:"endpoint"`
	Boundary bool     `json:"boundary"`
	Details  []string `json:"details"`
}

// htmlEdge is one arrow of the flow picture.
type htmlEdge struct {
	From    string   `json:"from"`
	To      string   `json:"to"`
	Orders  []int    `json:"orders"`
	Path    string   `json:"d"`
	Label   string   `json:"label"`
	Color   string   `json:"color"`
	Width   float64  `json:"width"`
	LX      int      `json:"lx"`
	LY      int      `json:"ly"`
	Details []string `json:"details"`
}

// htmlAsset is one legend entry.
type htmlAsset struct {
	Name  string `json:"name"`
	Color string `json:"color"`
}

// htmlData is what the page's script draws.
type htmlData struct {
	W      int         `json:"w"`
	H      int         `json:"h"`
	BoxW   int         `json:"boxW"`
	BoxH   int         `json:"boxH"`
	Nodes  []htmlNode  `json:"nodes"`
	Edges  []htmlEdge  `json:"edges"`
	Assets []htmlAsset `json:"assets"`
}

// assetPalette are well-separated colours given to a page's assets in
// order of first appearance (ETH is always the first, blue).
var assetPalette = [...]string{"#1f6fd1", "#e6731a", "#2a9d4b", "#c2338a", "#8a5cd6", "#c9a100", "#16a3a3", "#d13b3b"}

// AssetColors gives every asset moved along r's edges its colour in the
// HTML picture (an edge has the colour of the asset it delivers: a swap
// that of what the trader got): ETH blue, then the palette in time order, then a stable
// hash colour when the palette runs out.
func AssetColors(r *Result) map[common.Address]string {
	cols := map[common.Address]string{}
	next := 0
	add := func(a common.Address) {
		if _, ok := cols[a]; ok {
			return
		}
		switch {
		case a == (common.Address{}):
			cols[a] = assetPalette[0]
		case next+1 < len(assetPalette):
			next++
			cols[a] = assetPalette[next]
		default:
			h := fnv.New32a()
			_, _ = h.Write(a[:])
			cols[a] = hslHex(float64(h.Sum32()%360), 0.65, 0.42)
		}
	}
	add(common.Address{})
	for _, e := range r.Edges {
		add(e.Asset)
		if e.Kind == "swap" {
			add(e.AssetOut)
		}
	}
	if !hasETH(r) {
		delete(cols, common.Address{})
	}
	return cols
}

func hasETH(r *Result) bool {
	for _, e := range r.Edges {
		if e.Asset == (common.Address{}) || (e.Kind == "swap" && e.AssetOut == (common.Address{})) {
			return true
		}
	}
	return false
}

// hslHex converts HSL (h in degrees, s and l in [0,1]) to #rrggbb.
func hslHex(h, s, l float64) string {
	c := (1 - math.Abs(2*l-1)) * s
	x := c * (1 - math.Abs(math.Mod(h/60, 2)-1))
	m := l - c/2
	var r, g, b float64
	switch {
	case h < 60:
		r, g = c, x
	case h < 120:
		r, g = x, c
	case h < 180:
		g, b = c, x
	case h < 240:
		g, b = x, c
	case h < 300:
		r, b = x, c
	default:
		r, b = c, x
	}
	to := func(v float64) int { return int(math.Round((v + m) * 255)) }
	return fmt.Sprintf("#%02x%02x%02x", to(r), to(g), to(b))
}

// layout computes the picture: a left-to-right flow graph (seeds on the
// left, one column per hop), edge width by share of the traced value,
// edges numbered in time order and coloured per asset.
func layout(r *Result) htmlData {
	kind := map[common.Address]Endpoint{}
	for _, e := range r.Endpoints {
		kind[e.Address] = e
	}
	edges := append([]Edge(nil), r.Edges...)
	sort.SliceStable(edges, func(i, j int) bool { return edges[i].Order < edges[j].Order })
	// Columns: the longest causal chain from the seeds (taint moves
	// forward in time, so one pass in time order layers every edge left
	// to right unless the addresses form a cycle); rows in the order
	// taint first reached each address.
	hop := map[common.Address]int{}
	var order []common.Address
	for _, s := range r.Seeds {
		if _, ok := hop[s]; !ok {
			hop[s] = 0
			order = append(order, s)
		}
	}
	walk := edges
	if r.Direction == Backward {
		walk = append([]Edge(nil), edges...)
		slices.Reverse(walk)
	}
	for _, e := range walk {
		from, to := e.From, e.To
		if r.Direction == Backward {
			from, to = to, from
		}
		h, ok := hop[from]
		if !ok || from == to {
			continue
		}
		if old, seen := hop[to]; !seen || (old < h+1 && !slices.Contains(r.Seeds, to)) {
			if !seen {
				order = append(order, to)
			}
			hop[to] = h + 1
		}
	}
	for _, e := range edges { // anything unreachable goes in column 0
		for _, a := range []common.Address{e.From, e.To} {
			if _, ok := hop[a]; !ok {
				hop[a] = 0
				order = append(order, a)
			}
		}
	}
	deposit := map[common.Address]bool{}
	for _, ep := range r.Endpoints {
		for _, a := range ep.Deposits {
			deposit[a] = true
		}
	}
	d := htmlData{BoxW: htmlBoxW, BoxH: htmlBoxH}
	rows := map[int]int{}
	pos := map[common.Address][2]int{}
	for _, a := range order {
		col := hop[a]
		x, y := 20+col*htmlColW, 50+rows[col]*htmlRowH
		rows[col]++
		pos[a] = [2]int{x, y}
		n := htmlNode{ID: a.Hex(), Label: Short(a), X: x, Y: y, Details: []string{a.Hex()}}
		if ep, ok := kind[a]; ok {
			n.Endpoint, n.Kind = true, ep.Kind
			n.Boundary = ep.Kind != KindHolder && ep.Kind != KindOrigin
			if ep.Label != "" {
				n.Details = append(n.Details, fmt.Sprintf("label: %s (source: %s)", ep.Label, ep.LabelSource))
			}
			n.Details = append(n.Details, ep.Explanation)
			if ep.Evidence != "" {
				n.Details = append(n.Details, "evidence: "+ep.Evidence)
			}
			for _, c := range ep.Candidates {
				n.Details = append(n.Details, fmt.Sprintf("candidate %s (confidence %.2f): %s", c.Address.Hex(), c.Confidence, c.Evidence))
			}
		} else if deposit[a] {
			n.Kind = "exchange deposit"
		} else if col == 0 {
			n.Kind = "seed"
		}
		d.Nodes = append(d.Nodes, n)
		d.W, d.H = max(d.W, x+htmlBoxW+40), max(d.H, y+htmlBoxH+40)
	}
	colors := AssetColors(r)
	for a, c := range colors {
		d.Assets = append(d.Assets, htmlAsset{Name: AssetName(a), Color: c})
	}
	sort.Slice(d.Assets, func(i, j int) bool { return d.Assets[i].Color < d.Assets[j].Color })
	scale := float64(max(len(r.Totals), 1))
	// Repeated flows of one asset between the same two addresses (mixer
	// chunks, batched payouts) are drawn as one arrow listing them all.
	type group struct {
		first         Edge
		orders        []int
		amount, share float64
		details       []string
	}
	var groups []*group
	byKey := map[[5]common.Address]*group{}
	for _, e := range edges {
		key := [5]common.Address{e.From, e.To, e.Asset, e.AssetOut, common.BytesToAddress([]byte(e.Kind))}
		g := byKey[key]
		if g == nil {
			g = &group{first: e}
			byKey[key] = g
			groups = append(groups, g)
		}
		g.orders = append(g.orders, e.Order)
		g.amount += e.Amount
		g.share += e.Share
		det := fmt.Sprintf("#%d %.6g %s", e.Order, Units(e.Amount), AssetName(e.Asset))
		if e.Kind == "swap" {
			det += fmt.Sprintf(" → %.6g %s", Units(e.AmountOut), AssetName(e.AssetOut))
		}
		det += fmt.Sprintf(" (%s) tx %s, block %d, %.1f%% of the traced value", e.Kind, e.Tx.Hex(), e.Block, 100*e.Share*scale)
		if len(e.Via) > 0 {
			var via []string
			for _, v := range e.Via {
				via = append(via, Short(v))
			}
			det += " via " + strings.Join(via, ", ")
		}
		g.details = append(g.details, det)
	}
	corridor := map[int]int{}
	for _, g := range groups {
		e := g.first
		p, q := pos[e.From], pos[e.To]
		var path string
		lx, ly := 0, 0
		switch {
		case e.From == e.To: // a swap paid to the trader itself
			x, y := p[0]+htmlBoxW/2, p[1]
			path = fmt.Sprintf("M%d,%d C%d,%d %d,%d %d,%d", x-20, y, x-40, y-45, x+40, y-45, x+20, y)
			lx, ly = x, y-38
		case q[0]-p[0] > htmlColW: // spans columns: run along the corridor between rows, above both ends
			x1, y1, x2, y2 := p[0]+htmlBoxW, p[1]+htmlBoxH/2, q[0], q[1]+htmlBoxH/2
			cy := min(p[1], q[1]) - (htmlRowH-htmlBoxH)/2
			a, b := x1+(htmlColW-htmlBoxW)/2, x2-(htmlColW-htmlBoxW)/2
			path = fmt.Sprintf("M%d,%d C%d,%d %d,%d %d,%d L%d,%d C%d,%d %d,%d %d,%d", x1, y1, (x1+a)/2, y1, (x1+a)/2, cy, a, cy, b, cy, (b+x2)/2, cy, (b+x2)/2, y2, x2, y2)
			lx, ly = (a+b)/2-90*corridor[cy], cy-4
			corridor[cy]++ // labels of arrows sharing a corridor side by side
		default:
			x1, y1, x2, y2 := p[0]+htmlBoxW, p[1]+htmlBoxH/2, q[0], q[1]+htmlBoxH/2
			if x2 <= x1 {
				x1, x2 = p[0], q[0]+htmlBoxW
			}
			mx := (x1 + x2) / 2
			path = fmt.Sprintf("M%d,%d C%d,%d %d,%d %d,%d", x1, y1, mx, y1, mx, y2, x2, y2)
			lx, ly = mx, (y1+y2)/2-4
		}
		num := fmt.Sprintf("#%d", e.Order)
		if n := len(g.orders); n > 1 {
			num = fmt.Sprintf("#%d–%d %d×", g.orders[0], g.orders[n-1], n)
		}
		label := fmt.Sprintf("%s %.4g %s", num, Units(g.amount), AssetName(e.Asset))
		if e.Kind == "swap" {
			label += "→" + AssetName(e.AssetOut)
		}
		color := colors[e.Asset]
		if e.Kind == "swap" {
			color = colors[e.AssetOut]
		}
		d.Edges = append(d.Edges, htmlEdge{From: e.From.Hex(), To: e.To.Hex(), Orders: g.orders, Path: path, Label: label,
			Color: color, Width: math.Round((1.5+10*g.share*scale)*100) / 100, LX: lx, LY: ly,
			Details: append([]string{fmt.Sprintf("%s → %s", e.From.Hex(), e.To.Hex())}, g.details...)})
	}
	d.W, d.H = max(d.W, 400), max(d.H, 200)
	return d
}

// writeHTML writes one self-contained page (no external resources): the
// trace's data as JSON and a script that draws the flow graph as SVG,
// shows details on hover, and on click highlights a node's flows and
// pins its details (also reachable as page.html#select=ADDRESS).
func writeHTML(w io.Writer, r *Result) error {
	type epRow struct {
		Address, Kind, Pct, Explanation string
	}
	var eps []epRow
	scale := float64(max(len(r.Totals), 1))
	for _, e := range r.Endpoints {
		eps = append(eps, epRow{e.Address.Hex(), e.Kind, fmt.Sprintf("%.1f%%", 100*e.Share*scale), e.Explanation})
	}
	return htmlPage.Execute(w, map[string]any{"R": r, "Data": layout(r), "Eps": eps, "Units": Units, "Asset": AssetName})
}

var htmlPage = template.Must(template.New("trace").Parse(`<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>aegis trace — {{.R.Seed}}</title>
<style>
body{font-family:system-ui,sans-serif;margin:16px;color:#222}
#wrap{position:relative}
svg{border:1px solid #ddd;background:#fcfcfc;width:100%;height:auto}
.node rect{fill:#fff;stroke:#555;stroke-width:1.2}
.node.endpoint rect{fill:#fff4e0}
.node.boundary rect{fill:#ffe0e0}
.node.sel rect{stroke:#000;stroke-width:3}
.node text{font:12px monospace;fill:#222}
.node{cursor:pointer}
.edge path{fill:none}
.edge text{font:11px sans-serif;fill:#333;paint-order:stroke;stroke:#fcfcfc;stroke-width:3px}
.edge:hover path{filter:brightness(1.25)}
.dim{opacity:.12}
#details{position:absolute;top:8px;right:8px;max-width:520px;background:#fffffb;border:1px solid #bbb;padding:6px 10px;font-size:12px;display:none;white-space:pre-wrap;box-shadow:0 2px 6px #0003}
#legend span{display:inline-block;margin-right:14px;font-size:13px}
#legend i{display:inline-block;width:22px;height:6px;margin-right:5px;vertical-align:middle}
table{border-collapse:collapse;margin-top:12px}td,th{border:1px solid #ddd;padding:3px 8px;font-size:13px;text-align:left}
</style></head><body>
<h2>aegis trace — {{.R.Direction}} from {{.R.Seed}} ({{.R.Model}})</h2>
<p>{{range .R.Totals}}{{printf "%.6g" (call $.Units .Amount)}} {{call $.Asset .Asset}} · {{end}}{{.R.Visited}} nodes expanded · {{len .R.Edges}} tainted edges · edges numbered in time order, width by value · hover for details, click a node to highlight its flows</p>
<div id="legend"></div>
<div id="wrap"><svg id="flow" xmlns="http://www.w3.org/2000/svg"></svg><div id="details"></div></div>
<table><tr><th>#</th><th>endpoint</th><th>kind</th><th>share</th><th>explanation</th></tr>
{{range $i, $e := .Eps}}<tr><td>{{$i}}</td><td><code>{{$e.Address}}</code></td><td>{{$e.Kind}}</td><td>{{$e.Pct}}</td><td>{{$e.Explanation}}</td></tr>
{{end}}</table>
{{if .R.Findings}}<h3>laundering patterns</h3><ul>{{range .R.Findings}}<li><b>{{.Pattern}}</b>: {{.Detail}}</li>{{end}}</ul>{{end}}
<script>
(function(){
var D={{.Data}};
var NS='http://www.w3.org/2000/svg',svg=document.getElementById('flow'),det=document.getElementById('details'),pinned=null;
function el(tag,attrs,parent){var e=document.createElementNS(NS,tag);for(var k in attrs)e.setAttribute(k,attrs[k]);if(parent)parent.appendChild(e);return e;}
function show(lines){det.textContent=lines.join('\n');det.style.display='block';}
function hide(){if(pinned===null)det.style.display='none';}
svg.setAttribute('viewBox','0 0 '+D.w+' '+D.h);svg.setAttribute('width',D.w);svg.setAttribute('height',D.h);
var defs=el('defs',{},svg);
D.assets.forEach(function(a,i){var m=el('marker',{id:'arrow'+i,viewBox:'0 0 10 10',refX:9,refY:5,markerWidth:5,markerHeight:5,orient:'auto'},defs);
  el('path',{d:'M0,0 L10,5 L0,10 z',fill:a.color},m);a.marker='url(#arrow'+i+')';
  var s=document.createElement('span');s.innerHTML='<i></i>';s.firstChild.style.background=a.color;s.appendChild(document.createTextNode(a.name));document.getElementById('legend').appendChild(s);});
function marker(c){for(var i=0;i<D.assets.length;i++)if(D.assets[i].color===c)return D.assets[i].marker;return '';}
var edges=el('g',{id:'edges'},svg),nodes=el('g',{id:'nodes'},svg),labels=el('g',{id:'labels'},svg);
D.edges.forEach(function(e){
  var g=el('g',{'class':'edge','data-from':e.from,'data-to':e.to,'data-orders':e.orders.join(' ')},edges);
  el('path',{d:e.d,stroke:e.color,'stroke-width':e.width,'marker-end':marker(e.color)},g);
  el('title',{},g).textContent=e.details.join('\n');
  var t=el('text',{x:e.lx,y:e.ly,'text-anchor':'middle','class':'elabel','data-from':e.from,'data-to':e.to},labels);t.textContent=e.label;
  g.addEventListener('mouseenter',function(){if(pinned===null)show(e.details);});g.addEventListener('mouseleave',hide);});
D.nodes.forEach(function(n){
  var cls='node'+(n.endpoint?' endpoint':'')+(n.boundary?' boundary':'');
  var g=el('g',{'class':cls,'data-id':n.id,transform:'translate('+n.x+','+n.y+')'},nodes);
  el('rect',{width:D.boxW,height:D.boxH,rx:6},g);
  el('text',{x:8,y:18},g).textContent=n.label;el('text',{x:8,y:35},g).textContent=n.kind;
  el('title',{},g).textContent=n.details.join('\n');
  g.addEventListener('mouseenter',function(){if(pinned===null)show(n.details);});g.addEventListener('mouseleave',hide);
  g.addEventListener('click',function(){select(pinned===n.id?null:n.id);});});
function select(id){
  pinned=id;var n=null;
  D.nodes.forEach(function(m){if(m.id===id)n=m;});
  document.querySelectorAll('.node').forEach(function(g){g.classList.toggle('sel',g.getAttribute('data-id')===id);});
  document.querySelectorAll('.edge,.elabel').forEach(function(g){
    var hit=g.getAttribute('data-from')===id||g.getAttribute('data-to')===id;g.classList.toggle('dim',id!==null&&!hit);});
  if(n===null){pinned=null;det.style.display='none';return;}
  var lines=n.details.slice();
  D.edges.forEach(function(e){if(e.from===id||e.to===id)lines.push((e.from===id?'out ':'in  ')+e.label);});
  show(lines);}
var m=/select=(0x[0-9a-fA-F]{40})/.exec(location.hash);if(m)select(m[1]);
var b=svg.getBoundingClientRect();svg.setAttribute('data-rect',[b.left,b.top,b.width,b.height].map(Math.round).join(','));
})();
</script>
</body></html>
`))
