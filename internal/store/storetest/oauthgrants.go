package storetest

import (
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// The store.OAuthGrants conformance tests (authorization codes, refresh tokens,
// approvals). Beyond store's comments they pin down: every value round-trips (times in
// UTC milliseconds); TakeAuthCode gives a code to exactly one of 64 racing callers;
// RotateRefreshToken lets exactly one of 64 racing rotations of a token win;
// DeleteRefreshTokens deletes the sessions minted from the tokens it deletes and no
// other; deletes with an empty filter are refused.

// grantTests are registered in Run.
var grantTests = []struct {
	name string
	fn   func(t *testing.T, s store.Store)
}{
	{"AuthCodes", testAuthCodes},
	{"TakeAuthCodeRace", testTakeAuthCodeRace},
	{"RefreshTokens", testRefreshTokens},
	{"RotateRefreshTokenRace", testRotateRefreshTokenRace},
	{"DeleteRefreshTokens", testDeleteRefreshTokens},
	{"Approvals", testApprovals},
	{"RecordRefreshUses", testRecordRefreshUses},
}

func authCode(name string, f fixture, at time.Duration) org.AuthCode {
	created := base.Add(at)
	return org.AuthCode{CodeHash: hash(name), OrgID: f.org1.ID, UserID: f.user1.ID, AppID: f.app1.ID,
		RedirectURI: "https://app.example/cb?x=1", Challenge: "E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM",
		ChallengeMethod: "S256", Scopes: []string{"api", "refresh_token", "openid"}, Nonce: "n-0S6",
		AuthTime: created.Add(-time.Minute), CreatedAt: created, ExpiresAt: created.Add(org.AuthCodeLifetime)}
}

func testAuthCodes(t *testing.T, s store.Store) {
	ctx := t.Context()
	f := newFixture(t, s)
	c := authCode("code1", f, 0)
	// Odd times come back in UTC milliseconds; an empty challenge and zero AuthTime too.
	east := time.FixedZone("UTC+5", 5*3600)
	c.CreatedAt = c.CreatedAt.Add(1234567 * time.Nanosecond).In(east)
	must(t, "PutAuthCode", s.PutAuthCode(ctx, c))
	plain := authCode("code2", f, time.Minute)
	plain.Challenge, plain.ChallengeMethod, plain.AuthTime, plain.Scopes, plain.Nonce = "", "", time.Time{}, nil, ""
	must(t, "PutAuthCode without challenge", s.PutAuthCode(ctx, plain))
	wantErr(t, "PutAuthCode of a stored hash", s.PutAuthCode(ctx, c), store.ErrConflict)

	got, err := s.TakeAuthCode(ctx, hash("code1"))
	must(t, "TakeAuthCode", err)
	want := c
	want.CreatedAt = time.UnixMilli(c.CreatedAt.UnixMilli()).UTC()
	diff(t, "TakeAuthCode", want, got)
	_, err = s.TakeAuthCode(ctx, hash("code1"))
	wantErr(t, "TakeAuthCode again", err, store.ErrNotFound)
	_, err = s.TakeAuthCode(ctx, hash("never"))
	wantErr(t, "TakeAuthCode of an unknown hash", err, store.ErrNotFound)

	// DeleteExpiredAuthCodes removes exactly the codes whose ExpiresAt is not after now.
	must(t, "PutAuthCode", s.PutAuthCode(ctx, authCode("code3", f, 10*time.Minute)))
	n, err := s.DeleteExpiredAuthCodes(ctx, base.Add(time.Minute+org.AuthCodeLifetime)) // code2's expiry exactly
	must(t, "DeleteExpiredAuthCodes", err)
	if n != 1 {
		t.Errorf("DeleteExpiredAuthCodes deleted %d codes, want 1 (code2)", n)
	}
	_, err = s.TakeAuthCode(ctx, hash("code2"))
	wantErr(t, "TakeAuthCode of an expired, swept code", err, store.ErrNotFound)
	got, err = s.TakeAuthCode(ctx, hash("code3"))
	must(t, "TakeAuthCode of a live code after the sweep", err)
	diff(t, "code3", authCode("code3", f, 10*time.Minute), got)
}

func testTakeAuthCodeRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	f := newFixture(t, s)
	for round := range 3 {
		c := authCode("race", f, time.Duration(round)*time.Second)
		c.CodeHash = hash("race" + string(rune('a'+round)))
		must(t, "PutAuthCode", s.PutAuthCode(ctx, c))
		var won, lost atomic.Int32
		var wg sync.WaitGroup
		start := make(chan struct{})
		for range 64 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				_, err := s.TakeAuthCode(ctx, c.CodeHash)
				switch {
				case err == nil:
					won.Add(1)
				case errors.Is(err, store.ErrNotFound):
					lost.Add(1)
				default:
					t.Errorf("TakeAuthCode: %v", err)
				}
			}()
		}
		close(start)
		wg.Wait()
		if won.Load() != 1 || lost.Load() != 63 {
			t.Errorf("round %d: %d takers won, %d got ErrNotFound; want 1 and 63", round, won.Load(), lost.Load())
		}
	}
}

