"""Drives simple-salesforce 1.12.10's describe_layout against a Forcefield HTTPS listener.

`sf.Account.describe_layout(record_type_id)` sends
GET …/sobjects/Account/describe/layouts/{recordTypeId} (salesforce-rest-more.md §3.2). Run by
internal/server/e2e_simplesalesforce_layouts_test.go; prints one JSON summary without IDs.

Environment: FF_HTTPS (https://127.0.0.1:PORT), FF_TOKEN (an access token), and
REQUESTS_CA_BUNDLE naming the server's certificate.
"""
import json
import os
import sys

from simple_salesforce import Salesforce
from simple_salesforce.exceptions import SalesforceResourceNotFound

env = os.environ


def main():
    sf = Salesforce(instance_url=env['FF_HTTPS'], session_id=env['FF_TOKEN'], version='59.0')
    out = {}
    layout = sf.Account.describe_layout('012000000000000AAA')
    out['master'] = {
        'idPrefix': layout['id'][:3],
        'sections': [s['heading'] for s in layout['detailLayoutSections']],
        'firstItem': layout['detailLayoutSections'][0]['layoutRows'][0]['layoutItems'][0]['label'],
        'buttons': [b['name'] for b in layout['buttonLayoutSection']['detailButtons']],
    }
    # The same layout under its 15-character record type ID.
    out['shortId'] = sf.Account.describe_layout('012000000000000')['id'] == layout['id']
    try:
        sf.Account.describe_layout('012000000000001AAA')
        out['unknown'] = 'no error'
    except SalesforceResourceNotFound as e:
        out['unknown'] = type(e).__name__ + ': ' + e.content[0]['errorCode'] + ' ' + e.content[0]['message']
    print(json.dumps(out))


if __name__ == '__main__':
    try:
        main()
    except Exception as e:  # one JSON line either way, for the Go test
        print(json.dumps({'error': type(e).__name__, 'message': str(e)}))
        sys.exit(1)
