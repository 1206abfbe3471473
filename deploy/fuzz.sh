#!/usr/bin/env bash
# Fuzzes every reader of outside input with libFuzzer: FITS spectra (and the gzip reader under
# them), the XML reader, the Atom and OAI-PMH parsers, metadata-file lines and stream envelopes
# with the message contracts read from them (Tools/starstream-fuzz/FuzzTargets.swift).
#
#   deploy/fuzz.sh [--seconds N] [--jobs J] [TARGET…]    # default: every target, 600 s each, 2 at a time
#
# Builds starstream-fuzz with --sanitize fuzzer,address into .build-fuzz, seeds each target's
# corpus from ../shared/fixtures (and a few hand-made inputs), runs it, and prints executions,
# corpus size and crashes per target. Crashing inputs land in .local/fuzz/TARGET/crash-*;
# `swift run starstream-fuzz TARGET FILE` replays one without sanitizers; a run counts only the
# inputs it found itself. Not part of the test
# command (it runs for minutes by design); crashes it found are regression tests in the suite.
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=600 jobs=2 targets=()
while (($#)); do
  case "$1" in
    --seconds) seconds=$2; shift 2 ;;
    --jobs) jobs=$2; shift 2 ;;
    -*) echo "usage: $0 [--seconds N] [--jobs J] [TARGET…]" >&2; exit 2 ;;
    *) targets+=("$1"); shift ;;
  esac
