// Package project loads a Solidity code base for analysis: a single file,
// a directory tree, a Foundry project (foundry.toml, remappings.txt, lib/)
// or a Hardhat project (hardhat.config.*, node_modules/). It resolves
// imports (relative, remapped, library and node_modules lookups), follows
// them transitively so imported files are parsed too (marked as
// dependencies), and parses files in parallel. Missing imports and syntax
// errors are reported with their file:line:col; loading continues.
package project

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/aegis-defi/aegis/solidity/ast"
	"github.com/aegis-defi/aegis/solidity/parser"
	"github.com/aegis-defi/aegis/solidity/source"
)

// Kind is the kind of project layout detected.
type Kind int

// Project kinds.
const (
	Plain Kind = iota
	Foundry
	Hardhat
)

// String returns "plain", "foundry" or "hardhat".
func (k Kind) String() string {
	switch k {
	case Foundry:
		return "foundry"
	case Hardhat:
		return "hardhat"
	}
	return "plain"
}

// Options configures Load. The zero value is usable.
type Options struct {
	// BaseDir is the directory file paths are reported relative to
	// (typically the repository root, for SARIF). Files outside it are
	// reported relative to the project root. Default: the working directory.
	BaseDir string
	// Exclude lists globs (see CompileGlob) of paths, relative to the
	// project root, not to analyze. Excluded files that are imported are
	// still loaded, as dependencies.
	Exclude []string
	// SkipDirs are directory names skipped when walking, directly under the
	// project root only (so src/lib/ is walked); nil means DefaultSkipDirs.
	// Directories named node_modules are skipped at every depth.
	SkipDirs []string
	// Remappings are extra import remappings ("prefix=target"), applied
	// after those of the project.
	Remappings []string
	// Concurrency bounds parallel parsing; 0 means GOMAXPROCS.
	Concurrency int
}

// DefaultSkipDirs returns the directory names not walked by default when
// they are directly under the project root: dependency and build output
// folders. Their files are loaded only when imported. A project's own
// configuration adds its library, output and test directories (foundry.toml
// libs, out, test; Hardhat's node_modules, artifacts, cache, test).
func DefaultSkipDirs() []string {
	return []string{"node_modules", "out", "cache", "artifacts", "broadcast", "typechain-types"}
}

// Exclusion is a part of the tree that discovery did not audit, and why.
type Exclusion struct {
	// Path is the project-relative directory (with a trailing slash) or the
	// configured glob.
	Path string `json:"path"`
	// Reason says which convention or setting excluded it.
	Reason string `json:"reason"`
	// Files is the number of .sol files not audited because of it; 0 for
	// dependency folders, which are not counted (their files are analyzed
	// where imported).
	Files int `json:"files"`
	// Dependency marks a dependency folder (its files are loaded when
	// imported, so they are not counted).
	Dependency bool `json:"dependency"`
}

// File is a loaded Solidity file.
type File struct {
	// Path is the slash-separated display path (see Options.BaseDir).
	Path string
	// Abs is the absolute file name.
	Abs string
	// Source is the file content.
	Source *source.File
	// AST is the parsed source unit (never nil).
	AST *ast.SourceUnit
	// ParseErrors are the syntax errors of the file.
	ParseErrors []source.Error
	// Dependency marks a file that was loaded only because it is imported.
	Dependency bool
	// Imports maps each resolved import path literal (unquoted) to the Abs
	// name of the imported file.
	Imports map[string]string

	real string // Abs without symbolic links
}

// Project is a loaded code base.
type Project struct {
	// Root is the absolute project root (the directory of foundry.toml or
	// hardhat.config.*, or the directory loaded).
	Root string
	// Kind is the detected layout.
	Kind Kind
	// Files are the loaded files sorted by path, targets and dependencies.
	Files []*File
	// Errors are import resolution and read failures; parse errors are in
	// each File. Import errors are source.Error values with the location of
	// the import directive.
	Errors []error
	// Remappings are the effective import remappings.
	Remappings []Remapping
	// Excluded lists what discovery left out and why, in path order.
	Excluded []Exclusion
}

