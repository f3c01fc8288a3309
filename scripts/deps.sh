#!/usr/bin/env bash
# scripts/deps.sh — install the Debian 12 packages casus needs to build and
# test, if any is missing.  Runs apt-get as root (or through sudo).
# The list and the reason for each package are in README.md ("Dependencies").
set -eu
pkgs="build-essential clang clang-format libclang-rt-14-dev librandom123-dev libgmp-dev git"
missing=""
for p in $pkgs; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "casus: installing Debian packages:$missing" >&2
SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
