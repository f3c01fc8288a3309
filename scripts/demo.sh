#!/usr/bin/env bash
# scripts/demo.sh — set up, build and run casus's main job on its built-in
# default: the flagship scenario (foreign trainers in Ukraine, the article's
# two claims) through `casus run`, printing outcome probabilities per policy.
set -eu
cd "$(dirname "$0")/.."
bash scripts/deps.sh
make -s -j"$(nproc)" build/release/casus
exec build/release/casus run "$@"
