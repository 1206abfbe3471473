#!/usr/bin/env bash
# The gateway under load with the services running behind it: requests/s and p50/p99 latency of
# /api/status, a spectra list page and a papers list page under `wrk`, each beside a baseline
# measured in the same run (the gateway's own /livez, and the owning service's list endpoint
# asked directly), so what the gateway adds is visible.
#
#   bash deploy/bench-gateway.sh                     # runs the demo (--keep) first, stops it after
#   bash deploy/bench-gateway.sh http://127.0.0.1:P  # against a gateway already running
#
# Environment: BENCH_SECONDS (10), BENCH_CONNECTIONS (20), BENCH_THREADS (2).
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${BENCH_SECONDS:-10}
connections=${BENCH_CONNECTIONS:-20}
threads=${BENCH_THREADS:-2}
command -v wrk >/dev/null || { echo "bench: wrk is missing (bash deploy/install.sh installs it)" >&2; exit 1; }
mkdir -p .local

gateway=${1:-}
if [ -z "$gateway" ]; then
  echo "bench: starting the demo (its pipelines fill the results the lists page through)"
  trap 'bash deploy/demo.sh stop >/dev/null 2>&1 || true' EXIT
  # The demo's token line stays out of the log: it is shown once, written nowhere.
  bash deploy/demo.sh --keep 2>&1 | grep -v 'shown once' >.local/bench-gateway-demo.log || true
  gateway=$(grep -o 'gateway at http://[0-9.:]*' .local/bench-gateway-demo.log | head -1 | cut -d' ' -f3)
  [ -n "$gateway" ] && grep -q "demo: left running" .local/bench-gateway-demo.log || { tail -20 .local/bench-gateway-demo.log >&2; exit 1; }
fi
status=$(curl -fsS "$gateway/api/status") || { echo "bench: no gateway answers at $gateway" >&2; exit 1; }
url_of() { python3 -c 'import json,sys; print(next(s["url"] for s in json.load(sys.stdin)["services"] if s["name"] == sys.argv[1]))' "$1" <<<"$status"; }
classifier=$(url_of classifier)
poller=$(url_of arxiv-poller)
spectra=$(curl -fsS "$gateway/api/spectra?limit=50" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
papers=$(curl -fsS "$gateway/api/papers?limit=50" | python3 -c 'import json,sys; print(len(json.load(sys.stdin)["items"]))')
echo "bench: wrk -t$threads -c$connections -d${seconds}s on $(nproc) cores; a spectra page holds $spectra items, a papers page $papers"
[ "$spectra" -gt 0 ] && [ "$papers" -gt 0 ] || echo "bench: warning: an empty list measures little; run the demo first" >&2

# One wrk run: requests/s, p50 and p99 (in ms) and non-2xx answers.
measure() {
  local c=${2:-$connections} t=$threads
  [ "$c" -lt "$t" ] && t=$c
  local out; out=$(wrk -t"$t" -c"$c" -d"${seconds}s" --latency "$1")
  python3 - "$out" <<'EOF'
import re, sys
out = sys.argv[1]
def ms(label):
    m = re.search(rf"^\s*{label}%\s+([\d.]+)(us|ms|s)\s*$", out, re.M)
    value, unit = float(m.group(1)), m.group(2)
    return value / 1000 if unit == "us" else value * 1000 if unit == "s" else value
rate = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
errors = re.search(r"Socket errors: (.*)", out)
print(f"{rate:9.0f} {ms('50'):8.2f} {ms('99'):8.2f} {int(bad.group(1)) if bad else 0:7d}  {errors.group(1) if errors else ''}")
EOF
}

printf '%-52s %9s %8s %8s %7s\n' "request" "req/s" "p50 ms" "p99 ms" "non-2xx"
row() { printf '%-52s %s\n' "$1" "$(measure "$2" "${3:-}")"; }
row "gateway /livez (baseline: an empty route)" "$gateway/livez"
row "gateway /api/status (background snapshot)" "$gateway/api/status"
row "classifier /api/spectra/page (baseline: direct)" "$classifier/api/spectra/page?limit=50"
row "gateway /api/spectra?limit=50" "$gateway/api/spectra?limit=50"
# The MongoDB stand-in answers one query at a time: the same pages asked one by one.
row "classifier /api/spectra/page, 1 connection" "$classifier/api/spectra/page?limit=50" 1
row "gateway /api/spectra?limit=50, 1 connection" "$gateway/api/spectra?limit=50" 1
# One filter the store matches through its index, then two where the second is matched here.
row "gateway /api/spectra?mk=K&limit=50" "$gateway/api/spectra?mk=K&limit=50"
row "gateway /api/spectra?mk=K&correct=false&limit=50" "$gateway/api/spectra?mk=K&correct=false&limit=50"
row "arxiv-poller /api/arxiv/articles (baseline: direct)" "$poller/api/arxiv/articles?limit=50"
row "gateway /api/papers?limit=50" "$gateway/api/papers?limit=50"
echo "bench: goals: /api/status p99 < 10 ms at ≥ 1,000 req/s; list pages p99 < 50 ms"
