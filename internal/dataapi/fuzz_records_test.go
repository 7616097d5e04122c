package dataapi

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
)

// recordSeeds are record-resource requests in the shapes real clients send them
// (salesforce-rest.md §3–4, §7–8: jsforce, go-salesforce, simple-salesforce, sf). Paths are
// relative to /services/data/v59.0; $TOKEN is the fuzz user's token, $ACC an Account the
// stack created.
var recordSeeds = []struct{ method, path, query, headers, body string }{
	{"GET", "/sobjects", "", "", ""},
	{"GET", "/sobjects/Account", "", "", ""},
	{"GET", "/sobjects/Account/describe", "", "If-Modified-Since: Tue, 01 Jan 2030 00:00:00 GMT", ""},
	{"POST", "/sobjects/Account", "", "Content-Type: application/json", `{"attributes":{"type":"Account"},"Name":"Acme","AnnualRevenue":1.5e3}`},
	{"POST", "/sobjects/Invoice__c", "", "", `{"Number__c":"INV-1","Amount__c":12.34,"Status__c":"Draft","Tags__c":"Red;Blue","Due__c":"2024-02-29","Paid__c":true,"Account__c":"$ACC"}`},
	{"GET", "/sobjects/Account/$ACC", "fields=Id,Name,CreatedDate", "", ""},
	{"PATCH", "/sobjects/Account/$ACC", "", "", `{"attributes":{"type":"Account"},"Name":"Renamed","Industry":null}`},
	{"DELETE", "/sobjects/Account/001000000000000AAA", "", "", ""},
	{"PATCH", "/sobjects/Account/Code__c/A-1", "", "", `{"Name":"Upserted"}`},
	{"PATCH", "/sobjects/Account/Code__c/a%2Fb%20c%3F", "", "", `{"Name":"Odd"}`},
	{"PATCH", "/sobjects/Invoice__c/Number__c/ünï çødé", "", "", `{"Amount__c":"1"}`},
	{"GET", "/sobjects/Account/Code__c/A-1", "", "", ""},
	{"DELETE", "/sobjects/Account/Code__c/A-1", "", "", ""},
	{"POST", "/sobjects/Account/Id", "", "", `{"Name":"x"}`},
	{"GET", "/sobjects/Account/$ACC/Invoices", "", "", ""},
	{"GET", "/query", "q=SELECT+Id,+Name+FROM+Account+WHERE+Name+LIKE+'A%25'+ORDER+BY+Name+LIMIT+10", "Sforce-Query-Options: batchSize=200", ""},
	{"GET", "/query/", "q=SELECT+Id,(SELECT+Id+FROM+Contacts)+FROM+Account", "", ""},
	{"GET", "/query", "q=SELECT+COUNT()+FROM+Account", "", ""},
	{"GET", "/query", "q=SELECT+Id+FROM+Invoice__c+WHERE+Account__r.Name+IN+('a','b')+AND+Amount__c+>+1", "", ""},
	{"GET", "/queryAll", "q=SELECT+Id+FROM+Account+WHERE+IsDeleted+=+true", "", ""},
	{"GET", "/query/01gAAAAAAAAAAAAAAA-2000", "", "", ""},
	{"GET", "/query/01gAAAAAAAAAAAAAAA-99999999999999999999", "", "", ""},
	{"GET", "/queryAll/01g-AAAAAAAAAAAAAAA--1", "", "", ""},
	{"GET", "/query", "explain=SELECT+Id+FROM+Account", "", ""},
	{"POST", "/composite/sobjects", "", "", `{"allOrNone":false,"records":[{"attributes":{"type":"Account"},"Name":"X"},{"attributes":{"type":"Account"}}]}`},
	{"POST", "/composite/sobjects/", "", "", `{"allOrNone":true,"records":[{"attributes":{"type":"Contact"},"LastName":"Y"}]}`},
	{"PATCH", "/composite/sobjects", "", "", `{"records":[{"attributes":{"type":"Account"},"id":"$ACC","Name":"Z"},{"attributes":{"type":"Account"},"Id":"bad"}]}`},
	{"PATCH", "/composite/sobjects/Account/Code__c", "", "", `{"allOrNone":false,"records":[{"attributes":{"type":"Account"},"Code__c":"C-1","Name":"C"}]}`},
	{"DELETE", "/composite/sobjects/", "ids=$ACC,001000000000000AAA&allOrNone=false", "", ""},
	{"GET", "/composite/sobjects/Account", "ids=$ACC&fields=Id,Name", "", ""},
	{"POST", "/composite/sobjects/Account", "", "", `{"ids":["$ACC"],"fields":["Name"]}`},
	{"POST", "/composite/batch", "", "", `{"batchRequests":[{"method":"PATCH","url":"v59.0/sobjects/account/$ACC","richInput":{"Name":"NewName"}},{"method":"GET","url":"v59.0/sobjects/account/$ACC?fields=Name"}],"haltOnError":true}`},
	{"POST", "/composite/tree/Account", "", "", `{"records":[{"attributes":{"type":"Account","referenceId":"ref1"},"name":"T","Contacts":{"records":[{"attributes":{"type":"Contact","referenceId":"ref2"},"lastname":"Smith"}]}}]}`},
	{"POST", "/composite", "", "", `{"allOrNone":true,"compositeRequest":[{"method":"POST","url":"/services/data/v63.0/sobjects/Account","referenceId":"a","body":{"Name":"C"}},{"method":"POST","url":"/services/data/v63.0/sobjects/Contact","referenceId":"c","body":{"LastName":"L","AccountId":"@{a.id}"}},{"method":"GET","url":"/services/data/v63.0/query?q=SELECT+Id+FROM+Contact+WHERE+AccountId='@{a.id}'","referenceId":"q"},{"method":"GET","url":"/services/data/v63.0/sobjects/Contact/@{q.records[0].Id}","referenceId":"g"}]}`},
	{"POST", "/composite", "", "", `{"allOrNone":false,"compositeRequest":[{"method":"DELETE","url":"/services/data/v63.0/composite/sobjects?ids=$ACC","referenceId":"d","body":{"allOrNone":false,"records":null}}]}`},
	{"POST", "/composite", "", "", `{"compositeRequest":[{"method":"POST","url":"/services/data/v59.0/composite","referenceId":"n","body":{"compositeRequest":[]}}]}`},
}

