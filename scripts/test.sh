#!/usr/bin/env bash
# scripts/test.sh — set up, build and run every casus test (unit, golden,
# conformance, fuzz-corpus replay, and the same under ASan+UBSan).
# Ends with the line "N passed, N failed".
set -eu
cd "$(dirname "$0")/.."
bash scripts/deps.sh
exec bash tests/run.sh "$@"
