#!/usr/bin/env bash
# scripts/demo.sh — set up, build and run casus's main job on its built-in
# default: the article's case (an attack on British trainers at Yavoriv,
# Ukraine, May 2024) through `casus check`, printing the verdict and trace.
set -eu
cd "$(dirname "$0")/.."
bash scripts/deps.sh
make -s -j"$(nproc)" build/release/casus
exec build/release/casus check "$@"
