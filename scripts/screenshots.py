#!/usr/bin/env python3
"""Makes screenshots/*.png from the real running TUI.

Starts test SMTP servers on loopback, runs the built mailtui in a private tmux server, drives it
with keys, captures the pane with its colours, and renders each capture to PNG through rich
(SVG) and rsvg-convert. Needs: tmux, rsvg-convert (librsvg2-bin), fonts-jetbrains-mono, and the
Python packages rich, aiosmtpd and cryptography (scripts/screenshots.sh installs them).
"""
import json, os, re, shutil, subprocess, sys, tempfile, time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
MAILTUI = os.path.join(ROOT, ".build", "debug", "mailtui")
OUT = os.path.join(ROOT, "screenshots")
TMP = tempfile.mkdtemp(prefix="mailtui-shots-")
SOCKET = f"mailtui-shots-{os.getpid()}-0"
PASSWORD = "screenshot-password"


def tmux(*args):
    return subprocess.run(["tmux", "-L", SOCKET, "-f", "/dev/null", *args], capture_output=True, text=True).stdout


def wait_for(text, timeout=20):
    deadline = time.time() + timeout
    while time.time() < deadline:
        screen = tmux("capture-pane", "-p", "-t", "t")
        if text in screen:
            return screen
        time.sleep(0.02)
    raise SystemExit(f"timed out waiting for {text!r}:\n{screen}")


def start_server(*options):
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "Tests/Support/smtp_server.py"), "--store", os.path.join(TMP, "store"),
                             "--cert", os.path.join(TMP, "certs/good.pem"), "--key", os.path.join(TMP, "certs/good.key"), *options],
                            stdout=subprocess.PIPE, text=True)
    return proc, json.loads(proc.stdout.readline())["port"]


def launch(args, width=110, height=34):
    global SOCKET
    tmux("kill-server")
    # A socket name reused right after kill-server can fail: take a new one each time.
    SOCKET = SOCKET.rsplit("-", 1)[0] + "-" + str(int(SOCKET.rsplit("-", 1)[1]) + 1)
    env = ["-e", "LANG=C.UTF-8", "-e", "TERM=tmux-256color", "-e", f"XDG_STATE_HOME={TMP}/state", "-e", f"XDG_DATA_HOME={TMP}/data",
           "-e", f"XDG_CONFIG_HOME={TMP}/config", "-e", f"MAIL_PASSWORD={PASSWORD}"]
    command = " ".join("'" + a.replace("'", "'\\''") + "'" for a in [MAILTUI, "--fresh", *args])
    tmux("new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height), *env, command + "; sleep 60")


def keys(*names):
    tmux("send-keys", "-t", "t", *names)


def text(value):
    tmux("send-keys", "-t", "t", "-l", value)


def shoot(name, title):
    from rich.console import Console
    from rich.text import Text
    ansi = tmux("capture-pane", "-p", "-e", "-N", "-t", "t")
    assert PASSWORD not in ansi, "a password must never appear in a screenshot"
    console = Console(record=True, width=int(tmux("display", "-p", "-t", "t", "#{window_width}")), force_terminal=True,
                      color_system="truecolor", file=open(os.devnull, "w"))
    console.print(Text.from_ansi(ansi.rstrip("\n")), end="")
    svg = console.export_svg(title=title, font_aspect_ratio=0.61)
    # librsvg ignores textLength: size the font to rich's cell, and keep leading blanks.
    svg = svg.replace("<svg ", '<svg xml:space="preserve" ', 1)
    svg = re.sub(r"font-family: Fira Code, monospace", "font-family: JetBrains Mono, monospace", svg)
    path = os.path.join(OUT, name)
    with open(path + ".svg", "w") as f:
        f.write(svg)
    subprocess.run(["rsvg-convert", "-o", path + ".png", path + ".svg"], check=True)
    os.remove(path + ".svg")
    print("wrote", path + ".png")


def main():
    os.makedirs(OUT, exist_ok=True)
    subprocess.run([sys.executable, os.path.join(ROOT, "Tests/Support/make_certs.py"), os.path.join(TMP, "certs")], check=True)
    good, good_port = start_server("--mode", "starttls", "--require-starttls", "--auth", f"alice:{PASSWORD}")
    bad, bad_port = start_server("--mode", "starttls", "--auth", "alice:another-password")
    try:
        # 0. A first start: mailtui's own server, a message sent to it, the inbox.
        launch([], height=36)
        wait_for("Local test server on 127.0.0.1:")
        keys("F5")
        wait_for("✓ Sent")
        keys("F2")
        wait_for("Hello from mailtui")
        shoot("00-first-start", "mailtui: a first start sends to its own local server (F2: the inbox)")

        # 1. The empty form.
        launch(["--server", "smtp.example.com"])
        wait_for("Ready: smtp.example.com")
        keys("BTab", "BTab", "BTab", "BTab", "BTab", "BTab", "BTab", "BTab", "BTab", "BTab")
        shoot("01-compose", "mailtui: the compose screen")

        # 2. A successful send over STARTTLS with a login.
        common = ["--server", "127.0.0.1", "--ca-file", os.path.join(TMP, "certs/ca.pem"), "--helo", "laptop.example.com", "--user", "alice"]
        launch([*common, "--port", str(good_port), "--from", "Password Reset <noreply@example.com>", "--to", "ada@example.org",
                "--subject", "Reset your password ✓"], height=46)
        wait_for("Ready: 127.0.0.1")
        keys("Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab")
        text("Hello Ada,")
        keys("Enter", "Enter")
        text("follow the link below to choose a new password.")
        keys("F5")
        wait_for("✓ Sent")
        shoot("02-sent", "mailtui: a send over STARTTLS with AUTH")

        # 3. A failure, explained.
        launch([*common, "--port", str(bad_port), "--from", "noreply@example.com", "--to", "ada@example.org", "--subject", "Test"])
        wait_for("Ready: 127.0.0.1")
        keys("F5")
        wait_for("✗ Failed at AUTH")
        shoot("03-failed", "mailtui: a failed login, explained")

        # 4. A probe: what the server offers, its TLS and certificate.
        launch([*common, "--port", str(good_port)], width=110, height=52)
        wait_for("Ready: 127.0.0.1")
        keys("F6")
        wait_for("Probe done")
        shoot("04-probe", "mailtui: probing a server (F6)")
    finally:
        tmux("kill-server")
        good.kill()
        bad.kill()
        shutil.rmtree(TMP, ignore_errors=True)


if __name__ == "__main__":
    main()
