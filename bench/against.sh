#!/usr/bin/env bash
# Compares this checkout's Forcefield with the one at git revision REV, in the same run:
# client-credentials token issuance and a bearer REST read (GET /limits), with wrk, rounds
# alternating between the two servers so both see the same machine. Prints the medians and
# each workload's ratio (this checkout / REV). Use it to show that a change costs nothing
# on the hot paths (e.g. issue 14's fault and quota checks when none is set).
# Usage: bench/against.sh REV [ROUNDS] [SECONDS]   (defaults: 5 rounds of 5 s). Needs wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
REV=${1:?usage: bench/against.sh REV [ROUNDS] [SECONDS]}
ROUNDS=${2:-5}
SECS=${3:-5}
CONNS=${CONNS:-64}
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 1; }
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; git worktree remove --force "$work/base-src" 2>/dev/null || true; rm -rf "$work"' EXIT

git worktree add -q --detach "$work/base-src" "$REV"
(cd "$work/base-src" && go build -o "$work/base" ./cmd/forcefield)
go build -o "$work/head" ./cmd/forcefield

wait_up() { for _ in $(seq 100); do curl -fs "$1" >/dev/null 2>&1 && return; sleep 0.1; done; echo "server at $1 did not start" >&2; exit 1; }
wrk_run() { # URL [args…] → "req/s p50_ms p99_ms"
  local url=$1; shift
  wrk -t1 -c"$CONNS" -d"${SECS}s" --latency "$@" "$url" > "$work/wrk.out"
  awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=$4}
       function ms(x) { if (x ~ /us$/) return x/1000; if (x ~ /ms$/) return x+0; if (x ~ /s$/) return x*1000; return x }
       END { if (bad != "") { print "non-2xx responses: " bad > "/dev/stderr"; exit 1 }; printf "%.0f %.2f %.2f\n", rps, ms(p50), ms(p99) }' "$work/wrk.out"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
token() { curl -fs "$1/services/oauth2/token" -d grant_type=client_credentials -d client_id=BenchKey0001 -d client_secret=BenchSecret0001 | sed 's/.*"access_token":"\([^"]*\)".*/\1/'; }

"$work/base" serve --addr 127.0.0.1:18090 --db "$work/base.db" --org-file bench/bench.yaml --admin-token bench --log-level warn >/dev/null &
"$work/head" serve --addr 127.0.0.1:18091 --db "$work/head.db" --org-file bench/bench.yaml --admin-token bench --log-level warn >/dev/null &
wait_up http://127.0.0.1:18090/services/data
wait_up http://127.0.0.1:18091/services/data
sleep 0.5
tb=$(token http://127.0.0.1:18090); th=$(token http://127.0.0.1:18091)
for f in base_tok head_tok base_read head_read; do : > "$work/$f"; done
for r in $(seq "$ROUNDS"); do
  wrk_run http://127.0.0.1:18090/services/oauth2/token -s bench/token.lua >> "$work/base_tok"
  wrk_run http://127.0.0.1:18091/services/oauth2/token -s bench/token.lua >> "$work/head_tok"
  wrk_run http://127.0.0.1:18091/services/data/v59.0/limits -H "Authorization: Bearer $th" >> "$work/head_read"
  wrk_run http://127.0.0.1:18090/services/data/v59.0/limits -H "Authorization: Bearer $tb" >> "$work/base_read"
  echo "round $r: token $REV $(tail -1 "$work/base_tok") | HEAD $(tail -1 "$work/head_tok"); GET /limits $REV $(tail -1 "$work/base_read") | HEAD $(tail -1 "$work/head_read")  (req/s p50ms p99ms)" >&2
done
report() { printf "%-28s %8s req/s   p50 %6s ms   p99 %6s ms\n" "$1" "$(cut -d' ' -f1 "$2" | median)" "$(cut -d' ' -f2 "$2" | median)" "$(cut -d' ' -f3 "$2" | median)"; }
echo "Medians of $ROUNDS rounds of ${SECS}s, wrk -t1 -c$CONNS, $(nproc) cores, $(date -u +%FT%TZ):"
report "token, $REV" "$work/base_tok"
report "token, HEAD" "$work/head_tok"
report "GET /limits, $REV" "$work/base_read"
report "GET /limits, HEAD" "$work/head_read"
for w in tok read; do
  b=$(cut -d' ' -f1 "$work/base_$w" | median); h=$(cut -d' ' -f1 "$work/head_$w" | median)
  awk -v w="$w" -v b="$b" -v h="$h" 'BEGIN { printf "%s: HEAD / base = %.3f\n", (w == "tok" ? "token" : "GET /limits"), h/b }'
done
