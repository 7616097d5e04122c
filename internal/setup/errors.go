package setup

import (
	"errors"
	"fmt"
)

// Kind classifies an *Error so that each surface can render it in its own format (the
// admin API as a Salesforce error array with a status, the console beside the form field).
type Kind int

const (
	// Invalid: the request is malformed or breaks a rule (HTTP 400, INVALID_INPUT).
	Invalid Kind = iota
	// NotFound: it names an object that does not exist (HTTP 404, NOT_FOUND).
	NotFound
	// Conflict: it would duplicate a unique value (HTTP 409, DUPLICATE_VALUE).
	Conflict
)

// Error is a change the service refused; Message is meant for the person who asked, and
// Field, when set, is the input it is about (a form field's name).
type Error struct {
	Kind    Kind
	Field   string
	Message string
}

func (e *Error) Error() string { return e.Message }

// Invalidf returns an Invalid error.
func Invalidf(format string, args ...any) error {
	return &Error{Kind: Invalid, Message: fmt.Sprintf(format, args...)}
}

// FieldInvalidf returns an Invalid error about one input field.
func FieldInvalidf(field, format string, args ...any) error {
	return &Error{Kind: Invalid, Field: field, Message: fmt.Sprintf(format, args...)}
}

// NotFoundf returns a NotFound error.
func NotFoundf(format string, args ...any) error {
	return &Error{Kind: NotFound, Message: fmt.Sprintf(format, args...)}
}

// Conflictf returns a Conflict error.
func Conflictf(format string, args ...any) error {
	return &Error{Kind: Conflict, Message: fmt.Sprintf(format, args...)}
}

// AsError returns the *Error in err's chain, if any.
func AsError(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}