// Lines returns the total line count of the non-dependency files.
func (p *Project) Lines() int {
	n := 0
	for _, f := range p.Files {
		if !f.Dependency {
			n += f.Source.LineCount()
		}
	}
	return n
}

// Remapping is an import remapping "context:prefix=target"; Target is
// absolute.
type Remapping struct {
	Context string
	Prefix  string
	Target  string
}

// Load loads the project at path (a .sol file or a directory).
func Load(ctx context.Context, path string, opts Options) (*Project, error) {
	abs, err := filepath.Abs(path)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	st, err := os.Stat(abs)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	base := opts.BaseDir
	if base == "" {
		if base, err = os.Getwd(); err != nil {
			return nil, fmt.Errorf("load %s: %w", path, err)
		}
	}
	if base, err = filepath.Abs(base); err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}
	dir := abs
	if !st.IsDir() {
		if filepath.Ext(abs) != ".sol" {
			return nil, fmt.Errorf("load %s: not a .sol file", path)
		}
		dir = filepath.Dir(abs)
	}
	p := &Project{Root: dir}
	cfg := detect(dir)
	if cfg != nil {
		p.Root, p.Kind = cfg.root, cfg.kind
	}
	l := &loader{p: p, opts: opts, base: base, files: make(map[string]*File)}
	if err := l.configure(cfg); err != nil {
		return nil, fmt.Errorf("load %s: %w", path, err)
	}

	var targets []string
	switch {
	case !st.IsDir():
		targets = []string{abs}
	case cfg != nil && abs == cfg.root && len(cfg.sources) > 0:
		for _, s := range cfg.sources {
			t, err := l.walk(ctx, s)
			if err != nil {
				return nil, fmt.Errorf("load %s: %w", path, err)
			}
			targets = append(targets, t...)
		}
		if err := l.outsideSources(ctx, cfg); err != nil {
			return nil, fmt.Errorf("load %s: %w", path, err)
		}
	default:
		if targets, err = l.walk(ctx, abs); err != nil {
			return nil, fmt.Errorf("load %s: %w", path, err)
		}
	}
	if err := l.load(ctx, targets); err != nil {
		return nil, err
	}
	for _, f := range l.files {
		p.Files = append(p.Files, f)
	}
	slices.SortFunc(p.Files, func(a, b *File) int { return strings.Compare(a.Path, b.Path) })
	for _, e := range l.excluded {
		p.Excluded = append(p.Excluded, *e)
	}
	slices.SortFunc(p.Excluded, func(a, b Exclusion) int { return strings.Compare(a.Path, b.Path) })
	return p, nil
}

// loader holds the state of one Load.
type loader struct {
	p        *Project
	opts     Options
	base     string
	cfg      *config  // nil for a plain layout
	libs     []string // absolute library directories searched for bare imports
	exclude  []*regexp.Regexp
	globs    []string              // exclude's patterns
	files    map[string]*File      // by Abs
	real     map[string]*File      // by the symlink-free path, to load a file reached twice once
	excluded map[string]*Exclusion // by Path
	// realDirs are the root and the configured directories without
	// symbolic links, for skipDir.
	realDirs struct {
		root, tests   string
		libs, outputs []string
	}
}

