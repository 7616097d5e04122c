"""Drives simple-salesforce 1.12.10's Bulk APIs against a Forcefield HTTPS listener.

Bulk API 2.0 (sf.bulk2, salesforce-bulk.md §7.3): insert 3,000 Accounts in jobs of 1,000
(awkward values, three invalid numbers), the successful / failed / unprocessed results of
each job, a query read in pages of 1,000, an upsert by the External ID Account.ExtKey__c, a
delete. Bulk API 1.0 (sf.bulk, §7.4): insert and query.

Driven by internal/server/e2e_bulk_simplesalesforce_test.go; prints one JSON summary
without IDs. Environment: FF_HTTPS (https://127.0.0.1:PORT), FF_TOKEN (an access token),
and REQUESTS_CA_BUNDLE naming the server's certificate.

simple-salesforce sleeps `wait` seconds (default 5) before its first poll and about that
long between polls; the calls here pass wait=0.1 (the parameter is annotated int but is
only given to time.sleep). sf.bulk.insert has no wait parameter: its batches are polled
every 5 s unless complete at the first look.
"""
import csv
import io
import json
import os
import sys
import tempfile
import time

from simple_salesforce import Salesforce

env = os.environ
WAIT = 0.1
N = 3000
AWKWARD = ['SSB "quoted"', 'SSB comma, inside', 'SSB line\nbreak', 'SSB ünïcødé ✓ 日本', "SSB semi; pipe | tab\t"]


def rows(text):
    """Parses a results CSV as simple-salesforce's own get_all_ingest_records does."""
    return list(csv.DictReader(io.StringIO(text)))


def bulk2(sf, out, timings):
    records = []
    for i in range(N):
        records.append({
            'Name': AWKWARD[i] if i < len(AWKWARD) else 'SSB %04d' % i,
            'NumberOfEmployees': 'n/a' if i % 1000 == 500 else str(i),
        })
    t0 = time.time()
    jobs = sf.bulk2.Account.insert(records=records, batch_size=1000, wait=WAIT)
    timings['insert'] = round(time.time() - t0, 2)
    ok, failed, unprocessed = [], [], []
    failed_columns = set()
    for job in jobs:
        ok += rows(sf.bulk2.Account.get_successful_records(job['job_id']))
        text = sf.bulk2.Account.get_failed_records(job['job_id'])
        failed += rows(text)
        failed_columns.add(tuple(next(csv.reader(io.StringIO(text)), [])))
        unprocessed += rows(sf.bulk2.Account.get_unprocessed_records(job['job_id']))
    names = {r['Name'] for r in ok}
    out['insert'] = {
        'jobs': [{k: v for k, v in j.items() if k != 'job_id'} for j in jobs],
        'successful': len(ok), 'created': sum(r['sf__Created'] == 'true' for r in ok),
        'idPrefixes': sorted({r['sf__Id'][:3] + ':' + str(len(r['sf__Id'])) for r in ok}),
        'awkward': [n in names for n in AWKWARD],
        'failed': sorted(([r['sf__Id'], r['sf__Error'], r['Name'], r['NumberOfEmployees']] for r in failed), key=lambda r: r[2]),
        'unprocessed': len(unprocessed),
        # The failedResults header of every job (one header: the jobs share the upload's).
        'failedColumns': list(failed_columns.pop()) if len(failed_columns) == 1 else sorted(failed_columns),
    }

    # Query in pages of 1,000: the generator yields each page's CSV text.
    t0 = time.time()
    pages = list(sf.bulk2.Account.query("SELECT Id, Name, NumberOfEmployees FROM Account WHERE Name LIKE 'SSB%'",
                                        max_records=1000, wait=WAIT))
    timings['query'] = round(time.time() - t0, 2)
    got = [r for p in pages for r in rows(p)]
    by_name = {r['Name']: r for r in got}
    out['query'] = {
        'pages': len(pages), 'records': len(got), 'columns': list(got[0].keys()) if got else [],
        'awkward': [n in by_name for n in AWKWARD],
        'employees': [by_name.get(n, {}).get('NumberOfEmployees') for n in ('SSB 0007', 'SSB 2999')],
    }

    # Upsert by the External ID: two new, then one update and one new.
    up1 = sf.bulk2.Account.upsert(records=[{'ExtKey__c': 'SS-1', 'Name': 'SSB up one'}, {'ExtKey__c': 'SS-2', 'Name': 'SSB up two'}],
                                  external_id_field='ExtKey__c', wait=WAIT)
    up2 = sf.bulk2.Account.upsert(records=[{'ExtKey__c': 'SS-2', 'Name': 'SSB up two bis'}, {'ExtKey__c': 'SS-3', 'Name': 'SSB up three'}],
                                  external_id_field='ExtKey__c', wait=WAIT)

    def created(jobs):
        return sorted('%s=%s' % (r['ExtKey__c'], r['sf__Created'])
                      for j in jobs for r in rows(sf.bulk2.Account.get_successful_records(j['job_id'])))
    ext = sf.query("SELECT ExtKey__c, Name FROM Account WHERE ExtKey__c != null ORDER BY ExtKey__c")
    out['upsert'] = {'first': created(up1), 'second': created(up2),
                     'records': ['%s %s' % (r['ExtKey__c'], r['Name']) for r in ext['records']]}

    # Delete the queried Accounts by Id.
    t0 = time.time()
    dele = sf.bulk2.Account.delete(records=[{'Id': r['Id']} for r in got], wait=WAIT)
    timings['delete'] = round(time.time() - t0, 2)
    left = sf.query("SELECT COUNT() FROM Account WHERE Name LIKE 'SSB%'")
    out['delete'] = {'jobs': [{k: v for k, v in j.items() if k != 'job_id'} for j in dele], 'remaining': left['totalSize']}


