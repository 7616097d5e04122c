// Logs in to a Forcefield server with jsforce 3 the way integrations do, then makes two
// authenticated calls. Driven by internal/server/e2e_jsforce_test.go; prints one JSON line.
//
// Environment: FF_URL (login URL), FF_FLOW (jwt | password | client_credentials),
// FF_KEY and FF_SECRET (consumer key and secret), FF_USERNAME, FF_PASSWORD (password +
// security token), FF_PRIVATE_KEY (PEM private key file, for jwt).
'use strict';
const crypto = require('node:crypto');
const fs = require('node:fs');
const jsforce = require('jsforce');

const env = process.env;

// signJWT builds the assertion as sfdx-core does with jsonwebtoken: header
// {"alg":"RS256","typ":"JWT"}, exp = Date.now() + 300 (milliseconds, as sf sends it), iat
// in seconds, aud = the login URL.
function signJWT() {
  const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
  const input = b64({ alg: 'RS256', typ: 'JWT' }) + '.' + b64({
    iss: env.FF_KEY, sub: env.FF_USERNAME, aud: env.FF_URL,
    exp: Date.now() + 300, iat: Math.floor(Date.now() / 1000),
  });
  const sig = crypto.sign('RSA-SHA256', Buffer.from(input), fs.readFileSync(env.FF_PRIVATE_KEY));
  return input + '.' + sig.toString('base64url');
}

async function main() {
  let conn;
  switch (env.FF_FLOW) {
    case 'jwt': {
      // sfdx-core's JWT login: an OAuth2 with the consumer key, then authorize with the grant.
      const oauth2 = new jsforce.OAuth2({ loginUrl: env.FF_URL, clientId: env.FF_KEY });
      conn = new jsforce.Connection({ oauth2 });
      await conn.authorize({ grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: signJWT() });
      break;
    }
    case 'password': {
      // With clientId and clientSecret set, login() uses the OAuth 2.0 password grant.
      conn = new jsforce.Connection({ oauth2: { loginUrl: env.FF_URL, clientId: env.FF_KEY, clientSecret: env.FF_SECRET } });
      await conn.login(env.FF_USERNAME, env.FF_PASSWORD);
      break;
    }
    case 'client_credentials': {
      conn = new jsforce.Connection({ oauth2: { loginUrl: env.FF_URL, clientId: env.FF_KEY, clientSecret: env.FF_SECRET } });
      await conn.authorize({ grant_type: 'client_credentials' });
      break;
    }
    default:
      throw new Error('FF_FLOW must be jwt, password or client_credentials');
  }
  const identity = await conn.identity();
  const limits = await conn.request('/services/data/v59.0/limits');
  console.log(JSON.stringify({
    userId: conn.userInfo.id, orgId: conn.userInfo.organizationId, instanceUrl: conn.instanceUrl,
    username: identity.username, dailyApiRequests: limits.DailyApiRequests && limits.DailyApiRequests.Max,
  }));
}

main().catch((err) => {
  console.log(JSON.stringify({ error: String(err && (err.errorCode || err.name)), message: String(err && err.message) }));
  process.exitCode = 1;
});
