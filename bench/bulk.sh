#!/usr/bin/env bash
# Measures Bulk API 2.0 against the REST data API in the same run (issue 9 §6) and prints
# medians. The server is the release build on a temporary SQLite file with bench/data.yaml.
# Per round (N records each; records of round r are named C<r>… for collections, B<r>…
# for Bulk, so every load and query touches exactly N records; the order alternates by
# round, since the table grows):
#   a. collections insert of N Accounts (6 columns), 200 a request, CONNS_LOAD (8) in
#      flight (bench/bulkload collections, as bench/dataload) → records/s;
#   b. one Bulk 2.0 insert job of the same N records (create, PUT the CSV streamed,
#      UploadComplete, poll every 100 ms until JobComplete, timed from the create)
#      → records/s, with the server's VmRSS before and its maximum while the job ran
#      (sampled every 50 ms from /proc/PID/status) and VmHWM after (reset before the job);
# then per round, over the N records of the first Bulk load (Name range B1…):
#   c. SELECT … paged through /query, following nextRecordsUrl → records/s; each page
#      runs the query again from its offset (sorting the whole result), so paging a large
#      result takes too long: QSECS (default 60; 0 = to the end) stops after the page that
#      ends past that many seconds, and the rate is over the pages fetched ("partial").
#      Pages only get slower further on, so a partial rate overstates /query and the
#      ratio d/c is a lower bound;
#   d. the same SOQL as a Bulk 2.0 query job, every results page (default maxRecords)
#      following Sforce-Locator to "null", timed from the create → records/s, RSS as in b;
# and per round, with wrk (-t1, CONNS connections, SECS seconds):
#   e. token issuance (client credentials) and GET sobjects/Account/{id}, alone and while a
#      Bulk 2.0 insert job of LOADN (default N) more records runs (wrk starts once the
#      upload is complete; the line says whether the job was still running at the end).
# Usage: bench/bulk.sh [ROUNDS] [SECS]   (defaults 3 rounds, 5 s of wrk). Needs wrk.
# N=100000 bench/bulk.sh 1 3 for a quick run; DEBUG_ADDR=127.0.0.1:6060 serves pprof.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
SECS=${2:-5}
N=${N:-1000000}
LOADN=${LOADN:-$N}
QSECS=${QSECS:-60}
CONNS=${CONNS:-64}
CONNS_LOAD=${CONNS_LOAD:-8}
PORT=${PORT:-18480}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 1; }

go build -o "$work/forcefield" ./cmd/forcefield
go build -o "$work/bulkload" ./bench/bulkload

wrk_run() { # C URL [args…] → "req/s p50_ms p99_ms"; fails on any non-2xx answer
  local c=$1 url=$2; shift 2
  wrk -t1 -c"$c" -d"${SECS}s" --timeout 10s --latency "$@" "$url" > "$work/wrk.out"
  awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=$4}
       function ms(x) { if (x ~ /us$/) return x/1000; if (x ~ /ms$/) return x+0; if (x ~ /s$/) return x*1000; return x }
       END { if (bad != "") { print "non-2xx responses: " bad > "/dev/stderr"; exit 1 }; printf "%.0f %.3f %.3f\n", rps, ms(p50), ms(p99) }' "$work/wrk.out"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
col() { cut -d' ' -f"$1" "$2"; }
status() { awk -v k="$1:" '$1 == k {print $2}' /proc/$spid/status; }

