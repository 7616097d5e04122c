// Package forcefieldtest runs a whole Forcefield — a Salesforce org as server-to-server
// integrations see it — inside a Go test's process, so an integration's test can get a
// token, query, and then prove its failure handling against things no real org does on
// demand: an expired session, an injected REQUEST_LIMIT_EXCEEDED, two hours passing, a
// reset to a snapshot, a per-app quota.
//
// # Starting a server
//
// [Start] applies an org file (the YAML of docs/org-file.md) to a new server listening on
// 127.0.0.1 on a free port, with a SQLite database in t.TempDir(), and stops it when the
// test ends:
//
//	srv := forcefieldtest.Start(t, orgYAML)
//	app := srv.App("Acme Integration") // consumer key and secret, generated or from the file
//	cfg := &sfauth.Config{URL: srv.LoginURL, ClientID: app.ConsumerKey, ClientSecret: app.ConsumerSecret}
//
// The [Postgres] option (or FORCEFIELD_TEST_DB=postgres in the environment) runs it on a
// PostgreSQL schema of its own instead, dropped at the end. [New] and [Server.Close] do the
// same outside a test (TestMain, an example): one server shared by a package's tests is
// cheaper than one per test (see BenchmarkStart).
//
// # Handles
//
// Every handle is a call of Forcefield's admin API (docs/testing.md), authenticated with an
// admin token generated for the server; an error answer fails the test with the answer's
// body:
//
//   - faults: [Server.Fault], [Server.Faults], [Server.ClearFaults],
//     [Server.ExpireSessions], [Server.ExhaustDailyLimit];
//   - time travel: [Server.Travel], [Server.Clock], [Server.ResetClock];
//   - snapshots: [Server.Snapshot], [Server.Restore];
//   - per-app quotas: [Server.SetQuotas], [Server.Quotas];
//   - what happened: [Server.LoginHistory], [Server.Sessions];
//   - anything else: [Server.Admin].
//
// Handles about one org act on the org of the file when it declares one; with several,
// name it with [Server.Org].
//
// The handles take a [TB]: a *testing.T or *testing.B, or [Main] outside a test.
package forcefieldtest
