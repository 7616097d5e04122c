package bulkv2

import (
	"errors"
	"net/http"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/apierror"
	"github.com/forcefield/forcefield/internal/bulk"
)

func TestLocator(t *testing.T) {
	for _, n := range []int64{0, 1, 4, 10000, 99999999999} {
		got, ok := parseLocator(locator(n))
		if !ok || got != n {
			t.Errorf("locator(%d) = %q reads back as %d, %v", n, locator(n), got, ok)
		}
	}
	if locator(10000) != "MTAwMDA" {
		t.Errorf("locator(10000) = %q, want Salesforce's look MTAwMDA", locator(10000))
	}
	for _, bad := range []string{"", "!!", "LTE", "YWJj", "null"} { // "", junk, -1, "abc", the end marker
		if n, ok := parseLocator(bad); ok {
			t.Errorf("parseLocator(%q) = %d, accepted", bad, n)
		}
	}
}

// Engine errors become REST error arrays: Bulk 1.0 names upper-cased unless a REST code
// is given, the status kept (400 when unset); other errors pass through for a 500.
func TestWireError(t *testing.T) {
	for _, c := range []struct {
		in   error
		want *apierror.Error
	}{
		{&bulk.Error{Code: bulk.CodeInvalidJobState, Status: http.StatusConflict, Message: "m"}, apierror.New(409, "INVALIDJOBSTATE", "m")},
		{&bulk.Error{Code: bulk.CodeInvalidBatch, V2Code: "MALFORMED_QUERY", Status: 400, Message: "q"}, apierror.New(400, "MALFORMED_QUERY", "q")},
		{&bulk.Error{Code: bulk.CodeFeatureNotEnabled, Message: "f"}, apierror.New(400, "FEATURENOTENABLED", "f")},
		{bulk.ErrJobNotFound(), apierror.New(404, "NOT_FOUND", "The requested resource does not exist")},
	} {
		got := wireError(c.in)
		if diff := cmp.Diff(c.want, got); diff != "" {
			t.Errorf("wireError(%v) (-want +got):\n%s", c.in, diff)
		}
	}
	other := errors.New("disk full")
	if got := wireError(other); got != other {
		t.Errorf("a non-bulk error became %v", got)
	}
}

func TestAPIVersion(t *testing.T) {
	for in, want := range map[string]string{"59.0": "59.0", "63": "63.0", "": "0.0"} {
		if got := string(apiVersion(in)); got != want {
			t.Errorf("apiVersion(%q) = %s, want %s", in, got, want)
		}
	}
}
