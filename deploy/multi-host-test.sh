#!/usr/bin/env bash
# Starstream across three hosts, on one machine: network namespaces joined by a bridge, with
# addresses inside the namespaces only and host names in each one's /etc/hosts.
#
#   host-a  Redis, PostgreSQL, the MongoDB stand-in
#   host-b  fetcher, trainer
#   host-c  cataloger, preprocessor, feature-extractor, classifier
#
# Every service has its own DATA_DIR, and connection strings name hosts. COUNT simulated
# spectra (default 1,000) go through; once a third are catalogued every process on host-c is
# killed with SIGKILL and started again. Passes when every spectrum is catalogued, preprocessed,
# measured and classified exactly once (one row or document each in the stores, every OBSID in
# every stream) and nothing is dead-lettered.
#
#   bash deploy/multi-host-test.sh [--bin DIR]   # needs root (ip netns); exits 77 without it
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
bin=""
[ "${1:-}" = --bin ] && bin=$2
[ -n "$bin" ] || bin=$(swift build --show-bin-path)
count=${COUNT:-1000}
if [ "$(id -u)" -ne 0 ] || ! command -v ip >/dev/null; then
  echo "multi-host: skipped: network namespaces need root and iproute2" >&2
  exit 77
fi
if ! ls -d /usr/lib/postgresql/*/bin >/dev/null 2>&1 || ! command -v redis-server >/dev/null || [ ! -x "$root/.local/venv/bin/secantusd-py" ]; then
  echo "multi-host: skipped: needs PostgreSQL's server binaries, redis-server and SecantusDB (bash deploy/install.sh)" >&2
  exit 77
fi
for tool in fetcher cataloger preprocessor feature-extractor trainer classifier starstream-sim; do
  [ -x "$bin/$tool" ] || { echo "multi-host: $bin/$tool is not built" >&2; exit 1; }
done

id=ss$$
state=$root/.local/multi-host/$id
logs=$state/logs
pgbin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)
declare -A address=([a]=10.77.0.1 [b]=10.77.0.2 [c]=10.77.0.3)
on() { local host=$1; shift; ip netns exec "$id-$host" "$@"; }
# Background processes are started as `ip netns exec … &` (a simple command, which bash execs
# in the forked child, as `ip netns exec` execs its command): `$!` is then the process itself,
# so SIGKILL reaches the service, not a subshell around it. Each is disowned (the script reports
# what it kills; bash's job notices would only repeat it).
as_pg() { runuser -u postgres -- "$@"; }
declare -A pids

cleanup() {
  for name in "${!pids[@]}"; do kill -KILL "${pids[$name]}" 2>/dev/null || true; done
  # Anything else still running in a host (a namespace outlives its deletion while it has processes).
  for host in a b c; do ip netns pids "$id-$host" 2>/dev/null | xargs -r kill -KILL 2>/dev/null || true; done
  [ -d "$state/pg" ] && on a runuser -u postgres -- "$pgbin/pg_ctl" -D "$state/pg" -m immediate stop >/dev/null 2>&1 || true
  for host in a b c sw; do ip netns del "$id-$host" 2>/dev/null || true; rm -rf "/etc/netns/$id-$host"; done
  [ "${KEEP_STATE:-0}" = 1 ] || rm -rf "$state"
}
trap cleanup EXIT

# The network: a bridge in a namespace of its own (the switch), one veth per host.
mkdir -p "$logs"
ip netns add "$id-sw"
ip -n "$id-sw" link add br0 type bridge
ip -n "$id-sw" link set br0 up
for host in a b c; do
  ip netns add "$id-$host"
  ip link add "v$host" netns "$id-sw" type veth peer name eth0 netns "$id-$host"
  ip -n "$id-sw" link set "v$host" master br0 up
  ip -n "$id-$host" addr add "${address[$host]}/24" dev eth0
  ip -n "$id-$host" link set eth0 up
  ip -n "$id-$host" link set lo up
  # `ip netns exec` puts /etc/netns/<name>/hosts in place of /etc/hosts.
  mkdir -p "/etc/netns/$id-$host"
  printf '127.0.0.1 localhost\n%s host-a\n%s host-b\n%s host-c\n' "${address[a]}" "${address[b]}" "${address[c]}" >"/etc/netns/$id-$host/hosts"
done
wait_for() { # what, host, command…
  local what=$1 host=$2; shift 2
  for _ in $(seq 1 300); do on "$host" "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "multi-host: $what did not come up; logs in $logs" >&2; KEEP_STATE=1; exit 1
}

# host-a: the servers, listening on host-a's address only.
mkdir -p "$state/redis" "$state/pg" "$state/pgsock" "$state/mongo"
chown postgres "$state/pg" "$state/pgsock"
chmod 755 "$state" "$root/.local/multi-host"
# Redis off loopback wants a password (protected mode); one made for this run.
redis_password=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
ip netns exec "$id-a" redis-server --bind "${address[a]}" --port 6379 --requirepass "$redis_password" --dir "$state/redis" --save "" --appendonly no >"$logs/redis.log" 2>&1 &
pids[redis]=$!; disown
as_pg "$pgbin/initdb" -D "$state/pg" -U starstream --auth=trust -E UTF8 >"$logs/initdb.log" 2>&1
echo "host all all 10.77.0.0/24 trust" >>"$state/pg/pg_hba.conf"
on a runuser -u postgres -- "$pgbin/pg_ctl" -D "$state/pg" -l "$state/pg/postgres.log" -w -o \
  "-c listen_addresses=${address[a]} -p 5432 -k $state/pgsock -c fsync=off -c max_connections=200" start >/dev/null
on a runuser -u postgres -- "$pgbin/createdb" -h host-a -U starstream starstream
ip netns exec "$id-a" "$root/.local/venv/bin/secantusd-py" --host "${address[a]}" --port 27017 --storage-path "$state/mongo" --standalone \
  --log-level WARNING >"$logs/mongo.log" 2>&1 &
pids[mongo]=$!; disown
wait_for redis b sh -c "redis-cli -h host-a -a $redis_password --no-auth-warning ping | grep -q PONG"
wait_for mongo c python3 -c "import socket; socket.create_connection(('host-a', 27017), 1)"

common=(REDIS_URL=redis://:$redis_password@host-a:6379/0 DATABASE_URL=postgresql://starstream@host-a:5432/starstream
  MONGO_URI=mongodb://host-a:27017/starstream RECLAIM_IDLE_MS=5000 LOG_LEVEL=info)
declare -A port=([fetcher]=8081 [cataloger]=8082 [preprocessor]=8083 [feature-extractor]=8084 [trainer]=8085 [classifier]=8088)
declare -A host=([fetcher]=b [trainer]=b [cataloger]=c [preprocessor]=c [feature-extractor]=c [classifier]=c)
start() { # service
  local service=$1 extra=()
  [ "$service" = trainer ] && extra=(TRAIN_AFTER_NEW=$((count / 3)) FOREST_TREES=40)
  [ "$service" = classifier ] && extra=(TRAINER_URL=http://host-b:8085)
  ip netns exec "$id-${host[$service]}" env "${common[@]}" "${extra[@]}" HTTP_HOST="host-${host[$service]}" HTTP_PORT="${port[$service]}" \
    DATA_DIR="$state/data/$service" "$bin/$service" >>"$logs/$service.log" 2>&1 &
  pids[$service]=$!
  disown
}
ready() { on "${host[$1]}" curl -fsS "http://host-${host[$1]}:${port[$1]}/readyz"; }
services=(fetcher trainer cataloger preprocessor feature-extractor classifier)
for service in "${services[@]}"; do start "$service"; done
for service in "${services[@]}"; do wait_for "$service" a curl -fsS "http://host-${host[$service]}:${port[$service]}/readyz"; done
echo "multi-host: six services on host-b and host-c, servers on host-a, ready"

mirror=$state/mirror
"$bin/starstream-sim" --count "$count" --per-plan 100 --seed 31 --out "$mirror" >/dev/null
on b env "${common[@]}" "$bin/fetcher" enqueue --base "file://$mirror" $(cd "$mirror" && ls -d SIM*) >/dev/null
redis() { on a redis-cli -h host-a -a "$redis_password" --no-auth-warning "$@"; }
started=$(date +%s)
deadline=$((started + ${TIMEOUT_S:-600}))
until [ "$(redis XLEN spectra.cataloged)" -ge $((count / 3)) ]; do
  [ "$(date +%s)" -lt "$deadline" ] || { echo "multi-host: timed out before a third was catalogued; logs in $logs" >&2; KEEP_STATE=1; exit 1; }
  sleep 0.2
done
echo "multi-host: $(redis XLEN spectra.cataloged) catalogued; killing every process on host-c (SIGKILL) and starting them again"
for service in cataloger preprocessor feature-extractor classifier; do kill -KILL "${pids[$service]}"; done
for _ in $(seq 1 100); do [ -z "$(ip netns pids "$id-c")" ] && break; sleep 0.1; done
left=$(ip netns pids "$id-c" | wc -l)
[ "$left" -eq 0 ] || { echo "multi-host: $left process(es) survived the kill on host-c" >&2; exit 1; }
for service in cataloger preprocessor feature-extractor classifier; do start "$service"; done

summary() { on a curl -fsS "http://host-c:8088/api/spectra/summary" 2>/dev/null || echo '{}'; }
classified() { summary | python3 -c 'import json,sys; print(json.load(sys.stdin).get("classified", 0))'; }
until [ "$(classified)" -ge "$count" ]; do
  [ "$(date +%s)" -lt "$deadline" ] || { echo "multi-host: timed out: $(summary); logs in $logs" >&2; KEEP_STATE=1; exit 1; }
  sleep 1
done
echo "multi-host: all $count classified $(( $(date +%s) - started )) s after the request"

failures=0
check() { # description, actual, expected
  if [ "$2" = "$3" ]; then echo "multi-host: ok: $1 = $2"; else echo "multi-host: FAILED: $1 = $2, expected $3" >&2; failures=$((failures + 1)); fi
}
sql() { on a psql -h host-a -U starstream -d starstream -tAc "$1"; }
distinct() { redis --raw XRANGE "$1" - + | grep -o '"obsid":[0-9]*' | sort -u | wc -l; }
check "rows in cataloger.catalog" "$(sql 'SELECT count(*) FROM cataloger.catalog')" "$count"
check "rows in preprocessor.spectra" "$(sql 'SELECT count(*) FROM preprocessor.spectra')" "$count"
check "rows in features.vectors" "$(sql 'SELECT count(*) FROM features.vectors')" "$count"
check "spectra the classifier holds, classified" "$(classified)" "$count"
for stream in spectra.cataloged spectra.preprocessed spectra.features spectra.classified; do
  check "distinct OBSIDs on $stream" "$(distinct $stream)" "$count"
done
check "files announced by host-b's fetcher" "$(redis --raw XRANGE spectra.downloaded - + | grep -cE '"url":"http:(\\/|/){2}host-b:8081(\\/|/)files')" \
  "$(redis XLEN spectra.downloaded)"
for stream in spectra.fetch-requests spectra.downloaded spectra.cataloged spectra.preprocessed spectra.features; do
  check "dead letters on $stream" "$(redis XLEN "$stream.dlq")" 0
done
echo "multi-host: entries per stream (redeliveries after the kill may repeat a message; the stores are idempotent):" \
  "$(for s in spectra.downloaded spectra.cataloged spectra.preprocessed spectra.features; do printf '%s=%s ' "$s" "$(redis XLEN $s)"; done)"
[ "$failures" -eq 0 ] || { KEEP_STATE=1; echo "multi-host: $failures check(s) failed; logs kept in $logs" >&2; exit 1; }
echo "multi-host: passed"
