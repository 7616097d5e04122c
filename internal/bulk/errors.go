package bulk

import (
	"fmt"
	"net/http"
)

// Exception codes: Bulk API 1.0's names (salesforce-bulk.md §1). Bulk API 2.0 reports the
// same conditions as errorCode in upper case without separators (INVALIDJOB,
// INVALIDJOBSTATE, …), which is what clients match on (FEATURENOTENABLED in the sf CLI,
// INVALIDENTITY in Airbyte).
const (
	CodeClientInput       = "ClientInputError"
	CodeExceededQuota     = "ExceededQuota"
	CodeFeatureNotEnabled = "FeatureNotEnabled"
	CodeInvalidBatch      = "InvalidBatch"
	CodeInvalidEntity     = "InvalidEntity"
	CodeInvalidJob        = "InvalidJob"
	CodeInvalidJobState   = "InvalidJobState"
	CodeInvalidOperation  = "InvalidOperation"
	CodeInvalidSessionID  = "InvalidSessionId"
	CodeInvalidURL        = "InvalidUrl"
	CodeInvalidXML        = "InvalidXML"
	CodeNotFound          = "NotFound"
	CodeUnknown           = "Unknown"
)

// Error is a refusal of a Bulk API request. Code is the Bulk 1.0 exception code;
// V2Code, when set, replaces the upper-cased Code in Bulk 2.0 answers (NOT_FOUND,
// JOB_NOT_COMPLETE, MALFORMED_QUERY, …); Status is the Bulk 2.0 HTTP status (Bulk 1.0
// answers every error with 400, its documented status).
type Error struct {
	Code    string
	V2Code  string
	Status  int
	Message string
}

func (e *Error) Error() string { return e.Code + ": " + e.Message }

func errorf(code string, status int, format string, args ...any) *Error {
	return &Error{Code: code, Status: status, Message: fmt.Sprintf(format, args...)}
}

// ErrJobNotFound is an unknown job, or one of another org or user.
func ErrJobNotFound() *Error {
	return &Error{Code: CodeInvalidJob, V2Code: "NOT_FOUND", Status: http.StatusNotFound,
		Message: "The requested resource does not exist"}
}

// ErrBatchNotFound is an unknown batch.
func ErrBatchNotFound() *Error {
	return &Error{Code: CodeInvalidBatch, V2Code: "NOT_FOUND", Status: http.StatusNotFound,
		Message: "The requested resource does not exist"}
}