func FuzzRecordRequest(f *testing.F) {
	st := newDataStack(f)
	for _, s := range recordSeeds {
		f.Add(s.method, s.path, s.query, s.headers, s.body)
	}
	// The shapes of the bugs found while bounding client-triggered work (bounds_test.go):
	// nesting past the parser's bound, a long IN list, 21 subqueries, 6 heavy composite
	// subrequests.
	q := func(soql string) string { return "q=" + url.QueryEscape(soql) }
	f.Add("GET", "/query", q("SELECT Id FROM Account WHERE "+strings.Repeat("(", 101)+"Name='x'"+strings.Repeat(")", 101)), "", "")
	f.Add("GET", "/query", q("SELECT Id FROM Account WHERE AnnualRevenue NOT IN (1"+strings.Repeat(",2", 150)+")"), "", "")
	f.Add("GET", "/query", q("SELECT Id FROM Account WHERE Name='a'"+strings.Repeat(" OR Name='b'", 150)), "", "")
	f.Add("GET", "/query", q("SELECT Id"+strings.Repeat(", (SELECT Id FROM Contacts)", 21)+" FROM Account"), "", "")
	heavy := `{"method":"GET","url":"/services/data/v59.0/query?q=SELECT+Id+FROM+Account","referenceId":"r%d"}`
	var subs []string
	for i := range 6 {
		subs = append(subs, fmt.Sprintf(heavy, i))
	}
	f.Add("POST", "/composite", "", "", `{"compositeRequest":[`+strings.Join(subs, ",")+`]}`)
	f.Fuzz(func(t *testing.T, method, path, query, headers, body string) {
		target := "http://ff.test/services/data/v59.0" + st.replacer.Replace(path)
		if query != "" {
			target += "?" + st.replacer.Replace(query)
		}
		req, err := http.NewRequest(method, target, strings.NewReader(st.replacer.Replace(body)))
		if err != nil || !strings.HasPrefix(req.URL.Path, "/services/data/") || strings.Contains(req.URL.Path, "/.") || strings.Contains(req.URL.Path, "//") {
			return // not a request the server's router would hand to the data API
		}
		req.Header.Set("Authorization", "Bearer "+st.replacer.Replace("$TOKEN"))
		for _, line := range strings.Split(headers, "\n") {
			if k, v, ok := strings.Cut(line, ":"); ok {
				req.Header.Set(strings.TrimSpace(k), st.replacer.Replace(strings.TrimSpace(v)))
			}
		}
		req.RemoteAddr = "192.0.2.1:1234"
		w := httptest.NewRecorder()
		st.mux.ServeHTTP(w, req) // a panic fails the fuzz target
		checkResponse(t, req, w)
	})
}
