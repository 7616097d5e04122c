package faults

import (
	"math"
	"strings"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/sfid"
)

func TestValidate(t *testing.T) {
	org := sfid.ID("00D5F0000000001AAA")
	until := time.Date(2026, 11, 22, 11, 0, 0, 0, time.UTC)
	tests := []struct {
		name string
		f    Fault
		want string // "" valid; else a substring of the error
	}{
		{"default count", Fault{OrgID: org, Family: REST, Answer: Drop}, ""},
		{"count", Fault{OrgID: org, Family: Token, Answer: ServerUnavailable, Count: 3}, ""},
		{"fraction", Fault{OrgID: org, Family: Bulk, Answer: UnableToLockRow, Fraction: 0.5}, ""},
		{"fraction one", Fault{OrgID: org, Family: Composite, Answer: QueryTimeout, Fraction: 1}, ""},
		{"until", Fault{OrgID: org, Family: All, Answer: RequestLimitExceeded, Until: until}, ""},
		{"delay answer", Fault{OrgID: org, Family: REST, Answer: Delay, Delay: time.Second}, ""},
		{"error after a delay", Fault{OrgID: org, Family: REST, Answer: InvalidSessionID, Delay: time.Second}, ""},
		{"invalid_grant on token", Fault{OrgID: org, Family: Token, Answer: InvalidGrant}, ""},
		{"invalid_grant under all", Fault{OrgID: org, Family: All, Answer: InvalidGrant}, ""},
		{"no org", Fault{Family: REST, Answer: Drop}, "needs an org"},
		{"unknown family", Fault{OrgID: org, Family: "soap", Answer: Drop}, `family "soap"`},
		{"family case", Fault{OrgID: org, Family: "REST", Answer: Drop}, `family "REST"`},
		{"unknown answer", Fault{OrgID: org, Family: REST, Answer: "TIMEOUT"}, `answer "TIMEOUT"`},
		{"answer case", Fault{OrgID: org, Family: Token, Answer: "INVALID_GRANT"}, `answer "INVALID_GRANT"`},
		{"invalid_grant on rest", Fault{OrgID: org, Family: REST, Answer: InvalidGrant}, "does not apply to the rest family (it applies to token)"},
		{"session on token", Fault{OrgID: org, Family: Token, Answer: InvalidSessionID}, "does not apply to the token family"},
		{"lock on token", Fault{OrgID: org, Family: Token, Answer: UnableToLockRow}, "does not apply to the token family"},
		{"count and fraction", Fault{OrgID: org, Family: REST, Answer: Drop, Count: 1, Fraction: 0.5}, "not several"},
		{"fraction and until", Fault{OrgID: org, Family: REST, Answer: Drop, Fraction: 0.5, Until: until}, "not several"},
		{"negative count", Fault{OrgID: org, Family: REST, Answer: Drop, Count: -2}, "count -2"},
		{"fraction over one", Fault{OrgID: org, Family: REST, Answer: Drop, Fraction: 1.01}, "fraction 1.01"},
		{"negative fraction", Fault{OrgID: org, Family: REST, Answer: Drop, Fraction: -0.5}, "fraction -0.5"},
		{"NaN fraction", Fault{OrgID: org, Family: REST, Answer: Drop, Fraction: math.NaN()}, "fraction NaN"},
		{"delay without delay", Fault{OrgID: org, Family: REST, Answer: Delay}, "needs a delay"},
		{"delay too long", Fault{OrgID: org, Family: REST, Answer: Delay, Delay: MaxDelay + time.Second}, "want between 0 and 10m0s"},
		{"negative delay", Fault{OrgID: org, Family: REST, Answer: Drop, Delay: -time.Second}, "delay -1s"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := tc.f
			f.Normalize()
			err := f.Validate()
			switch {
			case tc.want == "" && err != nil:
				t.Errorf("Validate: %v, want valid", err)
			case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
				t.Errorf("Validate: %v, want an error containing %q", err, tc.want)
			}
		})
	}
}

func TestNormalize(t *testing.T) {
	f := Fault{}
	f.Normalize()
	if f.Count != 1 || f.Remaining != 1 {
		t.Errorf("none given: count %d remaining %d, want 1 and 1", f.Count, f.Remaining)
	}
	f = Fault{Count: 3}
	f.Normalize()
	if f.Remaining != 3 {
		t.Errorf("count 3: remaining %d", f.Remaining)
	}
	f = Fault{Fraction: 0.5}
	f.Normalize()
	if f.Count != 0 || f.Remaining != 0 {
		t.Errorf("fraction: count %d remaining %d, want none", f.Count, f.Remaining)
	}
}