func refreshToken(name string, u org.User, a org.ConnectedApp, at time.Duration) *org.RefreshToken {
	return &org.RefreshToken{TokenHash: hash(name), OrgID: u.OrgID, UserID: u.ID, AppID: a.ID,
		Scopes: []string{"api", "refresh_token"}, CreatedAt: base.Add(at)}
}

func testRefreshTokens(t *testing.T, s store.Store) {
	ctx := t.Context()
	f := newFixture(t, s)
	t1 := refreshToken("rt1", f.user1, f.app1, 0)
	must(t, "PutRefreshToken", s.PutRefreshToken(ctx, t1))
	checkID(t, "refresh token", t1.ID, sfid.PrefixOauthToken)
	if t1.FamilyID != t1.ID {
		t.Errorf("FamilyID = %s, want its own ID %s", t1.FamilyID, t1.ID)
	}
	t2 := refreshToken("rt2", f.user2, f.app2, time.Second)
	must(t, "PutRefreshToken", s.PutRefreshToken(ctx, t2))
	if seq(t, t2.ID) != seq(t, t1.ID)+1 {
		t.Errorf("IDs %s, %s are not consecutive", t1.ID, t2.ID)
	}
	t3 := refreshToken("rt3", f.user3, f.app3, 2*time.Second)
	must(t, "PutRefreshToken", s.PutRefreshToken(ctx, t3))
	wantErr(t, "PutRefreshToken of a stored hash", s.PutRefreshToken(ctx, refreshToken("rt1", f.user1, f.app1, 0)), store.ErrConflict)

	got, err := s.RefreshTokenByHash(ctx, hash("rt1"))
	must(t, "RefreshTokenByHash", err)
	diff(t, "RefreshTokenByHash", *t1, got)
	_, err = s.RefreshTokenByHash(ctx, hash("nope"))
	wantErr(t, "RefreshTokenByHash of an unknown hash", err, store.ErrNotFound)

	// Uses: LastUsedAt never goes back, UseCount counts.
	must(t, "UseRefreshToken", s.UseRefreshToken(ctx, t1.ID, base.Add(time.Hour)))
	must(t, "UseRefreshToken earlier", s.UseRefreshToken(ctx, t1.ID, base.Add(time.Minute)))
	got, err = s.RefreshTokenByHash(ctx, hash("rt1"))
	must(t, "RefreshTokenByHash", err)
	if got.UseCount != 2 || !got.LastUsedAt.Equal(base.Add(time.Hour)) {
		t.Errorf("after two uses: UseCount %d LastUsedAt %v, want 2 and %v", got.UseCount, got.LastUsedAt, base.Add(time.Hour))
	}
	wantErr(t, "UseRefreshToken of a missing token", s.UseRefreshToken(ctx, missing(sfid.PrefixOauthToken), base), store.ErrNotFound)

	// Rotation: the old token is marked, the new one joins its family.
	next := refreshToken("rt1b", f.user1, f.app1, 2*time.Hour)
	must(t, "RotateRefreshToken", s.RotateRefreshToken(ctx, t1.ID, next, base.Add(2*time.Hour)))
	if next.FamilyID != t1.ID || next.ID == t1.ID {
		t.Errorf("rotated token %s family %s, want a new ID in family %s", next.ID, next.FamilyID, t1.ID)
	}
	old, err := s.RefreshTokenByHash(ctx, hash("rt1"))
	must(t, "RefreshTokenByHash of the rotated token", err)
	if !old.RotatedAt.Equal(base.Add(2*time.Hour)) || old.UseCount != 3 {
		t.Errorf("rotated token: RotatedAt %v UseCount %d", old.RotatedAt, old.UseCount)
	}
	wantErr(t, "UseRefreshToken of a rotated token", s.UseRefreshToken(ctx, t1.ID, base.Add(3*time.Hour)), store.ErrNotFound)
	wantErr(t, "RotateRefreshToken of a rotated token", s.RotateRefreshToken(ctx, t1.ID, refreshToken("rt1c", f.user1, f.app1, 0), base), store.ErrConflict)
	if _, err := s.RefreshTokenByHash(ctx, hash("rt1c")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a refused rotation stored its new token: %v", err)
	}
	wantErr(t, "RotateRefreshToken of a missing token", s.RotateRefreshToken(ctx, missing(sfid.PrefixOauthToken), refreshToken("rt1d", f.user1, f.app1, 0), base), store.ErrConflict)

	// Filters; newest first.
	all, err := s.RefreshTokens(ctx, store.GrantFilter{})
	must(t, "RefreshTokens", err)
	if len(all) != 4 || all[0].ID != next.ID || all[3].ID != t1.ID {
		t.Errorf("RefreshTokens: %d tokens, want 4 newest first", len(all))
	}
	for _, tc := range []struct {
		name string
		f    store.GrantFilter
		want []sfid.ID
	}{
		{"by ID", store.GrantFilter{ID: t2.ID}, []sfid.ID{t2.ID}},
		{"by family", store.GrantFilter{FamilyID: t1.ID}, []sfid.ID{next.ID, t1.ID}},
		{"by org", store.GrantFilter{OrgID: f.org1.ID}, []sfid.ID{next.ID, t2.ID, t1.ID}},
		{"by user", store.GrantFilter{UserID: f.user1.ID}, []sfid.ID{next.ID, t1.ID}},
		{"by app", store.GrantFilter{AppID: f.app3.ID}, []sfid.ID{t3.ID}},
		{"user and app", store.GrantFilter{UserID: f.user1.ID, AppID: f.app2.ID}, nil},
		{"a missing ID", store.GrantFilter{ID: missing(sfid.PrefixOauthToken)}, nil},
	} {
		got, err := s.RefreshTokens(ctx, tc.f)
		must(t, "RefreshTokens "+tc.name, err)
		var ids []sfid.ID
		for _, x := range got {
			ids = append(ids, x.ID)
		}
		diff(t, "RefreshTokens "+tc.name, tc.want, ids)
	}
}

