#!/usr/bin/env bash
# The project's test command (README, command 2; CI runs it too).
# Installs what the tests need when it is missing: FRR and frr-reload.py
# from Debian (the differential and real-FRR tests use them) and FRR 10.3
# in a debootstrap chroot (scripts/setup-frr10.sh, about a minute).
# The real-FRR tests run as root; as another user they say so and skip.
set -euo pipefail
cd "$(dirname "$0")/.."
# The agent's tests also signal processes (kill, from procps) and speak
# to its socket as another user (curl).
if [ ! -x /usr/lib/frr/frr-reload.py ] || ! command -v vtysh >/dev/null ||
    ! { [ -x /bin/kill ] || [ -x /usr/bin/kill ]; } || ! command -v curl >/dev/null; then
    if [ "$(id -u)" -ne 0 ]; then
        echo "scripts/test.sh: FRR or a test tool is missing; run as root to install them" >&2
        exit 1
    fi
    apt-get update -q
    apt-get install -y -q frr frr-pythontools procps curl
fi
if [ "$(id -u)" -eq 0 ]; then
    export FRR10_ROOT=${FRR10_ROOT:-/opt/frr10-root}
    scripts/setup-frr10.sh "$FRR10_ROOT"
fi
cargo test --workspace --all-targets