// configure sets up remappings, libraries and exclusions.
func (l *loader) configure(cfg *config) error {
	l.cfg = cfg
	l.realDirs.root = realPath(l.p.Root)
	if cfg != nil {
		l.realDirs.tests = realPath(cfg.tests)
		for _, d := range cfg.libs {
			l.realDirs.libs = append(l.realDirs.libs, realPath(d))
		}
		for _, d := range cfg.outputs {
			l.realDirs.outputs = append(l.realDirs.outputs, realPath(d))
		}
	}
	for _, g := range l.opts.Exclude {
		re, err := CompileGlob(g)
		if err != nil {
			return err
		}
		l.exclude = append(l.exclude, re)
		l.globs = append(l.globs, g)
	}
	var specs []string
	if cfg != nil {
		specs = append(specs, cfg.remappings...)
		l.libs = cfg.libs
	}
	specs = append(specs, l.opts.Remappings...)
	for _, s := range specs {
		r, ok := parseRemapping(s, l.p.Root)
		if !ok {
			return fmt.Errorf("invalid remapping %q (want [context:]prefix=target)", s)
		}
		l.p.Remappings = append(l.p.Remappings, r)
	}
	if cfg != nil && cfg.kind == Foundry {
		l.p.Remappings = append(l.p.Remappings, autoRemappings(cfg.libs, l.p.Remappings)...)
	}
	return nil
}

