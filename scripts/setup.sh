#!/usr/bin/env bash
# Idempotent bootstrap used by `npm run demo` / `npm test`: pnpm, dependencies, build.
set -euo pipefail
cd "$(dirname "$0")/.."
export TURBO_TELEMETRY_DISABLED=1
want=10.34.9
if ! command -v pnpm >/dev/null 2>&1 || [ "$(pnpm --version 2>/dev/null)" != "$want" ]; then
  echo "setup: installing pnpm@$want" >&2
  npm i -g "pnpm@$want" >/dev/null
fi
pnpm install --frozen-lockfile --reporter=silent
pnpm exec turbo run build --output-logs=errors-only >&2