func testRotateRefreshTokenRace(t *testing.T, s store.Store) {
	ctx := t.Context()
	f := newFixture(t, s)
	first := refreshToken("chain", f.user1, f.app1, 0)
	must(t, "PutRefreshToken", s.PutRefreshToken(ctx, first))
	var won atomic.Int32
	var conflicts atomic.Int32
	var wg sync.WaitGroup
	start := make(chan struct{})
	for i := range 64 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			next := refreshToken("next"+string(rune('A'+i)), f.user1, f.app1, time.Minute)
			err := s.RotateRefreshToken(ctx, first.ID, next, base.Add(time.Minute))
			switch {
			case err == nil:
				won.Add(1)
			case errors.Is(err, store.ErrConflict):
				conflicts.Add(1)
			default:
				t.Errorf("RotateRefreshToken: %v", err)
			}
		}()
	}
	close(start)
	wg.Wait()
	if won.Load() != 1 || conflicts.Load() != 63 {
		t.Errorf("%d rotations won, %d conflicted; want 1 and 63", won.Load(), conflicts.Load())
	}
	family, err := s.RefreshTokens(ctx, store.GrantFilter{FamilyID: first.ID})
	must(t, "RefreshTokens", err)
	if len(family) != 2 {
		t.Errorf("family has %d tokens, want the first and one successor", len(family))
	}
}

