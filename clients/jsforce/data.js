// Drives jsforce 3's data calls against a Forcefield server the way integrations use them
// (salesforce-rest.md §8.1, §10) and prints one JSON line: a summary with no IDs or
// timestamps, so internal/server/e2e_jsforce_data_test.go can compare it exactly.
//
// Environment: FF_URL (login URL), FF_KEY / FF_SECRET (a client-credentials app),
// FF_USERNAME (its run-as user), FF_ADMIN_TOKEN (Forcefield admin API, to revoke the
// session), FF_SCENARIO (session | data). "session" needs no data API: login, limits,
// revocation. "data" runs everything.
'use strict';
const jsforce = require('jsforce');

const env = process.env;
const version = '59.0';

// revokeSessions ends the run-as user's sessions through Forcefield's admin API.
async function revokeSessions() {
  const res = await fetch(`${env.FF_URL}/forcefield/admin/users/${encodeURIComponent(env.FF_USERNAME)}/sessions`, {
    method: 'DELETE', headers: { Authorization: `Bearer ${env.FF_ADMIN_TOKEN}` },
  });
  if (res.status !== 200) throw new Error(`revoke: ${res.status} ${await res.text()}`);
}

// failure runs fn and returns the error jsforce raised, as {errorCode, message}.
async function failure(fn) {
  try {
    await fn();
    return { errorCode: 'none', message: 'no error' };
  } catch (err) {
    return { errorCode: String(err.errorCode || err.name), message: String(err.message) };
  }
}

const saved = (r) => ({ success: r.success === true, errors: (r.errors || []).length });

async function dataScenario(conn, out) {
  const Account = conn.sobject('Account');

  // describe: fields include Name.
  const desc = await conn.describe('Account');
  out.describe = { name: desc.name, hasName: desc.fields.some((f) => f.name === 'Name'), createable: desc.createable };

  // Single create / retrieve / update / destroy.
  const created = await Account.create({ Name: 'JSF single' });
  const got = await Account.retrieve(created.id);
  const updated = await Account.update({ Id: created.id, Name: 'JSF renamed' });
  const after = await Account.retrieve(created.id, { fields: ['Name'] });
  const destroyed = await Account.destroy(created.id);
  out.single = {
    create: saved(created), idPrefix: created.id.slice(0, 3), retrieved: got.Name, type: got.attributes.type,
    update: saved(updated), renamed: after.Name, destroy: saved(destroyed),
  };
  // Retrieving a deleted record: 404 ENTITY_IS_DELETED (§3).
  out.retrieveDeleted = await failure(() => Account.retrieve(created.id));

  // Arrays go through /composite/sobjects.
  const many = await Account.create([{ Name: 'JSF arr 1' }, { Name: 'JSF arr 2' }, { Name: 'JSF arr 3' }]);
  const ids = many.map((r) => r.id);
  const manyGot = await Account.retrieve(ids);
  const manyUpd = await Account.update(ids.map((Id, i) => ({ Id, Name: `JSF arr ${i + 1}b` })));
  const manyNames = (await Account.retrieve(ids)).map((r) => r.Name);
  const manyDel = await Account.destroy(ids);
  out.arrays = {
    create: many.map(saved), retrieved: manyGot.map((r) => r.Name), update: manyUpd.map(saved),
    renamed: manyNames, destroy: manyDel.map(saved),
  };

  // Upsert by external ID on the custom object: created, then updated.
  const Invoice = conn.sobject('Invoice__c');
  const up1 = await Invoice.upsert({ ExtId__c: 'INV-1', Amount__c: 10 }, 'ExtId__c');
  const up2 = await Invoice.upsert({ ExtId__c: 'INV-1', Amount__c: 20 }, 'ExtId__c');
  const inv = await conn.query("SELECT ExtId__c, Amount__c FROM Invoice__c WHERE ExtId__c = 'INV-1'");
  out.upsert = {
    first: { success: up1.success === true, created: up1.created === true },
    second: { success: up2.success === true, created: up2.created === true },
    records: inv.records.map((r) => ({ ExtId__c: r.ExtId__c, Amount__c: r.Amount__c })),
  };

  // 2500 Accounts in collections of 200, then a query with autoFetch across pages of 500.
  const bulk = [];
  for (let i = 0; i < 2500; i++) bulk.push({ Name: `JSF bulk ${String(i).padStart(4, '0')}` });
  const bulkRes = await Account.create(bulk, { allowRecursive: true });
  let pages = 0;
  const q = conn.query("SELECT Id, Name FROM Account WHERE Name LIKE 'JSF bulk %' ORDER BY Name",
    { autoFetch: true, maxFetch: 10000, headers: { 'Sforce-Query-Options': 'batchSize=500' } });
  q.on('fetch', () => { pages++; });
  const res = await q;
  const rows = res.records.map((r) => r.Name);
  out.query = {
    created: bulkRes.filter((r) => r.success).length, fetched: rows.length, totalSize: res.totalSize, done: res.done,
    pages, first: rows[0], last: rows[rows.length - 1],
  };
  out.count = await Account.count({ Name: { $like: 'JSF bulk %' } });

  // select('*') expands to every field through describe.
  const star = await Account.select('*').where({ Name: 'JSF bulk 0007' }).execute();
  out.selectStar = { records: star.length, name: star[0] && star[0].Name, hasId: !!(star[0] && star[0].Id), fields: star[0] ? Object.keys(star[0]).length > 10 : false };

  // POST /composite with a @{ref.id} reference (§7).
  const comp = await conn.request({
    method: 'POST', url: `/services/data/v${version}/composite`, headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      allOrNone: true,
      compositeRequest: [
        { method: 'POST', url: `/services/data/v${version}/sobjects/Account`, referenceId: 'acct', body: { Name: 'JSF composite' } },
        { method: 'GET', url: `/services/data/v${version}/sobjects/Account/@{acct.id}?fields=Name`, referenceId: 'read' },
      ],
    }),
  });
  out.composite = comp.compositeResponse.map((r) => ({ referenceId: r.referenceId, httpStatusCode: r.httpStatusCode }));
  out.compositeName = comp.compositeResponse[1].body.Name;
}

async function main() {
  const out = {};
  const conn = new jsforce.Connection({ oauth2: { loginUrl: env.FF_URL, clientId: env.FF_KEY, clientSecret: env.FF_SECRET }, version });
  await conn.authorize({ grant_type: 'client_credentials' });
  out.instanceUrl = conn.instanceUrl;
  const limits = await conn.limits();
  out.limits = { hasDailyApiRequests: limits.DailyApiRequests !== undefined };

  if (env.FF_SCENARIO === 'data') await dataScenario(conn, out);

  // After an administrator revokes the session, a connection holding the token (no
  // refresh delegate) surfaces 401 INVALID_SESSION_ID "Session expired or invalid" (§8.1 (f)).
  await revokeSessions();
  const plain = new jsforce.Connection({ instanceUrl: conn.instanceUrl, accessToken: conn.accessToken, version });
  out.afterRevoke = await failure(() => plain.limits());
  console.log(JSON.stringify(out));
}

main().catch((err) => {
  console.log(JSON.stringify({ error: String(err && (err.errorCode || err.name)), message: String(err && err.message), stack: String(err && err.stack) }));
  process.exitCode = 1;
});
