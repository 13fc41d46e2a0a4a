#!/usr/bin/env bash
#! End-to-end benchmark against real FRR 8.4 (as root): the agent serving
#! (steady state), our one-shot reload (on the no-op; on every transition
#! of `--one-shot SIZES`), `frr-reload.py --reload` and FRR's
#! own limit (the minimal delta in one `vtysh -f`), on frr-k8s-shaped
#! configurations at 2×50, 2×500 and 4×1000 and the transitions frr-k8s
#! makes; then the daemon's no-op answer and memory. Prints one table
#! (markdown). About 42–46 min with the large size (about 25 of them); `--sizes
#! small,medium` for a quicker run (18 min). `--dump DIR` writes the
#! configurations instead.
#!
#! usage: scripts/bench-e2e.sh [--sizes small,medium,large] [--transitions initial,noop,...]
#!                             [--runs N] [--large-runs N] [--one-shot SIZES]
#!                             [--no-daemon] [--dump DIR]
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $(id -u) == 0 ]] || { echo "bench-e2e: run as root (network namespaces, FRR daemons)" >&2; exit 1; }
cargo build -q --release -p agent -p tests --bin frr-reload-agent --bin bench_e2e
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(dpkg-query -W -f 'FRR ${Version}' frr 2>/dev/null), $(date -u +%F)"
exec target/release/bench_e2e "$PWD/target/release/frr-reload-agent" "$@"
