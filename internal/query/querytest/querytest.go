// Package querytest has test fixtures for the query resolver and its executors: a small
// catalog (Account, Contact, User, LoginHistory, Invoice__c), users with different
// access, and builders for SOQL syntax trees, so tests do not need the SOQL parser.
package querytest

import (
	"strings"
	"time"

	"github.com/forcefield/forcefield/internal/access"
	"github.com/forcefield/forcefield/internal/org"
	"github.com/forcefield/forcefield/internal/schema"
	"github.com/forcefield/forcefield/internal/sfid"
	"github.com/forcefield/forcefield/internal/soql"
)

// UserID is the running user of the checkers below.
var UserID = sfid.New(sfid.PrefixUser, "5F", 1)

func id() schema.Field { return schema.Field{Name: "Id", Type: schema.TypeID, System: true} }
func isDeleted() schema.Field {
	return schema.Field{Name: "IsDeleted", Type: schema.TypeBoolean, System: true}
}
func str(name string, perm bool) schema.Field {
	return schema.Field{Name: name, Type: schema.TypeString, Nillable: true, Permissionable: perm, Length: 255}
}
func typed(name string, t schema.FieldType) schema.Field {
	return schema.Field{Name: name, Type: t, Nillable: true, Permissionable: true}
}
func ref(name, rel, child string, to ...string) schema.Field {
	return schema.Field{Name: name, Type: schema.TypeReference, Nillable: true, ReferenceTo: to, RelationshipName: rel, ChildRelationshipName: child}
}

// Catalog returns a fresh catalog of the test objects.
func Catalog() *schema.Catalog {
	name := str("Name", false)
	name.NameField = true
	objs := []*schema.Object{
		{Name: "Account", KeyPrefix: "001", Sharing: schema.SharingReadWrite, Queryable: true, Fields: []schema.Field{
			id(), isDeleted(), name, typed("AnnualRevenue", schema.TypeCurrency), typed("NumberOfEmployees", schema.TypeInt),
			typed("Industry", schema.TypePicklist), ref("OwnerId", "Owner", "", "User"),
			ref("ParentId", "Parent", "ChildAccounts", "Account"), typed("CreatedDate", schema.TypeDateTime),
		}},
		{Name: "Contact", KeyPrefix: "003", Sharing: schema.SharingPrivate, Queryable: true, Fields: []schema.Field{
			id(), isDeleted(), str("LastName", false), typed("Email", schema.TypeEmail),
			ref("AccountId", "Account", "Contacts", "Account"), ref("OwnerId", "Owner", "", "User"),
			typed("Birthdate", schema.TypeDate),
		}},
		{Name: "User", KeyPrefix: "005", Setup: true, Queryable: true, Fields: []schema.Field{
			id(), name, str("Username", false), typed("IsActive", schema.TypeBoolean), ref("ManagerId", "Manager", "", "User"),
		}},
		{Name: "LoginHistory", KeyPrefix: "0Ya", Setup: true, Queryable: true, Fields: []schema.Field{
			id(), ref("UserId", "", "", "User"), typed("LoginTime", schema.TypeDateTime),
		}},
		{Name: "Invoice__c", KeyPrefix: "a00", Custom: true, Sharing: schema.SharingReadWrite, Queryable: true, Fields: []schema.Field{
			id(), isDeleted(), name, typed("Amount__c", schema.TypeDouble), typed("Tags__c", schema.TypeMultiPicklist),
			ref("Account__c", "Account__r", "Invoices__r", "Account"), typed("Paid__c", schema.TypeBoolean),
			typed("Due__c", schema.TypeDate), str("Secret__c", true),
		}},
	}
	cat, err := schema.NewCatalog(objs)
	if err != nil {
		panic(err)
	}
	return cat
}

// Admin is a user with Modify All Data.
func Admin() *access.Checker {
	return access.New(org.Principal{User: org.User{ID: UserID}, Profile: org.Profile{Permissions: []string{"ModifyAllData"}}})
}

