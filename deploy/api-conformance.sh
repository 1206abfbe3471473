#!/usr/bin/env bash
# The gateway's API against its own OpenAPI document: schemathesis (pinned in
# Tools/api-conformance/requirements.txt, installed into .local/schemathesis-venv) generates
# requests from /openapi.json of a running gateway with the services behind it, and checks
# every answer: no 5xx, status codes, content types, headers and bodies as documented,
# undeclared methods refused with 405, bad input rejected.
#
#   bash deploy/api-conformance.sh                      # runs the demo (--keep) first, stops it after
#   bash deploy/api-conformance.sh http://127.0.0.1:P TOKEN   # against a gateway already running
#
# The actions are left out: a fetch or a backfill would reach outside this machine at the URLs
# schemathesis invents, and each accepted "train now" starts a real training session on these
# two cores. The Swift tests cover all three.
# One check is off: use_after_free reads DELETE /api/dead-letters/{stream} (a purge) as deleting
# the list at GET /api/dead-letters/{stream}, which stays, empty, as it should.
# Environment: CONFORMANCE_EXAMPLES (25 per operation).
set -euo pipefail
cd "$(dirname "$0")/.."
examples=${CONFORMANCE_EXAMPLES:-25}
venv=.local/schemathesis-venv
if ! "$venv/bin/schemathesis" --version >/dev/null 2>&1; then
  echo "conformance: installing schemathesis into $venv (Tools/api-conformance/requirements.txt)"
  # Debian's own Python: a newer 3.11 from elsewhere on PATH (pyenv's 3.11.7 here) trips a
  # CPython bug in hypothesis' lambda parsing ("AST constructor recursion depth mismatch").
  python=/usr/bin/python3
  [ -x "$python" ] || python=python3
  "$python" -m venv "$venv"
  "$venv/bin/pip" install -q -r Tools/api-conformance/requirements.txt
fi

gateway=${1:-}
token=${2:-}
config=$(mktemp)
started_demo=false
cleanup() { rm -f "$config"; if $started_demo; then bash deploy/demo.sh stop >/dev/null 2>&1 || true; fi; }
trap cleanup EXIT
if [ -z "$gateway" ]; then
  started_demo=true
  echo "conformance: starting the demo (its pipelines fill the results the API serves)"
  demo_log=.local/api-conformance-demo.log
  # The token is read off the demo's output and kept out of the log.
  DEMO_REAL=0 DEMO_CORPUS=0 bash deploy/demo.sh --keep 2>&1 | tee >(grep -o 'shown once): [^ ]*' | cut -d' ' -f3 >"$config.token") | grep -v 'shown once' >"$demo_log" || true
  gateway=$(grep -o 'gateway at http://[0-9.:]*' "$demo_log" | head -1 | cut -d' ' -f3)
  for _ in 1 2 3 4 5; do [ -s "$config.token" ] && break; sleep 0.2; done
  token=$(cat "$config.token" 2>/dev/null || true)
  rm -f "$config.token"
  [ -n "$gateway" ] && [ -n "$token" ] && grep -q "demo: left running" "$demo_log" || { tail -20 "$demo_log" >&2; exit 1; }
fi
curl -fsS "$gateway/openapi.json" >/dev/null || { echo "conformance: no gateway answers at $gateway" >&2; exit 1; }
echo "conformance: schemathesis $("$venv/bin/schemathesis" --version | awk '{print $NF}') against $gateway/openapi.json, $examples examples per operation"

# The token goes to schemathesis in its environment's config, not on a command line `ps` shows.
cat >"$config" <<EOF
[headers]
Authorization = "Bearer \${GATEWAY_TOKEN}"
EOF
GATEWAY_TOKEN="$token" "$venv/bin/schemathesis" --config-file "$config" run "$gateway/openapi.json" \
  --checks all --exclude-checks use_after_free --max-examples "$examples" --workers 2 --seed 20261201 \
  --exclude-path /api/actions/fetch --exclude-path /api/actions/arxiv-backfill --exclude-path /api/actions/train \
  --report junit --report-dir .local/api-conformance \
  --suppress-health-check too_slow,filter_too_much
echo "conformance: report in .local/api-conformance/"
