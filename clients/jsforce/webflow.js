// The web server flow with jsforce 3 the way a web app uses it: getAuthorizationUrl, the
// user's browser logs in and approves, authorize(code), API calls; then the access token is
// revoked and jsforce must refresh by itself with its refresh token
// (salesforce-webflow.md §6.2). Driven by internal/server/e2e_browser_jsforce_test.go.
//
// Protocol: one JSON line on stdout {"step":"authorize","url":…}; the test's browser
// completes the login and sends the code back as one line on stdin; then one JSON line
// {"step":"done",…} (or {"error":…,"message":…}).
//
// Environment: FF_URL (login URL), FF_KEY, FF_SECRET, FF_CALLBACK (redirect URI), FF_STATE.
'use strict';
const readline = require('node:readline');
const jsforce = require('jsforce');

const env = process.env;
const out = (o) => console.log(JSON.stringify(o));

async function main() {
  const lines = readline.createInterface({ input: process.stdin })[Symbol.asyncIterator]();
  // useVerifier: PKCE as sfdx-core uses it — an S256 challenge without
  // code_challenge_method, and code_verifier on every token call, refreshes included.
  const oauth2 = new jsforce.OAuth2({
    loginUrl: env.FF_URL, clientId: env.FF_KEY, clientSecret: env.FF_SECRET,
    redirectUri: env.FF_CALLBACK, useVerifier: true,
  });
  out({ step: 'authorize', url: oauth2.getAuthorizationUrl({ state: env.FF_STATE, scope: 'api id refresh_token' }) });
  const { value: code, done } = await lines.next();
  if (done) throw new Error('no authorization code on stdin');

  const conn = new jsforce.Connection({ oauth2 });
  const refreshes = [];
  conn.on('refresh', (accessToken) => refreshes.push(accessToken));
  const userInfo = await conn.authorize(code.trim());
  const firstToken = conn.accessToken;
  const first = await conn.query('SELECT Id, Name FROM Account ORDER BY Name');

  // Revoke the access token only (salesforce-webflow.md §4.7): the refresh token lives on.
  await oauth2.revokeToken(firstToken);
  // The next call gets 401 INVALID_SESSION_ID; jsforce refreshes and replays it.
  const second = await conn.query('SELECT Id, Name FROM Account ORDER BY Name');
  const identity = await conn.identity();
  out({
    step: 'done', userId: userInfo.id, orgId: userInfo.organizationId, instanceUrl: conn.instanceUrl,
    firstToken, secondToken: conn.accessToken, refreshToken: conn.refreshToken, refreshes: refreshes.length,
    firstNames: first.records.map((r) => r.Name), secondNames: second.records.map((r) => r.Name),
    username: identity.username,
  });
}

main().then(() => process.exit(0)).catch((err) => {
  out({ error: String(err && (err.errorCode || err.name)), message: String(err && err.message) });
  process.exit(1);
});
