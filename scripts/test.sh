#!/usr/bin/env bash
# Runs the whole test suite: unit tests, integration tests against real SMTP servers, and the
# end-to-end tests of the real binary in tmux (which need the binary built first).
set -euo pipefail
cd "$(dirname "$0")/.."
swift build
swift test "$@"
