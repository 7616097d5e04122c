"""Drives simple-salesforce 1.12.10 against a Forcefield HTTPS listener.

simple-salesforce builds every REST URL as https://{instance} (salesforce-rest.md §8.3), so
this runs against `forcefield serve --tls-addr` with REQUESTS_CA_BUNDLE naming the
server's certificate. Driven by internal/server/e2e_simplesalesforce_test.go; prints one
JSON summary without IDs.

Environment: FF_HTTPS (https://127.0.0.1:PORT), FF_URL (the plain-HTTP admin URL),
FF_ADMIN_TOKEN, FF_KEY / FF_SECRET (a client-credentials app), FF_USERNAME (its run-as
user), FF_TOKEN (an access token for direct mode), FF_SCENARIO (session | data).
"""
import json
import os
import sys
import urllib.request

from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceExpiredSession

env = os.environ


def revoke_sessions():
    """Ends the run-as user's sessions through Forcefield's admin API (plain HTTP)."""
    req = urllib.request.Request(
        env['FF_URL'] + '/forcefield/admin/users/' + urllib.request.quote(env['FF_USERNAME']) + '/sessions',
        method='DELETE', headers={'Authorization': 'Bearer ' + env['FF_ADMIN_TOKEN']})
    with urllib.request.urlopen(req) as resp:
        if resp.status != 200:
            raise RuntimeError('revoke: %d' % resp.status)


def data_scenario(sf, out):
    created = sf.Account.create({'Name': 'SSF single'})
    rid = created['id']
    upd = sf.Account.update(rid, {'Name': 'SSF renamed'})
    got = sf.Account.get(rid)
    q = sf.query("SELECT Id, Name FROM Account WHERE Name = 'SSF renamed'")
    dele = sf.Account.delete(rid)
    after = sf.query("SELECT Id FROM Account WHERE Name = 'SSF renamed'")
    out['dml'] = {
        'create': {'success': created['success'], 'idPrefix': rid[:3]},
        'update': upd, 'get': got['Name'], 'query': [r['Name'] for r in q['records']],
        'delete': dele, 'afterDelete': after['totalSize'],
    }
    up1 = sf.Invoice__c.upsert('ExtId__c/INV-9', {'Amount__c': 5})
    up2 = sf.Invoice__c.upsert('ExtId__c/INV-9', {'Amount__c': 6})
    inv = sf.query("SELECT ExtId__c, Amount__c FROM Invoice__c WHERE ExtId__c = 'INV-9'")
    out['upsert'] = {'first': up1, 'second': up2,
                     'records': [{'ExtId__c': r['ExtId__c'], 'Amount__c': r['Amount__c']} for r in inv['records']]}
    for i in range(0, 450, 150):
        res = sf.restful('composite/sobjects', method='POST', data=json.dumps({
            'allOrNone': True,
            'records': [{'attributes': {'type': 'Account'}, 'Name': 'SSF bulk %03d' % n} for n in range(i, i + 150)]}))
        if not all(r['success'] for r in res):
            raise RuntimeError('collection insert failed: %r' % res)
    # batchSize=200: query_all follows nextRecordsUrl across three pages.
    allq = sf.query_all("SELECT Id, Name FROM Account WHERE Name LIKE 'SSF bulk %' ORDER BY Name",
                        headers={'Sforce-Query-Options': 'batchSize=200'})
    out['queryAll'] = {'totalSize': allq['totalSize'], 'records': len(allq['records']),
                       'first': allq['records'][0]['Name'], 'last': allq['records'][-1]['Name']}


def main():
    out = {}
    https = env['FF_HTTPS']
    # Direct mode: instance URL and session id; no call up front (§8.3 (a)).
    direct = Salesforce(instance_url=https, session_id=env['FF_TOKEN'], version='59.0')
    out['directInstance'] = direct.sf_instance
    limits = direct.limits()
    out['limits'] = {'hasDailyApiRequests': 'DailyApiRequests' in limits}

    # Client credentials through the domain trick (§8.3 (a)): the token request goes to
    # https://HOST:PORT/services/oauth2/token?x=.salesforce.com/..., and the instance URL
    # the server answers over TLS must be https on the same listener.
    host = https[len('https://'):]
    cc = Salesforce(consumer_key=env['FF_KEY'], consumer_secret=env['FF_SECRET'],
                    domain=host + '/services/oauth2/token?x=', version='59.0')
    out['ccInstance'] = cc.sf_instance
    out['ccLimits'] = 'DailyApiRequests' in cc.limits()

    if env.get('FF_SCENARIO') == 'data':
        data_scenario(direct, out)

    revoke_sessions()
    try:
        direct.limits()
        out['directAfterRevoke'] = 'no error'
    except SalesforceExpiredSession as e:
        out['directAfterRevoke'] = type(e).__name__ + ': ' + str(e.content[0]['errorCode']) + ' ' + e.content[0]['message']
    # The client-credentials instance logs in again and retries (§8.3 (f)).
    out['ccAfterRevoke'] = 'DailyApiRequests' in cc.limits()
    print(json.dumps(out))


if __name__ == '__main__':
    try:
        main()
    except Exception as e:  # one JSON line either way, for the Go test
        print(json.dumps({'error': type(e).__name__, 'message': str(e)}))
        sys.exit(1)
