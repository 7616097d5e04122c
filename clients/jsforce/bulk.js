// Drives jsforce 3's Bulk API calls against a Forcefield server (salesforce-bulk.md §7.1,
// §7.2) and prints one JSON line: a summary with no IDs or timestamps, so
// internal/server/e2e_bulk_jsforce_test.go can compare it exactly.
//
// Environment: FF_URL (login URL), FF_KEY / FF_SECRET (a client-credentials app whose
// run-as user may modify all data; the org has the External ID field Account.ExtKey__c),
//
// Bulk API 2.0: loadAndWaitForResults inserting 10,000 Accounts (awkward values, ten
// invalid numbers), bulk2.query consumed as a record stream, an upsert by external ID, a
// delete. Bulk API 1.0: bulk.load insert and bulk.query.
'use strict';
const jsforce = require('jsforce');

const env = process.env;
const version = '59.0';
const N = 10000;

// Names that need CSV quoting or are not ASCII; rows 0-4 carry them.
const awkward = ['JSB "quoted" name', 'JSB comma, inside', 'JSB line\nbreak\r\nand CRLF', 'JSB ünïcødé ✓ 日本 🚀', "JSB it's ; | tab\there"];

const pad = (i) => String(i).padStart(5, '0');

// summarize shapes loadAndWaitForResults' results without IDs.
function summarize(res) {
  const ok = res.successfulResults;
  return {
    successful: ok.length,
    failed: res.failedResults.length,
    unprocessed: res.unprocessedRecords.length,
    created: ok.filter((r) => r.sf__Created === 'true').length,
    idPrefixes: [...new Set(ok.map((r) => String(r.sf__Id).slice(0, 3) + ':' + String(r.sf__Id).length))],
  };
}

// collect reads a record stream to its end.
function collect(stream) {
  return new Promise((resolve, reject) => {
    const rows = [];
    stream.on('record', (r) => rows.push(r));
    stream.on('error', reject);
    stream.on('end', () => resolve(rows));
  });
}

