"""Drives simple-salesforce 1.12.10's getUpdated/getDeleted (sf.Contact.updated and
.deleted) against a Forcefield HTTPS listener (salesforce-rest-more.md §2.1), with the
datetimes its README asks for (pytz.UTC, and datetime.timezone.utc) and with a naive one,
for which it sends a date ending in a bare "%3A". Driven by
internal/server/e2e_replication_clients_test.go; prints one JSON summary.

Environment: FF_HTTPS (https://127.0.0.1:PORT), FF_TOKEN (an access token for direct
mode), FF_START / FF_END (the window, ISO 8601 with +00:00).
"""
import json
import os
import sys
from datetime import datetime, timezone

import pytz
from simple_salesforce import Salesforce

env = os.environ


def main():
    sf = Salesforce(instance_url=env['FF_HTTPS'], session_id=env['FF_TOKEN'], version='59.0')
    start = datetime.fromisoformat(env['FF_START'])
    end = datetime.fromisoformat(env['FF_END'])
    naive_start, naive_end = start.replace(tzinfo=None), end.replace(tzinfo=None)
    out = {
        'updatedPytz': sf.Contact.updated(pytz.UTC.localize(naive_start), pytz.UTC.localize(naive_end)),
        'updatedNaive': sf.Contact.updated(naive_start, naive_end),
        'deletedTimezone': sf.Contact.deleted(naive_start.replace(tzinfo=timezone.utc), naive_end.replace(tzinfo=timezone.utc)),
        'deletedNaive': sf.Contact.deleted(naive_start, naive_end),
    }
    print(json.dumps(out))


if __name__ == '__main__':
    try:
        main()
    except Exception as e:  # one JSON line either way, for the Go test
        print(json.dumps({'error': type(e).__name__, 'message': str(e)}))
        sys.exit(1)
