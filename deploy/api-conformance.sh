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
# The calls that would reach outside this machine (a fetch from an archive URL, an arXiv
# backfill) are left out: schemathesis would invent URLs. The Swift tests cover them.
# Environment: CONFORMANCE_EXAMPLES (25 per operation).
set -euo pipefail
cd "$(dirname "$0")/.."
examples=${CONFORMANCE_EXAMPLES:-25}
venv=.local/schemathesis-venv
if ! "$venv/bin/schemathesis" --version >/dev/null 2>&1; then
  echo "conformance: installing schemathesis into $venv (Tools/api-conformance/requirements.txt)"
  python3 -m venv "$venv"
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
  bash deploy/demo.sh --keep >.local/api-conformance-demo.log 2>&1 || { tail -20 .local/api-conformance-demo.log >&2; exit 1; }
  gateway=$(grep -o 'gateway at http://[0-9.:]*' .local/api-conformance-demo.log | head -1 | cut -d' ' -f3)
  token=$(grep -o 'shown once): [^ ]*' .local/api-conformance-demo.log | head -1 | cut -d' ' -f3)
fi
curl -fsS "$gateway/openapi.json" >/dev/null || { echo "conformance: no gateway answers at $gateway" >&2; exit 1; }
echo "conformance: schemathesis $("$venv/bin/schemathesis" --version | awk '{print $NF}') against $gateway/openapi.json, $examples examples per operation"

# The token goes to schemathesis in its environment's config, not on a command line `ps` shows.
cat >"$config" <<EOF
[headers]
Authorization = "Bearer \${GATEWAY_TOKEN}"
EOF
GATEWAY_TOKEN="$token" "$venv/bin/schemathesis" --config-file "$config" run "$gateway/openapi.json" \
  --checks all --max-examples "$examples" --workers 2 --seed 20261201 \
  --exclude-path /api/actions/fetch --exclude-path /api/actions/arxiv-backfill \
  --report junit --report-dir .local/api-conformance \
  --suppress-health-check too_slow,filter_too_much
echo "conformance: report in .local/api-conformance/"