// Limited reads Account, Contact and Invoice__c without View All, every Invoice__c
// field but Secret__c, and no Account.AnnualRevenue; it cannot see LoginHistory of others.
func Limited() *access.Checker {
	return access.New(org.Principal{User: org.User{ID: UserID}, Profile: org.Profile{
		ObjectPermissions: []org.ObjectPermission{
			{Object: "Account", Read: true}, {Object: "Contact", Read: true}, {Object: "Invoice__c", Read: true},
		},
		FieldPermissions: []org.FieldPermission{
			{Field: "Invoice__c.Amount__c", Read: true}, {Field: "Invoice__c.Tags__c", Read: true},
			{Field: "Invoice__c.Paid__c", Read: true}, {Field: "Invoice__c.Due__c", Read: true},
			{Field: "Account.NumberOfEmployees", Read: true}, {Field: "Account.Industry", Read: true},
			{Field: "Account.CreatedDate", Read: true}, {Field: "Contact.Email", Read: true},
			{Field: "Contact.Birthdate", Read: true},
		},
	}})
}

// N is a dotted name at position 0.
func N(dotted string) soql.Name { return soql.Name{Parts: strings.Split(dotted, ".")} }

// NAt is a dotted name at pos.
func NAt(dotted string, pos int) soql.Name {
	n := N(dotted)
	n.Pos = soql.Pos(pos)
	return n
}

// Q is SELECT items FROM from, with no LIMIT or OFFSET.
func Q(from string, items ...soql.SelectItem) *soql.Query {
	return &soql.Query{From: N(from), Select: items, Limit: -1, Offset: -1}
}

// F selects a field.
func F(dotted string) *soql.FieldItem { return &soql.FieldItem{Name: N(dotted)} }

// Agg is an aggregate call; arg "" is COUNT().
func Agg(fn, arg, alias string) *soql.AggregateItem {
	a := &soql.AggregateItem{Func: fn, Alias: alias}
	if arg != "" {
		n := N(arg)
		a.Arg = &n
	}
	return a
}

// Sub is a child subquery item.
func Sub(q *soql.Query) *soql.SubqueryItem { return &soql.SubqueryItem{Query: q} }

// Cmp is field op value.
func Cmp(field, op string, v soql.Value) *soql.Comparison {
	return &soql.Comparison{Field: N(field), Op: op, Value: &v}
}

// List is field op (values…) for IN, NOT IN, INCLUDES, EXCLUDES.
func List(field, op string, vs ...soql.Value) *soql.Comparison {
	return &soql.Comparison{Field: N(field), Op: op, Values: vs}
}

// Semi is field [NOT] IN (sub).
func Semi(field, op string, sub *soql.Query) *soql.Comparison {
	return &soql.Comparison{Field: N(field), Op: op, Subquery: sub}
}

// And, Or and Not combine conditions.
func And(l, r soql.Expr) soql.Expr { return &soql.And{Left: l, Right: r} }

// Or is l OR r.
func Or(l, r soql.Expr) soql.Expr { return &soql.Or{Left: l, Right: r} }

// Not is NOT x.
func Not(x soql.Expr) soql.Expr { return &soql.Not{X: x} }

// Str, Num, Bool, Null, Date, DateTime and Lit are literals.
func Str(s string) soql.Value { return soql.Value{Kind: soql.String, Str: s, Text: "'" + s + "'"} }

// Num is a number literal.
func Num(f float64) soql.Value { return soql.Value{Kind: soql.Number, Num: f} }

// Bool is TRUE or FALSE.
func Bool(b bool) soql.Value { return soql.Value{Kind: soql.Bool, Bool: b} }

// Null is NULL.
func Null() soql.Value { return soql.Value{Kind: soql.Null, Text: "null"} }

// Date is a date literal 2006-01-02.
func Date(s string) soql.Value {
	t, err := time.Parse("2006-01-02", s)
	if err != nil {
		panic(err)
	}
	return soql.Value{Kind: soql.Date, Time: t, Text: s}
}

// DateTime is a datetime literal.
func DateTime(t time.Time) soql.Value { return soql.Value{Kind: soql.DateTime, Time: t.UTC()} }

// Lit is a date literal such as TODAY or LAST_N_DAYS:n.
func Lit(name string, n int) soql.Value {
	return soql.Value{Kind: soql.DateLiteral, Literal: name, N: n, Text: name}
}