func TestDataFamily(t *testing.T) {
	for path, want := range map[string]Family{
		"/services/data/v59.0/query":                        REST,
		"/services/data/v59.0/sobjects/Account/001":         REST,
		"/services/data/v59.0/limits":                       REST,
		"/services/data/v59.0/composite":                    Composite,
		"/services/data/v59.0/composite/sobjects":           Composite,
		"/services/data/v59.0/composite/tree/Account":       Composite,
		"/services/data/v59.0/composite/batch":              Composite,
		"/services/data/v59.0/jobs/ingest":                  Bulk,
		"/services/data/v59.0/jobs/ingest/750xx/batches":    Bulk,
		"/services/data/v59.0/jobs/query":                   Bulk,
		"/services/data/v59.0/jobsX":                        REST,
		"/services/data/v59.0/sobjects/Composite__c":        REST,
		"/services/async/59.0/job":                          Bulk,
		"/services/async/59.0/job/750xx/batch/751xx/result": Bulk,
	} {
		if got := DataFamily(path); got != want {
			t.Errorf("DataFamily(%s) = %s, want %s", path, got, want)
		}
	}
}

// Which faults apply to which requests: family (all: where the answer applies), app,
// user, and invalid_grant on refresh only.
func TestApplies(t *testing.T) {
	app, other := sfid.ID("0H45F0000000001AAA"), sfid.ID("0H45F0000000002AAA")
	user := sfid.ID("0055F0000000001AAA")
	who := Who{Org: "00D5F0000000001AAA", App: app, User: user}
	tests := []struct {
		name  string
		f     Fault
		fam   Family
		grant string
		who   Who
		want  bool
	}{
		{"same family", Fault{Family: REST, Answer: Drop}, REST, "", who, true},
		{"other family", Fault{Family: REST, Answer: Drop}, Bulk, "", who, false},
		{"all, answer applies", Fault{Family: All, Answer: UnableToLockRow}, Composite, "", who, true},
		{"all, answer does not apply", Fault{Family: All, Answer: UnableToLockRow}, Token, "client_credentials", who, false},
		{"all, invalid_grant on data", Fault{Family: All, Answer: InvalidGrant}, REST, "", who, false},
		{"app matches", Fault{Family: REST, Answer: Drop, AppID: app}, REST, "", who, true},
		{"app differs", Fault{Family: REST, Answer: Drop, AppID: other}, REST, "", who, false},
		{"user matches", Fault{Family: REST, Answer: Drop, UserID: user}, REST, "", who, true},
		{"user differs", Fault{Family: REST, Answer: Drop, UserID: "0055F0000000002AAA"}, REST, "", who, false},
		{"no app in the request", Fault{Family: REST, Answer: Drop, AppID: app}, REST, "", Who{Org: who.Org, User: user}, false},
		{"invalid_grant on refresh", Fault{Family: Token, Answer: InvalidGrant}, Token, "refresh_token", who, true},
		{"invalid_grant on client credentials", Fault{Family: Token, Answer: InvalidGrant}, Token, "client_credentials", who, false},
		{"token limit on any grant", Fault{Family: Token, Answer: RequestLimitExceeded}, Token, "password", who, true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l := &live{Fault: tc.f}
			if got := l.applies(tc.fam, tc.who, tc.grant); got != tc.want {
				t.Errorf("applies = %v, want %v", got, tc.want)
			}
		})
	}
}

// Each answer's rendering on REST and at the token endpoint.
func TestRender(t *testing.T) {
	for a, want := range map[Answer]string{
		RequestLimitExceeded: "403 REQUEST_LIMIT_EXCEEDED: TotalRequests Limit exceeded.",
		ServerUnavailable:    "503 SERVER_UNAVAILABLE: Server temporarily unavailable, please try again later.",
		UnableToLockRow:      "400 UNABLE_TO_LOCK_ROW: unable to obtain exclusive access to this record",
		QueryTimeout:         "400 QUERY_TIMEOUT: Your query request was running for too long.",
		InvalidSessionID:     "401 INVALID_SESSION_ID: Session expired or invalid",
	} {
		if got := a.REST(); got == nil || got.Error() != want {
			t.Errorf("%s.REST() = %v, want %s", a, got, want)
		}
	}
	for _, a := range []Answer{InvalidGrant, Drop, Delay} {
		if got := a.REST(); got != nil {
			t.Errorf("%s.REST() = %v, want none", a, got)
		}
	}
	for a, want := range map[Answer]OAuthError{
		RequestLimitExceeded: {400, "rate_limit_exceeded", "number of logins exceeded", "Login rate exceeded"},
		ServerUnavailable:    {503, "temporarily_unavailable", "server temporarily unavailable", "Failed: Server Unavailable"},
		InvalidGrant:         {400, "invalid_grant", "expired access/refresh token", "Failed: Expired refresh token"},
	} {
		if got := a.OAuth(); got == nil || *got != want {
			t.Errorf("%s.OAuth() = %+v, want %+v", a, got, want)
		}
	}
}
