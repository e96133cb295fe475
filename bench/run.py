#!/usr/bin/env python3
"""Benchmarks, not tests: prints figures, asserts nothing.

1. Wall time of one small send, whole process, against a local sink: mailtui (release build)
   beside curl's CLI and swaks (when installed). Median of N runs.
2. Peak resident memory and time of a send with a 20 MiB attachment: mailtui beside curl -F.
4. Frame times of the compose screen (bench/screen.sh, the Benchmarks test target): a 100,000-line conversation and a
   10 MB body; and the time from start to its first frame, in tmux.
3. The load mode (`send --count`) against postfix's smtp-source, both sending to postfix's
   smtp-sink, on 1 and 10 connections; and the peak memory of 100,000 messages.

Run: bench/run.sh   (builds the release binary first)
"""
import os, resource, statistics, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAILTUI = os.environ.get("MAILTUI_BIN", os.path.join(ROOT, ".build", "release", "mailtui"))
RUNS = int(os.environ.get("RUNS", "40"))


def start_sink():
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "bench", "sink.py")], stdout=subprocess.PIPE, text=True)
    return proc, int(proc.stdout.readline())


def timed(cmd, stdin=None):  # noqa: ARG001 (stdin kept for symmetry)
    """Wall seconds and peak RSS (KiB) of one run of cmd."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    start = time.perf_counter()
    p = subprocess.run(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    elapsed = time.perf_counter() - start
    if p.returncode != 0:
        raise SystemExit(f"failed: {' '.join(cmd)}\n{p.stderr.decode()}")
    return elapsed, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss


def peak_rss(cmd):
    """Peak RSS (KiB) of one run, measured in a fresh child so earlier runs do not count."""
    code = ("import resource,subprocess,sys; subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL, check=True);"
            "print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", code] + cmd, capture_output=True, text=True, check=True)
    return int(out.stdout.strip()), time.perf_counter() - start


def median_ms(cmd, stdin=None):
    for _ in range(3):
        timed(cmd, stdin)  # warm the page cache
    return statistics.median(timed(cmd, stdin)[0] for _ in range(RUNS)) * 1000


def main():
    sink, port = start_sink()
    try:
        tmp = tempfile.mkdtemp(prefix="mailtui-bench-")
        small = os.path.join(tmp, "small.eml")
        with open(small, "wb") as f:
            f.write(b"From: a@example.com\r\nTo: b@example.com\r\nSubject: bench\r\n\r\nhello\r\n")
        print(f"One small message, whole process, median of {RUNS} runs (loopback sink on port {port}):")
        rows = [("mailtui send", [MAILTUI, "send", "--server", "127.0.0.1", "--port", str(port), "--security", "none",
                                  "--from", "a@example.com", "--to", "b@example.com", "--subject", "bench", "--text", "hello"], None),
                ("curl CLI", ["curl", "-s", f"smtp://127.0.0.1:{port}/bench", "--mail-from", "a@example.com",
                              "--mail-rcpt", "b@example.com", "-T", small], None)]
        if subprocess.run(["which", "swaks"], capture_output=True).returncode == 0:
            rows.append(("swaks", ["swaks", "--server", f"127.0.0.1:{port}", "--from", "a@example.com", "--to", "b@example.com",
                                   "--body", "hello", "--silent", "2"], None))
        results = {}
        for name, cmd, stdin in rows:
            results[name] = median_ms(cmd, stdin)
        for name, ms in results.items():
            ratio = ms / results["curl CLI"]
            print(f"  {name:14} {ms:7.1f} ms   {ratio:4.2f}x curl")
        if "swaks" in results:
            print(f"  mailtui is {results['swaks'] / results['mailtui send']:.1f}x faster than swaks (goal: at least 3x; within 1.2x of curl)")

        big = os.path.join(tmp, "big.bin")
        with open(big, "wb") as f:
            f.write(os.urandom(20 * 1024 * 1024))
        print("One 20 MiB attachment (peak resident memory of the whole process, wall time):")
        for name, cmd in [
            ("mailtui send", [MAILTUI, "send", "--server", "127.0.0.1", "--port", str(port), "--security", "none",
                              "--from", "a@example.com", "--to", "b@example.com", "--text", "see attached", "--attach", big]),
            ("curl -F", ["curl", "-s", f"smtp://127.0.0.1:{port}/bench", "--mail-from", "a@example.com", "--mail-rcpt", "b@example.com",
                         "-F", "=see attached", "-F", f"=@{big}", "-H", "Subject: big"]),
        ]:
            rss, seconds = peak_rss(cmd)
            print(f"  {name:14} {rss / 1024:6.1f} MiB peak   {seconds:5.2f} s   (goal for mailtui: well under 64 MiB)")
        load_mode(tmp)
        subprocess.run([os.path.join(ROOT, "bench", "screen.sh")], check=True)
        first_frame(tmp)
    finally:
        sink.kill()


def first_frame(tmp):
    """Start to first frame of the compose screen in tmux (tmux's own polling included), median of 10."""
    if subprocess.run(["which", "tmux"], capture_output=True).returncode != 0:
        print("First frame: skipped (no tmux)")
        return
    times = []
    for run in range(10):
        # A socket name reused right after kill-server can fail: a new one each run.
        socket = f"mailtui-bench-{os.getpid()}-{run}"
        home = os.path.join(tmp, f"xdg{run}")
        env = ["-e", f"XDG_CONFIG_HOME={home}", "-e", f"XDG_STATE_HOME={home}", "-e", f"XDG_DATA_HOME={home}", "-e", "LANG=C.UTF-8"]
        start = time.perf_counter()
        subprocess.run(["tmux", "-L", socket, "-f", "/dev/null", "new-session", "-d", "-s", "t", "-x", "100", "-y", "30", *env,
                        f"{MAILTUI} --no-local-server --server smtp.example.com; sleep 5"], check=True)
        while time.perf_counter() - start < 5:
            screen = subprocess.run(["tmux", "-L", socket, "capture-pane", "-p", "-t", "t"], capture_output=True, text=True).stdout
            if "Ready: smtp.example.com" in screen:
                times.append(time.perf_counter() - start)
                break
            time.sleep(0.002)
        subprocess.run(["tmux", "-L", socket, "kill-server"], capture_output=True)
    if times:
        print(f"First frame of the compose screen in tmux: {statistics.median(times) * 1000:5.1f} ms median (aim: within 50 ms)")


def load_mode(tmp):
    """send --count against smtp-source, both into smtp-sink (postfix's .deb, unpacked, not installed)."""
    root = os.path.join(tmp, "postfix")
    os.makedirs(root, exist_ok=True)
    got = subprocess.run("apt-get download postfix >/dev/null 2>&1 && dpkg-deb -x postfix_*.deb root", shell=True, cwd=root)
    source, sink_bin = os.path.join(root, "root/usr/sbin/smtp-source"), os.path.join(root, "root/usr/sbin/smtp-sink")
    if got.returncode != 0 or not os.path.exists(source):
        print("Load mode: skipped (postfix's package could not be downloaded)")
        return
    env = dict(os.environ, LD_LIBRARY_PATH=os.path.join(root, "root/usr/lib/postfix"))
    port = 25399
    sink = subprocess.Popen([sink_bin, "-u", "nobody", f"127.0.0.1:{port}", "1000"], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    time.sleep(0.5)
    messages = 5000
    try:
        print(f"Load mode, {messages} messages into postfix's smtp-sink (messages per second):")
        for connections in (1, 10):
            start = time.perf_counter()
            subprocess.run([source, "-d", "-s", str(connections), "-m", str(messages), f"127.0.0.1:{port}"], env=env, check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            reference = messages / (time.perf_counter() - start)
            start = time.perf_counter()
            subprocess.run([MAILTUI, "send", "--server", "127.0.0.1", "--port", str(port), "--security", "none", "--from", "a@example.com",
                            "--to", "b@example.com", "--subject", "load {n}", "--text", "hello", "--count", str(messages),
                            "--connections", str(connections), "--transcript", "none"], check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            ours = messages / (time.perf_counter() - start)
            print(f"  {connections:2} connection{'s' if connections > 1 else ' '}   smtp-source {reference:8.0f}   mailtui send --count {ours:8.0f}"
                  f"   ({ours / reference:4.2f}x; goal: at least 1x)")
        rss, seconds = peak_rss([MAILTUI, "send", "--server", "127.0.0.1", "--port", str(port), "--security", "none", "--from", "a@example.com",
                                 "--to", "b@example.com", "--text", "hello", "--count", "100000", "--connections", "10", "--transcript", "none"])
        print(f"  100,000 messages on 10 connections: {seconds:5.1f} s, {rss / 1024:5.1f} MiB peak (goal: under 64 MiB)")
    finally:
        sink.kill()


if __name__ == "__main__":
    main()
