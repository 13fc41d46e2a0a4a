#!/usr/bin/env bash
# Coverage of the whole corpus (../shared/corpus, or CORPUS_DIR) against
# real FRR: for each release × daemon set, the topotest routers (each the
# union of its <test>__<router>_*.conf files) empty → each and every
# ordered pair of routers of a topotest, and frr-k8s's configurations
# empty → each and the chain; each case reloaded by ours and by
# frr-reload.py of the same release, judged strictly against a clean boot
# (tests/tests/coverage.rs; differences tests/clean-boot-allowed.txt
# allows count as warnings).
#
# Resumable: every case is appended to the report (JSON lines, one line
# per case and tool) as it ends, and a case already in it is skipped, so a
# stopped run goes on where it stopped. Cases run in a seeded shuffled
# order: a partial run is a sample. At the end (or with --table) prints
# release × daemon set × tool → cases, strict, warnings, not converged,
# false successes (the tool said success: ours converged, frr-reload.py
# exit 0, but FRR differs from the clean boot), for ours the false alarms
# (FRR matches its clean boot, yet the reload said "not converged": lines
# for daemons that do not run, or a printing rule missing; counted in
# reports written since the `refused` field), daemon crashes (the
# tool's), the cases without a reference (FRR dies booting A, or a clean
# boot of B kills it, each attempt: the configuration's crash; the strict
# ratio is of the other cases, the judged) and, for frr-reload.py, the
# cases it converges once the `ip forwarding` lines it turns on are left
# aside.
#
# Usage: scripts/coverage.sh [--versions 8.4,10.3,10.4.3,10.7.1]
#            [--daemons frr-k8s,every] [--sample N] [--seed N]
#            [--report FILE (default target/coverage-report.jsonl)] [--table]
#   (as root; the FRR 10 chroots come from scripts/setup-frr.sh;
#    CLEAN_BOOT_JOBS sets the parallel cases, default 1 here;
#    CLEAN_BOOT_VERBOSE=1 prints each case as it ends)
set -euo pipefail
cd "$(dirname "$0")/.."
versions=8.4,10.3,10.4.3,10.7.1
daemons=frr-k8s,every
sample=
seed=
report=target/coverage-report.jsonl
table_only=
usage() {
    sed -n '/^# Usage/,/^#    CLEAN_BOOT_VERBOSE/p' "$0" | sed 's/^# \{0,1\}//' >&2
    exit 2
}
while [ $# -gt 0 ]; do
    case $1 in
        --versions) versions=$2; shift 2 ;;
        --daemons) daemons=$2; shift 2 ;;
        --sample) sample=$2; shift 2 ;;
        --seed) seed=$2; shift 2 ;;
        --report) report=$2; shift 2 ;;
        --table) table_only=1; shift ;;
        *) usage ;;
    esac
done
table() {
    python3 - "$report" <<'EOF'
import json, sys
from collections import defaultdict
cells = defaultdict(lambda: defaultdict(int))
for line in open(sys.argv[1]):
    try:
        r = json.loads(line)
    except ValueError:
        continue
    verdict = r["verdict"]
    # Records written before the noref verdict said "fail", with this why.
    if verdict == "fail" and any(w in r["why"] for w in
                                 ("no reference", "no reload", "not the reload's")):
        verdict = "noref"
    c = cells[(r["version"], r["daemons"], r["tool"])]
    c["cases"] += 1
    c[verdict] += 1
    c["false"] += r["false_success"] and verdict != "noref"
    c["crash"] += r["crashed"]
    c["aside"] += bool(r.get("forwarding_aside"))
    c["alarm"] += (verdict in ("strict", "warn") and not r["said_success"]
                   and r.get("refused") is False)
order = {"8.4": 0, "10.3": 1, "10.4.3": 2, "10.7.1": 3}
print("| FRR | daemons | tool | cases | strict (of judged) | warn | not converged | false successes | said not converged, FRR matches | crashes | no reference | converged, forwarding aside |")
print("| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |")
for key in sorted(cells, key=lambda k: (order.get(k[0], 9), k[1], k[2] != "ours")):
    c = cells[key]
    judged = c["cases"] - c["noref"]
    pct = 100.0 * c["strict"] / judged if judged else 0.0
    print(f"| {key[0]} | {key[1]} | {key[2]} | {c['cases']} | {c['strict']} ({pct:.1f}%) "
          f"| {c['warn']} | {c['fail']} | {c['false']} "
          f"| {c['alarm'] if key[2] == 'ours' else '-'} | {c['crash']} "
          f"| {c['noref']} | {c['aside'] if key[2] != 'ours' else '-'} |")
EOF
}
if [ -n "$table_only" ]; then
    table
    exit
fi
if [ "$(id -u)" -ne 0 ]; then
    echo "$0: needs root (network namespaces, FRR daemons)" >&2
    exit 1
fi
export FRR10_ROOT=${FRR10_ROOT:-/opt/frr10-root}
export FRR1043_ROOT=${FRR1043_ROOT:-/opt/frr-10.4.3}
export FRR1071_ROOT=${FRR1071_ROOT:-/opt/frr-10.7.1}
export COVERAGE_REPORT
COVERAGE_REPORT=$(realpath -m "$report")
export CLEAN_BOOT_JOBS=${CLEAN_BOOT_JOBS:-1}
[ -z "$sample" ] || export COVERAGE_SAMPLE=$sample
[ -z "$seed" ] || export COVERAGE_SEED=$seed
cargo test -q -p tests --test coverage --no-run
for version in ${versions//,/ }; do
    for set in ${daemons//,/ }; do
        CLEAN_BOOT_FRR=$version FRA_DAEMONS=$set \
            cargo test -q -p tests --test coverage -- --ignored --exact coverage \
            --nocapture --test-threads 1 || echo "$0: FRR $version, $set: the run failed" >&2
    done
done
table
