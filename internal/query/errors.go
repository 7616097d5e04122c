package query

import (
	"fmt"

	"github.com/forcefield/forcefield/internal/soql"
)

// Error is a resolution error in Salesforce's terms: the parser's error type, so that the
// HTTP layer renders parse and resolution errors alike in the caret form
// (salesforce-rest.md §4 "SOQL error shapes"). Code is the errorCode (INVALID_TYPE,
// INVALID_FIELD, MALFORMED_QUERY, …), Pos the offset of the offending token; an error
// with no token to point at (Pos -1) is Plain: its message has no caret part.
type Error = soql.Error

func errAt(code string, pos soql.Pos, format string, args ...any) *Error {
	return &Error{Code: code, Pos: pos, Msg: fmt.Sprintf(format, args...), Plain: pos < 0}
}

// Salesforce's texts (salesforce-rest.md §4).
const (
	msgNoType     = "sObject type '%s' is not supported. If you are attempting to use a custom object, be sure to append the '__c' after the entity name. Please reference your WSDL or the describe call for the appropriate names."
	msgNoField    = "No such column '%s' on entity '%s'. If you are attempting to use a custom field, be sure to append the '__c' after the custom field name. Please reference your WSDL or the describe call for the appropriate names."
	msgNoRel      = "Didn't understand relationship '%s' in field path. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names."
	msgNoChildRel = "Didn't understand relationship '%s' in FROM part of query call. If you are attempting to use a custom relationship, be sure to append the '__r' after the custom relationship name. Please reference your WSDL or the describe call for the appropriate names."
)

func noField(pos soql.Pos, name, entity string) *Error {
	return errAt("INVALID_FIELD", pos, msgNoField, name, entity)
}

func malformed(pos soql.Pos, format string, args ...any) *Error {
	return errAt("MALFORMED_QUERY", pos, format, args...)
}
