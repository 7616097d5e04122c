package server

import (
	"net/http"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/setup"
	"github.com/forcefield/forcefield/internal/sfid"
)

// Staged consumer key and secret rotation through the admin API (the reference
// salesforce-oauth.md §7.3): stage → both pairs work → rotate → the old pair works for 30
// days and stops exactly then → delete ends a pair at once.

const credsPath = "/apps/Acme%20Integration/credentials"

const rotateBody = `{"command":"rotate"}`

// listCreds returns the app's pairs as the admin API shows them.
func (s *testServer) listCreds(t *testing.T) []credentialJSON {
	t.Helper()
	return decode[[]credentialJSON](t, s.admin(t, http.MethodGet, credsPath, ""), http.StatusOK)
}

// states summarises a credential list as ID → state.
func states(cs []credentialJSON) map[string]string {
	out := map[string]string{}
	for _, c := range cs {
		out[c.ID] = c.State
		if c.ConsumerSecret != "" {
			out[c.ID] += " WITH SECRET"
		}
	}
	return out
}

// tokenWorks reports whether a client credentials request with the pair succeeds, and
// checks the signature of a success against the secret used.
func (s *testServer) tokenWorks(t *testing.T, key, secret string) bool {
	t.Helper()
	r := s.postForm(t, "/services/oauth2/token", ccForm(key, secret))
	if r.Status == http.StatusOK {
		wantSignature(t, r.JSON(t), secret)
		return true
	}
	return false
}