async function bulk2(conn, out) {
  conn.bulk2.pollInterval = 100;
  conn.bulk2.pollTimeout = 60000;

  // Insert: 10,000 Accounts; every 1000th (999, 1999, …) has an invalid NumberOfEmployees.
  const records = [];
  for (let i = 0; i < N; i++) {
    records.push({
      Name: i < awkward.length ? awkward[i] : `JSB ${pad(i)}`,
      NumberOfEmployees: i % 1000 === 999 ? `${i} people` : i,
      Description: i % 2 === 0 ? `line one\nline "two", ${i}` : null,
    });
  }
  let t0 = Date.now();
  const ins = await conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'insert', input: records });
  const insMs = Date.now() - t0;
  const names = new Set(ins.successfulResults.map((r) => r.Name));
  out.insert = {
    ...summarize(ins),
    // Round-tripped awkward Names, but for the CRLF one (its echo is crlfEcho).
    awkward: awkward.filter((n) => !n.startsWith('JSB line')).map((n) => names.has(n)),
    // The CRLF inside the quoted Name, as successfulResults echoes it.
    crlfEcho: ins.successfulResults.filter((r) => r.Name.startsWith('JSB line')).map((r) => r.Name),
    // The uploaded columns come back with the uploaded values.
    columns: Object.keys(ins.successfulResults[0] || {}).sort(),
    sample: ins.successfulResults.filter((r) => r.Name === 'JSB 00006').map((r) => ({ Name: r.Name, NumberOfEmployees: r.NumberOfEmployees, Description: r.Description })),
    failures: ins.failedResults
      .map((r) => ({ sf__Id: r.sf__Id, sf__Error: r.sf__Error, Name: r.Name, NumberOfEmployees: r.NumberOfEmployees }))
      .sort((a, b) => (a.Name < b.Name ? -1 : 1)),
  };

  // Query: the result stream, record by record.
  t0 = Date.now();
  const stream = await conn.bulk2.query("SELECT Id, Name, NumberOfEmployees, Description FROM Account WHERE Name LIKE 'JSB%'");
  const rows = await collect(stream);
  const qMs = Date.now() - t0;
  const byName = new Map(rows.map((r) => [r.Name, r]));
  const six = byName.get('JSB 00006') || {};
  const seven = byName.get('JSB 00007') || {};
  out.query = {
    records: rows.length,
    fields: Object.keys(rows[0] || {}).sort(),
    awkward: awkward.map((n) => byName.has(n)),
    idPrefix: [...new Set(rows.map((r) => String(r.Id).slice(0, 3)))],
    six: { NumberOfEmployees: six.NumberOfEmployees, Description: six.Description },
    seven: { NumberOfEmployees: seven.NumberOfEmployees, Description: seven.Description },
  };

  // Upsert by the External ID Account.ExtKey__c: two new, then one update and one new.
  const up1 = await conn.bulk2.loadAndWaitForResults({
    object: 'Account', operation: 'upsert', externalIdFieldName: 'ExtKey__c',
    input: [{ ExtKey__c: 'JS-1', Name: 'JSB up one' }, { ExtKey__c: 'JS-2', Name: 'JSB up two' }],
  });
  const up2 = await conn.bulk2.loadAndWaitForResults({
    object: 'Account', operation: 'upsert', externalIdFieldName: 'ExtKey__c',
    input: [{ ExtKey__c: 'JS-2', Name: 'JSB up two bis' }, { ExtKey__c: 'JS-3', Name: 'JSB up three' }],
  });
  const created = (res) => res.successfulResults.map((r) => `${r.ExtKey__c}=${r.sf__Created}`).sort();
  const upq = await conn.query("SELECT ExtKey__c, Name FROM Account WHERE ExtKey__c != null ORDER BY ExtKey__c");
  out.upsert = {
    first: created(up1), second: created(up2), failed: up1.failedResults.length + up2.failedResults.length,
    records: upq.records.map((r) => `${r.ExtKey__c} ${r.Name}`),
  };

  // Delete every queried Account (jsforce uploads only the Id column for deletes).
  t0 = Date.now();
  const del = await conn.bulk2.loadAndWaitForResults({ object: 'Account', operation: 'delete', input: rows.map((r) => ({ Id: r.Id, Name: r.Name })) });
  const delMs = Date.now() - t0;
  const left = await conn.query("SELECT COUNT() FROM Account WHERE Name LIKE 'JSB%'");
  // scanAll (operation queryAll) also returns the deleted rows.
  const all = await collect(await conn.bulk2.query("SELECT Id, Name, IsDeleted FROM Account WHERE Name LIKE 'JSB%'", { scanAll: true }));
  out.delete = {
    ...summarize(del), remaining: left.totalSize,
    queryAll: { records: all.length, deleted: all.filter((r) => r.IsDeleted === 'true').length },
  };
  process.stderr.write(`bulk2 timings: insert ${insMs} ms, query ${qMs} ms, delete ${delMs} ms\n`);
}

async function bulk1(conn, out) {
  conn.bulk.pollInterval = 100;
  conn.bulk.pollTimeout = 60000;
  const recs = [];
  for (let i = 0; i < 500; i++) recs.push({ Name: i === 0 ? 'JSB1 "quoted", ünï' : `JSB1 ${pad(i)}`, NumberOfEmployees: i === 499 ? 'many' : i });
  const res = await conn.bulk.load('Account', 'insert', recs);
  const bad = res.filter((r) => !r.success);
  out.bulk1 = {
    insert: {
      results: res.length, success: res.filter((r) => r.success).length,
      idPrefix: [...new Set(res.filter((r) => r.success).map((r) => String(r.id).slice(0, 3)))],
      errors: bad.map((r) => (r.errors || []).map(String)),
    },
  };
  const rows = await collect(await conn.bulk.query("SELECT Id, Name FROM Account WHERE Name LIKE 'JSB1%'"));
  const names = rows.map((r) => r.Name).sort();
  out.bulk1.query = { records: rows.length, first: names[0], last: names[names.length - 1], fields: Object.keys(rows[0] || {}).sort() };
}

async function main() {
  const out = {};
  const conn = new jsforce.Connection({ oauth2: { loginUrl: env.FF_URL, clientId: env.FF_KEY, clientSecret: env.FF_SECRET }, version });
  await conn.authorize({ grant_type: 'client_credentials' });
  out.instanceUrl = conn.instanceUrl;
  await bulk2(conn, out);
  await bulk1(conn, out);
  console.log(JSON.stringify(out));
}

main().catch((err) => {
  console.log(JSON.stringify({ error: String(err && (err.errorCode || err.name)), message: String(err && err.message), stack: String(err && err.stack) }));
  process.exitCode = 1;
});
