#!/usr/bin/env bash
# Installs what mailtui needs to build and test on Debian 12: the C libraries it links
# (ncursesw, libcurl with OpenSSL, SQLite for the message store's index), tmux for the end-to-end tests, Python's aiosmtpd and
# cryptography for the test SMTP server and its certificates, and curl, swaks and Flask-Mail as
# real clients of `mailtui serve` (python-dotenv to read .env files as a Flask app does), and
# dnslib, pyspf and dnspython for the DNS server and the SPF reference of the domain-check
# tests (checkdmarc the DMARC reference), dkimpy and pynacl to verify the DKIM signatures mailtui makes,
# and SpamAssassin (spamd, spamc) for check-message's spam score. Swift itself must be on PATH.
set -euo pipefail

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq libncurses-dev libcurl4-openssl-dev tmux python3 python3-pip openssl ca-certificates curl swaks spamassassin spamc libsqlite3-dev >/dev/null

# pip refuses to touch Debian's own Python without --break-system-packages; a pyenv or venv
# Python does not need it.
python3 -m pip install --quiet --disable-pip-version-check aiosmtpd cryptography flask flask-mail python-dotenv dnslib pyspf dnspython dkimpy pynacl checkdmarc mailpit-api-client 2>/dev/null \
  || python3 -m pip install --quiet --disable-pip-version-check --break-system-packages aiosmtpd cryptography flask flask-mail python-dotenv dnslib pyspf dnspython dkimpy pynacl checkdmarc mailpit-api-client

command -v swift >/dev/null || { echo "swift is not on PATH: install the Swift 6 toolchain first" >&2; exit 1; }
echo "setup done: $(swift --version 2>&1 | head -1)"
