// Package source holds Solidity source files, byte-offset positions and
// spans, line/column conversion and positioned error values.
package source

import (
	"bytes"
	"fmt"
	"sort"
	"strings"
)

// Pos is a byte offset into a File's content.
type Pos int

// Span is a half-open byte range [Start, End) of a File's content.
type Span struct {
	Start Pos
	End   Pos
}

// Len returns the number of bytes covered by s.
func (s Span) Len() int { return int(s.End - s.Start) }

// Contains reports whether p lies within s.
func (s Span) Contains(p Pos) bool { return p >= s.Start && p < s.End }

// File is an immutable named source file with a precomputed line table.
type File struct {
	name    string
	content []byte
	text    string
	lines   []int // byte offset of the first byte of each line
}

// NewFile returns a File named name holding content. The content must not be
// modified afterwards.
func NewFile(name string, content []byte) *File {
	n := bytes.Count(content, []byte{'\n'})
	lines := make([]int, 1, n+1)
	for off := 0; ; {
		i := bytes.IndexByte(content[off:], '\n')
		if i < 0 {
			break
		}
		off += i + 1
		lines = append(lines, off)
	}
	return &File{name: name, content: content, text: string(content), lines: lines}
}

// Name returns the file name.
func (f *File) Name() string { return f.name }

// Content returns the file content; callers must not modify it.
func (f *File) Content() []byte { return f.content }

// Text returns the file content as a string.
func (f *File) Text() string { return f.text }

// Size returns the content length in bytes.
func (f *File) Size() int { return len(f.content) }

// LineCount returns the number of lines in the file.
func (f *File) LineCount() int {
	if len(f.content) > 0 && f.content[len(f.content)-1] == '\n' {
		return len(f.lines) - 1
	}
	return len(f.lines)
}

// Slice returns the source text covered by s, clamped to the file bounds.
func (f *File) Slice(s Span) string {
	a, b := int(s.Start), int(s.End)
	if a < 0 {
		a = 0
	}
	if b > len(f.text) {
		b = len(f.text)
	}
	if a > b {
		return ""
	}
	return f.text[a:b]
}

// Position is a human-readable source location with 1-based line and column
// (the column counts bytes).
type Position struct {
	Filename string
	Offset   int
	Line     int
	Column   int
}

// String formats p as file:line:col.
func (p Position) String() string {
	if p.Filename == "" {
		return fmt.Sprintf("%d:%d", p.Line, p.Column)
	}
	return fmt.Sprintf("%s:%d:%d", p.Filename, p.Line, p.Column)
}

// Position converts the offset p into a Position.
func (f *File) Position(p Pos) Position {
	off := int(p)
	if off < 0 {
		off = 0
	}
	if off > len(f.content) {
		off = len(f.content)
	}
	i := sort.Search(len(f.lines), func(i int) bool { return f.lines[i] > off }) - 1
	if i < 0 {
		i = 0
	}
	return Position{Filename: f.name, Offset: off, Line: i + 1, Column: off - f.lines[i] + 1}
}

// LineCol returns the 1-based line and column of p.
func (f *File) LineCol(p Pos) (line, col int) {
	pos := f.Position(p)
	return pos.Line, pos.Column
}

// Error is a diagnostic attached to a span of a file.
type Error struct {
	File *File
	Span Span
	Msg  string
}

// Position returns the start position of the error.
func (e Error) Position() Position {
	if e.File == nil {
		return Position{Offset: int(e.Span.Start)}
	}
	return e.File.Position(e.Span.Start)
}

// Error formats the error as file:line:col: msg.
func (e Error) Error() string {
	if e.File == nil {
		return fmt.Sprintf("%d: %s", e.Span.Start, e.Msg)
	}
	return e.Position().String() + ": " + e.Msg
}

// ErrorList is a list of errors that itself implements error.
type ErrorList []Error

// Error joins all messages with newlines.
func (l ErrorList) Error() string {
	var b strings.Builder
	for i, e := range l {
		if i > 0 {
			b.WriteByte('\n')
		}
		b.WriteString(e.Error())
	}
	return b.String()
}

// Err returns l as an error, or nil if l is empty.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// Sort orders the errors by file name and offset.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		var ni, nj string
		if l[i].File != nil {
			ni = l[i].File.name
		}
		if l[j].File != nil {
			nj = l[j].File.name
		}
		if ni != nj {
			return ni < nj
		}
		return l[i].Span.Start < l[j].Span.Start
	})
}
