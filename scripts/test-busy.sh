#!/usr/bin/env bash
# Runs the whole test suite (scripts/test.sh, with its arguments) while two busy loops keep both
# cores of a small machine occupied: the suite must pass under load, so every test waits for
# states with generous deadlines, never for a fixed time or a tight wall-clock bound.
set -euo pipefail
cd "$(dirname "$0")/.."
busy=()
stop_busy() {
  for pid in "${busy[@]}"; do kill "$pid" 2>/dev/null || true; done
  for pid in "${busy[@]}"; do wait "$pid" 2>/dev/null || true; done
}
trap stop_busy EXIT
trap 'exit 130' INT TERM
(while :; do :; done) &
busy+=($!)
(while :; do :; done) &
busy+=($!)
echo "busy loops running as PIDs ${busy[*]}" >&2
scripts/test.sh "$@"
