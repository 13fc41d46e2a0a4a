#!/usr/bin/env bash
#! Times `frr-reload-agent diff` against `frr-reload.py --test` on
#! frr-k8s-shaped configuration pairs (reloader/examples/gen_k8s.rs) and
#! prints one table of medians, the tools taking turns. Offline; a few
#! minutes.
#!
#! usage: scripts/bench-diff.sh [--large]   (--large adds 100k lines, ours only)
set -euo pipefail

cd "$(dirname "$0")/.."
sizes=(1000 10000 20000)
[[ "${1:-}" == --large ]] && sizes+=(100000)
transitions=(deny-permit add-one remove-middle remove-half)
# frr-reload.py is quadratic (about 6 s at 20k lines): not run above this.
py_max_lines=20000
frr_reload=${FRR_RELOAD:-/usr/lib/frr/frr-reload.py}

cargo build -q --release -p agent
cargo build -q --release -p reloader --example gen_k8s
agent=target/release/frr-reload-agent
gen=target/release/examples/gen_k8s

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# median_ms RUNS WARMUP CMD...: median wall time of CMD in milliseconds.
median_ms() {
    local runs=$1 warmup=$2
    shift 2
    if command -v hyperfine >/dev/null; then
        hyperfine -N --style none --runs "$runs" --warmup "$warmup" --output null \
            --export-json "$work/h.json" -- "$(printf '%q ' "$@")" >/dev/null
        python3 -c 'import json, sys
print("%.1f" % (json.load(open(sys.argv[1]))["results"][0]["median"] * 1e3))' "$work/h.json"
        return
    fi
    local i t0
    for ((i = 0; i < warmup; i++)); do "$@" >/dev/null 2>&1; done
    for ((i = 0; i < runs; i++)); do
        t0=$(date +%s%N)
        "$@" >/dev/null 2>&1
        echo $(($(date +%s%N) - t0))
    done | sort -n | awk '{ t[NR] = $1 } END {
        m = NR % 2 ? t[(NR + 1) / 2] : (t[NR / 2] + t[NR / 2 + 1]) / 2
        printf "%.1f\n", m / 1e6 }'
}

# Fewer frr-reload.py runs as it gets slow.
py_runs() { if (($1 <= 1000)); then echo 10; elif (($1 <= 10000)); then echo 5; else echo 3; fi; }

# median NUMBERS...
median() {
    printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
        printf "%.1f\n", NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'
}

command -v hyperfine >/dev/null && timer=hyperfine || timer="date +%s%N loop"
echo "timing with $timer; medians of wall time per run, process start included" >&2
# The machine's speed drifts by tens of percent within minutes: the two
# tools take turns, one round being 5 runs of ours (after one unmeasured)
# and one of frr-reload.py, and the ratio is the median of the rounds'.
rows=()
for size in "${sizes[@]}"; do
    for t in "${transitions[@]}"; do
        dir="$work/$size-$t"
        "$gen" --lines "$size" --transition "$t" --out "$dir" 2>/dev/null
        lines=$(wc -l <"$dir/running.conf")
        echo "  $lines lines, $t ..." >&2
        ours_cmd=("$agent" diff --input "$dir/running.conf" "$dir/desired.conf")
        if ((size > py_max_lines)); then
            rows+=("$lines|$t|$(median_ms 20 2 "${ours_cmd[@]}")|skipped|-")
            continue
        fi
        o=() p=() r=()
        for ((round = 0; round < $(py_runs "$size"); round++)); do
            o+=("$(median_ms 5 1 "${ours_cmd[@]}")")
            p+=("$(median_ms 1 0 python3 "$frr_reload" --test --input \
                "$dir/running.conf" "$dir/desired.conf")")
            r+=("$(awk -v p="${p[-1]}" -v o="${o[-1]}" 'BEGIN { print p / o }')")
        done
        rows+=("$lines|$t|$(median "${o[@]}")|$(median "${p[@]}")|$(printf '%.0fx' "$(median "${r[@]}")")")
    done
done

printf '%-8s %-14s %10s %18s %8s\n' lines transition "ours ms" "frr-reload.py ms" ratio
for row in "${rows[@]}"; do
    IFS='|' read -r lines t ours py ratio <<<"$row"
    printf '%-8s %-14s %10s %18s %8s\n' "$lines" "$t" "$ours" "$py" "$ratio"
done
if ((${sizes[-1]} > py_max_lines)); then
    echo "frr-reload.py skipped above $py_max_lines lines: its diff is quadratic (minutes at 100k)."
fi
