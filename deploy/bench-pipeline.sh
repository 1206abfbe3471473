#!/usr/bin/env bash
# The spectra hot path through the running services, measured: COUNT simulated spectra
# (default 3,000) from one fetch request to the last feature vector, through fetcher,
# cataloger, preprocessor and feature-extractor (nothing else running), on local servers.
# Prints the end-to-end rate, each service's CPU per spectrum (from /proc), and, as the
# baseline measured in the same run, the same stages in one process (spectra-bench) on the
# same files: what the running system would do with no messages, rows or HTTP in between.
#
#   bash deploy/bench-pipeline.sh [--count N] [--replicas K] [--in-place]
#     K catalogers and preprocessors (default 1); --in-place: the fetcher serves the mirror's
#     files where they lie (fetcher enqueue --in-place) instead of copying them
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
count=3000
replicas=1
in_place=()
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count=$2; shift 2 ;;
    --replicas) replicas=$2; shift 2 ;;
    --in-place) in_place=(--in-place); shift ;;
    *) echo "usage: $0 [--count N] [--replicas K] [--in-place]" >&2; exit 2 ;;
  esac
done
state=$root/.local/bench-pipeline
export STARSTREAM_SERVERS_DIR=$state/servers
# The whole release build (as the demo builds it): building products one by one uses other
# settings and would rebuild the dependencies.
swift build -c release >"$root/.local/bench-pipeline.build.log" 2>&1 || { tail -20 "$root/.local/bench-pipeline.build.log" >&2; exit 1; }
bin=$(swift build -c release --show-bin-path)
declare -a pids names
cleanup() {
  for pid in "${pids[@]:-}"; do kill -TERM "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${pids[@]:-}"; do kill -KILL "$pid" 2>/dev/null || true; done
  bash deploy/servers.sh stop >/dev/null 2>&1 || true
}
trap cleanup EXIT
rm -rf "$state" && mkdir -p "$state/logs"
while IFS= read -r line; do export "$line"; done < <(bash deploy/servers.sh start 2>/dev/null)

mirror=$state/mirror
"$bin/starstream-sim" --count "$count" --seed 7 --out "$mirror" >/dev/null
start() { # service replica
  env HTTP_PORT=0 DATA_DIR="$state/data/$1-$2" LOG_LEVEL=warning "$bin/$1" >"$state/logs/$1-$2.log" 2>&1 &
  pids+=($!); names+=("$1")
}
start fetcher 1
for replica in $(seq 1 "$replicas"); do start cataloger "$replica"; start preprocessor "$replica"; done
start feature-extractor 1
# Ready when every group exists (each service creates its own at start-up).
for _ in $(seq 1 200); do
  groups=0
  for stream in spectra.fetch-requests spectra.downloaded spectra.cataloged spectra.preprocessed; do
    redis-cli -u "$REDIS_URL" XINFO GROUPS "$stream" 2>/dev/null | grep -q name && groups=$((groups + 1))
  done
  [ "$groups" -eq 4 ] && break
  sleep 0.1
done
[ "$groups" -eq 4 ] || { echo "bench-pipeline: the services did not create their groups in 20 s; logs in $state/logs" >&2; exit 1; }
cpu() { # total utime+stime of the given pids, in clock ticks
  local total=0
  for pid in "$@"; do total=$((total + $(awk '{print $14 + $15}' "/proc/$pid/stat"))); done
  echo "$total"
}
declare -A before
for index in "${!pids[@]}"; do before[$index]=$(cpu "${pids[$index]}"); done
started=$(date +%s.%N)
"$bin/fetcher" enqueue "${in_place[@]}" --base "file://$mirror" $(cd "$mirror" && ls -d SIM*) >/dev/null
deadline=$(( $(date +%s) + 600 ))
until [ "$(redis-cli -u "$REDIS_URL" XLEN spectra.features)" -ge "$count" ]; do
  if [ "$(date +%s)" -ge "$deadline" ]; then
    echo "bench-pipeline: gave up after 600 s with $(redis-cli -u "$REDIS_URL" XLEN spectra.features) of $count;" \
      "dead letters: $(for s in spectra.fetch-requests spectra.downloaded spectra.cataloged spectra.preprocessed; do printf '%s=%s ' "$s" "$(redis-cli -u "$REDIS_URL" XLEN "$s.dlq")"; done)" >&2
    exit 1
  fi
  sleep 0.05
done
elapsed=$(python3 -c "import time; print(f'{time.time() - $started:.2f}')")
ticks=$(getconf CLK_TCK)
echo "bench-pipeline: $count simulated spectra, 1 fetcher${in_place:+ (in place)}, $replicas cataloger(s), $replicas preprocessor(s), 1 feature-extractor, $(nproc) cores"
printf '  %-34s %8.0f spectra/s  (%s s from the request to the last feature vector)\n' "through the running services" \
  "$(python3 -c "print($count / $elapsed)")" "$elapsed"
for service in fetcher cataloger preprocessor feature-extractor; do
  used=0
  for index in "${!pids[@]}"; do
    [ "${names[$index]}" = "$service" ] && used=$((used + $(cpu "${pids[$index]}") - ${before[$index]}))
  done
  printf '  %-34s %8.2f ms CPU per spectrum\n' "$service" "$(python3 -c "print($used * 1000 / $ticks / $count)")"
done
echo "baseline, same run and files: the stages in one process, no messages, rows or HTTP (spectra-bench):"
"$bin/spectra-bench" --dir "$mirror" --threads "$(nproc)" | grep -E "all stages" | sed 's/^/  /'
