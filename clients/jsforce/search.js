// Drives jsforce 3's conn.search (SOSL, salesforce-rest-more.md §0 and §1) against a
// Forcefield server as jsforce's own integration test does (test/connection-crud.test.ts:
// bulk-insert 20 Accounts named "Bulk Account <13-digit number> #n", then
// FIND {"<number>"} IN NAME FIELDS RETURNING Account(Id, Name) must give all 20 at once),
// and prints one JSON line of results without IDs, for internal/server/e2e_search_test.go.
//
// Environment: FF_URL (login URL), FF_KEY / FF_SECRET (a client-credentials app).
'use strict';
const jsforce = require('jsforce');

const env = process.env;
const version = '59.0';

async function failure(fn) {
  try {
    await fn();
    return { errorCode: 'none', message: 'no error' };
  } catch (err) {
    return { errorCode: String(err.errorCode || err.name), message: String(err.message) };
  }
}

async function main() {
  const out = {};
  const conn = new jsforce.Connection({ oauth2: { loginUrl: env.FF_URL, clientId: env.FF_KEY, clientSecret: env.FF_SECRET }, version });
  await conn.authorize({ grant_type: 'client_credentials' });
  conn.bulk2.pollInterval = 100;
  conn.bulk2.pollTimeout = 60000;

  const n = String(Date.now()); // 13 digits, as the jsforce test's
  const records = [];
  for (let i = 1; i <= 20; i++) records.push({ Name: `Bulk Account ${n} #${i}` });
  const ins = await conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'insert', input: records });
  out.inserted = ins.successfulResults.length;

  // Searched right away: no retry.
  const res = await conn.search(`FIND {"${n}"} IN NAME FIELDS RETURNING Account(Id, Name)`);
  const rows = res.searchRecords;
  out.found = rows.length;
  out.keys = Object.keys(rows[0] || {});
  out.types = [...new Set(rows.map((r) => r.attributes.type))];
  out.names = rows.map((r) => r.Name.replace(n, '<n>')).sort((a, b) => Number(a.split('#')[1]) - Number(b.split('#')[1]));

  // Records created through the REST collections, then one deleted: found at once, the
  // deleted one no more.
  const made = await conn.sobject('Account').create([{ Name: 'JSF SearchOne' }, { Name: 'JSF SearchTwo' }]);
  await conn.sobject('Account').destroy(made[1].id);
  const after = await conn.search('FIND {SearchOne OR SearchTwo} RETURNING Account(Name)');
  out.afterDelete = after.searchRecords.map((r) => r.Name);

  out.none = await conn.search('FIND {Nothingmatchesthis} RETURNING Account(Name)');
  out.error = await failure(() => conn.search('FIND {a}'));
  console.log(JSON.stringify(out));
}

main().catch((err) => {
  console.log(JSON.stringify({ error: String(err && (err.errorCode || err.name)), message: String(err && err.message), stack: String(err && err.stack) }));
  process.exitCode = 1;
});
