package bulkv1

import "fmt"

// Bulk API 1.0 exception codes (reference §1, Salesforce "Errors"). Every one is sent with
// HTTP status ErrorStatus.
const (
	ClientInputError   = "ClientInputError"
	ExceededQuota      = "ExceededQuota"
	FeatureNotEnabled  = "FeatureNotEnabled"
	InvalidBatch       = "InvalidBatch"
	InvalidJob         = "InvalidJob"
	InvalidJobState    = "InvalidJobState"
	InvalidOperation   = "InvalidOperation"
	InvalidSessionId   = "InvalidSessionId"
	InvalidUrl         = "InvalidUrl"
	InvalidUser        = "InvalidUser"
	InvalidXML         = "InvalidXML"
	Timeout            = "Timeout"
	TooManyLockFailure = "TooManyLockFailure"
	Unknown            = "Unknown"
)

// ErrorStatus is the HTTP status of every Bulk API 1.0 error body (reference §1, "HTTP
// Status Codes"). jsforce refreshes its token only on 400 with InvalidSessionId (§0 item 20).
const ErrorStatus = 400

// Error is one Bulk API 1.0 exception: <error><exceptionCode>… or {"exceptionCode":…}.
// The parsers of this package return it for bad input.
type Error struct {
	Code    string
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("%s: %s", e.Code, e.Message) }

func errorf(code, format string, args ...any) *Error {
	return &Error{Code: code, Message: fmt.Sprintf(format, args...)}
}

// MarshalXMLBody renders e as Salesforce does (reference §1):
//
//	<?xml version="1.0" encoding="UTF-8"?><error
//	   xmlns="http://www.force.com/2009/06/asyncapi/dataload">
//	 <exceptionCode>InvalidJob</exceptionCode>
//	 <exceptionMessage>Unable to find object: Foo</exceptionMessage>
//	</error>
func (e *Error) MarshalXMLBody() []byte {
	b := appendXMLRoot(nil, "error")
	b = appendXMLText(b, 1, "exceptionCode", e.Code)
	b = appendXMLText(b, 1, "exceptionMessage", e.Message)
	return appendXMLEnd(b, 0, "error")
}

// MarshalJSONBody renders e as the flat object {"exceptionCode":…,"exceptionMessage":…}
// (reference §1; not an array, unlike Bulk 2.0 and REST).
func (e *Error) MarshalJSONBody() []byte {
	b := append([]byte(nil), `{"exceptionCode":`...)
	b = appendJSONString(b, e.Code)
	b = append(b, `,"exceptionMessage":`...)
	b = appendJSONString(b, e.Message)
	return append(b, '}')
}

// Marshal renders e in f.
func (e *Error) Marshal(f Format) []byte {
	if f == FormatJSON {
		return e.MarshalJSONBody()
	}
	return e.MarshalXMLBody()
}
