#!/usr/bin/env bash
# Messages per second into `mailtui serve` (storing every message) beside postfix's smtp-sink
# (stores nothing) and aiosmtpd (stores nothing), driven by postfix's smtp-source in one run.
# smtp-source and smtp-sink come from Debian's postfix package, unpacked (not installed) here.
# Prints figures; asserts nothing.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT
(cd "$work" && apt-get download postfix >/dev/null 2>&1 && dpkg-deb -x postfix_*.deb root)
export LD_LIBRARY_PATH="$work/root/usr/lib/postfix"
SOURCE="$work/root/usr/sbin/smtp-source"
SINK="$work/root/usr/sbin/smtp-sink"
swift build -c release --static-swift-stdlib --product mailtui >/dev/null 2>&1   # as bench/run.sh builds it
MESSAGES=${MESSAGES:-5000}

rate() { # port connections
  local start end
  start=$(date +%s.%N)
  "$SOURCE" -d -s "$2" -m "$MESSAGES" "127.0.0.1:$1" >/dev/null 2>&1
  end=$(date +%s.%N)
  python3 -c "print(f'{$MESSAGES / ($end - $start):8.0f}')"
}

"$SINK" -u nobody 127.0.0.1:25381 1000 >/dev/null 2>&1 &
python3 - 25382 <<'PY' &
import sys, time
from aiosmtpd.controller import Controller
class Sink:
    async def handle_DATA(self, server, session, envelope):
        return "250 OK"
Controller(Sink(), hostname="127.0.0.1", port=int(sys.argv[1])).start()
time.sleep(3600)
PY
XDG_DATA_HOME="$work/data" .build/release/mailtui serve --host 127.0.0.1 --port 25383 --tls-port off >/dev/null &
serve=$!
sleep 2
echo "Messages per second, $MESSAGES messages from smtp-source on loopback ($(nproc) cores, $(date +%F)):"
printf '  %-34s %10s %10s\n' "" "1 conn" "10 conns"
printf '  %-34s %10s %10s\n' "postfix smtp-sink (stores nothing)" "$(rate 25381 1)" "$(rate 25381 10)"
printf '  %-34s %10s %10s\n' "aiosmtpd (stores nothing)" "$(rate 25382 1)" "$(rate 25382 10)"
printf '  %-34s %10s %10s\n' "mailtui serve (stores every one)" "$(rate 25383 1)" "$(rate 25383 10)"
echo "  mailtui serve resident memory after them: $(awk '/VmRSS/ {print $2 / 1024 " MiB"}' /proc/$serve/status)"
