#!/usr/bin/env bash
# Starts or stops throwaway Redis, PostgreSQL and SecantusDB (MongoDB wire protocol) servers
# on free loopback ports, with all their state under .local/servers/; with
# STARSTREAM_WITH_MLFLOW=1, also an MLflow tracking server (SQLite backend, artifacts in a
# folder; installed into .local/mlflow-venv from Tools/mlflow/requirements.txt when missing).
#
#   deploy/servers.sh start    # idempotent; prints the environment to use
#   deploy/servers.sh env      # prints REDIS_URL=… DATABASE_URL=… MONGO_URI=…
#   deploy/servers.sh stop     # stops them and deletes their state
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
state=${STARSTREAM_SERVERS_DIR:-$root/.local/servers}
pgbin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1)

free_port() { python3 deploy/free-ports.py 1; }  # the scripts run from the repository root
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }
# initdb refuses to run as root: run PostgreSQL as the postgres user when we are root.
as_pg() { if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi; }
wait_for() { # what, command…
  local what=$1; shift
  for _ in $(seq 1 100); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "servers: $what did not come up; see $state/*.log" >&2; return 1
}

start_redis() {
  alive "$state/redis.pid" && return 0
  local port; port=$(free_port)
  mkdir -p "$state/redis"
  redis-server --bind 127.0.0.1 --port "$port" --dir "$state/redis" --daemonize yes \
    --pidfile "$state/redis.pid" --logfile "$state/redis.log" --save "" --appendonly no >/dev/null
  echo "REDIS_URL=redis://127.0.0.1:$port/0" >"$state/redis.env"
  wait_for redis redis-cli -p "$port" ping
}

start_postgres() {
  [ -f "$state/postgres.env" ] && as_pg "$pgbin/pg_ctl" -D "$state/pg" status >/dev/null 2>&1 && return 0
  local port; port=$(free_port)
  mkdir -p "$state/pg" "$state/pgsock"
  [ "$(id -u)" -eq 0 ] && chown postgres "$state/pg" "$state/pgsock" && chmod 755 "$state"
  if [ ! -f "$state/pg/PG_VERSION" ]; then
    as_pg "$pgbin/initdb" -D "$state/pg" -U starstream --auth=trust -E UTF8 >"$state/initdb.log" 2>&1
  fi
  as_pg "$pgbin/pg_ctl" -D "$state/pg" -l "$state/pg/postgres.log" -w -o \
    "-c listen_addresses=127.0.0.1 -p $port -k $state/pgsock -c fsync=off -c max_connections=300" start >/dev/null
  as_pg "$pgbin/createdb" -h 127.0.0.1 -p "$port" -U starstream starstream 2>/dev/null || true
  echo "DATABASE_URL=postgresql://starstream@127.0.0.1:$port/starstream" >"$state/postgres.env"
}

start_mongo() {
  alive "$state/mongo.pid" && return 0
  local port; port=$(free_port)
  mkdir -p "$state/mongo"
  nohup "$root/.local/venv/bin/secantusd-py" --host 127.0.0.1 --port "$port" \
    --storage-path "$state/mongo" --standalone --log-level WARNING >"$state/mongo.log" 2>&1 &
  echo $! >"$state/mongo.pid"
  echo "MONGO_URI=mongodb://127.0.0.1:$port/starstream" >"$state/mongo.env"
  wait_for secantusdb python3 -c "import socket; socket.create_connection(('127.0.0.1', $port), 1)"
}

start_mlflow() {
  alive "$state/mlflow.pid" && return 0
  local venv=$root/.local/mlflow-venv
  if ! cmp -s "$root/Tools/mlflow/requirements.txt" "$venv/requirements.txt"; then
    echo "servers: installing MLflow into $venv (Tools/mlflow/requirements.txt; about a minute)" >&2
    rm -rf "$venv"
    python3 -m venv "$venv"
    "$venv/bin/pip" install -q --disable-pip-version-check -r "$root/Tools/mlflow/requirements.txt" >&2
    cp "$root/Tools/mlflow/requirements.txt" "$venv/requirements.txt"
  fi
  local port; port=$(free_port)
  mkdir -p "$state/mlflow/artifacts"
  # One worker: the tests need no more, and each costs a Python process.
  # No job runner: it starts eight more Python processes for features (judges, jobs) never used here.
  MLFLOW_SERVER_ENABLE_JOB_EXECUTION=false MLFLOW_DISABLE_TELEMETRY=true DO_NOT_TRACK=true nohup "$venv/bin/mlflow" server --host 127.0.0.1 --port "$port" --workers 1 \
    --backend-store-uri "sqlite:///$state/mlflow/mlflow.db" --artifacts-destination "$state/mlflow/artifacts" \
    >"$state/mlflow.log" 2>&1 &
  echo $! >"$state/mlflow.pid"
  echo "MLFLOW_TEST_URI=http://127.0.0.1:$port" >"$state/mlflow.env"
  for _ in $(seq 1 600); do curl -fsS "http://127.0.0.1:$port/health" >/dev/null 2>&1 && return 0; sleep 0.1; done
  echo "servers: MLflow did not come up; see $state/mlflow.log" >&2; return 1
}

print_env() { cat "$state"/redis.env "$state"/postgres.env "$state"/mongo.env "$state"/mlflow.env 2>/dev/null || true; }

stop_all() {
  if [ -f "$state/redis.pid" ]; then kill "$(cat "$state/redis.pid")" 2>/dev/null || true; fi
  if [ -d "$state/pg" ]; then as_pg "$pgbin/pg_ctl" -D "$state/pg" -m fast stop >/dev/null 2>&1 || true; fi
  if [ -f "$state/mongo.pid" ]; then kill "$(cat "$state/mongo.pid")" 2>/dev/null || true; fi
  # mlflow server runs its workers as children: stop the whole group.
  if [ -f "$state/mlflow.pid" ]; then pkill -TERM -P "$(cat "$state/mlflow.pid")" 2>/dev/null || true; kill "$(cat "$state/mlflow.pid")" 2>/dev/null || true; fi
  sleep 0.3
  rm -rf "$state"
}

case "${1:-}" in
  start)
    mkdir -p "$state"
    start_redis; start_postgres; start_mongo
    if [ "${STARSTREAM_WITH_MLFLOW:-0}" = 1 ]; then start_mlflow; fi
    echo "servers: running (state in $state)" >&2
    print_env ;;
  env) print_env ;;
  stop) stop_all; echo "servers: stopped" >&2 ;;
  *) echo "usage: $0 start|env|stop" >&2; exit 2 ;;
esac
