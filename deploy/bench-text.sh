#!/usr/bin/env bash
# The arXiv text models, measured: Atom entries parsed per second, training time of both
# models on N simulated abstracts (time split 80/20), held-out accuracy / top-3 / macro-F1,
# predictions per second; and, when it can be installed from PyPI, scikit-learn's TF-IDF +
# logistic regression and naive Bayes on exactly the same split (optional, not the product).
#
#   bash deploy/bench-text.sh [--count N] [--no-python]
set -euo pipefail
cd "$(dirname "$0")/.."
count=10000
python=true
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count=$2; shift 2 ;;
    --no-python) python=false; shift ;;
    *) echo "usage: $0 [--count N] [--no-python]" >&2; exit 2 ;;
  esac
done
swift build -c release --product arxiv-sim >/dev/null
swift build -c release --product trainer >/dev/null
bin=$(swift build -c release --show-bin-path)
data=.local/bench/arxiv-$count
if [ ! -f "$data/page-0000.xml" ]; then
  rm -rf "$data"
  "$bin/arxiv-sim" --count "$count" --seed 1 --out "$data"
fi
"$bin/trainer" evaluate-text --feeds "$data" --csv "$data.csv"

$python || exit 0
venv=.local/bench-venv
if ! "$venv/bin/python" -c "import sklearn" 2>/dev/null; then
  echo "bench: installing scikit-learn into $venv (Tools/text-baseline/requirements.txt)"
  if ! { [ -x "$venv/bin/python" ] || python3 -m venv "$venv"; } || ! "$venv/bin/pip" install -q -r Tools/text-baseline/requirements.txt; then
    echo "bench: scikit-learn comparison skipped: could not install it (offline?)"
    exit 0
  fi
fi
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 "$venv/bin/python" Tools/text-baseline/compare.py "$data.csv"
