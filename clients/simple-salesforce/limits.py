"""Drives simple-salesforce 1.12.10's limits calls against a Forcefield HTTPS listener.

sf.limits() (GET limits/) and sf.restful('limits/recordCount', params={'sObjects': …})
(salesforce-rest-more.md §0, §5.3-§5.4), in direct mode with an access token. Driven by
internal/server/e2e_limits_clients_test.go; prints one JSON summary.

Environment: FF_HTTPS (https://127.0.0.1:PORT), FF_TOKEN (an access token).
"""
import json
import os

from simple_salesforce import Salesforce

env = os.environ
sf = Salesforce(instance_url=env['FF_HTTPS'], session_id=env['FF_TOKEN'], version='59.0')
limits = sf.limits()
out = {
    # Every top-level value has Max and Remaining (what sf org list limits reads).
    'allMaxRemaining': all(set(v) >= {'Max', 'Remaining'} for v in limits.values()),
    'keys': len(limits),
    'DataStorageMB': limits['DataStorageMB'],
    'FileStorageMB': limits['FileStorageMB'],
    'DailyApiRequestsMax': limits['DailyApiRequests']['Max'],
    'DailyApiRequestsApps': sorted(k for k in limits['DailyApiRequests'] if k not in ('Max', 'Remaining')),
    'recordCount': sf.restful('limits/recordCount', params={'sObjects': 'Account'}),
    'recordCountTwo': sf.restful('limits/recordCount', params={'sObjects': 'Account,Contact'}),
}
print(json.dumps(out, sort_keys=True))
