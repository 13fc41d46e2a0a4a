#!/usr/bin/env bash
# FRR 10.3 in a Debian 13 chroot: scripts/setup-frr.sh 10.3 [DIR]
# (DIR: /opt/frr10-root; then export FRR10_ROOT=DIR).
exec "$(dirname "$0")/setup-frr.sh" 10.3 "$@"
