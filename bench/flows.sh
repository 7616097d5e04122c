#!/usr/bin/env bash
# Measures JWT bearer and username-password token issuance with wrk, and in the same run
# the ceiling of rsa.VerifyPKCS1v15 alone (go test -bench, both cores) and client
# credentials issuance (the same session write without a signature check), and prints
# medians. The password flow runs with PW_CONNS (8) connections and a 30 s wrk timeout:
# each request costs two argon2id verifications, so 64 would only queue.
# Usage: bench/flows.sh [ROUNDS] [SECONDS]   (defaults: 5 rounds of 10 s). Needs wrk.
set -euo pipefail
cd "$(dirname "$0")/.."
ROUNDS=${1:-5}
SECS=${2:-10}
CONNS=${CONNS:-64}
PORT=${PORT:-18293}
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
command -v wrk >/dev/null || { echo "wrk not found: apt-get install wrk" >&2; exit 1; }

go build -o "$work/forcefield" ./cmd/forcefield
cp bench/flows.yaml "$work/flows.yaml"
export FF_ASSERTION=$(go run ./bench/jwtsetup -dir "$work")

wrk_run() {
  local url=$1; shift
  wrk -t1 -c"${C:-$CONNS}" --timeout 30s -d"${SECS}s" --latency "$@" "$url" > "$work/wrk.out"
  awk '/Requests\/sec/ {rps=$2} /^ +50%/ {p50=$2} /^ +99%/ {p99=$2} /Non-2xx/ {bad=$4}
       function ms(x) { if (x ~ /us$/) return x/1000; if (x ~ /ms$/) return x+0; if (x ~ /s$/) return x*1000; return x }
       END { if (bad != "") { print "non-2xx responses: " bad > "/dev/stderr"; exit 1 }; printf "%.0f %.2f %.2f\n", rps, ms(p50), ms(p99) }' "$work/wrk.out"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

"$work/forcefield" serve --addr 127.0.0.1:${PORT} --db "$work/bench.db" --org-file "$work/flows.yaml" --admin-token bench --log-level warn >/dev/null &
for _ in $(seq 100); do curl -fs -o /dev/null http://127.0.0.1:${PORT}/.well-known/openid-configuration && break; sleep 0.1; done
curl -fs http://127.0.0.1:${PORT}/services/oauth2/token -d grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer --data-urlencode "assertion=$FF_ASSERTION" >/dev/null \
  || { echo "JWT bearer token request failed" >&2; exit 1; }

: > "$work/jwt"; : > "$work/pw"; : > "$work/rsa"; : > "$work/cc"
for r in $(seq "$ROUNDS"); do
  wrk_run http://127.0.0.1:${PORT}/services/oauth2/token -s bench/jwt.lua >> "$work/jwt"
  wrk_run http://127.0.0.1:${PORT}/services/oauth2/token -s bench/token.lua >> "$work/cc"
  C=${PW_CONNS:-8} wrk_run http://127.0.0.1:${PORT}/services/oauth2/token -s bench/password.lua >> "$work/pw"
  go test ./internal/oauth -run '^$' -bench 'BenchmarkRSAVerifyParallel' -benchtime "${SECS}s" -cpu 2 \
    | awk '/BenchmarkRSAVerifyParallel/ {printf "%.0f\n", 1e9/$3}' >> "$work/rsa"
done
echo "rounds: $ROUNDS x ${SECS}s, $CONNS connections; per round: req/s p50_ms p99_ms"
echo "JWT bearer:        $(cat "$work/jwt" | tr '\n' ';')"
echo "client credentials: $(cat "$work/cc" | tr '\n' ';')"
echo "username-password: $(cat "$work/pw" | tr '\n' ';')"
echo "rsa.VerifyPKCS1v15 alone (2 cores), verifications/s: $(cat "$work/rsa" | tr '\n' ';')"
j=$(cut -d' ' -f1 "$work/jwt" | median); p=$(cut -d' ' -f1 "$work/pw" | median); v=$(median < "$work/rsa")
echo "medians: JWT bearer $j tokens/s (p50 $(cut -d' ' -f2 "$work/jwt" | median) ms, p99 $(cut -d' ' -f3 "$work/jwt" | median) ms)," \
  "password $p tokens/s (p50 $(cut -d' ' -f2 "$work/pw" | median) ms, p99 $(cut -d' ' -f3 "$work/pw" | median) ms)," \
  "client credentials $(cut -d' ' -f1 "$work/cc" | median) tokens/s," \
  "RSA verify ceiling $v/s; JWT/RSA = $(awk -v a="$j" -v b="$v" 'BEGIN {printf "%.2f", a/b}')"
