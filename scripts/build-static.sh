#!/bin/sh
# Builds the agent as the container image ships it: release mode, glibc
# linked statically (no PT_INTERP, no DT_NEEDED), so that the binary runs
# in any FRR image (Alpine/musl or Debian) it is copied into.
# The Dockerfile runs this script; tests/tests/deploy.rs runs it too and
# checks the result is static, so the two cannot drift apart.
#
# Usage: scripts/build-static.sh [TARGET_DIR]   (default: target/static)
# Prints the binary's path on its last line.
#
# Debug info is stripped (the symbols stay, for backtraces): 7 MB, not 29.
#
# --target matters: with it, RUSTFLAGS reach only the target's crates, not
# build scripts and proc macros (which must stay dynamic). The binary does
# no NSS lookups (numeric addresses only: --health-addr and --metrics-addr
# must be IP:PORT, not host names).
set -eu
cd "$(dirname "$0")/.."
target_dir=${1:-target/static}
triple=x86_64-unknown-linux-gnu
unset CARGO_ENCODED_RUSTFLAGS CARGO_BUILD_RUSTFLAGS
RUSTFLAGS='-C target-feature=+crt-static' CARGO_PROFILE_RELEASE_STRIP=debuginfo \
    cargo build --release --locked -p agent --bin frr-reload-agent \
    --target "$triple" --target-dir "$target_dir"
echo "$target_dir/$triple/release/frr-reload-agent"
