package storetest

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/forcefield/forcefield/internal/query"
	"github.com/forcefield/forcefield/internal/records"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/sosl"
)

// RunSearch is the conformance suite of records.Store.Search (SOSL). open must return a
// new, empty store for each call; RunSearch closes nothing (open registers its cleanup).
// It pins down:
//   - tokens and sub-tokens (sosl.IndexText): {Sample} finds SampleAccount2, {Jones}
//     does not find Jonesy, numbers inside text are tokens, phrases need adjacent words,
//     AND / OR / AND NOT, * and ? wildcards;
//   - Match.Fields limits the fields looked in; non-searchable fields never match;
//   - every write keeps the index in step, in its transaction: inserts are found at
//     once, updates replace the old text, deletes and purges leave the results,
//     undelete brings the record back, a rolled-back write leaves no trace;
//   - the plan applies: its WHERE, owner rule, ORDER BY, LIMIT and OFFSET, and its
//     columns come back in order;
//   - records written before their object was searchable are found after the Sync
//     that makes it searchable; a searchable field dropped from the catalog stops
//     matching after Sync;
//   - orgs never see each other's records.
func RunSearch(t *testing.T, open func(t *testing.T) records.Store) {
	ctx := context.Background()
	orgA, orgB := sfid.New("00D", "5F", 201), sfid.New("00D", "5F", 202)
	owner1, owner2 := "005000000000001AAA", "005000000000002AAA"
	fields := func(extra ...schema.Field) []schema.Field {
		return append([]schema.Field{
			{Name: "Id", Type: schema.TypeID}, {Name: "IsDeleted", Type: schema.TypeBoolean},
			{Name: "Name", Type: schema.TypeString, NameField: true},
			{Name: "OwnerId", Type: schema.TypeReference, ReferenceTo: []string{"User"}, RelationshipName: "Owner"},
			{Name: "Phone", Type: schema.TypePhone},
			{Name: "Industry", Type: schema.TypePicklist},
			{Name: "AnnualRevenue", Type: schema.TypeCurrency},
		}, extra...)
	}
	description := schema.Field{Name: "Description", Type: schema.TypeTextArea}
	catalog := func(searchable bool, extra ...schema.Field) *schema.Catalog {
		t.Helper()
		cat, err := schema.NewCatalog([]*schema.Object{
			{Name: "Account", KeyPrefix: "001", Searchable: searchable, Fields: fields(extra...)},
		})
		if err != nil {
			t.Fatal(err)
		}
		return cat
	}
	account := func(cat *schema.Catalog) *schema.Object { o, _ := cat.Object("Account"); return o }
	sync := func(t *testing.T, s records.Store, cat *schema.Catalog) {
		t.Helper()
		for _, o := range []sfid.ID{orgA, orgB} {
			if err := s.Sync(ctx, o, cat); err != nil {
				t.Fatalf("Sync: %v", err)
			}
		}
	}
	insert := func(t *testing.T, s records.Store, org sfid.ID, obj *schema.Object, recs ...records.Record) []sfid.ID {
		t.Helper()
		var ids []sfid.ID
		err := s.Write(ctx, org, func(tx records.Tx) error {
			var err error
			ids, err = tx.Insert(ctx, obj, recs)
			return err
		})
		if err != nil {
			t.Fatalf("Insert: %v", err)
		}
		return ids
	}
	write := func(t *testing.T, s records.Store, fn func(tx records.Tx) error) {
		t.Helper()
		if err := s.Write(ctx, orgA, fn); err != nil {
			t.Fatalf("Write: %v", err)
		}
	}
	// plan selects Name (then the hidden Id) of every row, ordered by Id.
	plan := func(obj *schema.Object) *query.Plan {
		name, _ := obj.Field("Name")
		id, _ := obj.Field("Id")
		return &query.Plan{Object: obj, Limit: -1, Columns: []query.Column{
			{Path: &query.Path{Field: name, Name: "Name"}},
			{Path: &query.Path{Field: id, Name: "Id"}, Hidden: true},
		}}
	}
	search := func(t *testing.T, s records.Store, org sfid.ID, p *query.Plan, find string, in ...string) []string {
		t.Helper()
		x, err := sosl.ParseExpr(find)
		if err != nil {
			t.Fatalf("ParseExpr(%q): %v", find, err)
		}
		if in == nil {
			for _, f := range sosl.SearchFields(p.Object) {
				in = append(in, f.Name)
			}
		}
		rows, err := s.Search(ctx, org, p, records.Match{Expr: x, Fields: in})
		if err != nil {
			t.Fatalf("Search(%q): %v", find, err)
		}
		out := []string{}
		for _, r := range rows {
			out = append(out, fmt.Sprint(r.Values[0]))
		}
		return out
	}
	check := func(t *testing.T, what string, got, want []string) {
		t.Helper()
		if d := cmp.Diff(want, got); d != "" {
			t.Errorf("%s (-want +got):\n%s", what, d)
		}
	}

	t.Run("Matching", func(t *testing.T) {
		s := open(t)
		cat := catalog(true, description)
		sync(t, s, cat)
		acc := account(cat)
		insert(t, s, orgA, acc,
			records.Record{"Name": "SampleAccount2", "OwnerId": owner1},
			records.Record{"Name": "Jonesy Corp", "OwnerId": owner1, "Phone": "(336) 222-7000"},
			records.Record{"Name": "Bulk Account 1731234567890 #7", "OwnerId": owner2},
			records.Record{"Name": "John Smith", "OwnerId": owner2, "Description": "Smith John of Acme", "Industry": "Technology", "AnnualRevenue": 1234.0},
			records.Record{"Name": "Joan Smith-Acme", "OwnerId": owner2},
		)
		insert(t, s, orgB, acc, records.Record{"Name": "SampleAccount2 of org B"})
		p := plan(acc)
		for _, tc := range []struct {
			find string
			in   []string
			want []string
		}{
			{"Sample", nil, []string{"SampleAccount2"}},
			{"sampleaccount2", nil, []string{"SampleAccount2"}},
			{"Jones", nil, []string{}},
			{"jonesy", nil, []string{"Jonesy Corp"}},
			{`"1731234567890"`, nil, []string{"Bulk Account 1731234567890 #7"}},
			{"account", nil, []string{"SampleAccount2", "Bulk Account 1731234567890 #7"}},
			{`"john smith"`, nil, []string{"John Smith", "John Smith"}[:1]},
			{`"smith john"`, nil, []string{"John Smith"}},
			{`"smith john"`, []string{"Name"}, []string{}},
			{"smith AND NOT john", nil, []string{"Joan Smith-Acme"}},
			{"acme OR jonesy", nil, []string{"Jonesy Corp", "John Smith", "Joan Smith-Acme"}},
			{"acme jo?n", nil, []string{"John Smith", "Joan Smith-Acme"}},
			{"jo?n", []string{"Name"}, []string{"John Smith", "Joan Smith-Acme"}},
			{"jo*y", nil, []string{"Jonesy Corp"}},
			{"samp*", nil, []string{"SampleAccount2"}},
			{"336", nil, []string{"Jonesy Corp"}},
			{"336", []string{"Name"}, []string{}},
			{"3362227000", nil, []string{"Jonesy Corp"}},
			{`"222 7000"`, []string{"Phone"}, []string{"Jonesy Corp"}},
			{"technology", nil, []string{}}, // a picklist is not searchable
			{"1234", nil, []string{}},       // nor a number
			{"zzzz*", nil, []string{}},
			{"zz?z", nil, []string{}},
		} {
			check(t, fmt.Sprintf("FIND {%s} IN %v", tc.find, tc.in), search(t, s, orgA, p, tc.find, tc.in...), tc.want)
		}
		check(t, "org B", search(t, s, orgB, p, "sample"), []string{"SampleAccount2 of org B"})

		// The plan applies: owner rule, WHERE, ORDER BY, LIMIT, OFFSET.
		p2 := plan(acc)
		p2.OwnerID = sfid.ID(owner2)
		check(t, "owner rule", search(t, s, orgA, p2, "account"), []string{"Bulk Account 1731234567890 #7"})
		name, _ := acc.Field("Name")
		p3 := plan(acc)
		p3.Where = &query.Compare{Path: &query.Path{Field: name, Name: "Name"}, Op: "LIKE", Values: []any{"J%"}}
		p3.OrderBy = []query.OrderItem{{Path: &query.Path{Field: name, Name: "Name"}, Desc: true}}
		check(t, "where, order", search(t, s, orgA, p3, "acme OR jonesy OR smith"), []string{"Jonesy Corp", "John Smith", "Joan Smith-Acme"})
		p3.Limit, p3.Offset = 1, 1
		check(t, "limit, offset", search(t, s, orgA, p3, "acme OR jonesy OR smith"), []string{"John Smith"})
	})

	t.Run("Writes", func(t *testing.T) {
		s := open(t)
		cat := catalog(true)
		sync(t, s, cat)
		acc := account(cat)
		p := plan(acc)
		ids := insert(t, s, orgA, acc, records.Record{"Name": "Alpha Widget"}, records.Record{"Name": "Beta Widget"},
			records.Record{"Name": "Gamma Widget", "IsDeleted": true})
		check(t, "after insert", search(t, s, orgA, p, "widget"), []string{"Alpha Widget", "Beta Widget"})
		write(t, s, func(tx records.Tx) error { return tx.Update(ctx, acc, ids[0], records.Record{"Name": "Alpha Gadget"}) })
		check(t, "old text after update", search(t, s, orgA, p, "widget"), []string{"Beta Widget"})
		check(t, "new text after update", search(t, s, orgA, p, "gadget"), []string{"Alpha Gadget"})
		write(t, s, func(tx records.Tx) error { return tx.Update(ctx, acc, ids[0], records.Record{"Phone": "555 0100"}) })
		check(t, "after an update of another field", search(t, s, orgA, p, "gadget"), []string{"Alpha Gadget"})
		write(t, s, func(tx records.Tx) error { return tx.Delete(ctx, acc, ids[:1], time.Now()) })
		check(t, "after delete", search(t, s, orgA, p, "gadget OR widget"), []string{"Beta Widget"})
		write(t, s, func(tx records.Tx) error { return tx.Update(ctx, acc, ids[0], records.Record{"IsDeleted": false}) })
		check(t, "after undelete", search(t, s, orgA, p, "gadget"), []string{"Alpha Gadget"})
		write(t, s, func(tx records.Tx) error { return tx.Purge(ctx, acc, ids[1:2], time.Now()) })
		check(t, "after purge", search(t, s, orgA, p, "widget"), []string{})
		write(t, s, func(tx records.Tx) error { return tx.Update(ctx, acc, ids[2], records.Record{"IsDeleted": false}) })
		check(t, "a record inserted deleted, undeleted", search(t, s, orgA, p, "gamma"), []string{"Gamma Widget"})

		boom := errors.New("boom")
		err := s.Write(ctx, orgA, func(tx records.Tx) error {
			if _, err := tx.Insert(ctx, acc, []records.Record{{"Name": "Delta Widget"}}); err != nil {
				return err
			}
			if err := tx.Update(ctx, acc, ids[0], records.Record{"Name": "Omega"}); err != nil {
				return err
			}
			if err := tx.Delete(ctx, acc, ids[2:3], time.Now()); err != nil {
				return err
			}
			return boom
		})
		if !errors.Is(err, boom) {
			t.Fatalf("Write = %v", err)
		}
		check(t, "after a rolled-back write", search(t, s, orgA, p, "widget OR gadget OR omega OR delta"), []string{"Alpha Gadget", "Gamma Widget"})

		// Many records in one insert (several statements).
		var many []records.Record
		for i := range 1200 {
			many = append(many, records.Record{"Name": fmt.Sprintf("Bulk Account 1764000000000 #%d", i+1)})
		}
		insert(t, s, orgA, acc, many...)
		if got := search(t, s, orgA, p, `"1764000000000"`); len(got) != 1200 {
			t.Errorf("bulk insert: %d found, want 1200", len(got))
		}
	})

	t.Run("SyncBuildsAndRebuilds", func(t *testing.T) {
		s := open(t)
		before := catalog(false, description)
		sync(t, s, before)
		insert(t, s, orgA, account(before),
			records.Record{"Name": "Preexisting One", "Description": "kiwi"},
			records.Record{"Name": "Preexisting Two", "IsDeleted": true})
		now := catalog(true, description)
		sync(t, s, now)
		p := plan(account(now))
		check(t, "built at Sync", search(t, s, orgA, p, "preexisting"), []string{"Preexisting One"})
		check(t, "description", search(t, s, orgA, p, "kiwi"), []string{"Preexisting One"})
		dropped := catalog(true)
		sync(t, s, dropped)
		check(t, "dropped field", search(t, s, orgA, plan(account(dropped)), "kiwi"), []string{})
		check(t, "after rebuild", search(t, s, orgA, plan(account(dropped)), "preexisting"), []string{"Preexisting One"})
		off := catalog(false)
		sync(t, s, off)
		check(t, "not searchable", search(t, s, orgA, plan(account(off)), "preexisting"), []string{})
	})
}