func testDeleteRefreshTokens(t *testing.T, s store.Store) {
	ctx := t.Context()
	f := newFixture(t, s)
	t1 := refreshToken("d1", f.user1, f.app1, 0)
	t2 := refreshToken("d2", f.user1, f.app2, 0)
	t3 := refreshToken("d3", f.user2, f.app1, 0)
	for _, x := range []*org.RefreshToken{t1, t2, t3} {
		must(t, "PutRefreshToken", s.PutRefreshToken(ctx, x))
	}
	next := refreshToken("d1b", f.user1, f.app1, time.Minute)
	must(t, "RotateRefreshToken", s.RotateRefreshToken(ctx, t1.ID, next, base.Add(time.Minute)))
	minted := func(name string, u org.User, a org.ConnectedApp, rt sfid.ID) *org.Session {
		x := session(name, u, a, 0, time.Hour)
		x.RefreshTokenID = rt
		return x
	}
	ss := record(t, s, minted("s1", f.user1, f.app1, t1.ID), minted("s1b", f.user1, f.app1, next.ID),
		minted("s2", f.user1, f.app2, t2.ID), minted("s3", f.user2, f.app1, t3.ID), session("plain", f.user1, f.app1, 0, time.Hour))

	_, _, err := s.DeleteRefreshTokens(ctx, store.GrantFilter{})
	if err == nil {
		t.Errorf("DeleteRefreshTokens with an empty filter succeeded")
	}
	// The family of t1: both tokens and the two sessions minted from them.
	tokens, sessions, err := s.DeleteRefreshTokens(ctx, store.GrantFilter{FamilyID: t1.ID})
	must(t, "DeleteRefreshTokens by family", err)
	rotatedT1 := *t1
	rotatedT1.RotatedAt, rotatedT1.UseCount, rotatedT1.LastUsedAt = base.Add(time.Minute), 1, base.Add(time.Minute)
	diff(t, "deleted tokens", []org.RefreshToken{*next, rotatedT1}, tokens, cmpSortTokens)
	diff(t, "deleted sessions", []org.Session{ss[0], ss[1]}, sessions, cmpSortSessions)
	if _, err := s.RefreshTokenByHash(ctx, hash("d1b")); !errors.Is(err, store.ErrNotFound) {
		t.Errorf("a deleted token is still found: %v", err)
	}
	for _, name := range []string{"s1", "s1b"} {
		if _, err := s.SessionByTokenHash(ctx, hash(name)); !errors.Is(err, store.ErrNotFound) {
			t.Errorf("session %s minted from a deleted token survived: %v", name, err)
		}
	}
	for _, name := range []string{"s2", "s3", "plain"} {
		if _, err := s.SessionByTokenHash(ctx, hash(name)); err != nil {
			t.Errorf("session %s was not the filter's: %v", name, err)
		}
	}
	// By user and app; then by user.
	tokens, sessions, err = s.DeleteRefreshTokens(ctx, store.GrantFilter{UserID: f.user2.ID, AppID: f.app1.ID})
	must(t, "DeleteRefreshTokens by user and app", err)
	if len(tokens) != 1 || tokens[0].ID != t3.ID || len(sessions) != 1 || sessions[0].ID != ss[3].ID {
		t.Errorf("by user and app: %d tokens, %d sessions", len(tokens), len(sessions))
	}
	tokens, _, err = s.DeleteRefreshTokens(ctx, store.GrantFilter{UserID: f.user1.ID})
	must(t, "DeleteRefreshTokens by user", err)
	if len(tokens) != 1 || tokens[0].ID != t2.ID {
		t.Errorf("by user: %+v, want t2", tokens)
	}
	tokens, sessions, err = s.DeleteRefreshTokens(ctx, store.GrantFilter{UserID: f.user1.ID})
	must(t, "DeleteRefreshTokens of nothing", err)
	if len(tokens) != 0 || len(sessions) != 0 {
		t.Errorf("deleting nothing returned %d tokens, %d sessions", len(tokens), len(sessions))
	}
}

