// Package apierror renders Salesforce REST API errors: an HTTP status with a JSON array of
// {"message","errorCode"[,"fields"]} (REST API Developer Guide, "Status Codes and Error
// Responses"; the reference salesforce-rest.md §5). Every REST and admin error leaves the
// server through Write, so the shape is decided in one place.
package apierror

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
)

// Error is one Salesforce API error. It satisfies the error interface so handlers can
// return it; anything else a handler returns is rendered as a 500 without its details.
type Error struct {
	Status  int
	Code    string
	Message string
	Fields  []string // rendered only when non-nil
}

func (e *Error) Error() string { return fmt.Sprintf("%d %s: %s", e.Status, e.Code, e.Message) }

// New returns an *Error.
func New(status int, code, message string) *Error {
	return &Error{Status: status, Code: code, Message: message}
}

// Common errors with Salesforce's exact texts.
var (
	ErrInvalidSession = New(http.StatusUnauthorized, "INVALID_SESSION_ID", "Session expired or invalid")
	ErrNotREST        = New(http.StatusUnauthorized, "INVALID_SESSION_ID", "This session is not valid for use with the REST API")
	ErrAuthHeader     = New(http.StatusUnauthorized, "INVALID_AUTH_HEADER", "INVALID_HEADER_TYPE")
	ErrNotFound       = New(http.StatusNotFound, "NOT_FOUND", "The requested resource does not exist")
	ErrAPIDisabled    = New(http.StatusForbidden, "API_DISABLED_FOR_ORG", "The REST API is not enabled for this Organization.")
	ErrLimitExceeded  = New(http.StatusForbidden, "REQUEST_LIMIT_EXCEEDED", "TotalRequests Limit exceeded.")
)

// MethodNotAllowed is Salesforce's 405 for a resource that exists.
func MethodNotAllowed(method, allowed string) *Error {
	return New(http.StatusMethodNotAllowed, "METHOD_NOT_ALLOWED",
		fmt.Sprintf("HTTP Method '%s' not allowed. Allowed are %s", method, allowed))
}

type wire struct {
	Message   string    `json:"message"`
	ErrorCode string    `json:"errorCode"`
	Fields    *[]string `json:"fields,omitempty"` // a nil slice is omitted, an empty one is []
}

// ContentType is the Content-Type of every REST JSON response; jsforce parses a body as
// JSON only when it matches ^application/json(;|$).
const ContentType = "application/json;charset=UTF-8"

// Write renders err. A non-*Error becomes a 500 UNKNOWN_EXCEPTION whose text reveals
// nothing internal; the caller logs the original.
func Write(w http.ResponseWriter, err error) {
	var e *Error
	if !errors.As(err, &e) {
		e = New(http.StatusInternalServerError, "UNKNOWN_EXCEPTION", "An unexpected error occurred. Please include this ErrorId if you contact support.")
	}
	one := wire{Message: e.Message, ErrorCode: e.Code}
	if e.Fields != nil {
		one.Fields = &e.Fields
	}
	body, _ := json.Marshal([]wire{one})
	w.Header().Set("Content-Type", ContentType)
	w.WriteHeader(e.Status)
	w.Write(body)
}
