#!/usr/bin/env bash
# Runs `langnghe-bench search` against a private PostgreSQL started here (Debian's package),
# then stops it. Usage: crates/bench/search.sh [--rounds N]
set -euo pipefail
cd "$(dirname "$0")/../.."
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$HOME/.cache/langnghe-target}"
export LANGNGHE_SHARED_DATA="${LANGNGHE_SHARED_DATA:-$(cd .. && pwd)/shared/data}"

if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql postgresql-contrib
fi
bin=$(dirname "$(ls /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)")
pgdata=$(mktemp -d /tmp/langnghe-bench-pg.XXXXXX)
chown postgres "$pgdata"
as_pg() { if [ "$(id -u)" = 0 ]; then su postgres -s /bin/sh -c "$*"; else sh -c "$*"; fi; }
as_pg "$bin/initdb -D $pgdata -U postgres -A trust -E UTF8 >/dev/null"
as_pg "$bin/pg_ctl -D $pgdata -o '-p 54329 -k $pgdata -c listen_addresses=127.0.0.1' -l $pgdata/log -w start >/dev/null"
trap 'as_pg "$bin/pg_ctl -D $pgdata -m fast stop >/dev/null" || true; rm -rf "$pgdata"' EXIT

echo "PostgreSQL: $("$bin/postgres" --version)"
cargo run --release -q -p langnghe-bench -- search --pg "host=127.0.0.1 port=54329 user=postgres dbname=postgres" "$@"
