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


def wait_until(test, what, timeout=40):
    deadline = time.time() + timeout
    while time.time() < deadline:
        screen = tmux("capture-pane", "-p", "-t", "t")
        if test(screen):
            return screen
        time.sleep(0.05)
    raise SystemExit(f"timed out waiting for {what}:\n{screen}")


def start_server(*options):
    proc = subprocess.Popen([sys.executable, os.path.join(ROOT, "Tests/Support/smtp_server.py"), "--store", os.path.join(TMP, "store"),
                             "--cert", os.path.join(TMP, "certs/good.pem"), "--key", os.path.join(TMP, "certs/good.key"), *options],
                            stdout=subprocess.PIPE, text=True)
    return proc, json.loads(proc.stdout.readline())["port"]


def launch(args, width=110, height=34, fresh=True):
    global SOCKET
    tmux("kill-server")
    # A socket name reused right after kill-server can fail: take a new one each time.
    SOCKET = SOCKET.rsplit("-", 1)[0] + "-" + str(int(SOCKET.rsplit("-", 1)[1]) + 1)
    env = ["-e", "LANG=C.UTF-8", "-e", "TERM=tmux-256color", "-e", f"XDG_STATE_HOME={TMP}/state", "-e", f"XDG_DATA_HOME={TMP}/data",
           "-e", f"XDG_CONFIG_HOME={TMP}/config", "-e", f"MAIL_PASSWORD={PASSWORD}"]
    command = " ".join("'" + a.replace("'", "'\\''") + "'" for a in [MAILTUI, *(["--fresh"] if fresh else []), *args])
    tmux("new-session", "-d", "-s", "t", "-x", str(width), "-y", str(height), *env, command + "; sleep 60")


def keys(*names):
    tmux("send-keys", "-t", "t", *names)


def text(value):
    tmux("send-keys", "-t", "t", "-l", value)


def send_app_mail(port):
    """A message as a web app sends it: text and HTML, a PDF, and no Date header."""
    import smtplib, ssl
    from email.message import EmailMessage
    m = EmailMessage()
    m["From"], m["To"], m["Subject"] = "Shop <orders@shop.example>", "ada@example.org", "Your order #1042 has shipped"
    m["Message-ID"] = "<1042@shop.example>"
    m.set_content("Hello Ada,\n\nyour order #1042 is on its way.\nTrack it: https://shop.example/track/1042\n\nThe Shop team\n")
    m.add_alternative('<p>Hello Ada,</p><p>your order <b>#1042</b> is on its way. <a href="http://shop.example/track/1042">Track it</a>'
                      ' or <a href="https://shop.example/help">ask us</a>.</p><p>The Shop team</p>', subtype="html")
    m.add_attachment(b"%PDF-1.7\n" + b"invoice " * 2000, maintype="application", subtype="pdf", filename="invoice-1042.pdf")
    context = ssl.create_default_context(cafile=os.path.join(TMP, "data/mailtui/tls/ca.pem"))
    with smtplib.SMTP("127.0.0.1", port, timeout=10) as smtp:
        smtp.starttls(context=context)
        smtp.login("shop", "anything")
        smtp.send_message(m, from_addr="bounce@mail.shop.example")


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

        # 5. A web app's message in the inbox, read: the checks, then the HTML as text.
        screen = tmux("capture-pane", "-p", "-t", "t")
        send_app_mail(int(re.search(r"Inbox of the local test server on 127\.0\.0\.1:(\d+)", screen).group(1)))
        wait_for("Your order #1042")
        keys("Up", "Enter")
        wait_for("⚠")
        keys("2")
        wait_for("[1] http://shop.example/track/1042")
        wait_until(lambda screen: "7 Checks:" in screen and "checking" not in screen, "the checks' count")
        shoot("05-message", "mailtui: a caught message, its checks and its HTML as text")

        # 6. The fault panel: the next send fails at RCPT as Gmail would word a full mailbox.
        keys("Escape", "f")
        wait_for("Faults of the local test server")
        keys("Up")
        for _ in range(9):
            keys("Right")
        wait_for("mailbox-full")
        keys("Enter")
        wait_for("In force: rcpt=552")
        shoot("06-faults", "mailtui: faults at a key (F12, or f in the inbox)")

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
        keys("Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab", "Tab")
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

        # 7. mailtui serve on a terminal: its inbox, full-screen.
        launch(["serve", "--port", "0", "--tls-port", "0"], fresh=False)
        wait_for("SMTP (STARTTLS offered): 127.0.0.1:")
        screen = tmux("capture-pane", "-p", "-t", "t")
        send_app_mail(int(re.search(r"SMTP \(STARTTLS offered\): 127\.0\.0\.1:(\d+)", screen).group(1)))
        wait_for("Your order #1042")
        shoot("07-serve", "mailtui serve on a terminal: where it listens, its CA, the inbox live")

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
