package storetest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/store"
)

// BenchRestore measures RestoreOrg of an org of n records (half Accounts, 30% Contacts,
// 20% Opportunities, every searchable) with a normal Setup (5 profiles, 3 permission
// sets, 20 users, 5 apps with credentials) and the standard catalog, beside a second org
// of the same shape that the restore must not touch. ns/op is one restore.
//
// Before each restore (not timed), what a test does: with churn "test", 10 Accounts
// inserted, 10 renamed (their search index changes) and 5 Contacts deleted, and a user
// added; with churn "all", every Account purged (the restore writes half the org back).
func BenchRestore(b *testing.B, s SnapshotStore, n int, churn string) {
	ctx := context.Background()
	cat, err := schema.NewOrgCatalog(nil, nil)
	if err != nil {
		b.Fatal(err)
	}
	var orgID sfid.ID
	for i, name := range []string{"Bench", "Other"} {
		id := benchOrg(b, s, cat, name, n)
		if i == 0 {
			orgID = id
		}
	}
	if _, err := s.SnapshotOrg(ctx, orgID, "bench", time.Now(), false); err != nil {
		b.Fatal(err)
	}
	acc, _ := cat.Object("Account")
	con, _ := cat.Object("Contact")
	accs, cons := benchIDs(b, s, orgID, acc), benchIDs(b, s, orgID, con)
	b.ReportMetric(float64(n), "records")
	b.ResetTimer()
	for i := 0; b.Loop(); i++ {
		b.StopTimer()
		err := s.Write(ctx, orgID, func(tx records.Tx) error {
			if churn == "all" {
				return tx.Purge(ctx, acc, accs, time.Now())
			}
			var recs []records.Record
			for j := range 10 {
				recs = append(recs, records.Record{"Name": fmt.Sprintf("New %d", j)})
				if err := tx.Update(ctx, acc, accs[j*7], records.Record{"Name": fmt.Sprintf("Renamed %d", j)}); err != nil {
					return err
				}
			}
			if _, err := tx.Insert(ctx, acc, recs); err != nil {
				return err
			}
			return tx.Delete(ctx, con, cons[:5], time.Now())
		})
		if err == nil && churn != "all" {
			err = s.UpdateSetup(ctx, func(w store.SetupWriter) error {
				return w.PutUser(ctx, &org.User{OrgID: orgID, Username: fmt.Sprintf("later%d@bench", i), LastName: "Later", Active: true})
			})
		}
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		if _, err := s.RestoreOrg(ctx, orgID, "bench"); err != nil {
			b.Fatal(err)
		}
	}
}

// benchIDs lists the IDs of obj's records.
func benchIDs(b *testing.B, s SnapshotStore, orgID sfid.ID, obj *schema.Object) []sfid.ID {
	id, _ := obj.Field("Id")
	res, err := s.Query(context.Background(), orgID, &query.Plan{Object: obj, Limit: -1,
		Columns: []query.Column{{Path: &query.Path{Field: id, Name: "Id"}}}}, 0, -1)
	if err != nil {
		b.Fatal(err)
	}
	var ids []sfid.ID
	for _, r := range res.Rows {
		ids = append(ids, sfid.ID(fmt.Sprint(r.Values[0])))
	}
	if len(ids) < 70 {
		b.Fatalf("%d %s records", len(ids), obj.Name)
	}
	return ids
}

func benchOrg(b *testing.B, s SnapshotStore, cat *schema.Catalog, name string, n int) sfid.ID {
	ctx := context.Background()
	o := org.Org{Name: name}
	var owner sfid.ID
	err := s.UpdateSetup(ctx, func(w store.SetupWriter) error {
		if err := w.PutOrg(ctx, &o); err != nil {
			return err
		}
		var profs []sfid.ID
		for i := range 5 {
			p := org.Profile{OrgID: o.ID, Name: fmt.Sprintf("Profile %d", i), Permissions: []string{"ApiEnabled"},
				ObjectPermissions: []org.ObjectPermission{{Object: "Account", Read: true, Create: true, Edit: true}}}
			if err := w.PutProfile(ctx, &p); err != nil {
				return err
			}
			profs = append(profs, p.ID)
		}
		var sets []sfid.ID
		for i := range 3 {
			ps := org.PermissionSet{OrgID: o.ID, Name: fmt.Sprintf("Set_%d", i), Permissions: []string{"ViewAllData"}}
			if err := w.PutPermissionSet(ctx, &ps); err != nil {
				return err
			}
			sets = append(sets, ps.ID)
		}
		var users []sfid.ID
		for i := range 20 {
			u := org.User{OrgID: o.ID, Username: fmt.Sprintf("user%d@%s.bench", i, name), LastName: "User", Active: true,
				ProfileID: profs[i%5], PermissionSetIDs: sets[:i%4], PasswordHash: "hash"}
			if err := w.PutUser(ctx, &u); err != nil {
				return err
			}
			users = append(users, u.ID)
		}
		owner = users[0]
		for i := range 5 {
			a := org.ConnectedApp{OrgID: o.ID, Name: fmt.Sprintf("App %d", i), Scopes: []string{"api"},
				ClientCredentialsEnabled: true, RunAsUserID: users[i]}
			if err := w.PutConnectedApp(ctx, &a); err != nil {
				return err
			}
			c := org.Credential{AppID: a.ID, ConsumerKey: fmt.Sprintf("key-%s-%d", name, i), SecretHash: "hash", State: org.CredentialActive}
			if err := w.PutCredential(ctx, &c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	if err := s.Sync(ctx, o.ID, cat); err != nil {
		b.Fatal(err)
	}
	now := time.Now().UTC()
	shares := []struct {
		obj  string
		part int // per cent
		rec  func(i int) records.Record
	}{
		{"Account", 50, func(i int) records.Record {
			return records.Record{"Name": fmt.Sprintf("Account %d", i), "Industry": "Energy", "Phone": "555-0100",
				"OwnerId": owner, "CreatedDate": now, "LastModifiedDate": now, "SystemModstamp": now, "AnnualRevenue": float64(i)}
		}},
		{"Contact", 30, func(i int) records.Record {
			return records.Record{"LastName": fmt.Sprintf("Contact %d", i), "FirstName": "Ada", "Email": fmt.Sprintf("c%d@example.com", i),
				"OwnerId": owner, "CreatedDate": now, "LastModifiedDate": now, "SystemModstamp": now}
		}},
		{"Opportunity", 20, func(i int) records.Record {
			return records.Record{"Name": fmt.Sprintf("Deal %d", i), "StageName": "Prospecting", "CloseDate": "2027-01-01",
				"Amount": float64(i), "OwnerId": owner, "CreatedDate": now, "LastModifiedDate": now, "SystemModstamp": now}
		}},
	}
	for _, sh := range shares {
		obj, ok := cat.Object(sh.obj)
		if !ok {
			b.Fatalf("no %s in the standard catalog", sh.obj)
		}
		total := n * sh.part / 100
		for start := 0; start < total; start += 1000 {
			var recs []records.Record
			for i := start; i < min(start+1000, total); i++ {
				recs = append(recs, sh.rec(i))
			}
			if err := s.Write(ctx, o.ID, func(tx records.Tx) error { _, err := tx.Insert(ctx, obj, recs); return err }); err != nil {
				b.Fatal(err)
			}
		}
	}
	return o.ID
}
