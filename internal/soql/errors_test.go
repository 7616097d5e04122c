package soql

import (
	"errors"
	"strings"
	"testing"
)

// The three examples of salesforce-rest.md §4 "SOQL error shapes".
const (
	docInvalidField = "\nSELECT Id, Foo FROM Account\n           ^\nERROR at Row:1:Column:12\nNo such column 'Foo' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."
	docInvalidType  = "\nSELECT Id FROM Foo\n               ^\nERROR at Row:1:Column:16\nsObject type 'Foo' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names."
	docMalformed    = "\nLastModifiedById, LastModifiedDate, From Account \n                                   ^\nERROR at Row:1:Column:78\nunexpected token: 'From'"
)

func TestMessageDocExamples(t *testing.T) {
	text := "SELECT Id, Foo FROM Account"
	e := ErrorAt("INVALID_FIELD", Pos(strings.Index(text, "Foo")), "No such column 'Foo' on entity 'Account'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names.")
	if got := e.Message(text); got != docInvalidField {
		t.Errorf("INVALID_FIELD message:\n%q\nwant\n%q", got, docInvalidField)
	}
	text = "SELECT Id FROM Foo"
	e = ErrorAt("INVALID_TYPE", 15, "sObject type 'Foo' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names.")
	if got := e.Message(text); got != docInvalidType {
		t.Errorf("INVALID_TYPE message:\n%q\nwant\n%q", got, docInvalidType)
	}
}

// TestMessageThirdExample: the third example shows only the line holding the error.
// With the query on two lines, the shown line is that of the reference byte for byte.
// Two differences are deliberate: the caret sits under the offending token (the capture
// has it one column to the left, under the space before From), and Row/Column are
// counted within the shown line (Row:2:Column:37) where the capture says
// Row:1:Column:78; the exact text of the captured query is unknown.
func TestMessageThirdExample(t *testing.T) {
	text := "SELECT Id, Name, CreatedById, CreatedDate,\nLastModifiedById, LastModifiedDate, From Account "
	_, err := Parse(text)
	var e *Error
	if !errors.As(err, &e) {
		t.Fatalf("Parse(%q) = %v, want *Error", text, err)
	}
	if e.Code != CodeMalformedQuery || e.Msg != "unexpected token: 'From'" {
		t.Errorf("error = %+v", e)
	}
	want := strings.Split(docMalformed, "\n")
	want[2] = " " + want[2]
	want[3] = "ERROR at Row:2:Column:37"
	if got := e.Message(text); got != strings.Join(want, "\n") {
		t.Errorf("message:\n%q\nwant\n%q", got, strings.Join(want, "\n"))
	}
}

func TestEmpty(t *testing.T) {
	for _, text := range []string{"", "   ", "\n\t"} {
		_, err := Parse(text)
		var e *Error
		if !errors.As(err, &e) || !e.Plain || e.Code != "MALFORMED_QUERY" || e.Pos != 0 {
			t.Fatalf("Parse(%q) = %#v", text, err)
		}
		if got := e.Message(text); got != "SOQL statements cannot be empty or null" {
			t.Errorf("Message = %q", got)
		}
	}
}

