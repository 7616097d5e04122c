package orgfile

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"reflect"
	"regexp"
	"strconv"
	"strings"

	"gopkg.in/yaml.v3"
)

// MaxSize is the largest org file Parse accepts.
const MaxSize = 16 << 20

// maxAliased bounds the values decoded through aliases, so that a small file cannot
// expand into an enormous one.
const maxAliased = 100_000

// Parse decodes and validates an org file. name is used in error messages only. Any
// problem makes it return Errors listing all of them, one per line, sorted by line.
func Parse(name string, data []byte) (*File, error) {
	fail := func(line int, format string, args ...any) (*File, error) {
		return nil, Errors{{File: name, Line: line, Msg: fmt.Sprintf(format, args...)}}
	}
	if len(data) > MaxSize {
		return fail(0, "file is larger than %d bytes", MaxSize)
	}
	root, err := parseYAML(data)
	if err != nil {
		line, msg := splitYAMLError(err)
		return fail(line, "%s", msg)
	}
	if root == nil {
		return fail(0, "file is empty: it must declare orgs")
	}
	f := &File{Name: name, lines: map[string]int{"": root.Line}}
	d := &decoder{f: f, bad: map[string]bool{}, unknown: map[string]bool{}, budget: maxAliased}
	d.decode(root, reflect.ValueOf(f).Elem(), "")
	f.seedLines()
	errs := d.errs
	if d.budget >= 0 {
		errs = append(errs, f.validate(d.bad, d.unknown)...)
	}
	if len(errs) > 0 {
		return nil, errs.sorted()
	}
	return f, nil
}

// parseYAML returns the root node of the file's only document, nil if it has none.
func parseYAML(data []byte) (root *yaml.Node, err error) {
	defer func() {
		if r := recover(); r != nil { // yaml.v3 is not supposed to panic; never let it escape
			root, err = nil, fmt.Errorf("yaml: %v", r)
		}
	}()
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); errors.Is(err, io.EOF) {
		return nil, nil
	} else if err != nil {
		return nil, err
	}
	var next yaml.Node
	if err := dec.Decode(&next); err == nil {
		return nil, fmt.Errorf("yaml: line %d: a second YAML document starts here; an org file holds one", next.Line)
	} else if !errors.Is(err, io.EOF) {
		return nil, err
	}
	if len(doc.Content) == 0 {
		return nil, nil
	}
	return doc.Content[0], nil
}

var yamlLine = regexp.MustCompile(`(?s)^yaml: line (\d+): (.*)$`)

// yamlParserProblems are the messages of libyaml's parser (not scanner) errors, for which
// yaml.v3 reports a 0-based line: that of the block or flow collection being parsed.
var yamlParserProblems = []string{
	"did not find expected ',' or", "did not find expected '-' indicator",
	"did not find expected <", "did not find expected key", "did not find expected node content",
	"found duplicate %", "found incompatible YAML document", "found undefined tag handle",
}

// splitYAMLError turns "yaml: line 3: msg" into (3, "msg"), correcting the line of parser errors.
func splitYAMLError(err error) (int, string) {
	m := yamlLine.FindStringSubmatch(err.Error())
	if m == nil {
		return 0, strings.TrimPrefix(err.Error(), "yaml: ")
	}
	n, _ := strconv.Atoi(m[1])
	for _, p := range yamlParserProblems {
		if strings.HasPrefix(m[2], p) {
			n++
			break
		}
	}
	return n, m[2]
}

// decoder walks a yaml.Node tree into File's structs by their yaml tags, recording the
// line of every key and list item and reporting unknown keys and wrong types.
type decoder struct {
	f       *File
	errs    Errors
	bad     map[string]bool // paths whose value could not be decoded
	unknown map[string]bool // mappings that hold an unknown key
	budget  int             // values still allowed through aliases
	aliased int             // > 0 while decoding an alias's target
}

func (d *decoder) errorf(n *yaml.Node, path, format string, args ...any) {
	d.errs = append(d.errs, &Error{File: d.f.Name, Line: n.Line, Path: path, Msg: fmt.Sprintf(format, args...)})
}

func (d *decoder) decode(n *yaml.Node, v reflect.Value, path string) {
	for n.Kind == yaml.AliasNode && n.Alias != nil {
		n = n.Alias
		d.aliased++
		defer func() { d.aliased-- }()
	}
	if d.aliased > 0 {
		if d.budget--; d.budget < 0 {
			if d.budget == -1 {
				d.errorf(n, path, "aliases expand to too many values (more than %d)", maxAliased)
			}
			return
		}
	}
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null" {
		return // an empty value: the field keeps its zero value
	}
	switch v.Kind() {
	case reflect.Struct:
		d.mapping(n, v, path)
	case reflect.Slice:
		if n.Kind != yaml.SequenceNode {
			d.typeError(n, v, path)
			return
		}
		v.Set(reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content)))
		for i, item := range n.Content {
			p := fmt.Sprintf("%s[%d]", path, i)
			d.f.lines[p] = item.Line
			d.decode(item, v.Index(i), p)
		}
	case reflect.Pointer:
		nv := reflect.New(v.Type().Elem())
		d.decode(n, nv.Elem(), path)
		v.Set(nv)
	case reflect.String:
		if n.Kind != yaml.ScalarNode {
			d.typeError(n, v, path)
			return
		}
		v.SetString(n.Value)
	case reflect.Map:
		d.dict(n, v, path)
	case reflect.Interface:
		d.scalar(n, v, path)
	case reflect.Bool, reflect.Int:
		tag := map[reflect.Kind]string{reflect.Bool: "!!bool", reflect.Int: "!!int"}[v.Kind()]
		if n.Kind != yaml.ScalarNode || (n.ShortTag() != tag && v.Kind() == reflect.Int) || n.Decode(v.Addr().Interface()) != nil {
			d.typeError(n, v, path)
		}
	default:
		panic("orgfile: no decoding for " + v.Type().String())
	}
}

