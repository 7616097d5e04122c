package sosl

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/forcefield/forcefield/internal/soql"
	"github.com/google/go-cmp/cmp"
)

// show renders an Expr compactly for comparisons.
func show(x Expr) string {
	switch x := x.(type) {
	case nil:
		return "<nothing>"
	case *And:
		return "(" + show(x.L) + " AND " + show(x.R) + ")"
	case *Or:
		return "(" + show(x.L) + " OR " + show(x.R) + ")"
	case *AndNot:
		return "(" + show(x.L) + " ANDNOT " + show(x.R) + ")"
	case *Match:
		return "[" + strings.Join(x.Words, " ") + "]"
	}
	return fmt.Sprintf("%T", x)
}

func TestParseFind(t *testing.T) {
	for _, tc := range []struct{ q, want string }{
		{`FIND {Acme}`, "[acme]"},
		{`find {acme} in name fields returning account(name)`, "[acme]"},
		{`FIND {"1731234567890"} IN NAME FIELDS RETURNING Account(Id, Name)`, "[1731234567890]"},
		{`FIND {john smith}`, "([john] AND [smith])"},
		{`FIND {"john smith"}`, "[john smith]"},
		{`FIND {a1 OR b2 c3}`, "([a1] OR ([b2] AND [c3]))"},
		{`FIND {aa AND NOT bb AND cc}`, "([aa] ANDNOT ([bb] AND [cc]))"},
		{`FIND {(aa OR bb) and cc}`, "(([aa] OR [bb]) AND [cc])"},
		{`FIND {"and" or "or"}`, "([and] OR [or])"},
		{`FIND {in}`, "[in]"},
		{`FIND {LIMIT}`, "[limit]"},
		{`FIND {returning}`, "[returning]"},
		{`FIND {jdoe@acme.com}`, "[jdoe acme com]"},
		{`FIND {john*}`, "[john*]"},
		{`FIND {jo?n}`, "[jo?n]"},
		{`FIND {mi* meyers}`, "([mi*] AND [meyers])"},
		{`FIND {Why not\?}`, "([why] AND [not])"},
		{`FIND {\{1\+1\}\:2}`, "[1 1 2]"},
		{`FIND {\-\-}`, "<nothing>"},
		{`FIND {aa OR \-\-}`, "[aa]"},
		{`FIND {(336)}`, "[336]"},
		{"FIND {" + strings.Repeat("x", MaxSearchQuery+1) + "}", "<nothing>"},
		{"FIND {aa AND " + strings.Repeat("bb ", 1400) + "}", show(func() Expr {
			var x Expr = &Match{Words: []string{"aa"}}
			for range 1400 {
				x = &Or{L: x, R: &Match{Words: []string{"bb"}}}
			}
			return x
		}())},
	} {
		st, err := Parse(tc.q)
		if err != nil {
			t.Errorf("Parse(%.60q): %v", tc.q, err)
			continue
		}
		if got := show(st.Find); got != tc.want {
			t.Errorf("Parse(%.60q).Find = %.200s, want %.200s", tc.q, got, tc.want)
		}
	}
}

func TestParseClauses(t *testing.T) {
	st, err := Parse(`FIND {Acme} IN PHONE FIELDS RETURNING Account(Name, Owner.Name WHERE Industry = 'Tech' USING ListView=Recent ORDER BY Name DESC NULLS LAST LIMIT 5), Contact, Lead(Id) WITH SNIPPET(target_length=120) WITH METADATA='LABELS' WITH SPELL_CORRECTION = false LIMIT 5000 UPDATE TRACKING`)
	if err != nil {
		t.Fatal(err)
	}
	if st.In != GroupPhone || st.Limit != MaxLimit || len(st.Returning) != 3 {
		t.Fatalf("got In %v Limit %d returning %d", st.In, st.Limit, len(st.Returning))
	}
	a := st.Returning[0]
	var fields []string
	for _, f := range a.Fields {
		fields = append(fields, f.String())
	}
	if diff := cmp.Diff([]string{"Name", "Owner.Name"}, fields); diff != "" {
		t.Error(diff)
	}
	if a.Where == nil || a.ListView != "Recent" || len(a.OrderBy) != 1 || !a.OrderBy[0].Desc || a.Limit != 5 || a.Offset != -1 {
		t.Errorf("Account spec %+v", a)
	}
	if c := st.Returning[1]; c.Object.String() != "Contact" || c.Fields != nil {
		t.Errorf("Contact spec %+v", c)
	}
	q := st.Returning[1].Query()
	if it, ok := q.Select[0].(*soql.FieldItem); !ok || it.Name.String() != "Id" {
		t.Errorf("Contact query select %+v", q.Select)
	}
}

