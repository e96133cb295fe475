#!/usr/bin/env bash
# The compose screen's frame times and check-message on 5 MB (Tests/Benchmarks), in a release build:
# figures only, no assertions. The screen's code is not in the shipped binary for this any more.
set -euo pipefail
cd "$(dirname "$0")/.."
MAILTUI_BENCH=1 swift test -c release -Xswiftc -enable-testing --filter "ScreenBenchmarks|CheckMessageBenchmarks" 2>&1 \
    | grep -E '^(Frame times|  )' || { echo "bench/screen.sh: the benchmark did not run (see swift test -c release --filter ScreenBenchmarks)"; exit 1; }
