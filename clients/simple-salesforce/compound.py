"""Compound address and location fields and FIELDS() through simple-salesforce 1.12.10.

Driven by internal/server/e2e_compound_test.go (TestSimpleSalesforceCompound) against a
Forcefield HTTPS listener, as run.py is; prints one JSON summary without IDs.

Environment: FF_HTTPS (https://127.0.0.1:PORT), FF_TOKEN (an access token).
"""
import json
import os
import sys

from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceMalformedRequest

env = os.environ


def plain(v):
    """OrderedDicts (simple-salesforce's records) as plain dicts, attributes dropped."""
    if isinstance(v, dict):
        return {k: plain(x) for k, x in v.items() if k != 'attributes'}
    if isinstance(v, list):
        return [plain(x) for x in v]
    return v


def main():
    sf = Salesforce(instance_url=env['FF_HTTPS'], session_id=env['FF_TOKEN'], version='59.0')
    out = {}
    sf.Account.create({'Name': 'SSF compound', 'BillingStreet': '560 Mission Street', 'BillingCity': 'San Francisco',
                       'BillingState': 'CA', 'BillingPostalCode': '94105', 'BillingCountry': 'United States'})
    q = sf.query("SELECT Name, BillingAddress FROM Account WHERE Name = 'SSF compound'")
    out['query'] = plain(q['records'])
    # The key order as received: lower-case keys, alphabetical.
    out['keys'] = list(q['records'][0]['BillingAddress'].keys())
    sf.Site__c.create({'Name': 'Office', 'Loc__Latitude__s': 37.775, 'Loc__Longitude__s': -122.418})
    out['location'] = plain(sf.query("SELECT Loc__c FROM Site__c")['records'])
    allq = sf.query("SELECT FIELDS(ALL) FROM Account WHERE Name = 'SSF compound' LIMIT 200")['records'][0]
    out['fieldsAll'] = {'BillingAddress' in allq, 'ShippingAddress' in allq, 'BillingCity' in allq} == {True}
    desc = {f['name']: f for f in sf.Account.describe()['fields']}
    out['describe'] = {k: desc['BillingAddress'][k] for k in ('type', 'soapType', 'createable', 'filterable')}
    try:
        sf.Account.create({'Name': 'X', 'BillingAddress': {'city': 'Paris'}})
        out['write'] = 'no error'
    except SalesforceMalformedRequest as e:
        out['write'] = e.content
    print(json.dumps(out))


if __name__ == '__main__':
    try:
        main()
    except Exception as e:  # one JSON line either way, for the Go test
        print(json.dumps({'error': type(e).__name__, 'message': str(e)}))
        sys.exit(1)
