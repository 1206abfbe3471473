#!/usr/bin/env bash
# Parsing real arXiv responses, one thread, release build: the shared OAI-PMH ListRecords pages
# (3,000 records) and the shared Atom API responses, through the parsers the services use
# (`arxiv-poller parse --seconds`), and beside them, in the same run, Python's standard library
# (ElementTree on expat) reading the same files into the same fields.
#
#   bash deploy/bench-parsing.sh [--seconds S]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=5
while [ $# -gt 0 ]; do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    *) echo "usage: $0 [--seconds S]" >&2; exit 2 ;;
  esac
done
fixtures=../shared/fixtures
[ -d "$fixtures/arxiv-oai" ] || { echo "bench-parsing: $fixtures/arxiv-oai not found (the shared fixtures)" >&2; exit 1; }
swift build -c release >/dev/null 2>&1
bin=$(swift build -c release --show-bin-path 2>/dev/null)
oai=("$fixtures"/arxiv-oai/listrecords-*.xml)
# Every recorded API response but the error feed.
atom=()
for file in "$fixtures"/arxiv/*.xml; do grep -q "/api/errors" "$file" || atom+=("$file"); done
row() { printf '%-28s %-36s %s\n' "$1" "$2" "$3"; }
row "input" "Starstream (XMLScan)" "Python 3 ElementTree (expat)"
row "OAI-PMH, ${#oai[@]} pages" "$(taskset -c 0 "$bin/arxiv-poller" parse --seconds "$seconds" "${oai[@]}" | sed 's/^parse: .*thread: //')" \
  "$(taskset -c 0 python3 Tools/text-baseline/parse_baseline.py "$seconds" "${oai[@]}" | sed 's/^parse: .*thread: //')"
row "Atom, ${#atom[@]} responses" "$(taskset -c 0 "$bin/arxiv-poller" parse --seconds "$seconds" "${atom[@]}" | sed 's/^parse: .*thread: //')" \
  "$(taskset -c 0 python3 Tools/text-baseline/parse_baseline.py "$seconds" "${atom[@]}" | sed 's/^parse: .*thread: //')"
