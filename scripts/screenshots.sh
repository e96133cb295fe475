#!/usr/bin/env bash
# Regenerates screenshots/*.png from the real running TUI (see scripts/screenshots.py).
set -euo pipefail
cd "$(dirname "$0")/.."
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO="sudo"
command -v rsvg-convert >/dev/null || $SUDO apt-get install -y -qq librsvg2-bin fonts-jetbrains-mono tmux >/dev/null
python3 -c "import rich" 2>/dev/null || python3 -m pip install --quiet rich 2>/dev/null || python3 -m pip install --quiet --break-system-packages rich
swift build --product mailtui
python3 scripts/screenshots.py
