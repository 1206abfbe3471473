#!/usr/bin/env bash
# One PostgreSQL role per service that keeps tables, owning its own schema and nothing else:
# a service can read and write only its own data (docs/ARCHITECTURE.md, "Storage").
#
# Run once by the postgres image on a new data directory (mounted into
# /docker-entrypoint-initdb.d), as the superuser POSTGRES_USER on POSTGRES_DB; the tests run
# it against their own server. Each role's password comes from the environment
# (PG_PASSWORD_<ROLE>, from .env in compose); none is written here.
set -euo pipefail

# role:schema — the schema is what the service's migrations create (its SchemaMigrator).
roles=(fetcher:fetcher cataloger:cataloger preprocessor:preprocessor feature_extractor:features trainer:trainer arxiv_poller:arxiv drift_monitor:drift)

database=${POSTGRES_DB:?POSTGRES_DB names the database}
superuser=${POSTGRES_USER:?POSTGRES_USER names the superuser}
run() { PGOPTIONS='-c client_min_messages=warning' psql -v ON_ERROR_STOP=1 --no-psqlrc --quiet --username "$superuser" --dbname "$database" "$@"; }

# Nobody but the owner of a schema creates in it; nobody creates in public.
run -v db="$database" <<'SQL'
REVOKE CREATE ON SCHEMA public FROM PUBLIC;
REVOKE ALL ON DATABASE :"db" FROM PUBLIC;
SQL
for pair in "${roles[@]}"; do
  role=${pair%%:*}
  schema=${pair#*:}
  variable="PG_PASSWORD_${role^^}"
  password=${!variable:?$variable is not set (see .env.example)}
  run -v role="$role" -v schema="$schema" -v password="$password" -v db="$database" <<'SQL'
SELECT format('CREATE ROLE %I LOGIN PASSWORD %L', :'role', :'password')
WHERE NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = :'role') \gexec
ALTER ROLE :"role" PASSWORD :'password';
GRANT CONNECT, TEMPORARY ON DATABASE :"db" TO :"role";
CREATE SCHEMA IF NOT EXISTS :"schema" AUTHORIZATION :"role";
ALTER ROLE :"role" SET search_path = :"schema";
SQL
  echo "service-roles: role $role owns schema $schema"
done
