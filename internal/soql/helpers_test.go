package soql

import (
	"strings"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
)

// ignorePos compares trees without offsets and literal spellings; positions have their
// own test (TestPositions).
var ignorePos = cmp.Options{
	cmpopts.IgnoreFields(Name{}, "Pos"),
	cmpopts.IgnoreFields(AggregateItem{}, "Pos"),
	cmpopts.IgnoreFields(SubqueryItem{}, "Pos"),
	cmpopts.IgnoreFields(FieldsItem{}, "Pos", "ParenPos"),
	cmpopts.IgnoreFields(Distance{}, "Pos", "UnitPos"),
	cmpopts.IgnoreFields(Not{}, "Pos"),
	cmpopts.IgnoreFields(Comparison{}, "Pos"),
	cmpopts.IgnoreFields(Value{}, "Pos", "Text"),
}

// nm builds a name from "A.B.C".
func nm(dotted string) Name { return Name{Parts: strings.Split(dotted, ".")} }

func pnm(dotted string) *Name { n := nm(dotted); return &n }

func fld(dotted string) SelectItem { return &FieldItem{Name: nm(dotted)} }

func agg(fn, arg, alias string) *AggregateItem {
	a := &AggregateItem{Func: fn, Alias: alias}
	if arg != "" {
		a.Arg = pnm(arg)
	}
	return a
}

// q builds a query with no LIMIT/OFFSET selecting the given items from obj.
func q(obj string, items ...SelectItem) *Query {
	return &Query{Select: items, From: nm(obj), Limit: -1, Offset: -1}
}

func cmpv(field, op string, v Value) *Comparison {
	return &Comparison{Field: nm(field), Op: op, Value: &v}
}

func cmpl(field, op string, vs ...Value) *Comparison {
	return &Comparison{Field: nm(field), Op: op, Values: vs}
}

func str(s string) Value { return Value{Kind: String, Str: s} }

func num(text string, f float64) Value { return Value{Kind: Number, Num: f, NumText: text} }

func null() Value { return Value{Kind: Null} }

func boolean(b bool) Value { return Value{Kind: Bool, Bool: b} }

func dlit(name string, n int) Value { return Value{Kind: DateLiteral, Literal: name, N: n} }

func day(y int, m time.Month, d int) Value {
	return Value{Kind: Date, Time: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}
}

func dt(t time.Time) Value { return Value{Kind: DateTime, Time: t} }
