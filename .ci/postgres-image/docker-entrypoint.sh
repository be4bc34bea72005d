#!/usr/bin/env bash
# Entrypoint of kjp-postgres:15-local. It follows the environment contract of the official
# `postgres` image (docker-library/postgres), so @testcontainers/postgresql and anything else
# written for that image work unchanged:
#
#   POSTGRES_PASSWORD           superuser password; required on first start unless
#                               POSTGRES_HOST_AUTH_METHOD=trust
#   POSTGRES_USER               superuser name (default: postgres)
#   POSTGRES_DB                 database created on first start (default: POSTGRES_USER)
#   POSTGRES_INITDB_ARGS        extra initdb arguments
#   POSTGRES_HOST_AUTH_METHOD   pg_hba method for TCP connections (default: scram-sha-256)
#   *_FILE                      read any of the above from a file instead, e.g. a secret
#   /docker-entrypoint-initdb.d/*.sh, *.sql, *.sql.gz  run once, on first start, in name order
#
# On first start it runs initdb, starts a temporary server on the Unix socket only for the
# database and the init scripts, and stops it again. Then it execs `postgres` listening on every
# address at port 5432. Both servers log "database system is ready to accept connections", so a
# first start logs it twice and a restart once, as the official image does. Wait strategies
# that count that line rely on this.
set -Eeuo pipefail

log() { echo "docker-entrypoint: $*" >&2; }

# Sets NAME from NAME or from the file named by NAME_FILE, never both.
read_env_or_file() {
  local name=$1 default=${2:-}
  local file_name="${name}_FILE"
  if [ -n "${!name:-}" ] && [ -n "${!file_name:-}" ]; then
    log "both $name and $file_name are set; set only one"
    exit 1
  fi

  local value=$default
  if [ -n "${!name:-}" ]; then
    value=${!name}
  elif [ -n "${!file_name:-}" ]; then
    value=$(<"${!file_name}")
  fi
  export "$name"="$value"
  unset "$file_name"
}

# Runs as root only long enough to give the data and socket directories to the postgres user,
# then re-runs this script as that user.
take_ownership_and_drop_root() {
  mkdir -p "$PGDATA"
  chmod 700 "$PGDATA"
  mkdir -p /var/run/postgresql
  chmod 3777 /var/run/postgresql
  find "$PGDATA" \! -user postgres -exec chown postgres:postgres '{}' +
  chown postgres:postgres /var/run/postgresql

  exec setpriv --reuid=postgres --regid=postgres --init-groups "$0" "$@"
}

check_first_start_settings() {
  if [ -n "$POSTGRES_PASSWORD" ] || [ "$POSTGRES_HOST_AUTH_METHOD" = trust ]; then
    return 0
  fi
  log "POSTGRES_PASSWORD is not set, and the database is uninitialized."
  log "Set POSTGRES_PASSWORD to a non-empty value for the superuser, or POSTGRES_HOST_AUTH_METHOD=trust to allow connections without one (unsafe outside tests)."
  exit 1
}

initialize_cluster() {
  log "initializing the cluster in $PGDATA for user $POSTGRES_USER"
  # The password reaches initdb through a pipe, so it never appears in a process listing.
  # shellcheck disable=SC2086 # POSTGRES_INITDB_ARGS is a list of arguments by contract.
  initdb --username="$POSTGRES_USER" --pwfile=<(printf '%s\n' "$POSTGRES_PASSWORD") $POSTGRES_INITDB_ARGS

  printf "\nlisten_addresses = '*'\n" >>"$PGDATA/postgresql.conf"
  printf '\nhost all all all %s\n' "$POSTGRES_HOST_AUTH_METHOD" >>"$PGDATA/pg_hba.conf"
}

start_temporary_server() {
  # listen_addresses='' keeps TCP closed, so no client outside the container connects before the
  # init scripts finish. Its log goes to the container log like the final server's.
  pg_ctl -D "$PGDATA" -o "-c listen_addresses='' -p 5432" -w start
}

stop_temporary_server() {
  pg_ctl -D "$PGDATA" -m fast -w stop
}

create_database() {
  [ "$POSTGRES_DB" = postgres ] && return 0
  psql_as_superuser postgres --set db="$POSTGRES_DB" <<<'create database :"db";'
}

run_init_scripts() {
  local script
  for script in /docker-entrypoint-initdb.d/*; do
    case "$script" in
      *.sh) log "running $script"; if [ -x "$script" ]; then "$script"; else . "$script"; fi ;;
      *.sql) log "running $script"; psql_as_superuser "$POSTGRES_DB" -f "$script" ;;
      *.sql.gz) log "running $script"; gunzip -c "$script" | psql_as_superuser "$POSTGRES_DB" ;;
      */\*) ;; # the directory is empty
      *) log "ignoring $script: expected .sh, .sql or .sql.gz" ;;
    esac
  done
}

psql_as_superuser() {
  local database=$1
  shift
  psql -v ON_ERROR_STOP=1 --no-psqlrc --no-password --username "$POSTGRES_USER" --dbname "$database" "$@"
}

# `docker run image -c shared_buffers=256MB` passes server flags, as with the official image.
if [ "$#" -eq 0 ] || [ "${1:0:1}" = '-' ]; then
  set -- postgres "$@"
fi

if [ "$1" != postgres ]; then
  exec "$@"
fi

if [ "$(id -u)" = 0 ]; then
  take_ownership_and_drop_root "$@"
fi

read_env_or_file POSTGRES_PASSWORD
read_env_or_file POSTGRES_USER postgres
read_env_or_file POSTGRES_DB "$POSTGRES_USER"
read_env_or_file POSTGRES_INITDB_ARGS
read_env_or_file POSTGRES_HOST_AUTH_METHOD scram-sha-256

if [ ! -s "$PGDATA/PG_VERSION" ]; then
  check_first_start_settings
  initialize_cluster
  start_temporary_server
  create_database
  run_init_scripts
  stop_temporary_server
  log "PostgreSQL init process complete; ready for start up."
else
  log "PostgreSQL database directory appears to contain a database; skipping initialization"
fi

exec "$@"
