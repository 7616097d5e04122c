// Logs in on one Forcefield node and works on another, as a client behind a load balancer
// that sends its requests to any node does. Driven by internal/server/e2e_nodes_test.go;
// prints one JSON line.
//
// Environment: FF_URL (the node to log in on), FF_DATA_URL (the node for data calls),
// FF_KEY / FF_SECRET (a client-credentials app with Account access).
'use strict';
const jsforce = require('jsforce');

const env = process.env;
const version = '59.0';

async function main() {
  const login = new jsforce.Connection({ oauth2: { loginUrl: env.FF_URL, clientId: env.FF_KEY, clientSecret: env.FF_SECRET }, version });
  await login.authorize({ grant_type: 'client_credentials' });
  // The token only, on the other node: what jsforce does with a stored session.
  const conn = new jsforce.Connection({ instanceUrl: env.FF_DATA_URL, accessToken: login.accessToken, version });
  const created = await conn.sobject('Account').create({ Name: 'Node jsforce' });
  const back = await conn.sobject('Account').retrieve(created.id);
  const res = await conn.query("SELECT Id, Name FROM Account WHERE Name LIKE 'Node %' ORDER BY Name",
    { autoFetch: true, maxFetch: 10000, headers: { 'Sforce-Query-Options': 'batchSize=200' } });
  const identity = await conn.identity();
  console.log(JSON.stringify({
    loginInstance: login.instanceUrl, created: created.success === true, retrieved: back.Name,
    totalSize: res.totalSize, fetched: res.records.length, username: identity.username,
  }));
}

main().catch((err) => {
  console.log(JSON.stringify({ error: String(err && (err.errorCode || err.name)), message: String(err && err.message) }));
  process.exitCode = 1;
});
