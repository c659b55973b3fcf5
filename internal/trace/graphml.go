package trace

import (
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
)

// GraphML document types (http://graphml.graphdrawing.org/), enough for
// Gephi and yEd: nodes with kind/share, edges with order, asset, amount,
// share and transaction.
type (
	gmlDoc struct {
		XMLName xml.Name `xml:"graphml"`
		XMLNS   string   `xml:"xmlns,attr"`
		Keys    []gmlKey `xml:"key"`
		Graph   gmlGraph `xml:"graph"`
	}
	gmlKey struct {
		ID   string `xml:"id,attr"`
		For  string `xml:"for,attr"`
		Name string `xml:"attr.name,attr"`
		Type string `xml:"attr.type,attr"`
	}
	gmlGraph struct {
		ID          string    `xml:"id,attr"`
		EdgeDefault string    `xml:"edgedefault,attr"`
		Nodes       []gmlNode `xml:"node"`
		Edges       []gmlEdge `xml:"edge"`
	}
	gmlNode struct {
		ID   string    `xml:"id,attr"`
		Data []gmlData `xml:"data"`
	}
	gmlEdge struct {
		ID     string    `xml:"id,attr"`
		Source string    `xml:"source,attr"`
		Target string    `xml:"target,attr"`
		Data   []gmlData `xml:"data"`
	}
	gmlData struct {
		Key   string `xml:"key,attr"`
		Value string `xml:",chardata"`
	}
)

// writeGraphML writes the tainted flows as GraphML.
func writeGraphML(w io.Writer, r *Result) error {
	doc := gmlDoc{XMLNS: "http://graphml.graphdrawing.org/xmlns", Keys: []gmlKey{
		{"kind", "node", "kind", "string"}, {"label", "node", "label", "string"}, {"nshare", "node", "share", "double"},
		{"order", "edge", "order", "int"}, {"ekind", "edge", "kind", "string"}, {"asset", "edge", "asset", "string"},
		{"amount", "edge", "amount", "double"}, {"eshare", "edge", "share", "double"}, {"tx", "edge", "tx", "string"}, {"block", "edge", "block", "long"},
	}, Graph: gmlGraph{ID: "trace", EdgeDefault: "directed"}}
	scale := float64(max(len(r.Totals), 1))
	eps := map[string]Endpoint{}
	for _, e := range r.Endpoints {
		eps[e.Address.Hex()] = e
	}
	seen := map[string]bool{}
	add := func(id string) {
		if seen[id] {
			return
		}
		seen[id] = true
		n := gmlNode{ID: id}
		if ep, ok := eps[id]; ok {
			n.Data = []gmlData{{"kind", ep.Kind}, {"label", ep.Label}, {"nshare", strconv.FormatFloat(ep.Share*scale, 'g', 6, 64)}}
		}
		doc.Graph.Nodes = append(doc.Graph.Nodes, n)
	}
	for _, s := range r.Seeds {
		add(s.Hex())
	}
	for _, e := range r.Edges {
		add(e.From.Hex())
		add(e.To.Hex())
		asset := AssetName(e.Asset)
		if e.Kind == "swap" {
			asset += "→" + AssetName(e.AssetOut)
		}
		doc.Graph.Edges = append(doc.Graph.Edges, gmlEdge{ID: fmt.Sprintf("e%d", e.Order), Source: e.From.Hex(), Target: e.To.Hex(), Data: []gmlData{
			{"order", strconv.Itoa(e.Order)}, {"ekind", e.Kind}, {"asset", asset}, {"amount", strconv.FormatFloat(Units(e.Amount), 'g', -1, 64)},
			{"eshare", strconv.FormatFloat(e.Share*scale, 'g', 6, 64)}, {"tx", e.Tx.Hex()}, {"block", strconv.FormatUint(e.Block, 10)},
		}})
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return fmt.Errorf("trace: graphml: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}
