"""simple-salesforce 1.12.10, unmodified, logging in at its hard-coded login hosts.

simple-salesforce has no login URL setting: `domain` ('login' by default, or 'test') becomes
https://{domain}.salesforce.com (the webflow reference §6.4, §7.1). Driven by
internal/server/e2e_loginhosts_linux_test.go inside a network namespace whose /etc/hosts maps
login.salesforce.com, test.salesforce.com and the org's My Domain to a Forcefield on
127.0.0.1:443, with REQUESTS_CA_BUNDLE naming the CA of `forcefield tls-cert --salesforce`.
Prints one JSON summary.

Environment: FF_USERNAME, FF_PASSWORD, FF_SECURITY_TOKEN, FF_KEY, FF_SECRET.
"""
import json
import os

import requests
from simple_salesforce import Salesforce

env = os.environ
out = {}

# The username-password OAuth flow at https://login.salesforce.com (the default domain).
# With security_token simple-salesforce takes the SOAP login instead, so the token is
# appended to the password, as its documentation says for the OAuth flow.
password = env['FF_PASSWORD'] + env['FF_SECURITY_TOKEN']
sf = Salesforce(username=env['FF_USERNAME'], password=password,
                consumer_key=env['FF_KEY'], consumer_secret=env['FF_SECRET'], version='59.0')
created = sf.Account.create({'Name': 'Login host'})
got = sf.Account.get(created['id'])
out['login'] = {
    'sf_instance': sf.sf_instance,
    'limits': 'DailyApiRequests' in sf.limits(),
    'account': got['Name'],
}

# The same at https://test.salesforce.com (domain='test').
sb = Salesforce(username=env['FF_USERNAME'], password=password,
                consumer_key=env['FF_KEY'], consumer_secret=env['FF_SECRET'], version='59.0', domain='test')
q = sb.query("SELECT Name FROM Account WHERE Name = 'Login host'")
out['test'] = {'sf_instance': sb.sf_instance, 'query': [r['Name'] for r in q['records']]}

# Client credentials at the login host, as requests sends them: Salesforce's refusal.
r = requests.post('https://login.salesforce.com/services/oauth2/token',
                  data={'grant_type': 'client_credentials', 'client_id': env['FF_KEY'], 'client_secret': env['FF_SECRET']})
out['clientCredentialsAtLogin'] = {'status': r.status_code, 'body': r.json()}

print(json.dumps(out))
