#!/usr/bin/env bash
# The project's test command (README, command 2; CI runs it too).
# Installs what the tests need when it is missing: FRR and frr-reload.py
# from Debian, which the differential tests compare against.
set -euo pipefail
cd "$(dirname "$0")/.."
if [ ! -x /usr/lib/frr/frr-reload.py ] || ! command -v vtysh >/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "scripts/test.sh: FRR is missing; run as root to install it" >&2
        exit 1
    fi
    apt-get update -q
    apt-get install -y -q frr frr-pythontools
fi
cargo test --workspace --all-targets
