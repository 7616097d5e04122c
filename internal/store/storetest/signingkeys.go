package storetest

import (
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/store"
)

// testSigningKeys: keys come back as put, ordered by ActivateAt; an update changes only the
// times; DeleteRetiredSigningKeys removes exactly the keys retired at or before now.
func testSigningKeys(t *testing.T, s store.Store) {
	ctx := t.Context()
	ks, err := s.SigningKeys(ctx)
	must(t, "SigningKeys(empty)", err)
	if len(ks) != 0 {
		t.Fatalf("SigningKeys(empty) = %d keys, want 0", len(ks))
	}
	t0 := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	k1 := org.SigningKey{KID: "1", PrivateDER: []byte{1, 2, 3}, CreatedAt: t0, ActivateAt: t0}
	k2 := org.SigningKey{KID: "2", PrivateDER: []byte{4, 5}, CreatedAt: t0.Add(23 * time.Hour), ActivateAt: t0.Add(24 * time.Hour)}
	k10 := org.SigningKey{KID: "10", PrivateDER: []byte{6}, CreatedAt: t0.Add(47 * time.Hour), ActivateAt: t0.Add(48 * time.Hour)}
	for _, k := range []org.SigningKey{k10, k1, k2} {
		must(t, "PutSigningKey", s.PutSigningKey(ctx, k))
	}
	ks, err = s.SigningKeys(ctx)
	must(t, "SigningKeys", err)
	diff(t, "SigningKeys", []org.SigningKey{k1, k2, k10}, ks)

	k1.RetireAt = t0.Add(26*time.Hour + 1500*time.Microsecond) // normalised to the millisecond
	upd := k1
	upd.PrivateDER = []byte{9} // ignored: key material never changes
	must(t, "PutSigningKey(update)", s.PutSigningKey(ctx, upd))
	k1.RetireAt = k1.RetireAt.Truncate(time.Millisecond)
	ks, err = s.SigningKeys(ctx)
	must(t, "SigningKeys", err)
	diff(t, "SigningKeys after update", []org.SigningKey{k1, k2, k10}, ks)

	n, err := s.DeleteRetiredSigningKeys(ctx, k1.RetireAt.Add(-time.Millisecond))
	must(t, "DeleteRetiredSigningKeys(before)", err)
	if n != 0 {
		t.Errorf("DeleteRetiredSigningKeys(before retirement) = %d, want 0", n)
	}
	n, err = s.DeleteRetiredSigningKeys(ctx, k1.RetireAt)
	must(t, "DeleteRetiredSigningKeys(at)", err)
	if n != 1 {
		t.Errorf("DeleteRetiredSigningKeys(at retirement) = %d, want 1", n)
	}
	ks, err = s.SigningKeys(ctx)
	must(t, "SigningKeys", err)
	diff(t, "SigningKeys after delete", []org.SigningKey{k2, k10}, ks)
}
