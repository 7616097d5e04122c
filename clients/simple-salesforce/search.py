"""Drives simple-salesforce 1.12.10's search and quick_search (SOSL,
salesforce-rest-more.md §0 and §1) against a Forcefield HTTPS listener. Driven by
internal/server/e2e_search_test.go; prints one JSON summary without IDs.

simple-salesforce sends GET search/?q=… with requests' encoding, a space as +.

Environment: FF_HTTPS (https://127.0.0.1:PORT), FF_TOKEN (an access token).
"""
import json
import os
import sys

from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceMalformedRequest

env = os.environ


def main():
    out = {}
    sf = Salesforce(instance_url=env['FF_HTTPS'], session_id=env['FF_TOKEN'], version='59.0')
    for name, phone in (('SSF SampleOne', '(415) 555-0100'), ('SSF SampleTwo', None), ('Other Corp', None)):
        sf.Account.create({'Name': name, 'Phone': phone})
    res = sf.search('FIND {Sample} IN NAME FIELDS RETURNING Account(Name, Phone ORDER BY Name)')
    out['search'] = [{k: v for k, v in r.items() if k != 'attributes'} | {'type': r['attributes']['type']}
                     for r in res['searchRecords']]
    out['searchKeys'] = [list(r.keys()) for r in res['searchRecords']]
    quick = sf.quick_search('Other')
    out['quick'] = [(r['attributes']['type'], sorted(r.keys())) for r in quick['searchRecords']]
    out['none'] = sf.search('FIND {Nothingmatches}')
    try:
        sf.search('FIND {x}')
        out['error'] = 'no error'
    except SalesforceMalformedRequest as e:
        out['error'] = [e.status, e.content[0]['errorCode'], e.content[0]['message']]
    print(json.dumps(out))


if __name__ == '__main__':
    try:
        main()
    except Exception as e:  # one JSON line either way, for the Go test
        print(json.dumps({'error': type(e).__name__, 'message': str(e)}))
        sys.exit(1)
