#!/usr/bin/env bash
# Packs every public package as the registry would serve it: `pnpm pack` rewrites `workspace:`
# ranges to real versions. Usage: bash scripts/pack-all.sh [DEST] (default ./tarballs).
# Builds first when a package has no dist/.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$(mkdir -p "${1:-$root/tarballs}" && cd "${1:-$root/tarballs}" && pwd)"
cd "$root"
for manifest in packages/*/package.json; do
  dir=$(dirname "$manifest")
  if node -e 'process.exit(require(process.argv[1]).private ? 0 : 1)' "$root/$manifest"; then continue; fi
  if [ ! -d "$dir/dist" ]; then
    TURBO_TELEMETRY_DISABLED=1 pnpm exec turbo run build --output-logs=errors-only >&2
  fi
  (cd "$dir" && pnpm pack --pack-destination "$dest" >/dev/null)
done
# A packed manifest must not point into the workspace.
status=0
for tarball in "$dest"/*.tgz; do
  if tar -xzOf "$tarball" package/package.json | grep -q '"workspace:'; then
    echo "pack-all: $(basename "$tarball") still has a workspace: range" >&2
    status=1
  fi
done
ls "$dest"/*.tgz
exit "$status"
