#!/usr/bin/env bash
# What `mailtui relay` adds to each transaction: an app (smtplib, one connection, N messages)
# sending straight to an aiosmtpd sink on loopback, then the same through `mailtui relay` to that
# sink (the relay forwards MAIL, RCPT and DATA live, stores each message with both legs, and
# reuses its upstream connection). The issue's goal: at most 2 ms per transaction.
# Prints figures; asserts nothing. Run it on a quiet machine: the means move with whatever else
# runs, so the medians per stage (MAIL, RCPT, DATA, the message's end) follow them.
set -euo pipefail
cd "$(dirname "$0")/.."
work=$(mktemp -d)
pids=()
trap 'for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"' EXIT
swift build -c release --static-swift-stdlib --product mailtui >/dev/null 2>&1   # as bench/run.sh builds it
MESSAGES=${MESSAGES:-2000}
SINK_PORT=${SINK_PORT:-25391}
RELAY_PORT=${RELAY_PORT:-25392}

python3 - "$SINK_PORT" <<'PY' &
import sys, time
from aiosmtpd.controller import Controller
class Sink:
    async def handle_DATA(self, server, session, envelope):
        return "250 2.0.0 OK"
Controller(Sink(), hostname="127.0.0.1", port=int(sys.argv[1])).start()
time.sleep(3600)
PY
pids+=($!)
XDG_DATA_HOME="$work/data" .build/release/mailtui relay --server 127.0.0.1 --port "$SINK_PORT" --security none \
  --host 127.0.0.1 --listen "$RELAY_PORT" --listen-tls off --keep "$MESSAGES" --json >/dev/null 2>&1 &
pids+=($!)

# Waits until both ports take connections.
python3 - "$SINK_PORT" "$RELAY_PORT" <<'PY'
import socket, sys, time
for port in map(int, sys.argv[1:]):
    for _ in range(300):
        try:
            socket.create_connection(("127.0.0.1", port), 1).close(); break
        except OSError:
            time.sleep(0.1)
PY

# Seconds for N transactions on one connection (after one to warm the connection up).
seconds() {
  python3 - "$1" "$MESSAGES" <<'PY'
import smtplib, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
body = "From: app@example.com\r\nTo: user@example.com\r\nSubject: bench\r\n\r\n" + ("x" * 98 + "\r\n") * 10
s = smtplib.SMTP("127.0.0.1", port)
s.sendmail("app@example.com", ["user@example.com"], body)
start = time.perf_counter()
for _ in range(n):
    s.sendmail("app@example.com", ["user@example.com"], body)
print(time.perf_counter() - start)
s.quit()
PY
}

# Median milliseconds per stage (MAIL, RCPT, DATA, the message's end) over N transactions: steadier
# than the mean on a shared machine, and it says where the relay's time goes.
stages() {
  python3 - "$1" "$MESSAGES" <<'PY'
import smtplib, statistics, sys, time
port, n = int(sys.argv[1]), int(sys.argv[2])
body = ("From: app@example.com\r\nTo: user@example.com\r\nSubject: bench\r\n\r\n" + ("x" * 98 + "\r\n") * 10).encode()
s = smtplib.SMTP("127.0.0.1", port)
s.ehlo()
times = []
for i in range(n + 20):
    t = [time.perf_counter()]
    assert s.mail("app@example.com")[0] == 250; t.append(time.perf_counter())
    assert s.rcpt("user@example.com")[0] == 250; t.append(time.perf_counter())
    s.putcmd("data"); assert s.getreply()[0] == 354; t.append(time.perf_counter())
    s.send(body + b".\r\n"); assert s.getreply()[0] == 250; t.append(time.perf_counter())
    if i >= 20: times.append([b - a for a, b in zip(t, t[1:])] + [t[-1] - t[0]])
print(" ".join(f"{statistics.median(column) * 1000:.3f}" for column in zip(*times)))
s.quit()
PY
}

direct=$(seconds "$SINK_PORT")
relayed=$(seconds "$RELAY_PORT")
direct_stages=$(stages "$SINK_PORT")
relayed_stages=$(stages "$RELAY_PORT")
echo "Per transaction, $MESSAGES messages of 1 KB on one smtplib connection, loopback ($(nproc) cores, $(date +%F)):"
python3 - "$direct" "$relayed" "$MESSAGES" <<'PY'
import sys
direct, relayed, n = float(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3])
print(f"  straight to aiosmtpd:        {direct / n * 1000:7.3f} ms")
print(f"  through mailtui relay:       {relayed / n * 1000:7.3f} ms")
print(f"  added by the relay:          {(relayed - direct) / n * 1000:7.3f} ms  (goal: at most 2 ms)")
PY
python3 - "$direct_stages" "$relayed_stages" <<'PY'
import sys
direct, relayed = ([float(x) for x in arg.split()] for arg in sys.argv[1:])
print("Medians per stage, ms:          MAIL    RCPT    DATA     end   whole")
print("  straight to aiosmtpd:     " + "".join(f"{x:8.3f}" for x in direct))
print("  through mailtui relay:    " + "".join(f"{x:8.3f}" for x in relayed))
print("  added by the relay:       " + "".join(f"{r - d:8.3f}" for d, r in zip(direct, relayed)))
PY