def formats(sf, out):
    """Jobs in other formats: an insert uploaded with ; and CRLF, a query answered with |
    and CRLF, and download() writing pages of two records to files."""
    from simple_salesforce.bulk2 import ColumnDelimiter, LineEnding
    names = ['SSX one; semi', 'SSX two, comma', 'SSX three | pipe', 'SSX four "q"', 'SSX five\nline']
    jobs = sf.bulk2.Account.insert(records=[{'Name': n} for n in names], column_delimiter=ColumnDelimiter.SEMICOLON,
                                   line_ending=LineEnding.CRLF, wait=WAIT)
    ok = sf.bulk2.Account.get_successful_records(jobs[0]['job_id'])
    pages = list(sf.bulk2.Account.query("SELECT Name FROM Account WHERE Name LIKE 'SSX%' ORDER BY Name",
                                        column_delimiter=ColumnDelimiter.PIPE, line_ending=LineEnding.CRLF, wait=WAIT))
    page = pages[0] if pages else ''
    with tempfile.TemporaryDirectory() as d:
        files = sf.bulk2.Account.download("SELECT Name FROM Account WHERE Name LIKE 'SSX%' ORDER BY Name", path=d,
                                          max_records=2, wait=WAIT)
        downloaded = []
        for f in files:
            with open(f['file'], encoding='utf-8', newline='') as fh:
                downloaded.append(fh.read())
    out['formats'] = {
        'insert': [{k: v for k, v in j.items() if k != 'job_id'} for j in jobs],
        # The results of a SEMICOLON/CRLF job, as sent.
        'successfulHeader': ok.split('\r\n', 1)[0],
        'pages': len(pages),
        'queryHeader': page.split('\r\n', 1)[0],
        'queryNames': [r['Name'] for r in csv.DictReader(io.StringIO(page, newline=''), delimiter='|')],
        'download': [{'records': f['number_of_records'], 'last': f['locator'] == ''} for f in files],
        'downloadedNames': [r['Name'] for text in downloaded for r in csv.DictReader(io.StringIO(text, newline=''))],
    }


def bulk1(sf, out, timings):
    t0 = time.time()
    data = [{'Name': 'SSB1 "quoted", ünï' if i == 0 else 'SSB1 %03d' % i, 'NumberOfEmployees': 'many' if i == 199 else i}
            for i in range(200)]
    res = sf.bulk.Account.insert(data, batch_size=100)
    timings['bulk1 insert'] = round(time.time() - t0, 2)
    good = [r for r in res if r.get('success')]
    bad = [r for r in res if not r.get('success')]
    t0 = time.time()
    q = sf.bulk.Account.query("SELECT Id, Name FROM Account WHERE Name LIKE 'SSB1%'", wait=WAIT)
    timings['bulk1 query'] = round(time.time() - t0, 2)
    names = sorted(r['Name'] for r in q)
    out['bulk1'] = {
        'insert': {'results': len(res), 'success': len(good), 'created': sum(bool(r.get('created')) for r in good),
                   'idPrefix': sorted({r['id'][:3] for r in good}),
                   'errors': [['%s: %s %s' % (e.get('statusCode'), e.get('message'), e.get('fields')) for e in r.get('errors', [])] for r in bad]},
        'query': {'records': len(q), 'first': names[0] if names else None, 'last': names[-1] if names else None,
                  'fields': sorted(k for k in (q[0].keys() if q else []) if k != 'attributes')},
    }


def main():
    out = {}
    timings = {}
    sf = Salesforce(instance_url=env['FF_HTTPS'], session_id=env['FF_TOKEN'], version='59.0')
    bulk2(sf, out, timings)
    formats(sf, out)
    bulk1(sf, out, timings)
    sys.stderr.write('timings (s): %s\n' % json.dumps(timings))
    print(json.dumps(out))


if __name__ == '__main__':
    try:
        main()
    except Exception as e:  # one JSON line either way, for the Go test
        print(json.dumps({'error': type(e).__name__, 'message': str(e)}))
        sys.exit(1)
