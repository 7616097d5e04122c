package sosl

import (
	"strings"

	"github.com/forcefield/forcefield/internal/schema"
)

// Which fields a search looks in (SOQL and SOSL Reference, "IN SearchGroup";
// salesforce-rest-more.md §1.4).
//
// Searchable fields are the text fields: string, textarea, email, phone, url and
// combobox. "Numeric fields aren't searchable", nor are IDs, references, dates, booleans,
// and picklists (Salesforce does not search a picklist's values; [UNCONFIRMED] for
// ALL FIELDS). Every searchable field is in ALL FIELDS; NAME FIELDS (and SIDEBAR FIELDS,
// treated alike [INF]) holds the name field and the per-object extras below; EMAIL FIELDS
// the email fields, PHONE FIELDS the phone fields.

// nameExtras are the fields besides the name field that NAME FIELDS searches, per object
// (IN SearchGroup doc). Contact and Lead Name is FirstName + LastName [INF].
var nameExtras = map[string][]string{
	"Account": {"Website", "Site", "Name"},
	"Asset":   {"SerialNumber"},
	"Case":    {"SuppliedName", "SuppliedCompany", "Subject"},
	"Contact": {"AssistantName", "FirstNameLocal", "LastNameLocal", "AccountName", "FirstName", "LastName"},
	"Event":   {"Subject"},
	"Lead":    {"Company", "CompanyLocal", "FirstNameLocal", "LastNameLocal", "FirstName", "LastName"},
	"Note":    {"Title"},
	"Task":    {"Subject"},
	"User":    {"CommunityNickname"},
}

// Searchable reports whether f's text is searched (and so indexed).
func Searchable(f *schema.Field) bool {
	switch f.Type {
	case schema.TypeString, schema.TypeTextArea, schema.TypeEmail, schema.TypePhone, schema.TypeURL, schema.TypeCombobox:
		return true
	}
	return false
}

// SearchFields returns obj's searchable fields, in field order: what a store indexes.
func SearchFields(obj *schema.Object) []*schema.Field {
	var out []*schema.Field
	for i := range obj.Fields {
		if f := &obj.Fields[i]; Searchable(f) {
			out = append(out, f)
		}
	}
	return out
}

// InGroup reports whether a search IN g looks in f of obj.
func InGroup(obj *schema.Object, f *schema.Field, g Group) bool {
	if !Searchable(f) {
		return false
	}
	switch g {
	case GroupAll:
		return true
	case GroupEmail:
		return f.Type == schema.TypeEmail
	case GroupPhone:
		return f.Type == schema.TypePhone
	}
	if f.NameField {
		return true
	}
	for _, n := range nameExtras[obj.Name] {
		if strings.EqualFold(n, f.Name) {
			return true
		}
	}
	return false
}

// SearchableObject reports whether a search without RETURNING covers obj: an object
// whose describe says searchable, with at least one searchable field. Setup objects are
// not indexed by Forcefield's stores (their rows are not written through records.Tx).
func SearchableObject(obj *schema.Object) bool {
	return obj.Searchable && !obj.Setup && len(SearchFields(obj)) > 0
}
