package forcefieldtest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log"
	"net/url"

	"github.com/forcefield/forcefield/forcefieldtest"
	"github.com/forcefield/forcefield/sfauth"
)

// exampleOrg is the org an integration's test declares: its integration user, its
// connected app (no consumerKey: Forcefield generates the key and secret) and a record.
const exampleOrg = `
orgs:
  - name: Acme
    myDomain: acme
    profiles:
      - name: Integration
        permissions: [ApiEnabled, ApiUserOnly]
        objects: {Account: [Read]}
        fields: {Account.*: [Read]}
    users:
      - {username: sync@acme.example, lastName: Sync, email: team@acme.example, profile: Integration}
    connectedApps:
      - name: Orders Sync
        scopes: [api]
        clientCredentials: {enabled: true, runAs: sync@acme.example}
    records:
      - {object: Account, fields: {Name: Acme}}
`

// An integration's test: get a token, query, have the session expire under the
// integration, see it re-authenticate, and check the login history. In a test function,
// srv := forcefieldtest.Start(t, exampleOrg) and pass t to the handles; an Example has no
// t, so it uses New, Close and forcefieldtest.Main.
func Example() {
	srv, err := forcefieldtest.New(exampleOrg)
	if err != nil {
		log.Fatal(err)
	}
	defer srv.Close()
	t := forcefieldtest.Main

	// The integration under test uses sfauth: on 401 INVALID_SESSION_ID it gets a new token
	// and retries.
	app := srv.App("Orders Sync")
	cfg := &sfauth.Config{URL: srv.LoginURL, ClientID: app.ConsumerKey, ClientSecret: app.ConsumerSecret}
	client := cfg.Client(context.Background())
	query := func(soql string) []string {
		resp, err := client.Get("/services/data/v62.0/query?q=" + url.QueryEscape(soql))
		if err != nil {
			log.Fatal(err)
		}
		defer resp.Body.Close()
		if err := sfauth.CheckResponse(resp); err != nil {
			log.Fatal(err)
		}
		var res struct{ Records []struct{ Name string } }
		if err := json.NewDecoder(resp.Body).Decode(&res); err != nil {
			log.Fatal(err)
		}
		var names []string
		for _, r := range res.Records {
			names = append(names, r.Name)
		}
		return names
	}

	fmt.Println("query:", query("SELECT Name FROM Account"))

	// The session times out: the next call gets INVALID_SESSION_ID.
	fmt.Println("expired:", srv.ExpireSessions(t, forcefieldtest.SessionsOf{App: "Orders Sync"}))
	fmt.Println("query after expiry:", query("SELECT Name FROM Account"))

	// Two logins: the first token and the one renewal.
	for _, l := range srv.LoginHistory(t) {
		fmt.Println("login:", l.Application, l.LoginType, l.Status)
	}
	// Output:
	// query: [Acme]
	// expired: 1
	// query after expiry: [Acme]
	// login: Orders Sync Remote Access 2.0 Success
	// login: Orders Sync Remote Access 2.0 Success
}
