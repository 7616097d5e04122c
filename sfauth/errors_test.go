package sfauth_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/sfauth"
)

// Error bodies that are not what Salesforce sends (a proxy's HTML page, an object instead
// of an array) still give typed errors, with the body kept for the message.
func TestErrorsFromOddBodies(t *testing.T) {
	answer := func(status int, body string) *http.Client {
		return &http.Client{Transport: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			return &http.Response{StatusCode: status, Body: io.NopCloser(strings.NewReader(body)), Header: http.Header{}, Request: r}, nil
		})}
	}
	cfg := &sfauth.Config{URL: "https://acme.my.salesforce.com", ClientID: "k", ClientSecret: "s", HTTPClient: answer(502, "<html>Bad Gateway</html>")}
	_, err := cfg.Token(context.Background())
	var te *sfauth.TokenError
	if !errors.As(err, &te) || te.StatusCode != 502 || te.Code != "" || string(te.Body) != "<html>Bad Gateway</html>" {
		t.Errorf("HTML token error: %#v", err)
	}
	if !strings.Contains(err.Error(), "502") || !strings.Contains(err.Error(), "Bad Gateway") {
		t.Errorf("message %q lacks the status or body", err)
	}

	for _, tc := range []struct {
		status int
		body   string
		want   *sfauth.APIError
		text   string
	}{
		{400, `[{"message":"Required fields are missing: [Name]","errorCode":"REQUIRED_FIELD_MISSING","fields":["Name"]}]`,
			&sfauth.APIError{StatusCode: 400, Errors: []sfauth.ErrorItem{{Message: "Required fields are missing: [Name]", ErrorCode: "REQUIRED_FIELD_MISSING", Fields: []string{"Name"}}}},
			"REQUIRED_FIELD_MISSING: Required fields are missing: [Name] (fields Name)"},
		{500, `{"oops":true}`, &sfauth.APIError{StatusCode: 500}, `HTTP 500: {"oops":true}`},
	} {
		resp := &http.Response{StatusCode: tc.status, Body: io.NopCloser(strings.NewReader(tc.body))}
		err := sfauth.CheckResponse(resp)
		var ae *sfauth.APIError
		if !errors.As(err, &ae) {
			t.Fatalf("%s: %T", tc.body, err)
		}
		tc.want.Body = []byte(tc.body)
		if diff := cmp.Diff(tc.want, ae); diff != "" {
			t.Errorf("%s (-want +got):\n%s", tc.body, diff)
		}
		if !strings.Contains(err.Error(), tc.text) {
			t.Errorf("message %q, want it to contain %q", err, tc.text)
		}
	}
	if err := sfauth.CheckResponse(&http.Response{StatusCode: 204, Body: http.NoBody}); err != nil {
		t.Errorf("204: %v", err)
	}
}