// walk returns the .sol files under dir. It follows symbolic links (a
// directory reached twice, e.g. through a link cycle, is walked once) and
// skips hidden directories, dependency and build output folders of the
// project root, the convention test directory and excluded paths, recording
// the skipped ones in l.excluded. dir itself is walked even if a rule would
// skip it: it was asked for.
func (l *loader) walk(ctx context.Context, dir string) ([]string, error) {
	var out []string
	seen := make(map[string]bool)
	startReal := ""
	// A test directory asked for by name is audited with its tests.
	base := filepath.Base(dir)
	conventions := base != "test" && base != "tests" && (l.cfg == nil || (l.cfg.tests != dir && l.realDirs.tests != realPath(dir)))
	var rec func(d string) error
	rec = func(d string) error {
		real, err := filepath.EvalSymlinks(d)
		if err != nil {
			if d == dir && errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if startReal == "" {
			startReal = real
		} else if isWithin(startReal, real) {
			return nil // a link to the walk's start or above it: a cycle
		}
		if seen[real] {
			return nil
		}
		seen[real] = true
		entries, err := os.ReadDir(d)
		if err != nil {
			return err
		}
		for _, e := range entries {
			if ctx.Err() != nil {
				return context.Cause(ctx)
			}
			path := filepath.Join(d, e.Name())
			isDir := e.IsDir()
			if e.Type()&fs.ModeSymlink != 0 {
				st, err := os.Stat(path)
				if err != nil {
					continue // a dangling link is no source
				}
				isDir = st.IsDir()
			}
			rel := l.rootRel(path)
			if isDir {
				if strings.HasPrefix(e.Name(), ".") {
					continue
				}
				if ex := l.skipDir(path, rel); ex != nil {
					if err := l.recordExclusion(ctx, ex, path); err != nil {
						return err
					}
					continue
				}
				if err := rec(path); err != nil {
					return err
				}
				continue
			}
			if !strings.HasSuffix(e.Name(), ".sol") {
				continue
			}
			if g := l.excludedBy(rel); g != "" {
				l.exclusion(&Exclusion{Path: g, Reason: configExcluded}).Files++
				continue
			}
			if ex := conventionExclusion(e.Name()); conventions && ex != nil {
				l.exclusion(ex).Files++
				continue
			}
			out = append(out, path)
		}
		return nil
	}
	if err := rec(dir); err != nil {
		return nil, fmt.Errorf("walk %s: %w", dir, err)
	}
	return out, nil
}

// isWithin reports whether path is dir or below it.
func isWithin(path, dir string) bool {
	return path == dir || strings.HasPrefix(path, dir+string(filepath.Separator))
}

// realPath returns path without symbolic links, or path if it cannot be
// resolved.
func realPath(path string) string {
	if r, err := filepath.EvalSymlinks(path); err == nil {
		return r
	}
	return path
}

// conventionExclusion returns the exclusion of a file that Foundry's
// naming conventions mark as never deployed: tests (Foo.t.sol) and
// deployment scripts (Deploy.s.sol), or nil. The conventions hold in any
// layout (a package published without its foundry.toml keeps them), so
// discovery applies them everywhere and the report says so.
func conventionExclusion(name string) *Exclusion {
	switch {
	case len(name) > len(".t.sol") && strings.HasSuffix(name, ".t.sol"):
		return &Exclusion{Path: "**/*.t.sol", Reason: "Foundry test files (the .t.sol naming convention)"}
	case len(name) > len(".s.sol") && strings.HasSuffix(name, ".s.sol"):
		return &Exclusion{Path: "**/*.s.sol", Reason: "Foundry script files (the .s.sol naming convention)"}
	}
	return nil
}

// configExcluded is the reason of an exclusion by a configured glob.
const configExcluded = "excluded by configuration (audit.exclude_paths or --exclude)"

// skipDir returns the exclusion that keeps walk out of directory path
// (rel to the project root), or nil. The rules compare resolved paths, so
// reaching lib/ through a symbolic link does not escape them.
func (l *loader) skipDir(path, rel string) *Exclusion {
	name := filepath.Base(path)
	rp := realPath(path)
	atRoot := filepath.Dir(path) == l.p.Root || filepath.Dir(rp) == l.realDirs.root
	dirPath := rel + "/"
	in := func(plain, real []string) bool {
		return slices.Contains(plain, path) || slices.Contains(real, rp)
	}
	switch {
	case name == "node_modules":
		return &Exclusion{Path: dirPath, Reason: "node_modules dependencies (analyzed where imported)", Dependency: true}
	case l.cfg != nil && in(l.cfg.libs, l.realDirs.libs):
		return &Exclusion{Path: dirPath, Reason: fmt.Sprintf("%s library directory (analyzed where imported)", kindTitle(l.cfg.kind)), Dependency: true}
	case l.cfg != nil && (l.cfg.tests == path || l.realDirs.tests == rp):
		return &Exclusion{Path: dirPath, Reason: l.cfg.testsReason}
	case l.cfg != nil && in(l.cfg.outputs, l.realDirs.outputs):
		return &Exclusion{Path: dirPath, Reason: fmt.Sprintf("%s build output", kindTitle(l.cfg.kind))}
	case atRoot && slices.Contains(l.skipDirs(), name):
		return &Exclusion{Path: dirPath, Reason: "dependency or build output folder at the project root"}
	}
	if g := l.excludedBy(rel); g != "" {
		return &Exclusion{Path: g, Reason: configExcluded}
	}
	return nil
}

// kindTitle returns "Foundry", "Hardhat" or "plain".
func kindTitle(k Kind) string {
	switch k {
	case Foundry:
		return "Foundry"
	case Hardhat:
		return "Hardhat"
	}
	return k.String()
}

func (l *loader) skipDirs() []string {
	if l.opts.SkipDirs != nil {
		return l.opts.SkipDirs
	}
	return DefaultSkipDirs()
}

// recordExclusion records ex, skipping directory path, with the number of
// .sol files under it unless it is a dependency folder.
func (l *loader) recordExclusion(ctx context.Context, ex *Exclusion, path string) error {
	e := l.exclusion(ex)
	if ex.Dependency {
		return nil
	}
	n, err := countSol(ctx, path)
	e.Files += n
	return err
}

// exclusion returns the record for ex.Path, creating it from ex (with no
// files counted yet).
func (l *loader) exclusion(ex *Exclusion) *Exclusion {
	if l.excluded == nil {
		l.excluded = make(map[string]*Exclusion)
	}
	e, ok := l.excluded[ex.Path]
	if !ok {
		e = &Exclusion{Path: ex.Path, Reason: ex.Reason, Dependency: ex.Dependency}
		l.excluded[ex.Path] = e
	}
	return e
}

// countSol counts the .sol files under dir, following symbolic links once
// and not descending into hidden or node_modules directories.
func countSol(ctx context.Context, dir string) (int, error) {
	n := 0
	seen := make(map[string]bool)
	var rec func(d string) error
	rec = func(d string) error {
		real, err := filepath.EvalSymlinks(d)
		if err != nil || seen[real] {
			return nil
		}
		seen[real] = true
		entries, err := os.ReadDir(d)
		if err != nil {
			return nil
		}
		for _, e := range entries {
			if ctx.Err() != nil {
				return context.Cause(ctx)
			}
			path := filepath.Join(d, e.Name())
			st, err := os.Stat(path)
			switch {
			case err != nil:
			case st.IsDir():
				if !strings.HasPrefix(e.Name(), ".") && e.Name() != "node_modules" {
					if err := rec(path); err != nil {
						return err
					}
				}
			case strings.HasSuffix(e.Name(), ".sol"):
				n++
			}
		}
		return nil
	}
	err := rec(dir)
	return n, err
}

// outsideSources records the top-level directories of a project root that
// are not walked because they are outside its configured source
// directories (the test directory, scripts, libraries), when they hold
// .sol files.
func (l *loader) outsideSources(ctx context.Context, cfg *config) error {
	entries, err := os.ReadDir(cfg.root)
	if err != nil {
		return err
	}
	for _, e := range entries {
		path := filepath.Join(cfg.root, e.Name())
		if strings.HasPrefix(e.Name(), ".") {
			continue
		}
		if st, err := os.Stat(path); err != nil || !st.IsDir() {
			continue
		}
		if slices.ContainsFunc(cfg.sources, func(s string) bool { return isWithin(s, path) || isWithin(path, s) }) {
			continue // a source directory, inside one (walked) or a parent of one
		}
		ex := l.skipDir(path, l.rootRel(path))
		if ex == nil {
			src := make([]string, len(cfg.sources))
			for i, s := range cfg.sources {
				src[i] = l.rootRel(s) + "/"
			}
			ex = &Exclusion{Path: l.rootRel(path) + "/", Reason: fmt.Sprintf("outside the %s source directory %s", kindTitle(cfg.kind), strings.Join(src, ", "))}
		}
		if ex.Dependency {
			l.exclusion(ex)
			continue
		}
		n, err := countSol(ctx, path)
		if err != nil {
			return err
		}
		if n > 0 {
			l.exclusion(ex).Files += n
		}
	}
	return nil
}

// excludedBy returns the configured glob matching rel, or "".
func (l *loader) excludedBy(rel string) string {
	for i, re := range l.exclude {
		if re.MatchString(rel) {
			return l.globs[i]
		}
	}
	return ""
}

// rootRel returns abs relative to the project root, slash-separated.
func (l *loader) rootRel(abs string) string {
	rel, err := filepath.Rel(l.p.Root, abs)
	if err != nil {
		return filepath.ToSlash(abs)
	}
	return filepath.ToSlash(rel)
}

// display returns the display path of abs.
func (l *loader) display(abs string) string {
	if rel, err := filepath.Rel(l.base, abs); err == nil && !strings.HasPrefix(rel, "..") {
		return filepath.ToSlash(rel)
	}
	return l.rootRel(abs)
}

// load parses the targets and, transitively, everything they import. Files
// are parsed in parallel, one wave of newly discovered imports at a time.
func (l *loader) load(ctx context.Context, targets []string) error {
	n := l.opts.Concurrency
	if n <= 0 {
		n = runtime.GOMAXPROCS(0)
	}
	wave := make([]*File, 0, len(targets))
	for _, t := range targets {
		if f, isNew := l.intern(t, false); isNew {
			wave = append(wave, f)
		}
	}
	for len(wave) > 0 {
		if ctx.Err() != nil {
			return fmt.Errorf("load project: %w", context.Cause(ctx))
		}
		readErrs := make([]error, len(wave))
		sem := make(chan struct{}, n)
		var wg sync.WaitGroup
		for i, f := range wave {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				wg.Wait()
				return fmt.Errorf("load project: %w", context.Cause(ctx))
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				defer func() { <-sem }()
				readErrs[i] = parse(ctx, f)
			}()
		}
		wg.Wait()
		if ctx.Err() != nil {
			return fmt.Errorf("load project: %w", context.Cause(ctx))
		}
		var next []*File
		for i, f := range wave {
			if readErrs[i] != nil {
				l.p.Errors = append(l.p.Errors, readErrs[i])
				delete(l.files, f.Abs)
				delete(l.real, f.real)
				continue
			}
			for _, imp := range imports(f.AST) {
				lit := unquote(imp.Path.Value)
				target, ok := l.resolve(f.Abs, lit)
				if !ok {
					l.p.Errors = append(l.p.Errors, source.Error{File: f.Source, Span: imp.Path.Src, Msg: fmt.Sprintf("import %q not found", lit)})
					continue
				}
				nf, isNew := l.intern(target, true)
				f.Imports[lit] = nf.Abs
				if isNew {
					next = append(next, nf)
				}
			}
		}
		wave = next
	}
	return nil
}

