#!/usr/bin/env bash
# Measures the REST data API (issue 3 §8) with wrk against the minimal baseline handler
# measured in the same run (bench/baseline, as bench/run.sh), and prints medians.
#   1. Loads Accounts through the API (bench/dataload: sObject Collections, 200 a request)
#      up to each size of SIZES (default 10k, 100k, 1M), printing the load rate.
#   2. At each size, with one connection (service time, no queueing): the selective query
#      (indexed equality, 1 row), a range query returning 100 rows and one returning 2000
#      rows (bench/query.lua), next to the baseline at one connection.
#   3. At the largest size, with CONNS (64) connections: the selective query, GET of one
#      record by Id (bench/getid.lua) and collection inserts of 200 (bench/insert.lua), next
#      to the baseline at CONNS connections.
# Usage: bench/data.sh [ROUNDS] [SECONDS]  (defaults: 3 rounds of 5 s). Needs wrk.
# SIZES="1000 5000" for a smoke test; DEBUG_ADDR=127.0.0.1:6060 to serve pprof.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
SECS=${2:-5}
CONNS=${CONNS:-64}
SIZES=${SIZES:-10000 100000 1000000}
PORT=${PORT:-18380}
BPORT=${BPORT:-18381}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 1; }

go build -o "$work/forcefield" ./cmd/forcefield
go build -o "$work/baseline" ./bench/baseline
go build -o "$work/dataload" ./bench/dataload

# wrk_run C URL [args…] → prints "req/s p50_ms p99_ms"; fails on any non-2xx answer or
# on a "failed responses: N" line (bench/insert.lua) with N > 0.
wrk_run() {
  local c=$1 url=$2; shift 2
  wrk -t1 -c"$c" -d"${SECS}s" --timeout 10s --latency "$@" "$url" > "$work/wrk.out"
  awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=$4} /failed responses:/ {if ($3 > 0) bad=$3}
       /Socket errors/ {print "wrk: " $0 > "/dev/stderr"}
       function ms(x) { if (x ~ /us$/) return x/1000; if (x ~ /ms$/) return x+0; if (x ~ /s$/) return x*1000; return x }
       END { if (bad != "") { print "failed responses: " bad > "/dev/stderr"; exit 1 }; printf "%.0f %.3f %.3f\n", rps, ms(p50), ms(p99) }' "$work/wrk.out"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
report() { # name file [records per request]
  printf "%-44s %8s req/s   p50 %7s ms   p99 %7s ms   (rounds: %s)\n" "$1" "$(cut -d' ' -f1 "$2" | median)" \
    "$(cut -d' ' -f2 "$2" | median)" "$(cut -d' ' -f3 "$2" | median)" "$(cut -d' ' -f1 "$2" | tr '\n' ' ')"
}
# check SOQL TOTAL: the query answers totalSize TOTAL.
check() {
  local got
  got=$(curl -fsG "http://127.0.0.1:$PORT/services/data/v59.0/query" -H "Authorization: Bearer $token" --data-urlencode "q=$1" |
    sed -n 's/.*"totalSize":\([0-9]*\).*/\1/p')
  [ "$got" = "$2" ] || { echo "query $1: totalSize $got, want $2" >&2; exit 1; }
}

echo "machine at start: $(uptime)"
"$work/baseline" -addr 127.0.0.1:$BPORT &
debug=(); [ -n "${DEBUG_ADDR:-}" ] && debug=(--debug-addr "$DEBUG_ADDR")
"$work/forcefield" serve --addr 127.0.0.1:$PORT --db "$work/data.db" --org-file bench/data.yaml --log-level warn "${debug[@]}" >/dev/null 2>"$work/server.log" &
for _ in $(seq 100); do curl -fs -o /dev/null http://127.0.0.1:$PORT/services/data && break; sleep 0.1; done
token=$(curl -fs http://127.0.0.1:$PORT/services/oauth2/token -d grant_type=client_credentials \
  -d client_id=BenchDataKey01 -d client_secret=BenchDataSecret01 | sed 's/.*"access_token":"\([^"]*\)".*/\1/')
