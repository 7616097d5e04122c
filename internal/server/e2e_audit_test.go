package server

import (
	"bytes"
	"database/sql"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// The setup audit trail and the end of a deactivated user's sessions, on the wire.

type auditJSON struct {
	ID           string    `json:"id"`
	OrgID        string    `json:"orgId"`
	CreatedDate  time.Time `json:"createdDate"`
	CreatedBy    string    `json:"createdBy"`
	Action       string    `json:"action"`
	Section      string    `json:"section"`
	ObjectID     string    `json:"objectId"`
	Display      string    `json:"display"`
	DelegateUser string    `json:"delegateUser"`
}

func (s *testServer) auditTrail(t *testing.T, query string) []auditJSON {
	t.Helper()
	return decode[[]auditJSON](t, s.admin(t, http.MethodGet, "/audit-trail"+query, ""), http.StatusOK)
}

// deactivateIntegration is the test org file with integration@acme.example inactive.
func deactivateIntegration(t *testing.T, active bool) string {
	t.Helper()
	const line = "profile: Acme Integration, timeZone: Europe/Paris}"
	if !strings.Contains(testOrgFile, line) {
		t.Fatal("the test org file changed: update deactivateIntegration")
	}
	if active {
		return testOrgFile
	}
	return strings.Replace(testOrgFile, line, "profile: Acme Integration, timeZone: Europe/Paris, active: false}", 1)
}

func TestDeactivatingUserEndsSessions(t *testing.T) {
	s := start(t)
	_, userID := s.ids(t, "integration@acme.example")
	tok := s.token(t, "AcmeKey0001", "AcmeSecret0001")
	tok2 := s.token(t, "IntroKey0003", "IntroSecret0003")  // same user, another app
	other := s.token(t, "ShortKey0010", "ShortSecret0010") // short@acme.example
	wantLive(t, s, tok, "before deactivation")

	r := s.admin(t, http.MethodPost, "/apply?name=deactivate.yaml", deactivateIntegration(t, false))
	if r.Status != http.StatusOK {
		t.Fatalf("apply: %d %s", r.Status, r.Body)
	}
	wantDead(t, s, tok, "right after deactivation")
	wantDead(t, s, tok2, "the user's session of another app")
	wantLive(t, s, other, "another user's session")
	wantOAuthError(t, s.postForm(t, "/services/oauth2/token", ccForm("AcmeKey0001", "AcmeSecret0001")),
		http.StatusBadRequest, "invalid_grant", "inactive user")
	if got := decode[[]map[string]any](t, s.admin(t, http.MethodGet, "/sessions?user="+userID, ""), http.StatusOK); len(got) != 0 {
		t.Errorf("sessions of the deactivated user: %v, want none", got)
	}

	// The sessions were deleted, not merely blocked: reactivating does not revive them.
	if r := s.admin(t, http.MethodPost, "/apply?name=reactivate.yaml", deactivateIntegration(t, true)); r.Status != http.StatusOK {
		t.Fatalf("apply: %d %s", r.Status, r.Body)
	}
	wantDead(t, s, tok, "after reactivation")
	wantLive(t, s, s.token(t, "AcmeKey0001", "AcmeSecret0001"), "a new token after reactivation")

	rows := s.auditTrail(t, "?limit=2")
	want := []auditJSON{
		{CreatedBy: "org file reactivate.yaml via the admin API", Action: "updated", Section: "Manage Users", ObjectID: userID,
			Display: "Changed user integration@acme.example"},
		{CreatedBy: "org file deactivate.yaml via the admin API", Action: "deactivatedUser", Section: "Manage Users", ObjectID: userID,
			Display: "Deactivated user integration@acme.example: all of the user's sessions end"},
	}
	ignore := func(rs []auditJSON) []auditJSON {
		out := make([]auditJSON, len(rs))
		for i, r := range rs {
			r.ID, r.OrgID, r.CreatedDate = "", "", time.Time{}
			out[i] = r
		}
		return out
	}
	if d := cmp.Diff(want, ignore(rows)); d != "" {
		t.Errorf("audit trail (-want +got):\n%s", d)
	}
}

// TestDeactivatedAtStart: an org file applied at start that deactivates a user deletes
// the user's stored sessions.
func TestDeactivatedAtStartEndsSessions(t *testing.T) {
	orgFile, dir := writeOrgFile(t, testOrgFile)
	cfg := Config{DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile}
	s := startWith(t, cfg)
	tok := s.token(t, "AcmeKey0001", "AcmeSecret0001")
	wantLive(t, s, tok, "first run")
	s.stop()

	if err := os.WriteFile(orgFile, []byte(deactivateIntegration(t, false)), 0o600); err != nil {
		t.Fatal(err)
	}
	s = startWith(t, cfg)
	s.stop()
	if err := os.WriteFile(orgFile, []byte(testOrgFile), 0o600); err != nil {
		t.Fatal(err)
	}
	s = startWith(t, cfg)
	wantDead(t, s, tok, "after a start that deactivated the user, then one that reactivated them")
	rows := s.auditTrail(t, "?limit=2")
	if len(rows) != 2 || rows[1].Action != "deactivatedUser" || rows[1].CreatedBy != "org file org.yaml at start" {
		t.Errorf("audit trail = %+v, want the deactivation by \"org file org.yaml at start\" second newest", rows)
	}
}

func TestSetupAuditTrail(t *testing.T) {
	s := start(t)
	orgID, _ := s.ids(t, "integration@acme.example")

	t.Run("the org file applied at start", func(t *testing.T) {
		rows := s.auditTrail(t, "?limit=10000")
		// 1 org, 3 profiles, 1 permission set, 5 users, 12 apps and their 12 credentials,
		// then the built-in Salesforce CLI app (with its credentials, one row).
		if len(rows) != 35 {
			t.Errorf("%d rows, want 35", len(rows))
		}
		if len(rows) > 0 && (rows[0].CreatedBy != "Forcefield (built-in apps)" || rows[0].OrgID != orgID) {
			t.Errorf("newest row %+v, want the built-in app's", rows[0])
		}
		for _, r := range rows[min(1, len(rows)):] {
			if r.CreatedBy != "org file acme.yaml at start" || r.Action != "created" || r.OrgID != orgID || r.ObjectID == "" {
				t.Errorf("row %+v, want created by the org file at start", r)
			}
		}
		if len(rows) > 0 && rows[len(rows)-1].Display != "Created org Acme" {
			t.Errorf("oldest row = %q, want \"Created org Acme\"", rows[len(rows)-1].Display)
		}
	})

	staged := decode[credentialJSON](t, s.admin(t, http.MethodPost, credsPath+"/staged", ""), http.StatusCreated)
	s.Clock.Advance(time.Minute)
	decode[credentialJSON](t, s.admin(t, http.MethodPatch, credsPath+"/staged", rotateBody), http.StatusOK)
	oldID := ""
	for _, c := range s.listCreds(t) {
		if c.State == "Rotated" {
			oldID = c.ID
		}
	}
	s.Clock.Advance(time.Minute)
	if r := s.admin(t, http.MethodDelete, credsPath+"/"+oldID, ""); r.Status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", r.Status, r.Body)
	}
	legacy := decode[credentialJSON](t, s.admin(t, http.MethodPost, "/apps/Basic%20Only/secrets", ""), http.StatusCreated)
	if r := s.admin(t, http.MethodDelete, "/users/short@acme.example/sessions", ""); r.Status != http.StatusOK {
		t.Fatalf("revoke user sessions: %d %s", r.Status, r.Body)
	}

	t.Run("each admin step, newest first", func(t *testing.T) {
		rows := s.auditTrail(t, "?org="+orgID+"&limit=5")
		type row struct{ By, Action, Section, Object string }
		var got []row
		for _, r := range rows {
			got = append(got, row{r.CreatedBy, r.Action, r.Section, r.ObjectID})
		}
		_, shortID := s.ids(t, "short@acme.example")
		want := []row{
			{"admin token", "revokedUserSessions", "Manage Users", shortID},
			{"admin token", "rotatedConsumerSecret", "Connected Apps", legacy.ID},
			{"admin token", "deletedConsumerCredentials", "Connected Apps", oldID},
			{"admin token", "rotatedConsumerCredentials", "Connected Apps", staged.ID},
			{"admin token", "stagedConsumerCredentials", "Connected Apps", staged.ID},
		}
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("audit trail (-want +got):\n%s", d)
		}
		if len(rows) == 5 {
			if want := s.Clock.Now(); !rows[0].CreatedDate.Equal(want) {
				t.Errorf("newest CreatedDate = %v, want the server clock's %v", rows[0].CreatedDate, want)
			}
			if !strings.HasPrefix(rows[2].Display, "Deleted Rotated consumer credentials "+oldID) {
				t.Errorf("delete row display = %q", rows[2].Display)
			}
		}
	})

	t.Run("filters and errors", func(t *testing.T) {
		if rows := s.auditTrail(t, "?limit=1"); len(rows) != 1 {
			t.Errorf("limit=1: %d rows", len(rows))
		}
		other := "00D" + strings.Repeat("0", 12)
		if rows := s.auditTrail(t, "?org="+url.QueryEscape(other)); len(rows) != 0 {
			t.Errorf("another org: %d rows, want 0", len(rows))
		}
		wantRESTError(t, s.admin(t, http.MethodGet, "/audit-trail?limit=0", ""), http.StatusBadRequest, "INVALID_INPUT",
			"limit must be a number from 1 to 10000")
		wantRESTError(t, s.admin(t, http.MethodGet, "/audit-trail?org=acme", ""), http.StatusBadRequest, "INVALID_INPUT",
			`org: malformed id "acme"`)
		req := newRequest(t, http.MethodGet, s.URL+"/forcefield/admin/audit-trail", nil)
		wantRESTError(t, do(t, req), http.StatusUnauthorized, "INVALID_SESSION_ID", "Admin token missing or invalid")
	})

	t.Run("no secret anywhere in the database", func(t *testing.T) {
		secrets := []string{staged.ConsumerSecret, legacy.ConsumerSecret, "AcmeSecret0001", "OtherSecret0002", testAdminToken}
		s.stop()
		if onPostgres() {
			// Every row of every table of the test's schema, as text (bytea as hex).
			raw, err := sql.Open("pgx", testDB(t, s.DB)) // the schema standing for the file path
			if err != nil {
				t.Fatal(err)
			}
			defer raw.Close()
			tables, err := raw.Query("SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema()")
			if err != nil {
				t.Fatal(err)
			}
			var names []string
			for tables.Next() {
				var n string
				if err := tables.Scan(&n); err != nil {
					t.Fatal(err)
				}
				names = append(names, n)
			}
			tables.Close()
			if len(names) == 0 {
				t.Fatal("no tables in the test's schema")
			}
			for _, n := range names {
				var text sql.NullString
				if err := raw.QueryRow(`SELECT string_agg(t::text, E'\n') FROM "` + n + `" t`).Scan(&text); err != nil {
					t.Fatalf("%s: %v", n, err)
				}
				for _, sec := range secrets {
					if strings.Contains(text.String, sec) {
						t.Errorf("table %s holds the secret %q", n, sec)
					}
				}
			}
			return
		}
		matches, err := filepath.Glob(s.DB + "*") // the database, and any -wal or -shm left
		if err != nil || len(matches) == 0 {
			t.Fatalf("database files: %v %v", matches, err)
		}
		for _, path := range matches {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			for _, sec := range secrets {
				if bytes.Contains(data, []byte(sec)) {
					t.Errorf("%s holds the secret %q", filepath.Base(path), sec)
				}
			}
		}
	})
}