// intern returns the File for abs, creating it (isNew) on first sight. A
// file reached under two names (a symbolic link) is one File, the first
// name reached.
func (l *loader) intern(abs string, dep bool) (f *File, isNew bool) {
	if f, ok := l.files[abs]; ok {
		return f, false
	}
	real, err := filepath.EvalSymlinks(abs)
	if err != nil {
		real = abs
	}
	if l.real == nil {
		l.real = make(map[string]*File)
	}
	if f, ok := l.real[real]; ok {
		return f, false
	}
	f = &File{Abs: abs, Path: l.display(abs), Dependency: dep, real: real}
	l.files[abs] = f
	l.real[real] = f
	return f, true
}

// parse reads and parses f. A file that is not text (see IsBinary) is not
// parsed: it gets one error at 1:1 and an empty unit.
func parse(ctx context.Context, f *File) error {
	data, err := os.ReadFile(f.Abs)
	if err != nil {
		return fmt.Errorf("read %s: %w", f.Path, err)
	}
	f.Source = source.NewFile(f.Path, data)
	f.Imports = make(map[string]string)
	if IsBinary(data) {
		f.AST = &ast.SourceUnit{File: f.Source}
		f.ParseErrors = []source.Error{{File: f.Source, Msg: ErrBinary.Error()}}
		return nil
	}
	// A cancelled parse leaves a partial unit; load reports ctx's error.
	f.AST, f.ParseErrors, _ = parser.ParseFileContext(ctx, f.Source)
	return nil
}

