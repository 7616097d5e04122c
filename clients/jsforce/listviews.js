// Drives jsforce 3's list view and query plan calls against a Forcefield server the way
// jsforce's own integration tests do (test/sobject.test.ts, test/query.test.ts; the
// checks of salesforce-rest-more.md §0) and prints one JSON line without IDs, so
// internal/server/e2e_jsforce_listviews_test.go can compare it exactly.
//
// Environment: FF_URL (login URL), FF_KEY / FF_SECRET (a client-credentials app).
'use strict';
const jsforce = require('jsforce');

const env = process.env;
const version = '59.0';

const isStr = (v) => typeof v === 'string';
const isNum = (v) => typeof v === 'number';
const isNumOrNull = (v) => v === null || isNum(v);

// columnsOK applies jsforce's checks to list view columns.
const columnsOK = (cols) => Array.isArray(cols) && cols.length > 0 && cols.every((c) =>
  isStr(c.label) && isStr(c.fieldNameOrPath) && isStr(c.selectListItem) && isNumOrNull(c.sortIndex) && typeof c.sortable === 'boolean');

// plansOK applies jsforce's checks to an explain answer.
const plansOK = (res) => Array.isArray(res.plans) && res.plans.length > 0 && res.plans.every((p) =>
  isNum(p.cardinality) && Array.isArray(p.fields) && isStr(p.leadingOperationType) && isNum(p.relativeCost) &&
  isNum(p.sobjectCardinality) && isStr(p.sobjectType));

async function main() {
  const out = {};
  const conn = new jsforce.Connection({ oauth2: { loginUrl: env.FF_URL, clientId: env.FF_KEY, clientSecret: env.FF_SECRET }, version });
  await conn.authorize({ grant_type: 'client_credentials' });
  const Account = conn.sobject('Account');
  await Account.create([{ Name: 'JSF view 1', Type: 'Prospect' }, { Name: 'JSF view 2' }, { Name: 'JSF view 3' }]);

  // sobject.listviews(): the first view is used for the rest, as jsforce's test does.
  const lv = await Account.listviews();
  const first = lv.listviews[0];
  out.listviews = {
    ok: Array.isArray(lv.listviews) && lv.listviews.every((v) =>
      isStr(v.id) && isStr(v.label) && isStr(v.describeUrl) && isStr(v.resultsUrl) && typeof v.soqlCompatible === 'boolean'),
    names: lv.listviews.map((v) => v.developerName), size: lv.size, done: lv.done,
  };

  const view = Account.listview(first.id);
  const desc = await view.describe();
  out.describe = {
    ok: isStr(desc.id) && isStr(desc.sobjectType) && (desc.query === null || isStr(desc.query)) &&
      Array.isArray(desc.orderBy) && columnsOK(desc.columns),
    idIs15: desc.id === first.id.slice(0, 15), sobjectType: desc.sobjectType,
    queryEnd: desc.query.slice(desc.query.indexOf(' FROM ')),
    columns: desc.columns.filter((c) => !c.hidden).map((c) => c.fieldNameOrPath),
  };

  const res = await view.results();
  out.results = {
    ok: typeof res.done === 'boolean' && isNum(res.size) && isStr(res.id) && isStr(res.label) &&
      columnsOK(res.columns) && Array.isArray(res.records),
    label: res.label, size: res.size, done: res.done,
    names: res.records.map((r) => r.columns.find((c) => c.fieldNameOrPath === 'Name').value),
    types: res.records.map((r) => r.columns.find((c) => c.fieldNameOrPath === 'Type').value),
  };

  const viewPlan = await view.explain();
  out.viewExplain = { ok: plansOK(viewPlan), ops: viewPlan.plans.map((p) => p.leadingOperationType) };

  const queryPlan = await conn.query("SELECT Id, Name FROM Account WHERE Name = 'JSF view 2'").explain();
  out.queryExplain = {
    ok: plansOK(queryPlan), ops: queryPlan.plans.map((p) => p.leadingOperationType),
    fields: queryPlan.plans[0].fields, cardinality: queryPlan.plans[0].cardinality, sobjectCardinality: queryPlan.plans[0].sobjectCardinality,
  };
  console.log(JSON.stringify(out));
}

main().catch((err) => {
  console.log(JSON.stringify({ error: String(err && (err.errorCode || err.name)), message: String(err && err.message), stack: String(err && err.stack) }));
  process.exitCode = 1;
});