echo "machine at start: $(uptime)"
debug=(); [ -n "${DEBUG_ADDR:-}" ] && debug=(--debug-addr "$DEBUG_ADDR")
"$work/forcefield" serve --addr 127.0.0.1:$PORT --db "$work/data.db" --org-file bench/data.yaml --log-level warn "${debug[@]}" >/dev/null 2>"$work/server.log" &
spid=$!
for _ in $(seq 100); do curl -fs -o /dev/null http://127.0.0.1:$PORT/services/data && break; sleep 0.1; done
token=$(curl -fs http://127.0.0.1:$PORT/services/oauth2/token -d grant_type=client_credentials \
  -d client_id=BenchDataKey01 -d client_secret=BenchDataSecret01 | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
export FF_TOKEN=$token FF_IDS=$work/ids FF_KEY=BenchDataKey01 FF_SECRET=BenchDataSecret01
: > "$work/ids"
bl() { "$work/bulkload" -url http://127.0.0.1:$PORT -token "$token" "$@"; }

# a, b: loads. A line of ingest.txt: records seconds rec/s rss_start_kb rss_max_kb hwm_after_kb
: > "$work/coll"; : > "$work/ingest"
for r in $(seq "$ROUNDS"); do
  coll() { bl -prefix "C$r" -from 0 -to "$N" -conns "$CONNS_LOAD" -ids "$work/ids" -every $(( N / 10000 > 0 ? N / 10000 : 1 )) collections >> "$work/coll"; }
  ingest() {
    echo 5 > /proc/$spid/clear_refs
    bl -prefix "B$r" -from 0 -to "$N" -pid $spid ingest | tr '\n' ' ' >> "$work/ingest"
    status VmHWM >> "$work/ingest"
  }
  if [ $((r % 2)) = 1 ]; then coll; ingest; else ingest; coll; fi
  echo "round $r: collections $(tail -1 "$work/coll") | bulk ingest $(tail -1 "$work/ingest")" >&2
done

# c, d: queries over the N records named B1…
q="SELECT Id, Name, NumberOfEmployees, AnnualRevenue, Phone, Website, Industry FROM Account WHERE Name >= 'B1' AND Name < 'B2'"
: > "$work/rest"; : > "$work/bq"
for r in $(seq "$ROUNDS"); do
  rq() { bl -q "$q" -want "$N" -maxsecs "$QSECS" query >> "$work/rest"; }
  bq() { echo 5 > /proc/$spid/clear_refs; bl -q "$q" -want "$N" -pid $spid bulkquery | tr '\n' ' ' >> "$work/bq"; status VmHWM >> "$work/bq"; }
  if [ $((r % 2)) = 1 ]; then rq; bq; else bq; rq; fi
  echo "round $r: /query $(tail -1 "$work/rest") | bulk query $(tail -1 "$work/bq")" >&2
done

# e: token and GET by Id, alone and during a Bulk ingest job
: > "$work/tok"; : > "$work/get"; : > "$work/tokb"; : > "$work/getb"; : > "$work/during"
for r in $(seq "$ROUNDS"); do
  wrk_run "$CONNS" http://127.0.0.1:$PORT/services/oauth2/token -s bench/token.lua >> "$work/tok"
  wrk_run "$CONNS" http://127.0.0.1:$PORT/ -s bench/getid.lua >> "$work/get"
  rm -f "$work/up" "$work/done"
  bl -prefix "L$r" -from 0 -to "$LOADN" -mark "$work/up" -done "$work/done" ingest > "$work/load.out" &
  lpid=$!
  while [ ! -e "$work/up" ]; do kill -0 $lpid 2>/dev/null || { echo "load job failed" >&2; exit 1; }; sleep 0.05; done
  wrk_run "$CONNS" http://127.0.0.1:$PORT/services/oauth2/token -s bench/token.lua >> "$work/tokb"
  wrk_run "$CONNS" http://127.0.0.1:$PORT/ -s bench/getid.lua >> "$work/getb"
  if [ -e "$work/done" ]; then echo "no" >> "$work/during"; else echo "yes" >> "$work/during"; fi
  wait $lpid
  echo "round $r: token $(tail -1 "$work/tok") / during $(tail -1 "$work/tokb") | GET $(tail -1 "$work/get") / during $(tail -1 "$work/getb") | job running to the end: $(tail -1 "$work/during") | job $(cat "$work/load.out")" >&2
done

rate() { printf "%-46s %9s records/s   (rounds: %s)\n" "$1" "$(col 3 "$2" | median)" "$(col 3 "$2" | tr '\n' ' ')"; }
rss() { # name file: RSS columns 4 5 6 in kB
  printf "%-46s RSS growth %s MB max (rounds: %s); VmHWM after − VmRSS before: %s MB\n" "$1" \
    "$(awk '{print int(($5-$4)/1024)}' "$2" | median)" "$(awk '{printf "%d ", ($5-$4)/1024}' "$2")" \
    "$(awk '{print int(($6-$4)/1024)}' "$2" | median)"
}
wr() { printf "%-46s %8s req/s   p50 %8s ms   p99 %8s ms   (rounds: %s)\n" "$1" "$(col 1 "$2" | median)" "$(col 2 "$2" | median)" "$(col 3 "$2" | median)" "$(col 1 "$2" | tr '\n' ' ')"; }
echo "== N = $N records, medians of $ROUNDS rounds, $(nproc) cores"
rate "a. collections insert (200/request, $CONNS_LOAD in flight)" "$work/coll"
rate "b. Bulk 2.0 ingest job (create → JobComplete)" "$work/ingest"
rss "   Bulk 2.0 ingest" "$work/ingest"
rate "c. /query paging (nextRecordsUrl)" "$work/rest"
grep -q partial "$work/rest" && echo "   (partial: records paged in ~${QSECS} s: $(col 1 "$work/rest" | tr '\n' ' '))"
rate "d. Bulk 2.0 query job (create → last page)" "$work/bq"
rss "   Bulk 2.0 query" "$work/bq"
awk -v a="$(col 3 "$work/coll" | median)" -v b="$(col 3 "$work/ingest" | median)" -v c="$(col 3 "$work/rest" | median)" -v d="$(col 3 "$work/bq" | median)" \
  'BEGIN { printf "ingest / collections: %.2f (target ≥ 2); bulk query / /query: %.2f (target ≥ 3)\n", b/a, d/c }'
wr "e. token issuance, alone ($CONNS conns)" "$work/tok"
wr "   token issuance, during a Bulk ingest job" "$work/tokb"
wr "   GET sobjects/Account/{id}, alone" "$work/get"
wr "   GET sobjects/Account/{id}, during a job" "$work/getb"
echo "   job still running when wrk ended: $(tr '\n' ' ' < "$work/during")"
awk -v t="$(col 1 "$work/tok" | median)" -v tb="$(col 1 "$work/tokb" | median)" -v g="$(col 1 "$work/get" | median)" -v gb="$(col 1 "$work/getb" | median)" \
  'BEGIN { printf "during / alone: token %.2f, GET by Id %.2f\n", tb/t, gb/g }'
echo "Accounts at the end: $(curl -fsG http://127.0.0.1:$PORT/services/data/v59.0/query -H "Authorization: Bearer $token" \
  --data-urlencode 'q=SELECT COUNT() FROM Account' | sed -n 's/.*"totalSize":\([0-9]*\).*/\1/p')"
echo "machine at end: $(uptime)"