// ErrBinary is the parse error of a file that holds binary data.
var ErrBinary = errors.New("not a Solidity source (binary data)")

// IsBinary reports whether data looks like binary data rather than source
// text: it has a NUL byte, or more than 1 in 8 of its first 8 KiB are
// invalid UTF-8 or control characters other than tab, newline, carriage
// return and form feed.
func IsBinary(data []byte) bool {
	sample := data[:min(len(data), 8<<10)]
	bad := 0
	for i := 0; i < len(sample); {
		r, size := utf8.DecodeRune(sample[i:])
		switch {
		case r == 0:
			return true
		case r == utf8.RuneError && size <= 1:
			if i+utf8.UTFMax > len(sample) && len(sample) < len(data) {
				i = len(sample) // a rune cut by the sample's end
				continue
			}
			bad++
		case r < 0x20 && r != '\t' && r != '\n' && r != '\r' && r != '\f', r == 0x7f:
			bad++
		}
		i += size
	}
	return bad*8 > len(sample)
}

// imports returns the import directives of unit that have a path.
func imports(unit *ast.SourceUnit) []*ast.ImportDirective {
	var out []*ast.ImportDirective
	for _, d := range unit.Decls {
		if imp, ok := d.(*ast.ImportDirective); ok && imp.Path != nil {
			out = append(out, imp)
		}
	}
	return out
}

// unquote strips the quotes of a string literal's raw text.
func unquote(s string) string {
	if len(s) >= 2 && (s[0] == '"' || s[0] == '\'') && s[len(s)-1] == s[0] {
		return s[1 : len(s)-1]
	}
	return s
}

