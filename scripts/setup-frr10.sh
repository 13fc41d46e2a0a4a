#!/usr/bin/env bash
# Installs FRR 10.3 (Debian 13's packages) in a debootstrap chroot, for
# the tests that run against both FRR 8.4 (the host's) and 10.3
# (tests/src/frr.rs finds the chroot through FRR10_ROOT).
#
# Usage: scripts/setup-frr10.sh [DIR]     (as root; DIR: /opt/frr10-root)
#        then: export FRR10_ROOT=DIR
# Takes about a minute; does nothing when DIR already has FRR.
# A policy-rc.d that exits 101 keeps the packages' maintainer scripts
# from starting an frr service inside the chroot (in the host's network
# namespace). DEBIAN_MIRROR overrides the mirror.
set -euo pipefail
dir=${1:-/opt/frr10-root}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
if [ "$(id -u)" -ne 0 ]; then
    echo "$0: needs root (debootstrap, chroot, mount)" >&2
    exit 1
fi
mount_proc() {
    mountpoint -q "$dir/proc" || mount -t proc proc "$dir/proc"
}
if [ -x "$dir/usr/lib/frr/mgmtd" ] && [ -x "$dir/usr/bin/vtysh" ]; then
    mount_proc
    echo "FRR is installed in $dir: $(chroot "$dir" dpkg-query -W -f '${Version}' frr)"
    exit 0
fi
if [ -f "$dir/etc/debian_version" ] && [ ! -d "$dir/debootstrap" ]; then
    echo "$dir: Debian is there already; installing FRR"
elif [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
    echo "$0: $dir exists and is not a finished debootstrap: remove it or pick another DIR" >&2
    exit 1
else
    if ! command -v debootstrap >/dev/null; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap
    fi
    debootstrap --variant=minbase trixie "$dir" "$mirror"
fi
mount_proc
printf '#!/bin/sh\nexit 101\n' > "$dir/usr/sbin/policy-rc.d"
chmod 755 "$dir/usr/sbin/policy-rc.d"
chroot "$dir" apt-get update -q
chroot "$dir" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -q --no-install-recommends frr frr-pythontools
echo "FRR $(chroot "$dir" dpkg-query -W -f '${Version}' frr) installed in $dir; export FRR10_ROOT=$dir"
