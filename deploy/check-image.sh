#!/usr/bin/env bash
# Checks that the runtime image holds every shared library the shipped binaries load: each
# binary's libraries (ldd, transitively), each library's Debian package (dpkg -S), against the
# closure of the image's packages (apt-cache depends --recurse of deploy/docker/runtime-packages.txt
# plus what every bookworm base has: its Essential and required packages).
#
#   deploy/check-image.sh                         # the binaries of the last `swift build`
#   deploy/check-image.sh --packages FILE --bin DIR
#
# Libraries of the Swift toolchain are not looked for: the image's binaries are linked with
# --static-swift-stdlib, which puts them inside the binary (what they in turn load is checked).
set -euo pipefail
cd "$(dirname "$0")/.."
packages_file=deploy/docker/runtime-packages.txt
bin=""
while (($#)); do
  case "$1" in
    --packages) packages_file=$2; shift 2 ;;
    --bin) bin=$2; shift 2 ;;
    *) echo "usage: $0 [--packages FILE] [--bin DIR]" >&2; exit 2 ;;
  esac
done
[ -n "$bin" ] || bin=$(swift build --show-bin-path)
toolchain=$(readlink -f "$(dirname "$(readlink -f "$(command -v swift)")")/../lib")
shipped=(fetcher cataloger preprocessor feature-extractor trainer arxiv-poller summarizer classifier drift-monitor gateway stream-probe)

mapfile -t wanted < <(grep -v '^\s*#' "$packages_file" | awk 'NF {print $1}')
mapfile -t base < <(dpkg-query -W -f='${Package} ${Essential} ${Priority}\n' | awk '$2 == "yes" || $3 == "required" {print $1}')
depends=$(mktemp)
if ! apt-cache depends --recurse --no-recommends --no-suggests --no-conflicts --no-breaks --no-replaces --no-enhances \
  "${wanted[@]}" "${base[@]}" >"$depends" 2>&1; then
  echo "check-image: apt-cache cannot resolve $packages_file (a misspelt package, or not a bookworm host?):" >&2
  grep -E '^E:' "$depends" >&2 || tail -3 "$depends" >&2
  exit 1
fi
# Both sides of an "a | b" alternative are listed: this may accept a library apt would not pick.
closure=$(grep -v '^ ' "$depends" | sed 's/:.*//; s/[<>]//g' | sort -u)

# The package owning a library file, trying both sides of the merged /usr; asked once a file.
declare -A owners
owner() {
  local path=$1 other
  if [ -z "${owners[$path]+set}" ]; then
    case "$path" in /usr/*) other=${path#/usr} ;; *) other=/usr$path ;; esac
    owners[$path]=$({ dpkg -S "$path" 2>/dev/null || dpkg -S "$other" 2>/dev/null || true; } | head -1 | sed 's/:.*//; s/,.*//')
  fi
  package=${owners[$path]}
}

missing=0
for tool in "${shipped[@]}"; do
  [ -x "$bin/$tool" ] || { echo "check-image: $bin/$tool not built" >&2; exit 1; }
  libraries=0
  problems=()
  needs=$(ldd "$bin/$tool") || { echo "check-image: ldd cannot read $bin/$tool" >&2; exit 1; }
  while read -r name path; do
    libraries=$((libraries + 1))
    if [ "$path" = "not" ]; then problems+=("$name is not found on this machine either"); continue; fi
    case "$(readlink -f "$path")" in "$toolchain"/*) continue ;; esac
    owner "$path"
    if [ -z "$package" ]; then problems+=("$name ($path) belongs to no Debian package")
    elif ! grep -qx "$package" <<<"$closure"; then problems+=("$name needs package $package, which the image does not install")
    fi
  done < <(awk '$2 == "=>" && $3 != "" {print $1, $3}' <<<"$needs")
  if ((${#problems[@]})); then
    missing=1
    for problem in "${problems[@]}"; do echo "check-image: $tool: $problem" >&2; done
  else
    echo "check-image: $tool: $libraries shared libraries, all in the image"
  fi
done
if ((missing)); then echo "check-image: add the packages above to $packages_file" >&2; exit 1; fi
echo "check-image: every binary's libraries are in the closure of $packages_file"
