#!/usr/bin/env bash
# Stops a cluster started by scripts/db-start.sh and removes its directory.
#   scripts/db-stop.sh [dir]   (default: the last cluster db-start.sh started)
set -euo pipefail

state_file="${TMPDIR:-/tmp}/spec-kitty-pg.current"
dir="${1:-}"
if [ -z "$dir" ] && [ -f "$state_file" ]; then dir="$(cat "$state_file")"; fi
if [ -z "$dir" ] || [ ! -d "$dir/data" ]; then
  echo "db-stop: no cluster to stop${dir:+ in $dir}" >&2
  exit 0
fi
case "$dir" in
  */spec-kitty-pg.*|"${SPEC_KITTY_PG_DIR:-/nonexistent}") ;;
  *) echo "db-stop: $dir was not made by db-start.sh; refusing to remove it" >&2; exit 1 ;;
esac

bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
[ -n "$bin" ] && [ -x "$bin/pg_ctl" ] || bin="$(dirname "$(command -v pg_ctl)")"
run_as=()
if [ "$(id -u)" = 0 ]; then run_as=(runuser -u "$(stat -c %U "$dir/data")" --); fi
"${run_as[@]}" "$bin/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
rm -rf "$dir"
if [ -f "$state_file" ] && [ "$(cat "$state_file")" = "$dir" ]; then rm -f "$state_file"; fi
echo "db-stop: stopped and removed $dir" >&2