func testApprovals(t *testing.T, s store.Store) {
	ctx := t.Context()
	f := newFixture(t, s)
	a1 := org.Approval{OrgID: f.org1.ID, UserID: f.user1.ID, AppID: f.app1.ID, Scopes: []string{"api"}, CreatedAt: base}
	a2 := org.Approval{OrgID: f.org1.ID, UserID: f.user2.ID, AppID: f.app1.ID, Scopes: []string{"api", "refresh_token"}, CreatedAt: base.Add(time.Minute)}
	a3 := org.Approval{OrgID: f.org2.ID, UserID: f.user3.ID, AppID: f.app3.ID, CreatedAt: base.Add(2 * time.Minute)}
	for _, a := range []org.Approval{a1, a2, a3} {
		must(t, "PutApproval", s.PutApproval(ctx, a))
	}
	all, err := s.Approvals(ctx, store.GrantFilter{})
	must(t, "Approvals", err)
	diff(t, "Approvals newest first", []org.Approval{a3, a2, a1}, all)
	// Renewing replaces the scopes and the time.
	a1.Scopes, a1.CreatedAt = []string{"api", "openid"}, base.Add(time.Hour)
	must(t, "PutApproval again", s.PutApproval(ctx, a1))
	got, err := s.Approvals(ctx, store.GrantFilter{UserID: f.user1.ID, AppID: f.app1.ID})
	must(t, "Approvals by user and app", err)
	diff(t, "renewed approval", []org.Approval{a1}, got)
	got, err = s.Approvals(ctx, store.GrantFilter{AppID: f.app1.ID})
	must(t, "Approvals by app", err)
	diff(t, "Approvals by app", []org.Approval{a1, a2}, got)
	got, err = s.Approvals(ctx, store.GrantFilter{OrgID: f.org2.ID})
	must(t, "Approvals by org", err)
	diff(t, "Approvals by org", []org.Approval{a3}, got)

	if _, err := s.DeleteApprovals(ctx, store.GrantFilter{}); err == nil {
		t.Errorf("DeleteApprovals with an empty filter succeeded")
	}
	// Deleting approvals leaves refresh tokens alone.
	rt := refreshToken("kept", f.user1, f.app1, 0)
	must(t, "PutRefreshToken", s.PutRefreshToken(ctx, rt))
	deleted, err := s.DeleteApprovals(ctx, store.GrantFilter{UserID: f.user1.ID})
	must(t, "DeleteApprovals", err)
	diff(t, "DeleteApprovals", []org.Approval{a1}, deleted)
	if _, err := s.RefreshTokenByHash(ctx, hash("kept")); err != nil {
		t.Errorf("DeleteApprovals deleted a refresh token: %v", err)
	}
	got, err = s.Approvals(ctx, store.GrantFilter{})
	must(t, "Approvals", err)
	diff(t, "Approvals after the delete", []org.Approval{a3, a2}, got)
}

// testRecordRefreshUses: stores that batch refresh token uses (store.RefreshUseRecorder)
// add counts, never move LastUsedAt back, count uses of rotated tokens and skip missing
// ones.
func testRecordRefreshUses(t *testing.T, s store.Store) {
	rec, ok := s.(store.RefreshUseRecorder)
	if !ok {
		t.Skip("this backend does not batch refresh token uses (no store.RefreshUseRecorder): UseRefreshToken is its only path, tested in RefreshTokens")
	}
	ctx := t.Context()
	f := newFixture(t, s)
	t1 := refreshToken("u1", f.user1, f.app1, 0)
	t2 := refreshToken("u2", f.user2, f.app1, 0)
	must(t, "PutRefreshToken", s.PutRefreshToken(ctx, t1))
	must(t, "PutRefreshToken", s.PutRefreshToken(ctx, t2))
	must(t, "UseRefreshToken", s.UseRefreshToken(ctx, t1.ID, base.Add(time.Hour)))
	must(t, "RotateRefreshToken", s.RotateRefreshToken(ctx, t2.ID, refreshToken("u2b", f.user2, f.app1, 0), base.Add(time.Minute)))
	must(t, "RecordRefreshUses", rec.RecordRefreshUses(ctx, []store.RefreshUse{
		{ID: t1.ID, LastUsedAt: base.Add(time.Minute), Count: 5}, // earlier than the stored last use
		{ID: t2.ID, LastUsedAt: base.Add(30 * time.Second), Count: 2},
		{ID: missing(sfid.PrefixOauthToken), LastUsedAt: base, Count: 1},
	}))
	must(t, "RecordRefreshUses of nothing", rec.RecordRefreshUses(ctx, nil))
	got1, err := s.RefreshTokenByHash(ctx, hash("u1"))
	must(t, "RefreshTokenByHash", err)
	if got1.UseCount != 6 || !got1.LastUsedAt.Equal(base.Add(time.Hour)) {
		t.Errorf("u1: UseCount %d LastUsedAt %v, want 6 and %v", got1.UseCount, got1.LastUsedAt, base.Add(time.Hour))
	}
	got2, err := s.RefreshTokenByHash(ctx, hash("u2"))
	must(t, "RefreshTokenByHash", err)
	if got2.UseCount != 3 || !got2.LastUsedAt.Equal(base.Add(time.Minute)) {
		t.Errorf("u2 (rotated): UseCount %d LastUsedAt %v, want 3 and %v", got2.UseCount, got2.LastUsedAt, base.Add(time.Minute))
	}
}
