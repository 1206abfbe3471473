#!/usr/bin/env bash
# The main job on embedded defaults: installs what is missing, starts local servers, builds
# (release), starts every service against them, and prints a status line per service and
# stream from the gateway. Nothing is downloaded besides Debian/PyPI packages.
#
#   bash deploy/demo.sh          # run, report, stop everything
#   bash deploy/demo.sh --keep   # leave services and servers running (logs in .local/logs/)
#   bash deploy/demo.sh stop     # stop what --keep left running
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
# Where the demo keeps its run files, logs, data and generated inputs: .local unless a caller
# (the test command's conformance run) gives it a folder of its own.
state=${STARSTREAM_DEMO_STATE:-$root/.local}
run=$state/run
logs=$state/logs
services=(fetcher cataloger preprocessor feature-extractor trainer arxiv-poller summarizer classifier drift-monitor gateway)

stop_services() {
  local status=0
  for service in "${services[@]}"; do
    [ -f "$run/$service.pid" ] && kill -TERM "$(cat "$run/$service.pid")" 2>/dev/null || true
  done
  for service in "${services[@]}"; do
    [ -f "$run/$service.pid" ] || continue
    local pid; pid=$(cat "$run/$service.pid")
    for _ in $(seq 1 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    if kill -0 "$pid" 2>/dev/null; then echo "demo: $service did not stop; killing it" >&2; kill -KILL "$pid"; status=1; fi
    rm -f "$run/$service.pid"
  done
  return $status
}

if [ "${1:-}" = stop ]; then
  stop_services || true
  bash deploy/servers.sh stop
  exit 0
fi
keep=false
[ "${1:-}" = --keep ] && keep=true

bash deploy/install.sh
while IFS= read -r line; do export "$line"; done < <(bash deploy/servers.sh start)
echo "demo: building release binaries (the first build takes several minutes)"
swift build -c release 2>&1 | grep -E "error|warning: unre|Compiling|Build complete" | grep -v "^\[" || true
bin=$(swift build -c release --show-bin-path)
for service in "${services[@]}"; do
  [ -x "$bin/$service" ] || { echo "demo: $bin/$service was not built" >&2; exit 1; }
done

stop_services >/dev/null 2>&1 || true
mkdir -p "$run" "$logs"
# One distinct port per service, all picked together (two services on one port: the second cannot
# bind, and the first answers the other's requests with 404s).
mapfile -t service_ports < <(python3 deploy/free-ports.py "${#services[@]}")
declare -A ports
gateway_env=()
for index in "${!services[@]}"; do
  service=${services[$index]}
  ports[$service]=${service_ports[$index]}
  variable=$(echo "$service" | tr 'a-z-' 'A-Z_')_URL
  gateway_env+=("$variable=http://127.0.0.1:${ports[$service]}")
done
$keep || trap 'stop_services; bash deploy/servers.sh stop' EXIT
# A fresh token for the gateway's state-changing calls (replay, purge, train now, fetch, backfill):
# printed once here, given to the gateway, written nowhere else.
token=$(python3 -c 'import secrets; print(secrets.token_urlsafe(24))')

# The arXiv side reads API responses from a file:// directory: the recorded real responses
# (when ../shared/fixtures/arxiv is there; its error feed is logged and skipped). Then it imports
# real papers: one line in DEMO_CORPUS_EVERY (default 20) of ../shared/fixtures/arxiv-corpus
# first submitted before 2019 (about 5,400 papers) when it is there (DEMO_CORPUS=0 leaves it out), trains
# on them, and then streams the papers of 2025–2026 (one in 10: about 670) past the models to show real
# drift (fewer when the trainer would otherwise retrain on them); without it, simulated pages (DEMO_PAPERS, default 2000) stand in.
arxiv_pages=$state/demo/arxiv
rm -rf "$arxiv_pages" && mkdir -p "$arxiv_pages"
[ -d "$root/../shared/fixtures/arxiv" ] && cp "$root/../shared/fixtures/arxiv/"*.xml "$arxiv_pages/"
corpus=$root/../shared/fixtures/arxiv-corpus/train.jsonl.gz
use_corpus=false
if [ -f "$corpus" ] && [ "${DEMO_CORPUS:-1}" = 1 ]; then use_corpus=true; fi
if ! $use_corpus || [ -n "${DEMO_PAPERS:-}" ]; then
  "$bin/arxiv-sim" --count "${DEMO_PAPERS:-2000}" --seed 1 --out "$arxiv_pages"
fi

for service in "${services[@]}"; do
  extra=()
  [ "$service" = arxiv-poller ] && extra=("ARXIV_BASE_URL=file://$arxiv_pages" "POLL_INTERVAL_S=0")
  [ "$service" = gateway ] && extra=("${gateway_env[@]}" "GATEWAY_TOKEN=$token")
  [ "$service" = classifier ] && extra=("TRAINER_URL=http://127.0.0.1:${ports[trainer]}")
  [ "$service" = drift-monitor ] && extra=("TRAINER_URL=http://127.0.0.1:${ports[trainer]}" "DRIFT_EVERY=400" "DRIFT_WINDOW=400")
  env HTTP_PORT="${ports[$service]}" DATA_DIR="$state/data/$service" "${extra[@]}" \
    "$bin/$service" >"$logs/$service.log" 2>&1 &
  echo $! >"$run/$service.pid"
done
gateway="http://127.0.0.1:${ports[gateway]}"
echo "demo: ${#services[@]} services starting; gateway at $gateway; logs in $logs/"
echo "demo: dashboard at $gateway/ and API reference at $gateway/docs; token for its buttons and mutations (shown once): $token"

ready=false
for _ in $(seq 1 120); do
  if "$bin/gateway" status --gateway "$gateway" --services-only >/dev/null 2>&1; then ready=true; break; fi
  sleep 0.5
done
"$bin/gateway" status --gateway "$gateway" || true
if ! $ready; then
  for service in "${services[@]}"; do
    if ! kill -0 "$(cat "$run/$service.pid")" 2>/dev/null; then
      echo "demo: $service (port ${ports[$service]}) exited; the end of $logs/$service.log:" >&2
      tail -5 "$logs/$service.log" >&2
    fi
  done
  echo "demo: not every service became ready in 60 s; see $logs/" >&2
  exit 1
fi
echo "demo: all services ready"

# The spectra pipeline on simulated data: a file:// mirror of DR5-layout plans, fetched,
# cataloged, preprocessed and measured by the running services.
count=${DEMO_SPECTRA:-1000}
mirror=$state/demo/mirror
rm -rf "$mirror"
"$bin/starstream-sim" --count "$count" --seed 1 --broken 3 --out "$mirror" | tail -1
features_before=$(redis-cli -u "$REDIS_URL" XLEN spectra.features)
started=$(date +%s.%N)
"$bin/fetcher" enqueue --base "file://$mirror" $(cd "$mirror" && ls -d SIM*)
target=$((features_before + count))
# Real labelled spectra go the same way when the shared folder is there: its release folders
# (DR1, DR2, DR10) are plan directories of a file:// mirror, fetched, catalogued, measured and
# trained on like downloaded ones (training reports count them apart from the simulated ones).
real=$root/../shared/fixtures/lamost-real
real_count=0
if [ -d "$real" ] && [ "${DEMO_REAL:-1}" = 1 ]; then
  real=$(cd "$real" && pwd)
  real_count=$(find "$real" -name 'spec-*.fits*' | wc -l)
  "$bin/fetcher" enqueue --base "file://$real" $(cd "$real" && ls -d dr*)
  target=$((target + real_count))
  echo "demo: also the $real_count real labelled LAMOST spectra of $real (DEMO_REAL=0 leaves them out)"
else
  echo "demo: $real is not there (or DEMO_REAL=0): simulated spectra only"
fi
for _ in $(seq 1 600); do
  [ "$(redis-cli -u "$REDIS_URL" XLEN spectra.features)" -ge "$target" ] && break
  sleep 0.5
done
elapsed=$(python3 -c "import time; print(f'{time.time() - $started:.1f}')")
done_count=$(( $(redis-cli -u "$REDIS_URL" XLEN spectra.features) - features_before ))
echo "demo: $done_count of $((count + real_count)) spectra ($count simulated, $real_count real) fetched → cataloged → preprocessed → measured in ${elapsed} s" \
  "($(python3 -c "print(f'{$done_count / max($elapsed, 0.001):.0f}')") spectra/s end to end through Redis, PostgreSQL and four services)"
echo "demo: the 3 deliberately broken files are in the dead-letter streams:"
for stream in spectra.downloaded spectra.cataloged; do
  redis-cli -u "$REDIS_URL" --no-raw XRANGE "$stream.dlq" - + | grep -A1 '"dlq_error"' | grep -v -- '--' | grep -v dlq_error | sed 's/^ *[0-9]*) /  /'
done

# Training: the trainer already trained on its own after TRAIN_AFTER_NEW (500) labelled
# spectra; now a session on everything, on command, and the classifier catching up.
echo "demo: training on command (trainer train --wait):"
train_output=$(TRAINER_URL="http://127.0.0.1:${ports[trainer]}" "$bin/trainer" train --wait)
echo "$train_output" | sed 's/^/  /'
request=$(echo "$train_output" | sed -n 's/.* as \(cli-[0-9a-f]*\)$/\1/p' | head -1)
for _ in $(seq 1 240); do
  [ "$(redis-cli -u "$REDIS_URL" XLEN spectra.classified)" -ge "$done_count" ] && break
  sleep 0.5
done
echo "demo: classifier: $(curl -s "http://127.0.0.1:${ports[classifier]}/api/spectra/summary")"
echo "demo: models in the registry:"
curl -s "http://127.0.0.1:${ports[trainer]}/api/models" | python3 -c '
import json, sys
for m in json.load(sys.stdin):
    print("  %(kind)s@%(model_version)d: %(train_count)d train / %(validation_count)d held out, accuracy %(accuracy).3f,"
          " balanced %(balanced_accuracy).3f, macro-F1 %(macro_f1).3f (%(request_id)s)" % m)'
echo "demo: session report: $state/data/trainer/reports/training-$request.json"
"$bin/gateway" status --gateway "$gateway" | grep -E '^stream  (spectra|models)' || true

# The arXiv pipeline: poll (the recorded directory), store, summarise (TextRank: no LLM key
# here), train the text models held out by time, classify, and follow live accuracy.
echo "demo: arXiv: polling $arxiv_pages"
"$bin/arxiv-poller" poll
for _ in $(seq 1 240); do grep -q '"arxiv poll finished"' "$logs/arxiv-poller.log" && break; sleep 0.5; done
grep '"arxiv poll finished"' "$logs/arxiv-poller.log" | tail -1 | python3 -c '
import json, sys
line = json.loads(sys.stdin.read())
print("demo: arXiv poll: %(new_articles)s new papers, %(new_versions)s new versions, %(known)s known, %(pages)s pages, %(rejected_pages)s rejected page(s)" % line)'
grep '"rejected arxiv page"' "$logs/arxiv-poller.log" | sed 's/.*"error":"\([^"]*\)".*/  rejected: \1/' || true
if $use_corpus; then
  echo "demo: arXiv: importing one paper in ${DEMO_CORPUS_EVERY:-20} of the real corpus $corpus before 2019 (DEMO_CORPUS=0 leaves it out)"
  "$bin/arxiv-poller" import "$corpus" --every "${DEMO_CORPUS_EVERY:-20}" --published-before 2019-01-01 | tail -3 | sed 's/^/  /'
else
  echo "demo: arXiv: $corpus is not there (or DEMO_CORPUS=0): simulated papers stand in for real ones"
fi
versions=$(redis-cli -u "$REDIS_URL" XLEN arxiv.articles)
for _ in $(seq 1 240); do [ "$(redis-cli -u "$REDIS_URL" XLEN arxiv.summarized)" -ge "$versions" ] && break; sleep 0.5; done
echo "demo: arXiv: $versions paper versions stored $(curl -s "http://127.0.0.1:${ports[arxiv-poller]}/api/arxiv/counts"), $(redis-cli -u "$REDIS_URL" XLEN arxiv.summarized) summarised"
echo "demo: training the text models on command (trainer train --kinds arxiv --wait):"
arxiv_output=$(TRAINER_URL="http://127.0.0.1:${ports[trainer]}" "$bin/trainer" train --kinds arxiv --wait)
echo "$arxiv_output" | sed 's/^/  /'
arxiv_request=$(echo "$arxiv_output" | sed -n 's/.* as \(cli-[0-9a-f]*\)$/\1/p' | head -1)
for _ in $(seq 1 240); do
  # Both kinds of prediction for every version: papers classified before the category model
  # arrived get theirs when it does.
  summary=$(curl -s "http://127.0.0.1:${ports[classifier]}/api/arxiv/summary")
  echo "$summary" | grep -q "\"archive_predicted\":$versions," && echo "$summary" | grep -q "\"category_predicted\":$versions," && break
  sleep 0.5
done
echo "demo: classifier (arXiv, live against arXiv's own categories): $(curl -s "http://127.0.0.1:${ports[classifier]}/api/arxiv/summary")"
echo "demo: arXiv session report: $state/data/trainer/reports/training-$arxiv_request.json"
"$bin/gateway" status --gateway "$gateway" | grep -E '^stream  (arxiv|drift)' || true
for _ in $(seq 1 60); do  # the monitor follows the classifier: give it time to report on the arXiv window
  curl -s "http://127.0.0.1:${ports[drift-monitor]}/api/drift/reports" | grep -q '"pipeline":"arxiv"' && break
  sleep 0.5
done
echo "demo: drift reports (newest first; HTML at http://127.0.0.1:${ports[drift-monitor]}/api/drift/reports/<id>/html):"
curl -s "http://127.0.0.1:${ports[drift-monitor]}/api/drift/reports" | python3 -c '
import json, sys
for item in json.load(sys.stdin)[:6]:
    r = item["report"]
    drifted = [c["column"] for c in r["columns"] if c["drifted"]]
    live = r.get("live_accuracy")
    print("  #%d %s vs %s: %d/%d columns drifted%s%s" % (item["id"], r["pipeline"], r["model"], len(drifted), len(r["columns"]),
          " — DATASET DRIFT" if r["dataset_drift"] else "", "" if live is None else ", live accuracy %.3f (held out %.3f)" % (live, r.get("reference_accuracy") or 0)))'

# Real drift: the models trained on papers before 2019 meet the papers of 2025–2026.
if $use_corpus; then
  # At most as many as keep the trainer below its next automatic session (every 1,000 papers it
  # stores): the report is then against the models trained before 2019, not ones that saw 2025.
  stored=$(redis-cli -u "$REDIS_URL" XLEN arxiv.articles)
  newer=$((998 - stored % 1000))
  echo "demo: arXiv drift: streaming $newer papers of 2025–2026 (one in 10) past the models trained before 2019"
  "$bin/arxiv-poller" import "$corpus" --every 10 --published-from 2025-01-01 --limit "$newer" | tail -1 | sed 's/^/  /'
  total=$(redis-cli -u "$REDIS_URL" XLEN arxiv.articles)
  for _ in $(seq 1 240); do
    curl -s "http://127.0.0.1:${ports[classifier]}/api/arxiv/summary" | grep -q "\"category_predicted\":$total," && break
    sleep 0.5
  done
  sleep 2  # the monitor records the last predictions
  curl -s -X POST "http://127.0.0.1:${ports[drift-monitor]}/api/drift/arxiv/report" | python3 -c '
import json, sys
r = json.load(sys.stdin)
drifted = [c["column"] for c in r["columns"] if c["drifted"]]
print("  the newest %d papers against %s: %s drifted%s; live accuracy %.3f (held out at training %.3f)" % (r["window"], r["model"], ", ".join(drifted) or "nothing",
      " — DATASET DRIFT" if r["dataset_drift"] else "", r.get("live_accuracy") or 0, r.get("reference_accuracy") or 0))
label = r["histograms"].get("label")
if label:
    total_r, total_c = sum(label["reference"]) or 1, sum(label["current"]) or 1
    moved = sorted(range(len(label["labels"])), key=lambda i: -abs(label["current"][i] / total_c - label["reference"][i] / total_r))[:5]
    print("  categories that moved most: " + ", ".join("%s %.1f%% → %.1f%%" % (label["labels"][i], 100 * label["reference"][i] / total_r, 100 * label["current"][i] / total_c) for i in moved))
words = r.get("new_words") or []
print("  words the models never saw, in most of these papers: " + ", ".join("%s (%d)" % (w["word"], w["count"]) for w in words[:10]))'
fi

# Sim-to-real: a model trained on the simulated spectra only, tested on the 20 real DR5 files.
fixtures=$root/../shared/fixtures/lamost
if [ -d "$fixtures" ]; then
  echo "demo: sim-to-real (trainer evaluate --train <simulated> --test $fixtures):"
  "$bin/trainer" evaluate --train "$mirror" --test "$fixtures" --report "$state/data/trainer/reports/sim-to-real.json" | sed 's/^/  /'
fi
if $keep; then
  echo "demo: left running. Status: $bin/gateway status --gateway $gateway   Stop: bash deploy/demo.sh stop"
  echo "demo: dashboard: $gateway/   API reference: $gateway/docs"
else
  echo "demo: the dashboard was at $gateway/ (run with --keep to leave it up)"
  stop_services && echo "demo: every service stopped cleanly on SIGTERM"
fi
