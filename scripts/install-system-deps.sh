#!/usr/bin/env bash
# Install the system programs the exports and their tests use: Graphviz (`dot`, for
# `kg export --format svg|png`) and Chromium (headless check of the HTML export), and
# OpenLink Virtuoso (`virtuoso-t`, `isql-vt`: a real SPARQL server for tests/test_servers.py
# and scripts/sparql-server.sh). Virtuoso comes from virtuoso-opensource-7-bin, the programs
# alone: the virtuoso-opensource package around it would also set up and start a system
# service, and the tests start their own server with its own ini in a temporary folder.
# Idempotent: does nothing when all are already on PATH. Needs root (or sudo) and apt-get;
# otherwise prints how to install them by hand and exits 0 so the caller can go on
# (the tests that need a missing program skip with a message).
set -euo pipefail

missing=()
command -v dot >/dev/null 2>&1 || missing+=(graphviz)
if ! command -v chromium >/dev/null 2>&1 && ! command -v chromium-browser >/dev/null 2>&1 \
    && ! command -v google-chrome >/dev/null 2>&1; then
    missing+=(chromium)
fi
# Installed on its own: where it cannot be had, only the Virtuoso tests skip.
optional=()
if ! command -v virtuoso-t >/dev/null 2>&1 || ! command -v isql-vt >/dev/null 2>&1; then
    optional+=(virtuoso-opensource-7-bin)
fi

if [ ${#missing[@]} -eq 0 ] && [ ${#optional[@]} -eq 0 ]; then
    echo "install-system-deps: graphviz, chromium and virtuoso already installed."
    exit 0
fi

manual() {
    echo "install-system-deps: please install ${missing[*]} ${optional[*]} yourself:" >&2
    echo "  Debian/Ubuntu: sudo apt-get install -y ${missing[*]} ${optional[*]}" >&2
    echo "  macOS:         brew install graphviz && brew install --cask chromium" >&2
    echo "  Fedora:        sudo dnf install -y graphviz chromium" >&2
    echo "  (virtuoso-opensource-7-bin is Debian's; elsewhere install OpenLink Virtuoso 7)" >&2
    echo "Without them, 'kg export --format svg|png', the HTML browser test and the Virtuoso" >&2
    echo "tests are skipped." >&2
}

if ! command -v apt-get >/dev/null 2>&1; then
    manual
    exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
        SUDO="sudo -n"
    else
        manual
        exit 0
    fi
fi

echo "install-system-deps: installing ${missing[*]} ${optional[*]} with apt-get..."
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq || { manual; exit 0; }
if [ ${#optional[@]} -gt 0 ] \
        && ! $SUDO apt-get install -y -qq --no-install-recommends "${optional[@]}"; then
    echo "install-system-deps: ${optional[*]} could not be installed; the Virtuoso tests" \
         "will skip (the Oxigraph ones still run)." >&2
fi
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-system-deps: done."
    exit 0
fi
# Ubuntu ships chromium as a snap stub; fall back to chromium-browser there.
if ! $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"; then
    if [[ " ${missing[*]} " == *" chromium "* ]]; then
        alt=("${missing[@]/chromium/chromium-browser}")
        $SUDO apt-get install -y -qq --no-install-recommends "${alt[@]}" || { manual; exit 0; }
    else
        manual
        exit 0
    fi
fi
echo "install-system-deps: done."
