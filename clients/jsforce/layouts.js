// Drives jsforce 3's describe-layout calls against a Forcefield server with the
// assertions of jsforce's own integration suite (test/sobject.test.ts, "list layout…",
// "list named layout…", "list compact layout…", "list approval layout…";
// salesforce-rest-more.md §0, §3) and prints one JSON line: the assertions that failed
// (none expected) and a few facts without IDs, compared exactly by
// internal/server/e2e_jsforce_layouts_test.go.
//
// jsforce 3 has no describeLayout(): SObject#layouts() is its describeLayout, sending
// GET /sobjects/{T}/describe/layouts (or …/namedLayouts/{name}).
//
// Environment: FF_URL (login URL), FF_KEY / FF_SECRET (a client-credentials app).
'use strict';
const jsforce = require('jsforce');

const env = process.env;
const version = '59.0';
const failed = [];

function check(what, ok) {
  if (!ok) failed.push(what);
}
const isString = (v) => typeof v === 'string';
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);

// checkLayouts runs the suite's assertions on a DescribeLayoutResult.
function checkLayouts(what, res) {
  check(`${what}: layouts is an array`, Array.isArray(res.layouts));
  for (const layout of res.layouts || []) {
    check(`${what}: id`, layout.id === null || isString(layout.id));
    check(`${what}: buttonLayoutSection`, isObject(layout.buttonLayoutSection));
    check(`${what}: detailLayoutSections`, Array.isArray(layout.detailLayoutSections));
    check(`${what}: editLayoutSections`, Array.isArray(layout.editLayoutSections));
    check(`${what}: quickActionList`, isObject(layout.quickActionList));
    check(`${what}: quickActionListItems`, isObject(layout.quickActionList) && Array.isArray(layout.quickActionList.quickActionListItems));
    check(`${what}: relatedLists`, Array.isArray(layout.relatedLists));
  }
  check(`${what}: recordTypeMappings`, Array.isArray(res.recordTypeMappings));
  check(`${what}: recordTypeSelectorRequired`, Array.isArray(res.recordTypeSelectorRequired));
}

function checkCompact(what, res) {
  check(`${what}: compactLayouts is an array`, Array.isArray(res.compactLayouts));
  for (const clayout of res.compactLayouts || []) {
    check(`${what}: id`, clayout.id === null || isString(clayout.id));
    check(`${what}: objectType`, isString(clayout.objectType));
    check(`${what}: actions`, Array.isArray(clayout.actions));
    check(`${what}: fieldItems`, Array.isArray(clayout.fieldItems));
  }
  check(`${what}: defaultCompactLayoutId`, !res.defaultCompactLayoutId || isString(res.defaultCompactLayoutId));
  check(`${what}: recordTypeCompactLayoutMappings`, Array.isArray(res.recordTypeCompactLayoutMappings));
}

function checkApproval(what, res) {
  check(`${what}: approvalLayouts is an array`, Array.isArray(res.approvalLayouts));
  for (const alayout of res.approvalLayouts || []) {
    check(`${what}: id`, alayout.id === null || isString(alayout.id));
    check(`${what}: name`, isString(alayout.name));
    check(`${what}: label`, isString(alayout.label));
    check(`${what}: layoutItems`, Array.isArray(alayout.layoutItems));
  }
}

// fieldsOf lists the field names of a layout's detail sections, by section heading.
function fieldsOf(layout) {
  const out = {};
  for (const s of layout.detailLayoutSections) {
    out[s.heading] = [];
    for (const row of s.layoutRows) {
      for (const item of row.layoutItems) {
        for (const c of item.layoutComponents) if (c.type === 'Field') out[s.heading].push(c.value);
      }
    }
  }
  return out;
}

async function failure(fn) {
  try {
    await fn();
    return { errorCode: 'none', message: 'no error' };
  } catch (err) {
    return { errorCode: String(err.errorCode || err.name), message: String(err.message) };
  }
}

async function main() {
  const conn = new jsforce.Connection({ oauth2: { loginUrl: env.FF_URL, clientId: env.FF_KEY, clientSecret: env.FF_SECRET }, version });
  await conn.authorize({ grant_type: 'client_credentials' });
  const Account = conn.sobject('Account');
  const out = {};

  const layouts = await Account.layouts();
  checkLayouts('Account.layouts()', layouts);
  checkLayouts('Account.layouts$()', await Account.layouts$());
  checkLayouts('Account.layouts$$()', Account.layouts$$());
  const l = layouts.layouts[0];
  out.account = {
    layouts: layouts.layouts.length,
    idPrefix: l.id.slice(0, 3),
    sections: l.detailLayoutSections.map((s) => s.heading),
    editSections: l.editLayoutSections.map((s) => s.heading),
    firstFields: fieldsOf(l)['Account Information'].slice(0, 3),
    buttons: l.buttonLayoutSection.detailButtons.map((b) => b.name),
    relatedLists: l.relatedLists.map((r) => r.name),
    recordTypes: layouts.recordTypeMappings.map((m) => m.recordTypeId),
    selector: layouts.recordTypeSelectorRequired,
  };

  const named = await conn.sobject('User').layouts('UserAlt');
  checkLayouts("User.layouts('UserAlt')", named);
  checkLayouts("User.layouts$('UserAlt')", await conn.sobject('User').layouts$('UserAlt'));
  checkLayouts("User.layouts$$('UserAlt')", conn.sobject('User').layouts$$('UserAlt'));
  out.userAlt = { layouts: named.layouts.length, firstSection: named.layouts[0].detailLayoutSections[0].heading };
  out.unknownNamed = await failure(() => conn.sobject('User').layouts('Nope'));

  const compact = await Account.compactLayouts();
  checkCompact('Account.compactLayouts()', compact);
  checkCompact('Account.compactLayouts$()', await Account.compactLayouts$());
  checkCompact('Account.compactLayouts$$()', Account.compactLayouts$$());
  out.compact = {
    name: compact.compactLayouts[0].name,
    fields: compact.compactLayouts[0].fieldItems.map((i) => i.layoutComponents[0].value),
    defaultCompactLayoutId: compact.defaultCompactLayoutId,
  };

  const approval = await Account.approvalLayouts();
  checkApproval('Account.approvalLayouts()', approval);
  checkApproval('Account.approvalLayouts$()', await Account.approvalLayouts$());
  checkApproval('Account.approvalLayouts$$()', Account.approvalLayouts$$());
  out.approval = approval;

  // The layout of the Master record type, as simple-salesforce's describe_layout asks it.
  const byType = await conn.request(`/services/data/v${version}/sobjects/Account/describe/layouts/012000000000000AAA`);
  out.byRecordType = { sameLayout: byType.id === l.id, sections: byType.detailLayoutSections.length };

  out.failed = failed;
  console.log(JSON.stringify(out));
}

main().catch((err) => {
  console.log(JSON.stringify({ error: String(err && (err.errorCode || err.name)), message: String(err && err.message), stack: String(err && err.stack) }));
  process.exitCode = 1;
});
