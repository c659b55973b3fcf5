package trace_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/png"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/aegis-defi/aegis/internal/testenv"
	"github.com/aegis-defi/aegis/internal/trace"
)

// chromiumPath is Debian's chromium (apt-get install chromium).
const chromiumPath = "/usr/bin/chromium"

// chromium runs headless Chromium on url with args and returns stdout.
func chromium(t *testing.T, url string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
		"--hide-scrollbars", "--force-device-scale-factor=1", "--user-data-dir=" + t.TempDir(), "--window-size=1400,900"}
	cmd := exec.CommandContext(ctx, chromiumPath, append(append(base, args...), url)...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		t.Fatalf("chromium %v: %v\n%s", args, err, errb.String())
	}
	return out.Bytes()
}

// TestHTMLChromium opens the laundering trace's page in headless
// Chromium: the script draws one SVG group per address and per tainted
// edge, a click (here the #select= fragment, the same handler) pins a
// node's details and dims the other flows, and the screenshot shows the
// flow graph with the edges of several assets in their colours.
func TestHTMLChromium(t *testing.T) {
	_, err := os.Stat(chromiumPath)
	testenv.Require(t, err == nil, "chromium", "apt-get install -y chromium (.ci/run does)")
	f := laundered(t)
	res, page := launderHTML(t, f)
	d := pageData(t, page)
	file := filepath.Join(t.TempDir(), "trace.html")
	if err := os.WriteFile(file, []byte(page), 0o644); err != nil {
		t.Fatal(err)
	}
	url := "file://" + file

	// The DOM after the script ran.
	dom := string(chromium(t, url+"#select="+f.truth.HotWallet.Hex(), "--dump-dom"))
	if n := strings.Count(dom, `<g class="edge`); n != len(d.Edges) || n < 10 {
		t.Fatalf("script drew %d arrows, want %d", n, len(d.Edges))
	}
	var drawn int
	for _, m := range regexp.MustCompile(`data-orders="([0-9 ]+)"`).FindAllStringSubmatch(dom, -1) {
		drawn += len(strings.Fields(m[1]))
	}
	if drawn != len(res.Edges) {
		t.Fatalf("arrows carry %d tainted edges, want %d", drawn, len(res.Edges))
	}
	if n := strings.Count(dom, `<g class="node`); n != len(d.Nodes) {
		t.Fatalf("script drew %d nodes, want %d", n, len(d.Nodes))
	}
	for _, a := range []string{f.truth.Attacker.Hex(), f.truth.HotWallet.Hex(), f.truth.Mixer.Hex(), f.truth.BridgeVault.Hex()} {
		if !strings.Contains(dom, `data-id="`+a+`"`) {
			t.Errorf("node %s not drawn", a)
		}
	}
	// The selected hot wallet: its details are shown, its incoming
	// flows stay, every other flow is dimmed.
	details := regexp.MustCompile(`(?s)<div id="details"[^>]*>(.*?)</div>`).FindStringSubmatch(dom)
	if details == nil || !strings.Contains(details[1], f.truth.HotWallet.Hex()) || !strings.Contains(details[1], "exchange") {
		t.Fatalf("selection details %q", details)
	}
	var in, dimmed int
	for _, e := range d.Edges {
		if e.To == f.truth.HotWallet.Hex() || e.From == f.truth.HotWallet.Hex() {
			in++
		}
	}
	dimmed = strings.Count(dom, `<g class="edge dim"`)
	if in == 0 || dimmed != len(d.Edges)-in {
		t.Fatalf("selection: %d edges dimmed, want %d (%d touch the hot wallet)", dimmed, len(d.Edges)-in, in)
	}
	rect := regexp.MustCompile(`data-rect="(\d+),(\d+),(\d+),(\d+)"`).FindStringSubmatch(dom)
	if rect == nil {
		t.Fatal("the script did not record where it drew the graph")
	}
	var box [4]int
	for i := range box {
		box[i], _ = strconv.Atoi(rect[i+1])
	}

	// The picture.
	shot := filepath.Join(t.TempDir(), "trace.png")
	chromium(t, url, "--screenshot="+shot)
	raw, err := os.ReadFile(shot)
	if err != nil {
		t.Fatal(err)
	}
	img, err := png.Decode(bytes.NewReader(raw))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if b := img.Bounds(); b.Dx() != 1400 || b.Dy() != 900 {
		t.Fatalf("screenshot %v, want 1400×900", b)
	}
	if dir := os.Getenv("AEGIS_TRACE_SCREENSHOT"); dir != "" { // for a look by eye
		_ = os.WriteFile(filepath.Join(dir, "trace.png"), raw, 0o644)
	}
	area := image.Rect(box[0], box[1], box[0]+box[2], box[1]+box[3]).Intersect(img.Bounds())
	colors := trace.AssetColors(res)
	want := map[string]int{}
	for _, c := range colors {
		want[c] = 0
	}
	distinct := map[uint32]bool{}
	var ink int
	for y := area.Min.Y; y < area.Max.Y; y++ {
		for x := area.Min.X; x < area.Max.X; x++ {
			r, g, b, _ := img.At(x, y).RGBA()
			r, g, b = r>>8, g>>8, b>>8
			distinct[r<<16|g<<8|b] = true
			if r < 0xf0 || g < 0xf0 || b < 0xf0 {
				ink++
			}
			for c := range want {
				if near(c, r, g, b) {
					want[c]++
				}
			}
		}
	}
	t.Logf("graph area %v: %.1f%% ink, %d colours; asset pixels %v", area, 100*float64(ink)/float64(area.Dx()*area.Dy()), len(distinct), want)
	if area.Dx() < 1000 || area.Dy() < 200 {
		t.Fatalf("graph drawn in %v only", area)
	}
	if frac := float64(ink) / float64(area.Dx()*area.Dy()); frac < 0.03 || len(distinct) < 50 {
		t.Fatalf("blank picture: %.1f%% ink, %d colours", 100*frac, len(distinct))
	}
	if len(want) < 2 {
		t.Fatalf("the trace moved %d assets, want several", len(want))
	}
	for c, n := range want {
		if n < 100 {
			t.Errorf("asset colour %s: %d pixels in the graph, want its edges drawn", c, n)
		}
	}
}

// near reports whether the 8-bit colour r,g,b is within a small
// distance of the #rrggbb colour c.
func near(c string, r, g, b uint32) bool {
	var cr, cg, cb uint32
	if _, err := fmt.Sscanf(c, "#%02x%02x%02x", &cr, &cg, &cb); err != nil {
		return false
	}
	d := func(a, b uint32) uint32 {
		if a > b {
			return a - b
		}
		return b - a
	}
	return d(cr, r) <= 12 && d(cg, g) <= 12 && d(cb, b) <= 12
}
