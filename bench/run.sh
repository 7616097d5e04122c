#!/usr/bin/env bash
# Measures Forcefield's token issuance and bearer-authenticated REST reads with wrk, against
# the minimal in-memory baseline handler measured in the same run, and writes a summary of
# medians. Usage: bench/run.sh [ROUNDS] [SECONDS]   (defaults: 3 rounds of 10 s)
# Needs wrk (apt-get install wrk). Set MILLION=1 to also measure issuance once the session
# table holds a million rows (takes a few minutes).
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-3}
SECS=${2:-10}
CONNS=${CONNS:-64}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 1; }

go build -o "$work/forcefield" ./cmd/forcefield
go build -o "$work/baseline" ./bench/baseline

wait_up() { for _ in $(seq 100); do curl -fs "$1" >/dev/null 2>&1 && return; sleep 0.1; done; echo "server at $1 did not start" >&2; exit 1; }
# wrk_run URL [args…] → prints "req/s p50_ms p99_ms"
wrk_run() {
  local url=$1; shift
  wrk -t1 -c"$CONNS" -d"${SECS}s" --latency "$@" "$url" > "$work/wrk.out"
  awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=$4}
       function ms(x) { if (x ~ /us$/) return x/1000; if (x ~ /ms$/) return x+0; if (x ~ /s$/) return x*1000; return x }
       END { if (bad != "") { print "non-2xx responses: " bad > "/dev/stderr"; exit 1 }; printf "%.0f %.2f %.2f\n", rps, ms(p50), ms(p99) }' "$work/wrk.out"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

"$work/baseline" -addr 127.0.0.1:18081 & 
"$work/forcefield" serve --addr 127.0.0.1:18080 --db "$work/bench.db" --org-file bench/bench.yaml --admin-token bench --log-level warn >/dev/null &
wait_up http://127.0.0.1:18080/services/data
sleep 0.5
token=$(curl -fs http://127.0.0.1:18080/services/oauth2/token -d grant_type=client_credentials -d client_id=BenchKey0001 -d client_secret=BenchSecret0001 | sed 's/.*"access_token":"\([^"]*\)".*/\1/')

: > "$work/base"; : > "$work/issue"; : > "$work/read"
for r in $(seq "$ROUNDS"); do
  wrk_run http://127.0.0.1:18081/services/oauth2/token -s bench/token.lua >> "$work/base"
  wrk_run http://127.0.0.1:18080/services/oauth2/token -s bench/token.lua >> "$work/issue"
  wrk_run http://127.0.0.1:18080/services/data/v59.0/limits -H "Authorization: Bearer $token" >> "$work/read"
  echo "round $r: baseline $(tail -1 "$work/base") | issue $(tail -1 "$work/issue") | read $(tail -1 "$work/read")  (req/s p50ms p99ms)" >&2
done
report() { # name file
  printf "%-34s %8s req/s   p50 %6s ms   p99 %6s ms\n" "$1" "$(cut -d' ' -f1 "$2" | median)" "$(cut -d' ' -f2 "$2" | median)" "$(cut -d' ' -f3 "$2" | median)"
}
echo "Medians of $ROUNDS rounds of ${SECS}s, wrk -t1 -c$CONNS, $(nproc) cores:"
report "baseline in-memory token handler" "$work/base"
report "forcefield token issuance" "$work/issue"
report "forcefield GET /limits (bearer)" "$work/read"
b=$(cut -d' ' -f1 "$work/base" | median); i=$(cut -d' ' -f1 "$work/issue" | median)
awk -v b="$b" -v i="$i" 'BEGIN { printf "issuance / baseline ratio: %.2f\n", i/b }'
sessions=$(sqlite3 "$work/bench.db" 'select count(*) from sessions' 2>/dev/null || echo "?")
echo "sessions in the table after the runs: $sessions"

if [ "${MILLION:-0}" = 1 ]; then
  echo "filling the session table to a million rows…" >&2
  while :; do
    n=$(curl -fs -H 'Authorization: Bearer bench' 'http://127.0.0.1:18080/forcefield/admin/sessions?limit=1' >/dev/null; sqlite3 "$work/bench.db" 'select count(*) from sessions' 2>/dev/null || echo 0)
    [ "$n" -ge 1000000 ] && break
    SECS=30 wrk_run http://127.0.0.1:18080/services/oauth2/token -s bench/token.lua >/dev/null
    echo "  $n sessions" >&2
  done
  : > "$work/issue_m"
  for r in $(seq "$ROUNDS"); do wrk_run http://127.0.0.1:18080/services/oauth2/token -s bench/token.lua >> "$work/issue_m"; done
  report "issuance with $(sqlite3 "$work/bench.db" 'select count(*) from sessions') sessions" "$work/issue_m"
  m=$(cut -d' ' -f1 "$work/issue_m" | median)
  awk -v i="$i" -v m="$m" 'BEGIN { printf "issuance at 1M sessions / issuance at start: %.2f\n", m/i }'
fi
