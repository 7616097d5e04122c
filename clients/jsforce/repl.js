// A jsforce 3 connection driven line by line from stdin, so a Go test can change the
// server between two calls (expire the session, inject a fault) and see what jsforce
// does. Driven by internal/server/e2e_kit_jsforce_test.go.
//
// Environment: FF_URL (login URL), FF_KEY / FF_SECRET (a client-credentials app),
// FF_REFRESH (default "client_credentials": on INVALID_SESSION_ID, get a new token with the
// client credentials flow through jsforce's refreshFn hook; "none": jsforce's default,
// which for this flow has no refresh token to use).
//
// Commands, one per line: "login", or "query <SOQL>". Each prints one JSON line:
// {"ok":true,"totalSize":n,"names":[...],"refreshes":k} or
// {"ok":false,"errorCode":"…","name":"…","message":"…","refreshes":k}.
'use strict';
const readline = require('node:readline');
const jsforce = require('jsforce');

const env = process.env;
let refreshes = 0;

// refreshFn is how a jsforce integration re-authenticates a client-credentials connection:
// jsforce calls it once for all the requests that got 401 INVALID_SESSION_ID, then retries
// them with the new token.
async function clientCredentialsRefresh(conn, callback) {
  try {
    const res = await conn.oauth2.requestToken({ grant_type: 'client_credentials' });
    refreshes++;
    callback(undefined, res.access_token, res);
  } catch (err) {
    callback(err);
  }
}

const conn = new jsforce.Connection({
  oauth2: { loginUrl: env.FF_URL, clientId: env.FF_KEY, clientSecret: env.FF_SECRET },
  version: '62.0',
  refreshFn: (env.FF_REFRESH || 'client_credentials') === 'none' ? undefined : clientCredentialsRefresh,
});

async function run(line) {
  const [cmd, ...rest] = line.split(' ');
  switch (cmd) {
    case 'login':
      await conn.authorize({ grant_type: 'client_credentials' });
      return { ok: true };
    case 'query': {
      const res = await conn.query(rest.join(' '));
      return { ok: true, totalSize: res.totalSize, names: res.records.map((r) => r.Name) };
    }
    default:
      throw new Error('unknown command ' + cmd);
  }
}

const rl = readline.createInterface({ input: process.stdin });
(async () => {
  for await (const line of rl) {
    let out;
    try {
      out = await run(line.trim());
    } catch (err) {
      out = { ok: false, errorCode: String(err.errorCode || ''), name: String(err.name || ''), message: String(err.message) };
    }
    out.refreshes = refreshes;
    process.stdout.write(JSON.stringify(out) + '\n');
  }
})();