// TestErrors checks position and message of syntax errors: the caret message is
// "\n<line>\n<caret>\nERROR at Row:R:Column:C\n<msg>".
func TestErrors(t *testing.T) {
	for _, tc := range []struct {
		text, at, msg string // at: the text at the error position (its last occurrence; "" is the end)
	}{
		{"SELECT FROM Account", "FROM Account", "unexpected token: 'FROM'"},
		{"SELECT Id, FROM Account", "FROM Account", "unexpected token: 'FROM'"},
		{"SELECT Id FROM", "", "unexpected token: '<EOF>'"},
		{"SELECT Id FROM Account WHERE", "", "unexpected token: '<EOF>'"},
		{"SELECT Id Name FROM Account", "Name FROM Account", "Only aggregate expressions use field aliasing"},
		{"SELECT Id, (SELECT Name n FROM Contacts) FROM Account GROUP BY Id", "n FROM", "Only aggregate expressions use field aliasing"},
		{"SELECT Id i Name FROM Account", "Name FROM Account", "unexpected token: 'Name'"},
		{"UPDATE Account", "UPDATE Account", "unexpected token: 'UPDATE'"},
		{"SELECT Id FROM Account WHERE Name 'x'", "'x'", "unexpected token: ''x''"},
		{"SELECT Id FROM Account WHERE Name = ", "", "unexpected token: '<EOF>'"},
		{"SELECT Id FROM Account WHERE Name = 'x", "'x", "unexpected token: ''x'"},
		{"SELECT Id FROM Account WHERE Name = 'a\\qb'", "\\qb'", "Invalid string literal 'a\\qb'. Illegal character sequence '\\q' in string literal."},
		{"SELECT Id FROM Account WHERE Name = Foo", "Foo", "unexpected token: 'Foo'"},
		{"SELECT Id FROM Account WHERE Id IN ()", ")", "unexpected token: ')'"},
		{"SELECT Id FROM Account WHERE Id IN 'x'", "'x'", "unexpected token: ''x''"},
		{"SELECT Id FROM Account WHERE Id = (SELECT Id FROM X)", "(SELECT Id FROM X)", "unexpected token: '('"},
		{"SELECT Id FROM Account WHERE Name INCLUDES (SELECT Id FROM X)", "SELECT Id FROM X)", "unexpected token: 'SELECT'"},
		{"SELECT Id FROM Account WHERE Name NOT LIKE 'x'", "NOT LIKE 'x'", "unexpected token: 'NOT'"},
		{"SELECT Id FROM Account WHERE (Name = 'x'", "", "unexpected token: '<EOF>'"},
		{"SELECT Id FROM Account WHERE Name = 'x')", ")", "unexpected token: ')'"},
		{"SELECT Id FROM Account WHERE COUNT(Id) > 1", "(Id)", "unexpected token: '('"},
		{"SELECT Id FROM Account WHERE D = LAST_N_DAYS", "", "unexpected token: '<EOF>'"},
		{"SELECT Id FROM Account WHERE D = LAST_N_DAYS :3", ":3", "unexpected token: ':'"},
		{"SELECT Id FROM Account WHERE D = LAST_N_DAYS:-3", "-3", "unexpected token: '-3'"},
		{"SELECT Id FROM Account WHERE D = TODAY:3", ":3", "unexpected token: ':'"},
		{"SELECT Id FROM Account WHERE D = 2024-13-01", "2024-13-01", "unexpected token: '2024-13-01'"},
		{"SELECT Id FROM Account WHERE D = 2024-01-15T10:00:00", "2024-01-15T10:00:00", "unexpected token: '2024-01-15T10:00:00'"},
		{"SELECT Id FROM Account WHERE D = 2024-01-15T10:00Z", "2024-01-15T10", "unexpected token: '2024-01-15T10:00Z'"},
		{"SELECT Id FROM Account WHERE D = 2024-01-15T25:00:00Z", "2024-01-15T25", "unexpected token: '2024-01-15T25:00:00Z'"},
		{"SELECT Id FROM Account WHERE D = 0001-01-01T00:00:00+01:00", "0001-01-01T00:00:00+01:00", "unexpected token: '0001-01-01T00:00:00+01:00'"},
		{"SELECT Id FROM Account WHERE D = 2024-01-15T10:00:00.Z", "2024-01-15T10:00:00.Z", "unexpected token: '2024-01-15T10:00:00.'"},
		{"SELECT Id FROM Account WHERE D = 2024-01-15T10:00:00+0", "2024-01-15T10:00:00+0", "unexpected token: '2024-01-15T10:00:00'"},
		{"SELECT Id FROM Account WHERE D = 2024-01-15Tx", "2024-01-15Tx", "unexpected token: '2024-01-15Tx'"},
		{"SELECT Id FROM Account WHERE D = 2024-01-15x", "2024-01-15x", "unexpected token: '2024-01-15x'"},
		{"SELECT Id FROM Account WHERE A = 1AND B = 2", "1AND", "unexpected token: '1AND'"},
		{"SELECT Id FROM Account WHERE A = 1 AND B = 2 or C = 3", "or C", "unexpected token: 'or'"},
		{"SELECT Id FROM Account WHERE A = 1 OR B = 2 AND C = 3", "AND C", "unexpected token: 'AND'"},
		{"SELECT Id FROM Account WHERE (A = 1 OR B = 2) AND C = 3 OR D = 4", "OR D", "unexpected token: 'OR'"},
		{"SELECT Id FROM Account WHERE Id = :acctId", ":acctId", "unexpected token: ':'"},
		{"SELECT Id FROM Account WHERE Name = \"x\"", "\"x\"", "unexpected token: '\"'"},
		{"SELECT Id FROM Account LIMIT -1", "-1", "unexpected token: '-1'"},
		{"SELECT Id FROM Account LIMIT 1.5", "1.5", "unexpected token: '1.5'"},
		{"SELECT Id FROM Account LIMIT 99999999999999999999", "99999999999999999999", "unexpected token: '99999999999999999999'"},
		{"SELECT Id FROM Account OFFSET 1 LIMIT 1", "LIMIT 1", "unexpected token: 'LIMIT'"},
		{"SELECT Id FROM Account WITH SHARING", "SHARING", "unexpected token: 'SHARING'"},
		{"SELECT Id FROM Account ORDER Name", "Name", "unexpected token: 'Name'"},
		{"SELECT Id FROM Account ORDER BY Name NULLS", "", "unexpected token: '<EOF>'"},
		{"SELECT Id FROM Account FOR SHARE", "SHARE", "unexpected token: 'SHARE'"},
		{"SELECT Id FROM Account FOR UPDATE FOR VIEW", "FOR VIEW", "unexpected token: 'FOR'"},
		{"SELECT Id FROM Account ALL", "", "unexpected token: '<EOF>'"},
		{"SELECT COUNT_DISTINCT() FROM Account", ")", "unexpected token: ')'"},
		{"SELECT Account. FROM Contact", "FROM", "unexpected token: 'FROM'"},
		{"SELECT (SELECT Id FROM Contacts FROM Account", "FROM Account", "unexpected token: 'FROM'"},
		{"SELECT Id FROM Account; DROP", "; DROP", "unexpected token: ';'"},
		{"SELECT Id FROM Account WHERE Name = 'é' AND ü = 1", "ü = 1", "unexpected token: 'ü'"},
		{"SELECT Id\nFROM Account\nWHERE Name == 'x'", "= 'x'", "unexpected token: '='"},
	} {
		_, err := Parse(tc.text)
		var e *Error
		if !errors.As(err, &e) {
			t.Errorf("Parse(%q) = %v, want *Error", tc.text, err)
			continue
		}
		wantPos := strings.LastIndex(tc.text, tc.at)
		if tc.at == "" {
			wantPos = len(tc.text)
		}
		if e.Code != "MALFORMED_QUERY" || int(e.Pos) != wantPos || e.Msg != tc.msg || e.Plain {
			t.Errorf("Parse(%q) = %+v, want Pos %d Msg %q", tc.text, e, wantPos, tc.msg)
		}
	}
}

