package report

import (
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/aegis-defi/aegis/analysis"
)

// SARIF constants.
const (
	sarifSchema  = "https://json.schemastore.org/sarif-2.1.0.json"
	sarifVersion = "2.1.0"
	toolURI      = "https://github.com/aegis-defi/aegis"
	srcRoot      = "%SRCROOT%"
)

type sarifLog struct {
	Schema  string     `json:"$schema"`
	Version string     `json:"version"`
	Runs    []sarifRun `json:"runs"`
}

type sarifRun struct {
	Tool        sarifTool         `json:"tool"`
	Invocations []sarifInvocation `json:"invocations"`
	Results     []sarifResult     `json:"results"`
}

type sarifTool struct {
	Driver sarifDriver `json:"driver"`
}

type sarifDriver struct {
	Name           string      `json:"name"`
	InformationURI string      `json:"informationUri"`
	Version        string      `json:"version,omitempty"`
	Rules          []sarifRule `json:"rules"`
}

type sarifText struct {
	Text     string `json:"text"`
	Markdown string `json:"markdown,omitempty"`
}

type sarifRule struct {
	ID                   string            `json:"id"`
	Name                 string            `json:"name"`
	ShortDescription     sarifText         `json:"shortDescription"`
	FullDescription      sarifText         `json:"fullDescription"`
	Help                 sarifText         `json:"help"`
	DefaultConfiguration sarifRuleConfig   `json:"defaultConfiguration"`
	Properties           sarifRuleProperty `json:"properties"`
}

type sarifRuleConfig struct {
	Level string `json:"level"`
}

type sarifRuleProperty struct {
	Tags             []string `json:"tags"`
	Precision        string   `json:"precision"`
	SecuritySeverity string   `json:"security-severity"`
}

type sarifInvocation struct {
	ExecutionSuccessful        bool                `json:"executionSuccessful"`
	ToolExecutionNotifications []sarifNotification `json:"toolExecutionNotifications,omitempty"`
}

type sarifNotification struct {
	Level     string          `json:"level"`
	Message   sarifText       `json:"message"`
	Locations []sarifLocation `json:"locations,omitempty"`
}

type sarifResult struct {
	RuleID              string            `json:"ruleId"`
	RuleIndex           int               `json:"ruleIndex"`
	Level               string            `json:"level"`
	Message             sarifText         `json:"message"`
	Locations           []sarifLocation   `json:"locations"`
	PartialFingerprints map[string]string `json:"partialFingerprints"`
}

type sarifLocation struct {
	PhysicalLocation sarifPhysical `json:"physicalLocation"`
}

type sarifPhysical struct {
	ArtifactLocation sarifArtifact `json:"artifactLocation"`
	Region           *sarifRegion  `json:"region,omitempty"`
}

type sarifArtifact struct {
	URI       string `json:"uri"`
	URIBaseID string `json:"uriBaseId"`
}

type sarifRegion struct {
	StartLine   int `json:"startLine"`
	StartColumn int `json:"startColumn,omitempty"`
	EndLine     int `json:"endLine,omitempty"`
	EndColumn   int `json:"endColumn,omitempty"`
}

// sarifLevel maps a severity to a SARIF level.
func sarifLevel(s analysis.Severity) string {
	switch s {
	case analysis.Critical, analysis.High:
		return "error"
	case analysis.Medium:
		return "warning"
	}
	return "note"
}

// securitySeverity maps a severity to GitHub's numeric security-severity
// (critical > 9.0, high 7.0–8.9, medium 4.0–6.9, low 0.1–3.9).
func securitySeverity(s analysis.Severity) string {
	switch s {
	case analysis.Critical:
		return "9.5"
	case analysis.High:
		return "8.0"
	case analysis.Medium:
		return "5.5"
	case analysis.Low:
		return "3.0"
	}
	return "0.1"
}

// precision maps a confidence to SARIF's precision property.
func precision(c analysis.Confidence) string {
	switch c {
	case analysis.ConfidenceHigh:
		return "high"
	case analysis.ConfidenceMedium:
		return "medium"
	}
	return "low"
}

