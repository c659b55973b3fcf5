package source

import (
	"errors"
	"testing"
)

func TestFile(t *testing.T) {
	f := NewFile("a.sol", []byte("line1\nline2\r\n\nx"))
	if f.LineCount() != 4 {
		t.Errorf("LineCount = %d", f.LineCount())
	}
	pos := f.Position(13)
	if pos.Line != 3 || pos.Column != 1 || pos.String() != "a.sol:3:1" {
		t.Errorf("Position = %+v", pos)
	}
	if got := f.Slice(Span{Start: 6, End: 11}); got != "line2" {
		t.Errorf("Slice = %q", got)
	}
	if got := f.Slice(Span{Start: 10, End: 1000}); got != "2\r\n\nx" {
		t.Errorf("clamped Slice = %q", got)
	}
	if p := f.Position(-5); p.Line != 1 || p.Column != 1 {
		t.Errorf("negative offset: %+v", p)
	}
}

func TestErrors(t *testing.T) {
	f := NewFile("b.sol", []byte("ab\ncd"))
	l := ErrorList{
		{File: f, Span: Span{Start: 4, End: 5}, Msg: "second"},
		{File: f, Span: Span{Start: 1, End: 2}, Msg: "first"},
	}
	l.Sort()
	if got := l.Error(); got != "b.sol:1:2: first\nb.sol:2:2: second" {
		t.Errorf("Error() = %q", got)
	}
	var el ErrorList
	if !errors.As(l.Err(), &el) || ErrorList(nil).Err() != nil {
		t.Error("Err()")
	}
}