func TestMessageRendering(t *testing.T) {
	text := "SELECT Id\r\nFROM Account\r\nWHERE Name = 'é' AND Foo = 1"
	e := ErrorAt("INVALID_FIELD", Pos(strings.Index(text, "Foo")), "bad")
	want := "\nWHERE Name = 'é' AND Foo = 1\n                     ^\nERROR at Row:3:Column:22\nbad"
	if got := e.Message(text); got != want {
		t.Errorf("Message:\n%q\nwant\n%q", got, want)
	}
	// At the end of the text (EOF errors) the caret follows the last character.
	e = ErrorAt("MALFORMED_QUERY", 14, "unexpected token: '<EOF>'")
	want = "\nSELECT Id FROM\n              ^\nERROR at Row:1:Column:15\nunexpected token: '<EOF>'"
	if got := e.Message("SELECT Id FROM"); got != want {
		t.Errorf("Message:\n%q\nwant\n%q", got, want)
	}
	// Out-of-range offsets are clamped rather than panicking.
	if got := ErrorAt("X", 99, "m").Message("ab"); got != "\nab\n  ^\nERROR at Row:1:Column:3\nm" {
		t.Errorf("clamped Message = %q", got)
	}
	if got := ErrorAt("X", -3, "m").Message("ab"); got != "\nab\n^\nERROR at Row:1:Column:1\nm" {
		t.Errorf("clamped Message = %q", got)
	}
	if got := (&Error{Code: "MALFORMED_QUERY", Pos: 3, Msg: "m"}).Error(); got != "MALFORMED_QUERY at offset 3: m" {
		t.Errorf("Error() = %q", got)
	}
}
