package server

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/google/go-cmp/cmp"
)

// Racing failures (issue 13 §2): the throttle reserves an attempt before verifying it, so
// 64 simultaneous wrong answers from one address get at most the burst (10, see
// docs/operations.md "Security") of real answers and the documented throttled answer for
// the rest. The test clock does not move, so no token returns during the race.

const (
	throttleBurst = 10
	racers        = 64
	rateLimitBody = `{"error":"rate_limit_exceeded","error_description":"number of logins exceeded"}`
)

// raceForms POSTs the forms to the token endpoint at once and counts the answers by body.
func raceForms(t *testing.T, s *testServer, forms []url.Values) map[string]int {
	t.Helper()
	var (
		mu     sync.Mutex
		counts = map[string]int{}
		wg     sync.WaitGroup
		start  = make(chan struct{})
	)
	for _, f := range forms {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			body := "error: "
			resp, err := http.Post(s.URL+tokenPath, "application/x-www-form-urlencoded", strings.NewReader(f.Encode()))
			if err == nil {
				b, _ := io.ReadAll(resp.Body)
				resp.Body.Close()
				body = fmt.Sprintf("%d %s", resp.StatusCode, strings.TrimSpace(string(b)))
			} else {
				body += err.Error()
			}
			mu.Lock()
			counts[body]++
			mu.Unlock()
		}()
	}
	close(start)
	wg.Wait()
	return counts
}

func TestRacingWrongSecretsThrottled(t *testing.T) {
	s := start(t)
	forms := make([]url.Values, racers)
	for i := range forms {
		forms[i] = ccForm("AcmeKey0001", fmt.Sprintf("WrongSecret%02d", i))
	}
	got := raceForms(t, s, forms)
	want := map[string]int{
		`400 {"error":"invalid_client","error_description":"invalid client credentials"}`: throttleBurst,
		"400 " + rateLimitBody: racers - throttleBurst,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("answers to %d racing wrong secrets (-want +got):\n%s", racers, diff)
	}
	// The right secret is throttled too now, as after sequential failures.
	wantOAuthError(t, s.postForm(t, tokenPath, ccForm("AcmeKey0001", "AcmeSecret0001")), 400, "rate_limit_exceeded", "number of logins exceeded")
}

func TestRacingRightSecretsNotThrottled(t *testing.T) {
	// Successes give their reservation back: a burst of parallel logins larger than the
	// throttle's burst, the first of them verifying the operator-supplied (slow) hash,
	// all succeed.
	s := start(t)
	forms := make([]url.Values, racers)
	for i := range forms {
		forms[i] = ccForm("AcmeKey0001", "AcmeSecret0001")
	}
	for body, n := range raceForms(t, s, forms) {
		if !strings.HasPrefix(body, `200 {"access_token"`) {
			t.Errorf("%d racing right secrets answered %s", n, body)
		}
	}
}

func TestRacingPasswordGuessesThrottled(t *testing.T) {
	// maxLoginAttempts is raised so that the throttle, not the lockout, is what answers;
	// the lockout's answer would be the same authentication failure anyway.
	orgFile, dir := writeOrgFile(t, strings.Replace(passwordOrgFile, "maxLoginAttempts: 3", "maxLoginAttempts: 100", 1))
	s := startWith(t, Config{DB: dir + "/ff.db", OrgFile: orgFile})
	forms := make([]url.Values, racers)
	for i := range forms {
		forms[i] = passwordForm("PwKey0000001", "PwSecret0000001", "int@pw.example", fmt.Sprintf("guess%02d", i)+pwToken)
	}
	got := raceForms(t, s, forms)
	want := map[string]int{
		`400 {"error":"invalid_grant","error_description":"authentication failure"}`: throttleBurst,
		"400 " + rateLimitBody: racers - throttleBurst,
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("answers to %d racing password guesses (-want +got):\n%s", racers, diff)
	}
	// Only the real answers were counted as invalid logins: the rest never reached a
	// password check.
	_, userID := s.ids(t, "int@pw.example")
	lock, err := s.st.Lockout(context.Background(), sfid.ID(userID))
	if err != nil {
		t.Fatal(err)
	}
	if lock.Failures != throttleBurst {
		t.Errorf("invalid logins counted = %d, want %d", lock.Failures, throttleBurst)
	}
}
