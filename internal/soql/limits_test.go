package soql

import (
	"errors"
	"strings"
	"testing"
)

// Statements over the bounds fail fast with QUERY_TOO_COMPLICATED instead of recursing
// (a million parentheses used to overflow the stack, killing the process).
func TestParseBounds(t *testing.T) {
	deep := func(n int) string {
		return "SELECT Id FROM Account WHERE " + strings.Repeat("(", n) + "Name = 'x'" + strings.Repeat(")", n)
	}
	for name, text := range map[string]string{
		"too long":      "SELECT Id FROM Account WHERE Name = '" + strings.Repeat("x", MaxLength) + "'",
		"deep parens":   deep(MaxNesting + 1),
		"million":       deep(1000000)[:MaxLength],
		"many NOTs":     "SELECT Id FROM Account WHERE " + strings.Repeat("NOT ", MaxNesting+1) + "Name = 'x'",
		"deep subquery": "SELECT Id, " + strings.Repeat("(SELECT Id, ", MaxNesting+1) + "Id FROM Account",
	} {
		_, err := Parse(text)
		var e *Error
		if !errors.As(err, &e) || e.Code != CodeQueryTooComplicated {
			t.Errorf("%s: err = %v, want %s", name, err, CodeQueryTooComplicated)
		}
	}
	for _, text := range []string{deep(MaxNesting), "SELECT Id FROM Account WHERE Name = '" + strings.Repeat("(", 500) + "'"} {
		if _, err := Parse(text); err != nil {
			t.Errorf("%.80s…: %v", text, err)
		}
	}
}
