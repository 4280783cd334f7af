#!/usr/bin/env bash
# Installable as published: packs every public package, installs the tarballs with npm into an
# empty project outside the workspace (third-party dependencies come from the registry, none of
# ours do), then runs the installed CLI (--version, demo) and a library script that syncs.
# Catches what workspace links hide: missing `files`, broken `exports`/`bin`, peer ranges,
# dependencies on private or unpublished packages.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
work=$(mktemp -d "${TMPDIR:-/tmp}/spec-kitty-pack-smoke.XXXXXX")
trap 'rm -rf "$work"' EXIT
# From a clone, `pnpm cli` runs the built CLI in the directory pnpm was started from.
mkdir "$work/clone-project"
(cd "$work/clone-project" && pnpm -s -C "$root" cli init --quiet)
[ -f "$work/clone-project/.spec-kitty/tracker.json" ] ||
  { echo "pack-smoke: \`pnpm -C <clone> cli init\` did not write .spec-kitty/ where it was started" >&2; exit 1; }
echo "pack-smoke: pnpm cli (from a clone) ok"

echo "pack-smoke: packing into $work/tarballs"
bash "$root/scripts/pack-all.sh" "$work/tarballs" >/dev/null

mkdir "$work/app"
cd "$work/app"
printf '{ "name": "pack-smoke-app", "private": true, "type": "module" }\n' > package.json
echo "pack-smoke: npm install of $(ls "$work"/tarballs/*.tgz | wc -l) tarballs"
npm install --no-audit --no-fund --loglevel=error "$work"/tarballs/*.tgz

# Nothing of ours may have come from the registry: every @spec-kitty package is a tarball.
node -e '
const lock = require("./package-lock.json");
const bad = Object.entries(lock.packages).filter(([path, entry]) =>
  path.includes("node_modules/@spec-kitty/") && !String(entry.resolved ?? "").startsWith("file:"));
if (bad.length) { console.error("pack-smoke: from the registry:", bad.map(([p]) => p)); process.exit(1); }'

want=$(node -p 'require(process.argv[1]).version' "$root/packages/cli/package.json")
got=$(npx --no-install spec-kitty-tracker --version)
case "$got" in
  *"$want"*) echo "pack-smoke: spec-kitty-tracker --version → $got" ;;
  *) echo "pack-smoke: --version printed '$got', expected $want" >&2; exit 1 ;;
esac
npx --no-install spec-kitty-tracker demo > demo.log 2>&1 || { cat demo.log >&2; exit 1; }
grep -q 'Demo finished' demo.log || { cat demo.log >&2; echo "pack-smoke: demo did not finish" >&2; exit 1; }
echo "pack-smoke: spec-kitty-tracker demo ok"
cp "$root/scripts/pack-smoke-app.mjs" smoke.mjs
node smoke.mjs
echo "pack-smoke: ok"
