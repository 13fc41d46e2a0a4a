#!/usr/bin/env bash
#! End-to-end benchmark against real FRR (as root; `--release 8.4|10.3|
#! 10.4.3|10.7.1`, default 8.4, the FRR 10 releases in their chroots, with
#! their own frr-reload.py): the agent serving
#! (steady state), our one-shot reload (on the no-op; on every transition
#! of `--one-shot SIZES`), `frr-reload.py --reload` (killed after 10 min:
#! "> 600 s") and FRR's limit (the agent's delta in one `vtysh -f`, plus
#! one `show running-config`), on frr-k8s-shaped configurations at 2×50,
#! 2×500 and 4×1000 (and `xl` 4×2500, `xxl` 8×5000) and the transitions frr-k8s
#! makes; then the daemon's no-op answer and memory. Prints one table
#! (markdown) per size and the phases the agent reported. On FRR 8.4 about
#! 42–46 min with the large size (about 25 of them); `--sizes
#! small,medium` for a quicker run (18 min). `--dump DIR` writes the
#! configurations instead. `--profile` times FRR's own steps (vtysh's
#! start, the reads, the check, a one-line apply) instead.
#!
#! usage: scripts/bench-e2e.sh [--release R] [--sizes small,medium,large,xl,xxl]
#!                             [--transitions initial,noop,...]
#!                             [--runs N] [--large-runs N] [--one-shot SIZES]
#!                             [--no-daemon] [--profile] [--fresh-checks | --new-texts] [--dump DIR]
#!                             [--agents-only | --no-python] [--old-agent] [--forget-reads]
#! `--agents-only` times only the agent (serving, and one-shot with
#! `--one-shot`), for comparing two agents run after run; `--no-python`
#! the agent and FRR's limit (frr-reload.py takes over 10 minutes a
#! transition at xxl);
#! `--old-agent` gives the one-shot no `--cache-dir` (agents before it):
#! `BENCH_AGENT=path` benches that agent instead of this tree's.
set -euo pipefail
cd "$(dirname "$0")/.."
[[ $(id -u) == 0 ]] || { echo "bench-e2e: run as root (network namespaces, FRR daemons)" >&2; exit 1; }
cargo build -q --release -p agent -p tests --bin frr-reload-agent --bin bench_e2e
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), host $(dpkg-query -W -f 'FRR ${Version}' frr 2>/dev/null), $(date -u '+%F %H:%M'), load $(cut -d' ' -f1-3 /proc/loadavg)"
exec target/release/bench_e2e "${BENCH_AGENT:-$PWD/target/release/frr-reload-agent}" "$@"