func TestParseErrors(t *testing.T) {
	for _, tc := range []struct{ q, code, msg string }{
		// salesforce-rest-more.md §1.5, captured from a real org.
		{`FIND {name} IN ALL TYPE RETURNING Account(name)`, "MALFORMED_SEARCH",
			"\nFIND {name} IN ALL TYPE RETURNING Account(name)\n                  ^\nERROR at Row:1:Column:19\nMalformed search token: TYPE"},
		{`FIND 'Jones' IN ALL FIELDS`, "MALFORMED_SEARCH", "No search term found. The search term must be enclosed in braces."},
		{`FIND {Jones IN ALL FIELDS`, "MALFORMED_SEARCH", "No search term found. The search term must be enclosed in braces."},
		{`FIND {a}`, "INVALID_SEARCH", "search term must be longer than one character: a"},
		{`FIND {"g"}`, "INVALID_SEARCH", "search term must be longer than one character: g"},
		{`FIND {a*}`, "INVALID_SEARCH", "search term must be longer than one character: a*"},
		{`FIND {*ohn}`, "INVALID_SEARCH", "Invalid search term: a wildcard cannot start a search term: *ohn"},
		{``, "MALFORMED_SEARCH", MsgEmpty},
		{`SELECT Id FROM Account`, "MALFORMED_SEARCH", "\nSELECT Id FROM Account\n^\nERROR at Row:1:Column:1\nMalformed search token: SELECT"},
		{`FIND {"John Smith}`, "MALFORMED_SEARCH", "\nFIND {\"John Smith}\n     ^\nERROR at Row:1:Column:6\nMalformed search token: \"John Smith"},
		{`FIND {Smith-Jones}`, "MALFORMED_SEARCH", "\nFIND {Smith-Jones}\n          ^\nERROR at Row:1:Column:11\nMalformed search token: -"},
		{`FIND {aa OR}`, "MALFORMED_SEARCH", "\nFIND {aa OR}\n          ^\nERROR at Row:1:Column:11\nMalformed search token: }"},
		{`FIND {(aa}`, "MALFORMED_SEARCH", "\nFIND {(aa}\n        ^\nERROR at Row:1:Column:9\nMalformed search token: }"},
		{`FIND {}`, "MALFORMED_SEARCH", "\nFIND {}\n     ^\nERROR at Row:1:Column:6\nMalformed search token: }"},
		{`FIND {aa} RETURNING Account(LIMIT 10)`, "MALFORMED_SEARCH", "\nFIND {aa} RETURNING Account(LIMIT 10)\n                           ^\nERROR at Row:1:Column:28\nunexpected token: 'LIMIT'"},
		{`FIND {aa} RETURNING Account(Name WHERE Name = )`, "MALFORMED_SEARCH", "\nFIND {aa} RETURNING Account(Name WHERE Name = )\n                                             ^\nERROR at Row:1:Column:46\nunexpected token: ')'"},
		{`FIND {aa} RETURNING Account, Account`, "MALFORMED_SEARCH", "\nFIND {aa} RETURNING Account, Account\n                            ^\nERROR at Row:1:Column:29\nduplicate entity in RETURNING: Account"},
		{`FIND {aa} RETURNING Account(Name OFFSET 5), Contact`, "MALFORMED_SEARCH", "\nFIND {aa} RETURNING Account(Name OFFSET 5), Contact\n                   ^\nERROR at Row:1:Column:20\nOFFSET is allowed only when searching a single object"},
		{`FIND {aa} RETURNING Account(Name OFFSET 2001)`, "NUMBER_OUTSIDE_VALID_RANGE", "\nFIND {aa} RETURNING Account(Name OFFSET 2001)\n                                       ^\nERROR at Row:1:Column:40\nMaximum SOSL offset allowed is 2000"},
		{`FIND {aa} WITH FOO`, "MALFORMED_SEARCH", "\nFIND {aa} WITH FOO\n              ^\nERROR at Row:1:Column:15\nMalformed search token: FOO"},
		{`FIND {aa} LIMIT 5 junk`, "MALFORMED_SEARCH", "\nFIND {aa} LIMIT 5 junk\n                 ^\nERROR at Row:1:Column:18\nMalformed search token: junk"},
		{`FIND {aa} RETURNING Account(toLabel(Name))`, "MALFORMED_SEARCH", "\nFIND {aa} RETURNING Account(toLabel(Name))\n                                  ^\nERROR at Row:1:Column:35\nMalformed search token: ("},
		{"FIND {aa} " + strings.Repeat(" ", MaxStatement), "MALFORMED_SEARCH", "SOSL statements cannot be longer than 100,000 characters."},
	} {
		_, err := Parse(tc.q)
		var e *soql.Error
		if !errors.As(err, &e) {
			t.Errorf("Parse(%.60q) = %v, want an error", tc.q, err)
			continue
		}
		if e.Code != tc.code || Message(e, tc.q) != tc.msg {
			t.Errorf("Parse(%.60q):\n got %s %q\nwant %s %q", tc.q, e.Code, Message(e, tc.q), tc.code, tc.msg)
		}
	}
}

