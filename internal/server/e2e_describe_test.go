package server

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// describeGlobal, basic info with recentItems, and describe of standard and custom
// objects: truthful fields, relationships and key prefixes (salesforce-rest.md §3).
func TestDescribe(t *testing.T) {
	s := startData(t)

	var global struct {
		Encoding     string `json:"encoding"`
		MaxBatchSize int    `json:"maxBatchSize"`
		SObjects     []map[string]any
	}
	json.Unmarshal([]byte(s.call(t, s.int, http.MethodGet, "/sobjects/", "").Body), &global)
	var invoice map[string]any
	for _, o := range global.SObjects {
		if o["name"] == "Invoice__c" {
			invoice = o
		}
	}
	if global.Encoding != "UTF-8" || global.MaxBatchSize != 200 || invoice == nil {
		t.Fatalf("describeGlobal: encoding %q maxBatchSize %d Invoice__c %v", global.Encoding, global.MaxBatchSize, invoice)
	}
	wantURLs := map[string]any{"sobject": "/services/data/v59.0/sobjects/Invoice__c", "describe": "/services/data/v59.0/sobjects/Invoice__c/describe",
		"rowTemplate": "/services/data/v59.0/sobjects/Invoice__c/{ID}"}
	urls, _ := invoice["urls"].(map[string]any)
	for k := range urls {
		if _, ok := wantURLs[k]; !ok {
			delete(urls, k) // layouts, listviews, …: checked against real payloads in package schema
		}
	}
	if invoice["custom"] != true || invoice["keyPrefix"] != "a00" || invoice["label"] != "Invoice" || !cmp.Equal(urls, wantURLs) {
		t.Errorf("Invoice__c entry: custom %v keyPrefix %v label %v urls %v", invoice["custom"], invoice["keyPrefix"], invoice["label"], invoice["urls"])
	}

	// Basic info: recentItems are the records the user last viewed (SOQL FOR VIEW),
	// newest first; creating records does not make them recent (recent.go).
	s.Clock.Advance(1e9)
	a := s.create(t, s.int, "Account", `{"Name":"Older"}`)
	b := s.create(t, s.int, "Account", `{"Name":"Newer"}`)
	var basic struct {
		ObjectDescribe map[string]any   `json:"objectDescribe"`
		RecentItems    []map[string]any `json:"recentItems"`
	}
	json.Unmarshal([]byte(s.call(t, s.int, http.MethodGet, "/sobjects/Account", "").Body), &basic)
	if basic.ObjectDescribe["name"] != "Account" || basic.RecentItems == nil || len(basic.RecentItems) != 0 {
		t.Errorf("basic info after creates: %v recentItems %v, want []", basic.ObjectDescribe["name"], basic.RecentItems)
	}
	s.query(t, s.int, "SELECT Id FROM Account WHERE Id = '"+a+"' FOR VIEW")
	s.Clock.Advance(1e9)
	s.query(t, s.int, "SELECT Id FROM Account WHERE Id = '"+b+"' FOR VIEW")
	json.Unmarshal([]byte(s.call(t, s.int, http.MethodGet, "/sobjects/Account", "").Body), &basic)
	if len(basic.RecentItems) != 2 || basic.RecentItems[0]["Id"] != b || basic.RecentItems[1]["Id"] != a || basic.RecentItems[0]["Name"] != "Newer" {
		t.Errorf("basic info: recentItems %v", basic.RecentItems)
	}

	type field struct {
		Name             string   `json:"name"`
		Type             string   `json:"type"`
		ReferenceTo      []string `json:"referenceTo"`
		RelationshipName *string  `json:"relationshipName"`
		Nillable         bool     `json:"nillable"`
		Createable       bool     `json:"createable"`
		ExternalID       bool     `json:"externalId"`
		Unique           bool     `json:"unique"`
		PicklistValues   []struct {
			Value string `json:"value"`
		} `json:"picklistValues"`
	}
	type child struct {
		ChildSObject     string `json:"childSObject"`
		Field            string `json:"field"`
		RelationshipName string `json:"relationshipName"`
	}
	var desc struct {
		Name               string  `json:"name"`
		KeyPrefix          string  `json:"keyPrefix"`
		Fields             []field `json:"fields"`
		ChildRelationships []child `json:"childRelationships"`
	}
	json.Unmarshal([]byte(s.call(t, s.int, http.MethodGet, "/sobjects/Invoice__c/describe/", "").Body), &desc)
	fields := map[string]field{}
	for _, f := range desc.Fields {
		fields[f.Name] = f
	}
	rel := "Account__r"
	if f := fields["Account__c"]; f.Type != "reference" || !cmp.Equal(f.ReferenceTo, []string{"Account"}) || f.RelationshipName == nil || *f.RelationshipName != rel {
		t.Errorf("Account__c: %+v", f)
	}
	if f := fields["Number__c"]; f.Type != "string" || f.Nillable || !f.ExternalID || !f.Unique {
		t.Errorf("Number__c: %+v", f)
	}
	if f := fields["Status__c"]; f.Type != "picklist" || len(f.PicklistValues) != 3 || f.PicklistValues[2].Value != "Paid" {
		t.Errorf("Status__c: %+v", f)
	}
	for _, name := range []string{"Id", "OwnerId", "Name", "CreatedDate", "CreatedById", "LastModifiedDate", "LastModifiedById", "SystemModstamp", "IsDeleted"} {
		if _, ok := fields[name]; !ok {
			t.Errorf("Invoice__c describe lacks the standard field %s", name)
		}
	}
	if f := fields["CreatedDate"]; f.Createable {
		t.Error("CreatedDate is createable")
	}

	json.Unmarshal([]byte(s.call(t, s.int, http.MethodGet, "/sobjects/account/describe", "").Body), &desc)
	var children []string
	for _, c := range desc.ChildRelationships {
		if c.RelationshipName != "" {
			children = append(children, c.ChildSObject+"."+c.Field+"→"+c.RelationshipName)
		}
	}
	for _, want := range []string{"Contact.AccountId→Contacts", "Opportunity.AccountId→Opportunities", "Case.AccountId→Cases", "Invoice__c.Account__c→Invoices__r"} {
		if !strings.Contains(strings.Join(children, " "), want) {
			t.Errorf("Account childRelationships lack %s: %v", want, children)
		}
	}
	if desc.Name != "Account" || desc.KeyPrefix != "001" {
		t.Errorf("describe of account (lower case): name %q keyPrefix %q", desc.Name, desc.KeyPrefix)
	}
}
