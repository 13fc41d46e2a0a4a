#!/usr/bin/env bash
# The long clean-boot run: every topotest config of the corpus that FRR
# 8.4's `vtysh --dryrun -f` accepts, empty → each, reloaded by ours and by
# frr-reload.py on fresh FRR instances, judged against a clean boot
# (tests/tests/clean_boot.rs, test `clean_boot_topotest_corpus`).
# Prints one line per case as it ends, then the failures of ours and the
# pass counts of both tools.
#
# Usage: scripts/clean-boot-corpus.sh [8.4|10.3] [REPORT-FILE]
#   (as root; 10.3 needs FRR10_ROOT, see scripts/setup-frr10.sh;
#    frr-reload.py runs on 8.4 only; CLEAN_BOOT_JOBS sets the parallelism)
# Parts of the summary: topo-core = configs of zebra/bgpd/staticd/bfdd
# only; topo-other = configs that also configure other daemons, which the
# test instances do not run (their lines are lost by every reload and by
# the clean boot alike).
set -euo pipefail
cd "$(dirname "$0")/.."
release=${1:-8.4}
report=${2:-}
case $release in
    8.4|10.3) ;;
    *) echo "usage: $0 [8.4|10.3] [REPORT-FILE]" >&2; exit 2 ;;
esac
if [ "$(id -u)" -ne 0 ]; then
    echo "$0: needs root (network namespaces, FRR daemons)" >&2
    exit 1
fi
export CLEAN_BOOT_FRR=$release CLEAN_BOOT_VERBOSE=1
if [ -n "$report" ]; then
    : > "$report"
    export CLEAN_BOOT_REPORT=$report
fi
exec cargo test -q -p tests --test clean_boot clean_boot_topotest_corpus \
    -- --ignored --nocapture --test-threads 1
