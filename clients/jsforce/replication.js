// Drives jsforce 3's replication and metadata-of-the-user calls against a Forcefield server
// (salesforce-rest-more.md §0, §2, §5.1, §5.2) as jsforce's own integration suite uses
// them (test/sobject.test.ts, test/connection-meta.test.ts), and prints one JSON line for
// internal/server/e2e_replication_clients_test.go to compare exactly.
//
// Environment: FF_URL (login URL), FF_KEY / FF_SECRET (a client-credentials app),
// FF_START / FF_END (an ISO window holding the test's changes), FF_NOW (the server's
// clock, ISO: the suite's one-minute window ends there).
'use strict';
const jsforce = require('jsforce');

const env = process.env;
const version = '59.0';

const isString = (v) => typeof v === 'string';
const isNumber = (v) => typeof v === 'number';

async function main() {
  const out = {};
  const conn = new jsforce.Connection({ oauth2: { loginUrl: env.FF_URL, clientId: env.FF_KEY, clientSecret: env.FF_SECRET }, version });
  await conn.authorize({ grant_type: 'client_credentials' });
  const Account = conn.sobject('Account');

  // getUpdated / getDeleted over the test's window (Date objects, as jsforce formats them).
  const start = new Date(env.FF_START);
  const end = new Date(env.FF_END);
  const upd = await Account.updated(start, end);
  out.updated = { ids: upd.ids, latestDateCovered: upd.latestDateCovered };
  const del = await Account.deleted(start, end);
  out.deleted = del;
  // A Setup object: the users the org file created (with the real clock) are in it.
  out.userUpdated = (await conn.sobject('User').updated(start, end)).ids;

  // The suite's form: exactly one minute ending now; it asserts arrays.
  const now = new Date(env.FF_NOW).getTime();
  const sUpd = await Account.updated(new Date(now - 60 * 1000), new Date(now));
  const sDel = await Account.deleted(new Date(now - 60 * 1000), new Date(now));
  out.suite = { updatedIsArray: Array.isArray(sUpd.ids), deletedIsArray: Array.isArray(sDel.deletedRecords) };

  // recent: nothing before a FOR VIEW query, then the two records it returned.
  out.recentBefore = (await conn.recent(2)).length;
  const viewed = await conn.query('SELECT Id, Name FROM Account ORDER BY Name LIMIT 2 FOR VIEW');
  out.viewed = viewed.records.map((r) => r.Name);
  const recent = await conn.recent(2);
  out.recent = recent.map((r) => ({ type: r.attributes.type, Id: isString(r.Id), Name: r.Name }));
  out.recentAccount = (await Account.recent()).map((r) => r.Name);

  // tabs: strings label, name and url.
  const tabs = await conn.tabs();
  out.tabs = tabs.map((t) => t.name);
  out.tabsShape = tabs.every((t) => isString(t.label) && isString(t.name) && isString(t.url));

  // theme: the assertions of jsforce's test/connection-meta.test.ts.
  const theme = await conn.theme();
  const items = theme.themeItems;
  out.themeNames = items.map((i) => i.name);
  out.themeShape = Array.isArray(items) && items.every((i) => isString(i.name) &&
    (i.colors === null || (Array.isArray(i.colors) && i.colors.every((c) => isString(c.color) && isString(c.context) && isString(c.theme)))) &&
    (i.icons === null || (Array.isArray(i.icons) && i.icons.every((c) => isString(c.url) && isNumber(c.width) && isNumber(c.height) && isString(c.contentType)))));
  console.log(JSON.stringify(out));
}

main().catch((err) => {
  console.log(JSON.stringify({ error: String(err && (err.errorCode || err.name)), message: String(err && err.message), stack: String(err && err.stack) }));
  process.exitCode = 1;
});