export FF_TOKEN=$token FF_IDS=$work/ids
: > "$work/ids"

loaded=0
for n in $SIZES; do
  echo "loading Accounts $loaded..$n: $("$work/dataload" -url http://127.0.0.1:$PORT -token "$token" -from $loaded -to "$n" -conns 8 -ids "$work/ids" -every 10)"
  loaded=$n
  check "SELECT Id, Name FROM Account WHERE Name = 'P$(printf %07d $((n / 2)))'" 1
  check "SELECT Id, Name FROM Account WHERE Name >= 'P$(printf %07d $((n / 2)))' AND Name < 'P$(printf %07d $((n / 2 + 2000)))'" 2000
  : > "$work/b1"; : > "$work/eq"; : > "$work/r100"; : > "$work/r2000"
  for r in $(seq "$ROUNDS"); do
    wrk_run 1 http://127.0.0.1:$BPORT/services/oauth2/token -s bench/token.lua >> "$work/b1"
    FF_N=$n FF_ROWS=1 wrk_run 1 http://127.0.0.1:$PORT/ -s bench/query.lua >> "$work/eq"
    FF_N=$n FF_ROWS=100 wrk_run 1 http://127.0.0.1:$PORT/ -s bench/query.lua >> "$work/r100"
    FF_N=$n FF_ROWS=2000 wrk_run 1 http://127.0.0.1:$PORT/ -s bench/query.lua >> "$work/r2000"
  done
  echo "== $n Accounts, 1 connection, medians of $ROUNDS rounds of ${SECS}s"
  report "baseline token handler" "$work/b1"
  report "query, Name = (1 row)" "$work/eq"
  report "query, Name range (100 rows)" "$work/r100"
  report "query, Name range (2000 rows)" "$work/r2000"
  awk -v b="$(cut -d' ' -f2 "$work/b1" | median)" -v q="$(cut -d' ' -f2 "$work/eq" | median)" \
    'BEGIN { printf "selective query p50 / baseline p50: %.1f\n", q/b }'
done

: > "$work/b64"; : > "$work/eq64"; : > "$work/get"; : > "$work/ins"
for r in $(seq "$ROUNDS"); do
  wrk_run "$CONNS" http://127.0.0.1:$BPORT/services/oauth2/token -s bench/token.lua >> "$work/b64"
  FF_N=$loaded FF_ROWS=1 wrk_run "$CONNS" http://127.0.0.1:$PORT/ -s bench/query.lua >> "$work/eq64"
  wrk_run "$CONNS" http://127.0.0.1:$PORT/ -s bench/getid.lua >> "$work/get"
  wrk_run "$CONNS" http://127.0.0.1:$PORT/ -s bench/insert.lua >> "$work/ins"
done
echo "== $loaded Accounts at the start (inserts add more), $CONNS connections, medians of $ROUNDS rounds of ${SECS}s"
report "baseline token handler" "$work/b64"
report "query, Name = (1 row)" "$work/eq64"
report "GET sobjects/Account/{id} ($(wc -l < "$work/ids") Ids)" "$work/get"
report "POST composite/sobjects, 200 records" "$work/ins"
b=$(cut -d' ' -f1 "$work/b64" | median); g=$(cut -d' ' -f1 "$work/get" | median); i=$(cut -d' ' -f1 "$work/ins" | median)
awk -v b="$b" -v g="$g" -v i="$i" 'BEGIN { printf "inserted records/s: %.0f; insert requests / baseline: %.4f; GET by Id / baseline: %.2f\n", i*200, i/b, g/b }'
echo "Accounts in the table at the end: $(curl -fsG http://127.0.0.1:$PORT/services/data/v59.0/query -H "Authorization: Bearer $token" \
  --data-urlencode 'q=SELECT COUNT() FROM Account' | sed -n 's/.*"totalSize":\([0-9]*\).*/\1/p')"
echo "machine at end: $(uptime)"