func TestIndexText(t *testing.T) {
	for _, tc := range []struct{ in, full, sub string }{
		{"SampleAccount2", "sampleaccount2", "sample account 2"},
		{"Jonesy", "jonesy", ""},
		{"Bulk Account 1731234567890 #7", "bulk account 1731234567890 7", ""},
		{"HTTPServer iPhone x86_64", "httpserver iphone x86 64", "http server _ i phone _ x 86"},
		{"jdoe@acme.com (336) 222-7000", "jdoe acme com 336 222 7000", ""},
		{"Ærøskøbing Straße", "ærøskøbing straße", ""},
	} {
		full, sub := IndexText(tc.in)
		if full != tc.full || sub != tc.sub {
			t.Errorf("IndexText(%q) = %q, %q; want %q, %q", tc.in, full, sub, tc.full, tc.sub)
		}
	}
}

// FuzzParse checks that Parse never panics and that its errors are *soql.Error with a
// position inside the text and a renderable message.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		`FIND {Acme}`, `FIND {"a b" OR (c* AND NOT d?e)} IN NAME FIELDS RETURNING Account(Name WHERE Name LIKE 'x%' ORDER BY Name LIMIT 3), Contact LIMIT 10`,
		`FIND {\{1\+1\}\:2}`, `FIND 'x'`, `FIND {`, `FIND {a} WITH DATA CATEGORY Geography__c AT (usa__c, uk__c)`,
		"FIND {((((((aa))))))}", `FIND {aa} RETURNING Account(Name WHERE (A = 1 OR (B = 2)))`,
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		st, err := Parse(text)
		if err != nil {
			var e *soql.Error
			if !errors.As(err, &e) {
				t.Fatalf("Parse(%q) error %T %v", text, err, err)
			}
			if e.Pos < 0 || int(e.Pos) > len(text) {
				t.Fatalf("Parse(%q) error position %d outside the text", text, e.Pos)
			}
			_ = Message(e, text)
			return
		}
		if st == nil {
			t.Fatalf("Parse(%q): no statement, no error", text)
		}
		var walk func(Expr)
		walk = func(x Expr) {
			switch x := x.(type) {
			case *And:
				walk(x.L)
				walk(x.R)
			case *Or:
				walk(x.L)
				walk(x.R)
			case *AndNot:
				walk(x.L)
				walk(x.R)
			case *Match:
				for _, w := range x.Words {
					if w == "" || w[0] == '*' || w[0] == '?' {
						t.Fatalf("Parse(%q): bad word %q", text, w)
					}
				}
			}
		}
		walk(st.Find)
	})
}
