#!/usr/bin/env bash
# Starts a throwaway PostgreSQL cluster for tests and local runs: installs PostgreSQL from the
# machine's Debian packages when it is missing, initdb's a cluster in a temp dir as a non-root
# user, starts it on a free loopback port and prints `DATABASE_URL=…` as its last line.
#   SPEC_KITTY_PG_DIR  directory for the cluster (default: a new temp dir)
#   SPEC_KITTY_PG_PORT port (default: a free one)
# `scripts/db-stop.sh [dir]` stops it and removes the directory; without a dir, the last cluster
# started without SPEC_KITTY_PG_DIR (a caller naming the dir stops it by that name).
set -euo pipefail

state_file="${TMPDIR:-/tmp}/spec-kitty-pg.current"

find_bin() {
  local candidate
  candidate="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
  if [ -n "$candidate" ] && [ -x "$candidate/initdb" ]; then echo "$candidate"; return; fi
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(command -v initdb)"
  fi
}

bin="$(find_bin)"
if [ -z "$bin" ]; then
  # Packages testing in parallel may all find PostgreSQL missing: one installs, the others wait.
  exec 9>"${TMPDIR:-/tmp}/spec-kitty-pg.install.lock"
  if command -v flock >/dev/null 2>&1; then flock 9; fi
  bin="$(find_bin)"
fi
if [ -z "$bin" ]; then
  echo "db-start: PostgreSQL not found; installing it from the Debian packages" >&2
  sudo_cmd=()
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1; then sudo_cmd=(sudo -n); else
      echo "db-start: PostgreSQL is missing and this user cannot install it. Run as root: apt-get install -y postgresql" >&2
      exit 1
    fi
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo_cmd[@]}" apt-get update -qq >&2
  "${sudo_cmd[@]}" apt-get install -y -qq postgresql >&2
  bin="$(find_bin)"
  [ -n "$bin" ] || { echo "db-start: PostgreSQL installed but initdb was not found" >&2; exit 1; }
fi
exec 9>&-

named_dir="${SPEC_KITTY_PG_DIR:-}"
dir="${named_dir:-$(mktemp -d "${TMPDIR:-/tmp}/spec-kitty-pg.XXXXXX")}"
mkdir -p "$dir"
port="${SPEC_KITTY_PG_PORT:-$(node -e "const s=require('net').createServer();s.listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})")}"

# PostgreSQL refuses to run as root: the cluster belongs to an unprivileged user.
run_as=()
if [ "$(id -u)" = 0 ]; then
  chown -R nobody "$dir"
  chmod 700 "$dir"
  run_as=(runuser -u nobody --)
fi

"${run_as[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 --no-sync >"$dir/initdb.log" 2>&1 ||
  "${run_as[@]}" "$bin/initdb" -D "$dir/data" -U postgres --auth=trust -E UTF8 --no-sync >"$dir/initdb.log" 2>&1 || {
  cat "$dir/initdb.log" >&2
  exit 1
}
# A throwaway cluster: no fsync (tests never pull the plug on Postgres itself), room for a
# worker fleet's pools, Unix socket kept inside the cluster directory.
"${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
  -o "-p $port -k $dir -c listen_addresses=127.0.0.1 -c max_connections=300 -c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
  start >&2 || {
  cat "$dir/server.log" >&2
  exit 1
}

url="postgres://postgres@127.0.0.1:$port/postgres"
# Only a cluster nobody named is "the last one" for a bare db-stop.sh: a test run that names its
# dir must not make a bare db-stop.sh stop its cluster.
if [ -z "$named_dir" ]; then printf '%s\n' "$dir" >"$state_file" 2>/dev/null || true; fi
printf 'DATABASE_URL=%s\n' "$url" >"$dir/env"
echo "db-start: PostgreSQL $("$bin/postgres" --version | awk '{print $3}') on 127.0.0.1:$port (cluster in $dir)." >&2
echo "db-start: export SPEC_KITTY_TEST_DATABASE_URL=$url; stop it with: bash scripts/db-stop.sh $dir" >&2
echo "DATABASE_URL=$url"
