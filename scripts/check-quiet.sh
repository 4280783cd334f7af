#!/usr/bin/env bash
# Runs a command as a new user would (telemetry opt-outs unset, fresh turbo config dir), passes
# its output through, and fails when that output carries noise a user should never see: npm's
# "Unknown project config" warnings (pnpm settings in .npmrc) or turbo's telemetry banner.
# Silent on success, so the command's own closing line stays last.
# Usage: bash scripts/check-quiet.sh npm run demo
set -euo pipefail
[ $# -gt 0 ] || { echo "usage: $0 <command> [args…]" >&2; exit 2; }
log=$(mktemp)
config=$(mktemp -d)
trap 'rm -rf "$log" "$config"' EXIT
status=0
env -u TURBO_TELEMETRY_DISABLED -u DO_NOT_TRACK XDG_CONFIG_HOME="$config" "$@" 2>&1 | tee "$log" || status=$?
noise=$(grep -E 'npm warn Unknown (project|env) config|collects completely anonymous telemetry' "$log" || true)
if [ -n "$noise" ]; then
  echo "check-quiet: \`$*\` printed noise a user should not see:" >&2
  echo "$noise" >&2
  exit 1
fi
exit "$status"
