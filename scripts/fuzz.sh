#!/usr/bin/env bash
#! Fuzzes the parser, the diff and the API body decoding with cargo-fuzz
#! (libFuzzer, no sanitizer: works on the stable toolchain), each target
#! for SECONDS, seeded from ../shared/corpus. A crash stops the run: its
#! input is in fuzz/artifacts/TARGET/; copy it to fuzz/regressions/TARGET/
#! so that `cargo test -p tests --test fuzz_regressions` replays it forever.
#!
#! usage: scripts/fuzz.sh [SECONDS] [TARGET...]   (default: 60 s, all targets)
#!
#! FUZZ_SEED fixes libFuzzer's seed (CI sets it, so that a CI failure
#! replays here); unset, every run explores differently.
set -euo pipefail

cd "$(dirname "$0")/.."
seconds=${1:-60}
shift || true
targets=("$@")
[[ ${#targets[@]} -gt 0 ]] || targets=(parse diff api_body)
export PATH=$PATH:$HOME/.cargo/bin

if ! cargo fuzz --version >/dev/null 2>&1; then
    cargo install --locked cargo-fuzz
fi

corpus=../shared/corpus
seed() {
    local target=$1 dir=fuzz/corpus/$1
    mkdir -p "$dir"
    [[ -n $(ls -A "$dir") ]] && return
    case $target in
    parse) find "$corpus" -name '*.conf' -size -64k -exec cp -t "$dir" {} + ;;
    diff)
        # Consecutive frr-k8s configurations, joined by a NUL byte.
        local prev="" i=0
        for f in "$corpus"/frr-k8s/*.conf; do
            if [[ -n $prev ]]; then
                { cat "$prev"; printf '\0'; cat "$f"; } >"$dir/pair$i"
                i=$((i + 1))
            fi
            prev=$f
        done
        ;;
    api_body)
        local i=0
        for f in "$corpus"/frr-k8s/*.conf; do
            { printf '\1'; cat "$f"; } >"$dir/text$i"
            printf '\2{"config": %s, "id": "x"}' "$(python3 -c 'import json,sys; print(json.dumps(open(sys.argv[1]).read()))' "$f")" >"$dir/json$i"
            i=$((i + 1))
        done
        ;;
    esac
    cp fuzz/regressions/"$target"/* "$dir"/ 2>/dev/null || true
}

for target in "${targets[@]}"; do
    seed "$target"
    echo "fuzz: $target for $seconds s"
    cargo fuzz run -s none "$target" "fuzz/corpus/$target" -- \
        -max_total_time="$seconds" -max_len=65536 -timeout=10 -print_final_stats=1 \
        ${FUZZ_SEED:+-seed=$FUZZ_SEED} 2>&1 |
        grep -A12 -E '^(stat::number_of_executed_units|stat::peak_rss_mb|==|SUMMARY|.*panicked|Done)' || true
    # cargo fuzz exits non-zero on a crash; pipefail is off inside `|| true`,
    # so check for artifacts explicitly.
    if compgen -G "fuzz/artifacts/$target/crash-*" >/dev/null; then
        echo "fuzz: $target crashed; inputs in fuzz/artifacts/$target/" >&2
        for crash in fuzz/artifacts/"$target"/crash-*; do
            echo "$crash (first 4 KiB, as C escapes):" >&2
            head -c 4096 "$crash" | od -An -c >&2
        done
        exit 1
    fi
done