done
((${#targets[@]})) || targets=(fits gzip xml atom oai metadata-line envelope)
fixtures=../shared/fixtures
mkdir -p .local
[ -d "$fixtures" ] || { echo "fuzz: $fixtures is missing: the seeds come from it" >&2; exit 1; }

# SwiftPM's --sanitize fuzzer links libFuzzer but does not instrument the code for coverage:
# without these flags libFuzzer sees a few hundred edges of its own and mutates blind.
coverage=(-Xswiftc -sanitize-coverage=edge,trace-cmp,inline-8bit-counters,pc-table)
echo "fuzz: building starstream-fuzz with libFuzzer and AddressSanitizer (.build-fuzz)"
swift build -c release --sanitize fuzzer --sanitize address -Xswiftc -DFUZZING "${coverage[@]}" --product starstream-fuzz \
  --scratch-path .build-fuzz >.local/fuzz-build.log 2>&1 || { grep -E "error" .local/fuzz-build.log >&2; echo "fuzz: the build failed; see .local/fuzz-build.log" >&2; exit 1; }
bin=$(swift build -c release --sanitize fuzzer --sanitize address -Xswiftc -DFUZZING "${coverage[@]}" --scratch-path .build-fuzz --show-bin-path)/starstream-fuzz

root=.local/fuzz
seed() { # target: fills $root/target/seed once
  local target=$1 dir=$root/$1/seed
  [ -f "$dir.complete" ] && return 0
  rm -rf "$dir"
  mkdir -p "$dir"
  case "$target" in
    fits)
      for f in "$fixtures"/lamost/*.fits.gz; do gzip -dc "$f" >"$dir/$(basename "$f" .gz)"; done
      for release in dr1 dr2 dr10; do
        # sed, not head: head's early exit would fail the pipeline (pipefail) and this function.
        find "$fixtures/lamost-real/$release" -name '*.fits*' | sort | sed -n 1,3p | while read -r f; do cp "$f" "$dir/"; done
      done
      cp "$fixtures"/lamost/*.fits.gz "$dir/" ;;
    gzip)
      cp "$fixtures"/lamost/*.fits.gz "$dir/"
      printf 'a small text\n' | gzip -c >"$dir/text.gz"
      printf '' | gzip -c >"$dir/empty.gz" ;;
    xml | atom)
      cp "$fixtures"/arxiv/*.xml "$dir/"
      for f in "$fixtures"/arxiv-oai/*.xml; do head -c 20000 "$f" >"$dir/head-$(basename "$f")"; done ;;
    oai)
      for f in "$fixtures"/arxiv-oai/*.xml; do head -c 60000 "$f" >"$dir/head-$(basename "$f")"; tail -c 20000 "$f" >"$dir/tail-$(basename "$f")"; done
      cp "$fixtures"/arxiv/id_abc_s0_m100_b79c8dcf6bc3.xml "$dir/" ;;
    metadata-line)
      gzip -dc "$fixtures/arxiv-corpus/train.jsonl.gz" | sed -n 1,200p | split -l 1 - "$dir/line-"
      printf '%s\n' '{"id":"0704.0001","title":"T","abstract":"A.","categories":"hep-ph math.CO","versions":[{"version":"v1","created":"Mon, 2 Apr 2007 19:18:42 GMT"}],"update_date":"2008-11-13","authors_parsed":[["Bal\u00e1zs","C.",""]]}' >"$dir/snapshot" ;;
    envelope)
      local type
      for type in $(grep -ho 'static let type = "[^"]*"' Shared/Contracts/*.swift | cut -d'"' -f2 | sort -u); do
        printf 'type=%s\0v=1\0id=m-1\0trace=t\0produced_at=2026-11-24T06:49:23.466Z\0producer=p\0body={}' "$type" >"$dir/$type-v1"
        printf 'type=%s\0v=2\0id=m-2\0body={"id":"x","plan":"p","path":"/a","url":"http://h/f","sha256":"00","kinds":["arxiv"]}' "$type" >"$dir/$type-v2"
      done ;;
  esac
  touch "$dir.complete"
}
dictionary() { # target: a libFuzzer dictionary where one helps
  local file=$root/$1.dict
  case "$1" in
    xml | atom | oai)
      printf '%s\n' '"<?xml version=\"1.0\"?>"' '"<!--"' '"-->"' '"<![CDATA["' '"]]>"' '"&amp;"' '"&#x"' '"xmlns="' '"xmlns:"' \
        '"<entry>"' '"</entry>"' '"<record>"' '"<resumptionToken"' '"<error code="' '"<arXiv"' '"<categories>"' >"$file" ;;
    envelope | metadata-line)
      grep -ho '"[a-z_][a-z_.-]*"' Shared/Contracts/*.swift Shared/Arxiv/ArxivMetadataLine.swift | sort -u >"$file" ;;
    *) return 1 ;;
  esac
  echo "$file"
}

run() { # target
  local target=$1 dir=$root/$1
  seed "$target"
  mkdir -p "$dir/corpus"
  local dict; dict=$(dictionary "$target" || true)
  # Swift's runtime keeps its metadata caches for the process's life; LeakSanitizer would call them leaks.
  ASAN_OPTIONS=detect_leaks=0 FUZZ_TARGET=$target "$bin" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=3072 -print_final_stats=1 \
    ${dict:+-dict="$dict"} -artifact_prefix="$dir/" "$dir/corpus" "$dir/seed" >"$dir.log" 2>&1 || true
}

# Only what this run found counts: inputs of earlier runs stay in their folders.
started=$root/.started
mkdir -p "$root"
touch "$started"
echo "fuzz: ${#targets[@]} targets, ${seconds} s each, $jobs at a time; logs in $root/TARGET.log"
running=0
for target in "${targets[@]}"; do
  run "$target" &
  running=$((running + 1))
  # A job that failed (a seed it could not copy) must not stop the others or the summary.
  if ((running >= jobs)); then wait -n || true; running=$((running - 1)); fi
done
wait

printf '%-14s %8s %14s %10s %8s\n' target seconds executions corpus crashes
status=0
for target in "${targets[@]}"; do
  log=$root/$target.log
  executions=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" 2>/dev/null | grep -o '[0-9]*$' | tail -1 || true)
  corpus=$(find "$root/$target/corpus" -type f 2>/dev/null | wc -l)
  crashes=$(find "$root/$target" -maxdepth 1 \( -name 'crash-*' -o -name 'timeout-*' -o -name 'oom-*' \) -newer "$started" 2>/dev/null | wc -l)
  printf '%-14s %8s %14s %10s %8s\n' "$target" "$seconds" "${executions:-?}" "$corpus" "$crashes"
  ((crashes == 0)) || status=1
done
((status == 0)) || echo "fuzz: inputs that crashed are in $root/TARGET/ (crash-*, timeout-*, oom-*); see $root/TARGET.log"
exit $status
