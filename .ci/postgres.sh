#!/usr/bin/env bash
# PostgreSQL for the server tests: Debian's package, a throwaway cluster on 127.0.0.1, trust auth.
# Sourced by .ci/run: `start_postgres` exports AUDIT_TEST_DATABASE_URL, `stop_postgres` removes it all.
# (Chroma's server is started by the test session itself, from the environment pip just built.)

start_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
    if command -v apt-get >/dev/null 2>&1 && [[ "$(id -u)" == "0" ]]; then
      (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
        || { echo "warning: could not install postgresql" >&2; return 0; }
    else
      echo "warning: PostgreSQL is not installed; the server tests will fail" >&2
      return 0
    fi
  fi
  local bindir
  bindir="$(dirname "$(ls -d /usr/lib/postgresql/*/bin/initdb | sort -V | tail -1)")"
  PG_ROOT="$(mktemp -d /tmp/ci-pg.XXXXXX)"
  PG_PORT="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
  local as=()
  if [[ "$(id -u)" == "0" ]]; then chown postgres "$PG_ROOT"; as=(runuser -u postgres --); fi
  "${as[@]}" "$bindir/initdb" -D "$PG_ROOT/data" -A trust -U postgres -E UTF8 >/dev/null
  "${as[@]}" "$bindir/pg_ctl" -D "$PG_ROOT/data" -l "$PG_ROOT/log" -w \
    -o "-p $PG_PORT -c listen_addresses=127.0.0.1 -k $PG_ROOT -c fsync=off" start >/dev/null
  PG_STOP=("${as[@]}" "$bindir/pg_ctl" -D "$PG_ROOT/data" -m fast -w stop)
  export AUDIT_TEST_DATABASE_URL="postgresql://postgres@127.0.0.1:$PG_PORT/postgres"
  echo "PostgreSQL on 127.0.0.1:$PG_PORT" >&2
}

stop_postgres() {
  if [[ -n "${PG_ROOT:-}" ]]; then
    "${PG_STOP[@]}" >/dev/null 2>&1 || true
    rm -rf "$PG_ROOT"
  fi
}
