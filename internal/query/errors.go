package query

import (
	"fmt"

	"github.com/forcefield/forcefield/internal/soql"
)

// Error is a resolution error in Salesforce's terms: Code is the errorCode
// (INVALID_TYPE, INVALID_FIELD, MALFORMED_QUERY, …), Pos the offset of the offending
// token in the query text (the caret of salesforce-rest.md §4 "SOQL error shapes"; -1
// when there is no token to point at) and Msg the message after the caret lines.
//
// It mirrors soql.Error (the parser's) field for field so that the HTTP layer renders
// both alike; it is a separate type so that this package does not depend on how the
// parser builds its errors.
type Error struct {
	Code string
	Pos  soql.Pos
	Msg  string
}

func (e *Error) Error() string { return e.Code + ": " + e.Msg }

func errAt(code string, pos soql.Pos, format string, args ...any) *Error {
	return &Error{Code: code, Pos: pos, Msg: fmt.Sprintf(format, args...)}
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