// WriteSARIF writes r as a SARIF 2.1.0 log accepted by GitHub code
// scanning: one rule per detector, results with relative URIs under
// %SRCROOT% and the stable fingerprint as partialFingerprints.
func WriteSARIF(w io.Writer, r *Result, opts Options) error {
	dets := slices.Clone(r.Detectors)
	for _, f := range r.Findings { // findings of detectors not listed still need a rule
		if r.detector(f.Detector) == nil && !slices.ContainsFunc(dets, func(a *analysis.Analyzer) bool { return a.Name == f.Detector }) {
			dets = append(dets, &analysis.Analyzer{Name: f.Detector, Title: f.Title, Severity: f.Severity, Confidence: f.Confidence, Category: f.Category, SWC: f.SWC})
		}
	}
	slices.SortFunc(dets, func(a, b *analysis.Analyzer) int { return strings.Compare(a.Name, b.Name) })
	index := make(map[string]int, len(dets))
	run := sarifRun{
		Tool: sarifTool{Driver: sarifDriver{
			Name:           "aegis",
			InformationURI: toolURI,
			Version:        opts.ToolVersion,
			Rules:          []sarifRule{},
		}},
		Results: []sarifResult{},
	}
	for i, a := range dets {
		index[a.Name] = i
		tags := []string{"security", "solidity"}
		if a.Category != "" {
			tags = append(tags, a.Category)
		}
		if a.SWC != "" {
			tags = append(tags, a.SWC)
		}
		full := a.Doc.Summary
		if full == "" {
			full = a.Title
		}
		run.Tool.Driver.Rules = append(run.Tool.Driver.Rules, sarifRule{
			ID:                   a.Name,
			Name:                 ruleName(a.Name),
			ShortDescription:     sarifText{Text: a.Title},
			FullDescription:      sarifText{Text: full},
			Help:                 sarifText{Text: helpText(a), Markdown: helpMarkdown(a)},
			DefaultConfiguration: sarifRuleConfig{Level: sarifLevel(a.Severity)},
			Properties: sarifRuleProperty{
				Tags:             tags,
				Precision:        precision(a.Confidence),
				SecuritySeverity: securitySeverity(a.Severity),
			},
		})
	}
	for _, f := range r.Findings {
		res := sarifResult{
			RuleID:    f.Detector,
			RuleIndex: index[f.Detector],
			Level:     sarifLevel(f.Severity),
			Message:   sarifText{Text: f.Message},
			Locations: []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: f.File, URIBaseID: srcRoot},
				Region:           region(f.Line, f.Column, f.EndLine, f.EndColumn),
			}}},
			PartialFingerprints: map[string]string{"aegisFingerprint/v1": f.Fingerprint},
		}
		run.Results = append(run.Results, res)
	}
	inv := sarifInvocation{ExecutionSuccessful: true}
	for _, e := range r.Errors {
		file, line, col, msg := errorLocation(e)
		n := sarifNotification{Level: "warning", Message: sarifText{Text: msg}}
		if file != "" {
			n.Locations = []sarifLocation{{PhysicalLocation: sarifPhysical{
				ArtifactLocation: sarifArtifact{URI: file, URIBaseID: srcRoot},
				Region:           region(line, col, 0, 0),
			}}}
		}
		inv.ToolExecutionNotifications = append(inv.ToolExecutionNotifications, n)
	}
	run.Invocations = []sarifInvocation{inv}
	log := sarifLog{Schema: sarifSchema, Version: sarifVersion, Runs: []sarifRun{run}}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	if err := enc.Encode(log); err != nil {
		return fmt.Errorf("write sarif report: %w", err)
	}
	return nil
}

// region returns a SARIF region, or nil without a line.
func region(line, col, endLine, endCol int) *sarifRegion {
	if line <= 0 {
		return nil
	}
	r := &sarifRegion{StartLine: line, StartColumn: col}
	if endLine >= line {
		r.EndLine = endLine
		if endCol > 0 && (endLine > line || endCol > col) {
			r.EndColumn = endCol
		}
	}
	return r
}

// ruleName converts kebab-case to PascalCase ("tx-origin" → "TxOrigin").
func ruleName(id string) string {
	var b strings.Builder
	for _, part := range strings.Split(id, "-") {
		if part != "" {
			b.WriteString(strings.ToUpper(part[:1]) + part[1:])
		}
	}
	return b.String()
}

func helpText(a *analysis.Analyzer) string {
	var parts []string
	for _, s := range []string{a.Doc.Summary, a.Doc.Exploit, a.Doc.Recommendation} {
		if s != "" {
			parts = append(parts, s)
		}
	}
	if len(parts) == 0 {
		return a.Title
	}
	return strings.Join(parts, "\n\n")
}

func helpMarkdown(a *analysis.Analyzer) string {
	var b strings.Builder
	fmt.Fprintf(&b, "**%s**", a.Title)
	if a.Doc.Summary != "" {
		fmt.Fprintf(&b, "\n\n%s", a.Doc.Summary)
	}
	if a.Doc.Exploit != "" {
		fmt.Fprintf(&b, "\n\n**Exploit scenario.** %s", a.Doc.Exploit)
	}
	if a.Doc.Recommendation != "" {
		fmt.Fprintf(&b, "\n\n**Recommendation.** %s", a.Doc.Recommendation)
	}
	if a.SWC != "" {
		fmt.Fprintf(&b, "\n\nReference: [%s](https://swcregistry.io/docs/%s)", a.SWC, a.SWC)
	}
	return b.String()
}
