#!/usr/bin/env bash
# The message store's index with many messages stored (100,000 by default, MESSAGES=n to
# change): `serve`'s time to listening without an index (it is rebuilt in the background, and
# how long that takes) and with one, then the API's answers: the newest 50, a search on the
# subject, a mailbox's newest 50, and /api/v1/info. The folder is filled directly in the store's
# format (bench/fill_store.py), not over SMTP. Prints figures; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
# serve's PID is kept in a file: start_serve runs in $( ), a subshell, whose variables are lost.
stop() {
  [ -f "$work/pid" ] || return 0
  local pid
  pid=$(cat "$work/pid")
  kill "$pid" 2>/dev/null || true
  while kill -0 "$pid" 2>/dev/null; do sleep 0.1; done
  rm -f "$work/pid"
}
trap 'stop; rm -rf "$work"' EXIT
swift build -c release --static-swift-stdlib --product mailtui >/dev/null 2>&1   # as bench/run.sh builds it
MESSAGES=${MESSAGES:-100000}
store="$work/data/mailtui/inbox"
start=$(date +%s.%N)
python3 bench/fill_store.py "$store" "$MESSAGES"
echo "Filled $MESSAGES messages in $(python3 -c "print(f'{$(date +%s.%N) - $start:.1f}')") s ($(nproc) cores, $(date +%F))"

# Starts serve; prints the seconds until its listening event; sets $api.
start_serve() {
  local begun line
  begun=$(date +%s.%N)
  coproc SERVE { XDG_DATA_HOME="$work/data" exec .build/release/mailtui serve --json --host 127.0.0.1 --port 0 --tls-port off --api 0 --keep 1000000 2>/dev/null; }
  echo "$SERVE_PID" > "$work/pid"
  read -r line <&"${SERVE[0]}"
  python3 -c "print(f'{$(date +%s.%N) - $begun:.3f}')"
  api=$(python3 -c 'import json,sys; print(json.loads(sys.argv[1])["api"])' "$line")
  echo "$api" > "$work/api"
}

# Milliseconds of a GET, best of 5 (the first too, separately).
timed() {
  python3 - "$(cat "$work/api")" "$1" <<'PY'
import sys, time, urllib.request
url = sys.argv[1] + sys.argv[2]
times = []
for _ in range(6):
    begun = time.monotonic()
    urllib.request.urlopen(url, timeout=600).read()
    times.append((time.monotonic() - begun) * 1000)
print(f"{times[0]:8.1f} ms first, {min(times[1:]):8.1f} ms best of 5")
PY
}

# Seconds until /api/v1/info counts every message (the rebuild in the background is done).
until_indexed() {
  python3 - "$(cat "$work/api")" "$MESSAGES" <<'PY'
import json, sys, time, urllib.request
begun = time.monotonic()
while json.load(urllib.request.urlopen(sys.argv[1] + "/api/v1/info", timeout=600))["Messages"] < int(sys.argv[2]):
    time.sleep(0.2)
print(f"{time.monotonic() - begun:.1f}")
PY
}

printf '  %-44s %s s\n' "serve to listening, no index (first start)" "$(start_serve)"
printf '  %-44s %s s more\n' "  rebuilding the index in the background" "$(until_indexed)"
stop
printf '  %-44s %s s\n' "serve to listening, with the index" "$(start_serve)"
until_indexed >/dev/null
printf '  %-44s %s\n' "GET /api/v1/messages (newest 50)" "$(timed '/api/v1/messages')"
printf '  %-44s %s\n' "GET /api/v1/search?query=subject:..." "$(timed '/api/v1/search?query=subject%3A%22order+4242%22')"
printf '  %-44s %s\n' "GET /api/v1/messages?mailbox=project-a" "$(timed '/api/v1/messages?mailbox=project-a')"
printf '  %-44s %s\n' "GET /api/v1/info" "$(timed '/api/v1/info')"
printf '  %-44s %s\n' "GET /api/v1/search?query=subject:4242 ships" "$(timed '/api/v1/search?query=subject%3A4242+ships')"
echo "  index file: $(du -h "$store/.mailtui-index.sqlite3" | cut -f1)"