// resolve finds the file imported as lit from the file from.
func (l *loader) resolve(from, lit string) (string, bool) {
	var candidates []string
	if strings.HasPrefix(lit, "./") || strings.HasPrefix(lit, "../") {
		candidates = append(candidates, filepath.Join(filepath.Dir(from), filepath.FromSlash(lit)))
	} else {
		if r, ok := l.remap(from, lit); ok {
			candidates = append(candidates, r)
		}
		candidates = append(candidates, filepath.Join(l.p.Root, filepath.FromSlash(lit)))
		for _, lib := range l.libs {
			candidates = append(candidates, filepath.Join(lib, filepath.FromSlash(lit)))
		}
		// node_modules lookup like Node: from the importing file's directory
		// up to the file system root (a monorepo hoists packages above the
		// audited project).
		for dir := filepath.Dir(from); ; dir = filepath.Dir(dir) {
			candidates = append(candidates, filepath.Join(dir, "node_modules", filepath.FromSlash(lit)))
			if dir == filepath.Dir(dir) {
				break
			}
		}
	}
	for _, c := range candidates {
		if st, err := os.Stat(c); err == nil && !st.IsDir() {
			return filepath.Clean(c), true
		}
	}
	return "", false
}

// remap applies the longest matching remapping to lit.
func (l *loader) remap(from, lit string) (string, bool) {
	best := -1
	ctxLen := -1
	rel := l.rootRel(from)
	for i, r := range l.p.Remappings {
		if r.Context != "" && !strings.HasPrefix(rel, r.Context) {
			continue
		}
		if !strings.HasPrefix(lit, r.Prefix) {
			continue
		}
		if len(r.Context) > ctxLen || len(r.Context) == ctxLen && len(r.Prefix) > len(l.p.Remappings[best].Prefix) {
			best, ctxLen = i, len(r.Context)
		}
	}
	if best < 0 {
		return "", false
	}
	r := l.p.Remappings[best]
	return filepath.Join(r.Target, filepath.FromSlash(strings.TrimPrefix(lit, r.Prefix))), true
}

// parseRemapping parses "[context:]prefix=target"; a relative target is
// relative to root.
func parseRemapping(s, root string) (Remapping, bool) {
	s = strings.TrimSpace(s)
	lhs, target, ok := strings.Cut(s, "=")
	if !ok || lhs == "" || target == "" {
		return Remapping{}, false
	}
	var r Remapping
	if c, p, ok := strings.Cut(lhs, ":"); ok {
		r.Context, r.Prefix = c, p
	} else {
		r.Prefix = lhs
	}
	if r.Prefix == "" {
		return Remapping{}, false
	}
	if !filepath.IsAbs(target) {
		t := filepath.Join(root, filepath.FromSlash(target))
		if strings.HasSuffix(target, "/") {
			t += string(filepath.Separator)
		}
		target = t
	}
	r.Target = target
	return r, true
}

// autoRemappings derives Foundry's automatic remappings for the packages in
// the library directories: "name/" maps to lib/name/src/ when it exists,
// otherwise lib/name/. Explicit remappings take precedence.
func autoRemappings(libs []string, explicit []Remapping) []Remapping {
	var out []Remapping
	for _, lib := range libs {
		entries, err := os.ReadDir(lib)
		if err != nil {
			continue
		}
		for _, e := range entries {
			if strings.HasPrefix(e.Name(), ".") {
				continue
			}
			// Stat follows a symbolic link: a linked library is a library.
			if st, err := os.Stat(filepath.Join(lib, e.Name())); err != nil || !st.IsDir() {
				continue
			}
			prefix := e.Name() + "/"
			if slices.ContainsFunc(explicit, func(r Remapping) bool { return r.Prefix == prefix }) {
				continue
			}
			target := filepath.Join(lib, e.Name())
			if st, err := os.Stat(filepath.Join(target, "src")); err == nil && st.IsDir() {
				target = filepath.Join(target, "src")
			}
			out = append(out, Remapping{Prefix: prefix, Target: target})
		}
	}
	return out
}
