// Drives jsforce 3's conn.limits() against a Forcefield server and checks what jsforce's
// own integration test asserts (salesforce-rest-more.md §0): DataStorageMB, FileStorageMB
// and DailyApiRequests are objects with Max > 0 and Remaining >= 0, and conn.limitInfo's
// apiUsage.used > 0 (from Sforce-Limit-Info). Prints one JSON line.
//
// Environment: FF_URL (login URL), FF_KEY / FF_SECRET (a client-credentials app).
'use strict';
const jsforce = require('jsforce');

const env = process.env;

async function main() {
  const conn = new jsforce.Connection({ oauth2: { loginUrl: env.FF_URL, clientId: env.FF_KEY, clientSecret: env.FF_SECRET }, version: '59.0' });
  await conn.authorize({ grant_type: 'client_credentials' });
  const limits = await conn.limits();
  const ok = (l) => typeof l === 'object' && l.Max > 0 && l.Remaining >= 0;
  const out = {
    dataStorage: ok(limits.DataStorageMB),
    fileStorage: ok(limits.FileStorageMB),
    dailyApiRequests: ok(limits.DailyApiRequests),
    apiUsed: conn.limitInfo && conn.limitInfo.apiUsage ? conn.limitInfo.apiUsage.used > 0 : false,
    apiLimit: conn.limitInfo && conn.limitInfo.apiUsage ? conn.limitInfo.apiUsage.limit : 0,
    DataStorageMB: limits.DataStorageMB,
    FileStorageMB: limits.FileStorageMB,
  };
  process.stdout.write(JSON.stringify(out) + '\n');
}

main().catch((err) => {
  process.stdout.write(JSON.stringify({ error: String(err.errorCode || err.name), message: String(err.message) }) + '\n');
  process.exit(1);
});
