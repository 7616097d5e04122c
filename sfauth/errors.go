package sfauth

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// ErrSignature reports a token response whose signature is not the HMAC-SHA256 of its id
// and issued_at keyed with the consumer secret: the identity URL or the issue time was
// altered on the way (Salesforce's signature field, the reference §1.10).
var ErrSignature = errors.New("sfauth: token response signature does not match")

// TokenError is an error answer from the token endpoint (RFC 6749 §5.2), e.g.
// 400 invalid_client "invalid client credentials".
type TokenError struct {
	StatusCode  int    `json:"-"` // HTTP status, 400 for every error Salesforce is known to send
	Code        string `json:"error"`
	Description string `json:"error_description"`
	Body        []byte `json:"-"` // the response body when it was not an OAuth error object
}

func (e *TokenError) Error() string {
	if e.Code == "" {
		return fmt.Sprintf("sfauth: token request: HTTP %d: %s", e.StatusCode, strings.TrimSpace(string(e.Body)))
	}
	return fmt.Sprintf("sfauth: token request: %s: %s (HTTP %d)", e.Code, e.Description, e.StatusCode)
}

// ErrorItem is one element of a Salesforce REST API error body.
type ErrorItem struct {
	Message   string   `json:"message"`
	ErrorCode string   `json:"errorCode"`
	Fields    []string `json:"fields,omitempty"`
}

// APIError is a non-2xx answer from the REST API. Salesforce sends a JSON array of
// {message, errorCode, fields}; when the body is something else, Errors is empty and Body
// holds it.
type APIError struct {
	StatusCode int
	Errors     []ErrorItem
	Body       []byte
}

func (e *APIError) Error() string {
	if len(e.Errors) == 0 {
		return fmt.Sprintf("sfauth: HTTP %d: %s", e.StatusCode, strings.TrimSpace(string(e.Body)))
	}
	parts := make([]string, len(e.Errors))
	for i, it := range e.Errors {
		parts[i] = it.ErrorCode + ": " + it.Message
		if len(it.Fields) > 0 {
			parts[i] += " (fields " + strings.Join(it.Fields, ", ") + ")"
		}
	}
	return fmt.Sprintf("sfauth: HTTP %d: %s", e.StatusCode, strings.Join(parts, "; "))
}

// maxErrorBody bounds how much of an error body is read.
const maxErrorBody = 64 << 10

// CheckResponse returns nil for a 2xx response and an *APIError otherwise, reading (up to
// 64 KiB of) and closing the body in that case.
func CheckResponse(resp *http.Response) error {
	if resp.StatusCode >= 200 && resp.StatusCode < 300 {
		return nil
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxErrorBody))
	if err != nil {
		return fmt.Errorf("sfauth: reading HTTP %d error body: %w", resp.StatusCode, err)
	}
	e := &APIError{StatusCode: resp.StatusCode, Body: body}
	if json.Unmarshal(body, &e.Errors) != nil {
		e.Errors = nil
	}
	return e
}