func TestStagedRotationLifecycle(t *testing.T) {
	s := start(t)
	const oldKey, oldSecret = "AcmeKey0001", "AcmeSecret0001"
	start := s.Clock.Now()
	before := s.listCreds(t)
	if len(before) != 1 || before[0].State != "Active" || before[0].ConsumerKey != oldKey {
		t.Fatalf("credentials before staging = %+v, want the one Active pair", before)
	}
	oldID := before[0].ID

	t.Run("rotating with nothing staged", func(t *testing.T) {
		wantRESTError(t, s.admin(t, http.MethodPatch, credsPath+"/staged", rotateBody), http.StatusBadRequest, "INVALID_INPUT",
			`connected app "Acme Integration" has no staged credentials to rotate: stage credentials first`)
	})

	staged := decode[credentialJSON](t, s.admin(t, http.MethodPost, credsPath+"/staged", ""), http.StatusCreated)
	if staged.State != "Staged" || staged.ConsumerSecret == "" || staged.ConsumerKey == "" || staged.ConsumerKey == oldKey {
		t.Fatalf("staged = %+v, want a Staged pair with a new key and its secret", staged)
	}
	if want := start.Add(30 * 24 * time.Hour); staged.ExpiresAt == nil || !staged.ExpiresAt.Equal(want) {
		t.Errorf("staged expiresAt = %v, want %v", staged.ExpiresAt, want)
	}

	t.Run("both pairs work, each signing with its own secret", func(t *testing.T) {
		if !s.tokenWorks(t, oldKey, oldSecret) {
			t.Error("the Active pair stopped working when a pair was staged")
		}
		if !s.tokenWorks(t, staged.ConsumerKey, staged.ConsumerSecret) {
			t.Error("the staged pair does not authenticate")
		}
		// Pairs do not mix: the staged secret with the old key is rejected.
		wantOAuthError(t, s.postForm(t, "/services/oauth2/token", ccForm(oldKey, staged.ConsumerSecret)),
			http.StatusBadRequest, "invalid_client", "invalid client credentials")
	})

	t.Run("the list shows both and never a secret", func(t *testing.T) {
		want := map[string]string{oldID: "Active", staged.ID: "Staged"}
		if d := cmp.Diff(want, states(s.listCreds(t))); d != "" {
			t.Errorf("credentials (-want +got):\n%s", d)
		}
	})

	t.Run("wrong steps", func(t *testing.T) {
		unknown := sfid.New(sfid.PrefixCredential, "zz", 238_327).String()
		for _, tc := range []struct {
			name, method, path, body string
			status                   int
			code, message            string
		}{
			{"staging twice", "POST", credsPath + "/staged", "", 400, "INVALID_INPUT",
				`connected app "Acme Integration" already has staged credentials (` + staged.ID + `): rotate or delete them first`},
			{"deleting the active pair", "DELETE", credsPath + "/" + oldID, "", 400, "INVALID_INPUT",
				"credential " + oldID + " is the app's active pair: rotate first (stage credentials and rotate them in, or rotate the secret)"},
			{"rotating another id", "PATCH", credsPath + "/staged/" + oldID, rotateBody, 404, "NOT_FOUND",
				`connected app "Acme Integration" has no staged credentials ` + oldID},
			{"unknown command", "PATCH", credsPath + "/staged", `{"command":"promote"}`, 400, "INVALID_INPUT",
				`unknown command "promote": the only command is "rotate"`},
			{"no body", "PATCH", credsPath + "/staged", "", 400, "INVALID_INPUT",
				`the body must be {"command":"rotate"}: unexpected end of JSON input`},
			{"legacy rotate-secret while staged", "POST", "/apps/Acme%20Integration/secrets", "", 400, "INVALID_INPUT",
				`connected app "Acme Integration" has staged credentials (` + staged.ID + `): rotate or delete them before rotating the secret`},
			{"malformed id", "PATCH", credsPath + "/staged/nope", rotateBody, 400, "INVALID_INPUT", `malformed credential id "nope"`},
			{"unknown app", "POST", "/apps/No%20Such%20App/credentials/staged", "", 404, "NOT_FOUND", `no connected app named "No Such App"`},
			{"deleting an unknown pair", "DELETE", credsPath + "/" + unknown, "", 404, "NOT_FOUND",
				`connected app "Acme Integration" has no credential ` + unknown},
		} {
			t.Run(tc.name, func(t *testing.T) {
				wantRESTError(t, s.admin(t, tc.method, tc.path, tc.body), tc.status, tc.code, tc.message)
			})
		}
		if d := cmp.Diff(map[string]string{oldID: "Active", staged.ID: "Staged"}, states(s.listCreds(t))); d != "" {
			t.Errorf("a wrong step changed the credentials (-want +got):\n%s", d)
		}
	})

	s.Clock.Advance(time.Hour)
	rotatedAt := s.Clock.Now()
	promoted := decode[credentialJSON](t, s.admin(t, http.MethodPatch, credsPath+"/staged/"+staged.ID, rotateBody), http.StatusOK)
	if promoted.ID != staged.ID || promoted.State != "Active" || promoted.ExpiresAt != nil || promoted.ConsumerSecret != "" {
		t.Fatalf("rotate answered %+v, want the staged pair Active without expiry or secret", promoted)
	}

	t.Run("after rotate the old pair is Rotated for 30 days", func(t *testing.T) {
		got := s.listCreds(t)
		if d := cmp.Diff(map[string]string{oldID: "Rotated", staged.ID: "Active"}, states(got)); d != "" {
			t.Errorf("credentials (-want +got):\n%s", d)
		}
		for _, c := range got {
			if c.ID == oldID && (c.ExpiresAt == nil || !c.ExpiresAt.Equal(rotatedAt.Add(30*24*time.Hour))) {
				t.Errorf("rotated pair expiresAt = %v, want %v", c.ExpiresAt, rotatedAt.Add(30*24*time.Hour))
			}
		}
		if !s.tokenWorks(t, oldKey, oldSecret) || !s.tokenWorks(t, staged.ConsumerKey, staged.ConsumerSecret) {
			t.Error("both pairs must work right after a rotation")
		}
		wantRESTError(t, s.admin(t, http.MethodPost, credsPath+"/staged", ""), http.StatusBadRequest, "INVALID_INPUT",
			`connected app "Acme Integration" still has rotated credentials (`+oldID+`) valid until `+
				rotatedAt.Add(30*24*time.Hour).Format(time.RFC3339)+`: delete them first`)
	})

	t.Run("the old pair stops exactly at its expiry", func(t *testing.T) {
		s.Clock.Advance(30*24*time.Hour - time.Millisecond)
		if !s.tokenWorks(t, oldKey, oldSecret) {
			t.Fatal("the rotated pair stopped working before its expiry")
		}
		s.Clock.Advance(time.Millisecond)
		wantOAuthError(t, s.postForm(t, "/services/oauth2/token", ccForm(oldKey, oldSecret)),
			http.StatusBadRequest, "invalid_client_id", "client identifier invalid")
		if !s.tokenWorks(t, staged.ConsumerKey, staged.ConsumerSecret) {
			t.Error("the active pair stopped working")
		}
		if d := cmp.Diff(map[string]string{oldID: "Expired", staged.ID: "Active"}, states(s.listCreds(t))); d != "" {
			t.Errorf("credentials (-want +got):\n%s", d)
		}
	})

	t.Run("the sweeper deletes the expired pair", func(t *testing.T) {
		n, err := s.setup.SweepExpiredCredentials(t.Context())
		if err != nil || n != 1 {
			t.Fatalf("SweepExpiredCredentials = %d, %v; want 1 deleted", n, err)
		}
		if d := cmp.Diff(map[string]string{staged.ID: "Active"}, states(s.listCreds(t))); d != "" {
			t.Errorf("credentials after the sweep (-want +got):\n%s", d)
		}
		if n, err := s.setup.SweepExpiredCredentials(t.Context()); err != nil || n != 0 {
			t.Errorf("second sweep = %d, %v; want 0", n, err)
		}
	})

	t.Run("delete ends a rotated pair at once", func(t *testing.T) {
		next := decode[credentialJSON](t, s.admin(t, http.MethodPost, credsPath+"/staged", ""), http.StatusCreated)
		decode[credentialJSON](t, s.admin(t, http.MethodPatch, credsPath+"/staged", rotateBody), http.StatusOK)
		if !s.tokenWorks(t, staged.ConsumerKey, staged.ConsumerSecret) {
			t.Fatal("the pair just rotated out must still work")
		}
		if r := s.admin(t, http.MethodDelete, credsPath+"/"+staged.ID, ""); r.Status != http.StatusNoContent {
			t.Fatalf("DELETE rotated pair: %d %s, want 204", r.Status, r.Body)
		}
		wantOAuthError(t, s.postForm(t, "/services/oauth2/token", ccForm(staged.ConsumerKey, staged.ConsumerSecret)),
			http.StatusBadRequest, "invalid_client_id", "client identifier invalid")
		if !s.tokenWorks(t, next.ConsumerKey, next.ConsumerSecret) {
			t.Error("the new active pair does not work")
		}
		if d := cmp.Diff(map[string]string{next.ID: "Active"}, states(s.listCreds(t))); d != "" {
			t.Errorf("credentials (-want +got):\n%s", d)
		}
	})
}

