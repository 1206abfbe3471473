#!/usr/bin/env bash
# Spectra throughput, measured: the Swift stages (spectra-bench, release build) and, when it
# can be installed from PyPI, a straightforward astropy + numpy + scipy implementation of the
# same steps (Tools/spectra-baseline, optional, not part of the product) on the same files.
#
#   bash deploy/bench-spectra.sh [--count N | --dir DIR] [--no-python]
#
# --dir measures a directory of your own spectra (real LAMOST files, say) instead of simulated ones.
set -euo pipefail
cd "$(dirname "$0")/.."
count=2000
dir=""
python=true
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count=$2; shift 2 ;;
    --dir) dir=$2; shift 2 ;;
    --no-python) python=false; shift ;;
    *) echo "usage: $0 [--count N | --dir DIR] [--no-python]" >&2; exit 2 ;;
  esac
done
swift build -c release --product spectra-bench >/dev/null
swift build -c release --product starstream-sim >/dev/null
bin=$(swift build -c release --show-bin-path)
data=.local/bench/sim-$count
if [ -n "$dir" ]; then
  data=$dir
  count=$(find "$data" -name '*.fits*' | wc -l)
elif [ ! -f "$data/truth.csv" ]; then
  rm -rf "$data"
  "$bin/starstream-sim" --count "$count" --seed 1 --out "$data" | tail -1
fi
cores=$(nproc)
swift_output=$("$bin/spectra-bench" --dir "$data" --threads "$cores")
echo "$swift_output"
rate() { echo "$1" | grep "$2" | sed -E 's/.* ([0-9]+(\.[0-9]+)?) spectra\/s.*/\1/' | head -1; }
swift_one=$(rate "$swift_output" "all stages, 1 thread")
swift_all=$(rate "$swift_output" "all stages, $cores threads")

$python || exit 0
venv=.local/bench-venv
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c "import astropy, scipy, numpy" 2>/dev/null; then
  echo "bench: installing the Python baseline into $venv (Tools/spectra-baseline/requirements.txt)"
  if ! { python3 -m venv "$venv" && "$venv/bin/pip" install -q -r Tools/spectra-baseline/requirements.txt; }; then
    echo "bench: Python baseline skipped: could not install it (offline?)"
    exit 0
  fi
fi
export OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 MKL_NUM_THREADS=1
py_one_output=$("$venv/bin/python" Tools/spectra-baseline/baseline.py --dir "$data" --processes 1)
py_all_output=$("$venv/bin/python" Tools/spectra-baseline/baseline.py --dir "$data" --processes "$cores")
echo "$py_one_output"
echo "$py_all_output"
py_one=$(echo "$py_one_output" | sed -E 's/.*= ([0-9.]+) spectra\/s.*/\1/')
py_all=$(echo "$py_all_output" | sed -E 's/.*= ([0-9.]+) spectra\/s.*/\1/')
python3 - "$swift_one" "$swift_all" "$py_one" "$py_all" "$cores" "$count" <<'PY'
import sys
swift_one, swift_all, py_one, py_all = map(float, sys.argv[1:5])
cores, count = sys.argv[5], sys.argv[6]
print(f"\nread → catalog → preprocess → features on {count} spectra (spectra/s)")
print(f"{'':28}{'Swift':>10}{'Python':>10}{'ratio':>8}")
print(f"{'1 core':28}{swift_one:>10.0f}{py_one:>10.0f}{swift_one / py_one:>7.1f}x")
print(f"{cores + ' cores':28}{swift_all:>10.0f}{py_all:>10.0f}{swift_all / py_all:>7.1f}x")
print("goal: 10x the Python baseline on the same cores")
PY