func (d *decoder) mapping(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.typeError(n, v, path)
		return
	}
	names, index := fields(v.Type())
	first := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		switch {
		case k.Kind != yaml.ScalarNode:
			d.unknown[path] = true
			d.errorf(k, path, "keys must be plain words, got %s", describe(k))
			continue
		case k.ShortTag() == "!!merge":
			d.unknown[path] = true
			d.errorf(k, path, "merge keys (<<) are not supported")
			continue
		}
		idx, ok := index[k.Value]
		if !ok {
			d.unknown[path] = true
			d.errorf(k, path, "unknown key %q (known: %s)", k.Value, strings.Join(names, ", "))
			continue
		}
		p := k.Value
		if path != "" {
			p = path + "." + k.Value
		}
		if line, dup := first[k.Value]; dup {
			d.bad[p] = true
			d.errorf(k, p, "key appears twice (first on line %d)", line)
			continue
		}
		first[k.Value] = k.Line
		if val.Kind != yaml.ScalarNode || val.ShortTag() != "!!null" {
			d.f.lines[p] = k.Line // an empty value counts as absent (see File.has)
		}
		d.decode(val, v.Field(idx), p)
	}
}

// dict decodes a mapping with keys of the file's choosing (map[string]T) into v; the
// path of an entry is path.KEY (a key may itself hold dots, as "Account.Name" does).
func (d *decoder) dict(n *yaml.Node, v reflect.Value, path string) {
	if n.Kind != yaml.MappingNode {
		d.typeError(n, v, path)
		return
	}
	m := reflect.MakeMapWithSize(v.Type(), len(n.Content)/2)
	first := map[string]int{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind != yaml.ScalarNode || k.ShortTag() == "!!merge" {
			d.bad[path] = true
			d.errorf(k, path, "keys must be plain words, got %s", describe(k))
			continue
		}
		p := path + "." + k.Value
		if line, dup := first[k.Value]; dup {
			d.bad[p] = true
			d.errorf(k, p, "key appears twice (first on line %d)", line)
			continue
		}
		first[k.Value] = k.Line
		d.f.lines[p] = k.Line
		elem := reflect.New(v.Type().Elem()).Elem()
		d.decode(val, elem, p)
		m.SetMapIndex(reflect.ValueOf(k.Value), elem)
	}
	v.Set(m)
}

// scalar decodes a string, number or boolean into an interface value (any) as string,
// int, float64 or bool; null was handled by decode (nil).
func (d *decoder) scalar(n *yaml.Node, v reflect.Value, path string) {
	var x any
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!timestamp" {
		v.Set(reflect.ValueOf(n.Value)) // a date such as 2025-06-30 stays the string written
		return
	}
	if n.Kind != yaml.ScalarNode || n.Decode(&x) != nil {
		d.bad[path] = true
		d.errorf(n, path, "expected a string, number or true/false, got %s", describe(n))
		return
	}
	switch x := x.(type) {
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			d.bad[path] = true
			d.errorf(n, path, "%s is not a number a record can hold", n.Value)
			return
		}
		v.Set(reflect.ValueOf(x))
	case string, int, int64, uint64, bool:
		v.Set(reflect.ValueOf(x))
	default: // e.g. a !!timestamp or !!binary tag
		d.bad[path] = true
		d.errorf(n, path, "expected a string, number or true/false, got %s", describe(n))
	}
}

// fields returns the yaml keys of struct type t in declaration order, and their field indexes.
func fields(t reflect.Type) ([]string, map[string]int) {
	var names []string
	index := map[string]int{}
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("yaml"), ",")
		if !sf.IsExported() || name == "" || name == "-" {
			continue
		}
		names = append(names, name)
		index[name] = i
	}
	return names, index
}

func (d *decoder) typeError(n *yaml.Node, v reflect.Value, path string) {
	d.bad[path] = true
	want := map[reflect.Kind]string{
		reflect.Struct: "a mapping of keys to values", reflect.Slice: "a list",
		reflect.String: "a string", reflect.Bool: "true or false", reflect.Int: "a whole number",
		reflect.Map: "a mapping of names to values",
	}[v.Kind()]
	d.errorf(n, path, "expected %s, got %s", want, describe(n))
}

// describe names what a node holds, for messages.
func describe(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		v := n.Value
		if len(v) > 40 {
			v = v[:40] + "…"
		}
		switch n.ShortTag() {
		case "!!str":
			return fmt.Sprintf("the string %q", v)
		case "!!int", "!!float":
			return "the number " + v
		case "!!bool":
			return "the boolean " + v
		}
		return fmt.Sprintf("%q", v)
	}
	return "an unexpected value"
}
