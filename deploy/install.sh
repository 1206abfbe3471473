#!/usr/bin/env bash
# Installs what Starstream needs on Debian 12: the C libraries, Redis, PostgreSQL, and the
# MongoDB-compatible SecantusDB server in a virtualenv under .local/. Safe to run again.
#
#   deploy/install.sh                   # everything the demo and the tests need
#   deploy/install.sh --libraries-only  # only what building needs (the Docker build stage)
set -euo pipefail
cd "$(dirname "$0")/.."

libraries=(libhiredis-dev libpq-dev libmongoc-dev libbson-dev libcurl4-openssl-dev libcfitsio-dev libdeflate-dev pkg-config)
servers=(redis-server redis-tools postgresql python3-venv curl)
# The image test builds the runtime image's file system without Docker; the dashboard test drives a real browser;
# the gateway's benchmark loads it with wrk; a test whose service does not stop prints its threads' stacks with gdb;
# docker-compose validates the compose file (no engine is needed for `config`).
tools=(debootstrap chromium wrk gdb docker-compose)
if [ "${1:-}" = --libraries-only ]; then packages=("${libraries[@]}"); else packages=("${libraries[@]}" "${servers[@]}" "${tools[@]}"); fi
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "ok installed" || missing+=("$package")
done
if ((${#missing[@]})); then
  echo "install: apt-get install ${missing[*]}"
  sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
else
  echo "install: Debian packages present"
fi

[ "${1:-}" = --libraries-only ] && exit 0

# promtool checks the Prometheus files. Debian ships it only in the `prometheus` package, whose
# installation would start a Prometheus server: it is unpacked from the package into .local/tools instead.
if [ ! -x .local/tools/bin/promtool ]; then
  echo "install: promtool (from Debian's prometheus package) into .local/tools"
  mkdir -p .local/tools/bin .local/tools/deb
  (cd .local/tools/deb && { apt-get download prometheus >/dev/null 2>&1 || { ${sudo:-} apt-get update -qq && apt-get download prometheus >/dev/null; }; })
  dpkg-deb -x .local/tools/deb/prometheus_*.deb .local/tools/root
  ln -sf ../root/usr/bin/promtool .local/tools/bin/promtool
  rm -rf .local/tools/deb
fi

venv=.local/venv
if [ ! -x "$venv/bin/secantusd-py" ]; then
  echo "install: SecantusDB 0.7.0b3 into $venv"
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q --disable-pip-version-check "SecantusDB==0.7.0b3"
else
  echo "install: SecantusDB present in $venv"
fi
