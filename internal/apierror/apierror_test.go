package apierror

import (
	"errors"
	"net/http/httptest"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestWrite(t *testing.T) {
	for _, tc := range []struct {
		name   string
		err    error
		status int
		body   string
	}{
		{"session", ErrInvalidSession, 401, `[{"message":"Session expired or invalid","errorCode":"INVALID_SESSION_ID"}]`},
		{"empty fields kept", &Error{Status: 404, Code: "ENTITY_IS_DELETED", Message: "entity is deleted", Fields: []string{}}, 404,
			`[{"message":"entity is deleted","errorCode":"ENTITY_IS_DELETED","fields":[]}]`},
		{"fields", &Error{Status: 400, Code: "REQUIRED_FIELD_MISSING", Message: "Required fields are missing: [Name]", Fields: []string{"Name"}}, 400,
			`[{"message":"Required fields are missing: [Name]","errorCode":"REQUIRED_FIELD_MISSING","fields":["Name"]}]`},
		{"internal hidden", errors.New("disk on fire at /var/x"), 500,
			`[{"message":"An unexpected error occurred. Please include this ErrorId if you contact support.","errorCode":"UNKNOWN_EXCEPTION"}]`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			Write(rec, tc.err)
			if rec.Code != tc.status {
				t.Errorf("status = %d, want %d", rec.Code, tc.status)
			}
			if diff := cmp.Diff(tc.body, rec.Body.String()); diff != "" {
				t.Errorf("body (-want +got):\n%s", diff)
			}
			if ct := rec.Header().Get("Content-Type"); ct != "application/json;charset=UTF-8" {
				t.Errorf("Content-Type = %q", ct)
			}
		})
	}
}
