#!/usr/bin/env bash
# Starts every service in the runtime image's file system, built without Docker: a
# `debootstrap --variant=minbase bookworm` root (what debian:bookworm-slim is) plus exactly the
# packages of deploy/docker/runtime-packages.txt, the built binaries copied in, each service run
# in a chroot against the servers in REDIS_URL, DATABASE_URL and MONGO_URI until /livez answers.
#
#   deploy/image-test.sh [--bin DIR]      # needs root (debootstrap, chroot), as CI has
#
# The binaries are the test build's; the Swift runtime libraries beside them stand in for
# --static-swift-stdlib, which links the same libraries into the release binaries. The root is
# kept in .local/image-root and rebuilt when the package list changes. As a container engine does,
# the test mounts /proc and a read-only /sys inside the root for the services' run: the Swift
# runtime's Dispatch reads /proc/<tid>/stat to size its thread pool and traps (SIGILL, no message)
# when it cannot, at a moment that depends on load, so a root without /proc fails at random.
set -euo pipefail
cd "$(dirname "$0")/.."
bin=""
while (($#)); do
  case "$1" in
    --bin) bin=$2; shift 2 ;;
    *) echo "usage: $0 [--bin DIR]" >&2; exit 2 ;;
  esac
done
[ -n "$bin" ] || bin=$(swift build --show-bin-path)
: "${REDIS_URL:?image-test: set REDIS_URL (deploy/servers.sh env prints it)}" "${DATABASE_URL:?image-test: set DATABASE_URL}" "${MONGO_URI:?image-test: set MONGO_URI}"
mkdir -p .local
if [ "$(id -u)" -ne 0 ]; then echo "image-test: SKIPPED: needs root for debootstrap and chroot (CI runs as root)"; exit 0; fi
command -v debootstrap >/dev/null || { echo "image-test: debootstrap missing: run deploy/install.sh" >&2; exit 1; }

root=$PWD/.local/image-root
list=deploy/docker/runtime-packages.txt
mapfile -t packages < <(grep -v '^\s*#' "$list" | awk 'NF {print $1}')
stamp=$(sha256sum "$list" | cut -c1-16)
mirror=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources 2>/dev/null || true)
[ -n "$mirror" ] || mirror=$(awk '$1 == "deb" {for (i = 2; i <= NF; i++) if ($i ~ /^https?:/) {print $i; exit}}' /etc/apt/sources.list 2>/dev/null || true)
[ -n "$mirror" ] || mirror=http://deb.debian.org/debian

unmount_root() {
  local point
  for point in "$root/sys" "$root/proc"; do
    if mountpoint -q "$point" 2>/dev/null; then umount "$point" || umount -l "$point"; fi
  done
}
# A run stopped half-way may have left them mounted: never delete or rebuild through a mount.
unmount_root
trap unmount_root EXIT

if [ "$(cat "$root/.starstream-packages" 2>/dev/null)" != "$stamp" ]; then
  rm -rf "$root"
  echo "image-test: debootstrap --variant=minbase bookworm (from $mirror)"
  debootstrap --variant=minbase bookworm "$root" "$mirror" >"$PWD/.local/image-debootstrap.log" 2>&1 \
    || { tail -20 "$PWD/.local/image-debootstrap.log" >&2; exit 1; }
  echo "image-test: installing the image's packages: ${packages[*]}"
  chroot "$root" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive chroot "$root" apt-get install -y -qq --no-install-recommends "${packages[@]}" >/dev/null
  echo "$stamp" >"$root/.starstream-packages"
else
  echo "image-test: reusing $root (package list unchanged)"
fi

rm -rf "$root/opt/starstream"
mkdir -p "$root/opt/starstream/bin" "$root/opt/starstream/swift-runtime" "$root/var/lib/starstream"
runtime=$(readlink -f "$(dirname "$(readlink -f "$(command -v swift)")")/../lib/swift/linux")
cp "$runtime"/*.so "$root/opt/starstream/swift-runtime/"
services=(fetcher cataloger preprocessor feature-extractor trainer arxiv-poller summarizer classifier drift-monitor gateway)
for service in "${services[@]}" stream-probe; do cp "$bin/$service" "$root/opt/starstream/bin/"; done

mount -t proc proc "$root/proc"
mount -t sysfs -o ro sysfs "$root/sys"

free_port() { python3 deploy/free-ports.py 1; }  # the scripts run from the repository root
failed=0
for service in "${services[@]}"; do
  port=$(free_port)
  log=$root/var/lib/starstream/$service.log
  rm -f "$root/core"
  # A crash leaves a core in the root's / (core_pattern "core"), so a failure can say where it was.
  ulimit -c unlimited
  chroot "$root" /usr/bin/env -i PATH=/usr/bin:/bin LD_LIBRARY_PATH=/opt/starstream/swift-runtime \
    HTTP_HOST=127.0.0.1 HTTP_PORT="$port" LOG_FORMAT=json DATA_DIR="/var/lib/starstream/$service" \
    REDIS_URL="$REDIS_URL" DATABASE_URL="$DATABASE_URL" MONGO_URI="$MONGO_URI" \
    "/opt/starstream/bin/$service" >"$log" 2>&1 &
  pid=$!
  answered=""
  for _ in $(seq 1 150); do
    if curl -fsS "http://127.0.0.1:$port/livez" >/dev/null 2>&1; then answered=yes; break; fi
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.2
  done
  kill -TERM "$pid" 2>/dev/null || true
  wait "$pid" 2>/dev/null || true
  if [ -n "$answered" ]; then
    echo "image-test: $service started in the image and answered /livez"
  else
    failed=1
    echo "image-test: $service did not answer /livez in the image; its output:" >&2
    tail -5 "$log" >&2 || true
    if [ -f "$root/core" ] && command -v gdb >/dev/null; then
      echo "image-test: where $service stopped:" >&2
      gdb -batch -q -ex "set sysroot $root" -ex "thread apply all bt 12" "$bin/$service" "$root/core" 2>&1 | grep -E '^(#|Thread|Program)' | head -60 >&2 || true
    fi
  fi
done
((failed == 0)) || exit 1
echo "image-test: all ${#services[@]} services start in a bookworm root with only the image's packages"