// A staged pair that is never rotated in stops at its 30 days, and deleting a staged pair
// ends it at once.
func TestStagedPairExpiresAndDeletes(t *testing.T) {
	s := start(t)
	staged := decode[credentialJSON](t, s.admin(t, http.MethodPost, credsPath+"/staged", ""), http.StatusCreated)
	s.Clock.Advance(30*24*time.Hour - time.Millisecond)
	if !s.tokenWorks(t, staged.ConsumerKey, staged.ConsumerSecret) {
		t.Fatal("the staged pair stopped working before its expiry")
	}
	s.Clock.Advance(time.Millisecond)
	wantOAuthError(t, s.postForm(t, "/services/oauth2/token", ccForm(staged.ConsumerKey, staged.ConsumerSecret)),
		http.StatusBadRequest, "invalid_client_id", "client identifier invalid")
	wantRESTError(t, s.admin(t, http.MethodPatch, credsPath+"/staged", rotateBody), http.StatusBadRequest, "INVALID_INPUT",
		`connected app "Acme Integration" has no staged credentials to rotate: stage credentials first`)

	// An expired staged pair no longer blocks staging.
	again := decode[credentialJSON](t, s.admin(t, http.MethodPost, credsPath+"/staged", ""), http.StatusCreated)
	if !s.tokenWorks(t, again.ConsumerKey, again.ConsumerSecret) {
		t.Fatal("the second staged pair does not work")
	}
	if r := s.admin(t, http.MethodDelete, credsPath+"/"+again.ID, ""); r.Status != http.StatusNoContent {
		t.Fatalf("DELETE staged pair: %d %s, want 204", r.Status, r.Body)
	}
	wantOAuthError(t, s.postForm(t, "/services/oauth2/token", ccForm(again.ConsumerKey, again.ConsumerSecret)),
		http.StatusBadRequest, "invalid_client_id", "client identifier invalid")
	if !s.tokenWorks(t, "AcmeKey0001", "AcmeSecret0001") {
		t.Error("the active pair stopped working")
	}
}

// The background sweep runs on its own: an expired staged pair disappears from the list
// and leaves an audit row by the expiry actor.
func TestCredentialSweeperRuns(t *testing.T) {
	orgFile, dir := writeOrgFile(t, testOrgFile)
	s := startWith(t, Config{DB: filepath.Join(dir, "ff.db"), OrgFile: orgFile, CredentialSweepInterval: 10 * time.Millisecond})
	staged := decode[credentialJSON](t, s.admin(t, http.MethodPost, credsPath+"/staged", ""), http.StatusCreated)
	s.Clock.Advance(30 * 24 * time.Hour)
	deadline := time.Now().Add(10 * time.Second)
	for len(s.listCreds(t)) != 1 {
		if time.Now().After(deadline) {
			t.Fatalf("the expired staged pair is still listed after 10 s: %+v", s.listCreds(t))
		}
		time.Sleep(20 * time.Millisecond)
	}
	rows := s.auditTrail(t, "?limit=1")
	if len(rows) != 1 || rows[0].CreatedBy != setup.ActorExpiry.Name || rows[0].Action != "expiredConsumerCredentials" || rows[0].ObjectID != staged.ID {
		t.Errorf("newest audit row = %+v, want the expiry of %s", rows, staged.ID)
	}
}
