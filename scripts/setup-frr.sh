#!/usr/bin/env bash
# Sets up one FRR 10 release in a Debian chroot, in Debian's layout
# (daemons in /usr/lib/frr, vtysh in /usr/bin, python3 and that release's
# /usr/lib/frr/frr-reload.py), for the tests that run against each FRR
# version users run (tests/src/frr.rs finds a chroot through FRR10_ROOT,
# FRR1043_ROOT and FRR1071_ROOT).
#
# Usage: scripts/setup-frr.sh VERSION [DIR]     (as root)
#   10.3    Debian 13's packages                    (DIR: /opt/frr10-root)
#   10.4.3  built from $FRR_SRC/frr-10.4.3.tar.xz   (DIR: /opt/frr-10.4.3)
#           in a Debian 13 chroot: what frr-k8s ships; about 25 minutes
#           on 2 cores. FRR_SRC defaults to ../shared/frr-src.
#   10.7.1  Debian sid's packages                   (DIR: /opt/frr-10.7.1)
#
# Does nothing when DIR already holds that release (but mount /proc).
# A policy-rc.d that exits 101 keeps maintainer scripts from starting an
# frr service inside the chroot (in the host's network namespace).
# DEBIAN_MIRROR overrides the mirror.
set -euo pipefail
version=${1:?usage: $0 VERSION [DIR]  (VERSION: 10.3, 10.4.3 or 10.7.1)}
repo=$(cd "$(dirname "$0")/.." && pwd)
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
case $version in
10.3) suite=trixie default=/opt/frr10-root ;;
10.4.3) suite=trixie default=/opt/frr-10.4.3 ;;
10.7.1) suite=sid default=/opt/frr-10.7.1 ;;
*)
    echo "$0: unknown FRR version $version (10.3, 10.4.3 or 10.7.1)" >&2
    exit 2
    ;;
esac
dir=${2:-$default}
if [ "$(id -u)" -ne 0 ]; then
    echo "$0: needs root (debootstrap, chroot, mount)" >&2
    exit 1
fi

mount_proc() {
    mountpoint -q "$dir/proc" || mount -t proc proc "$dir/proc"
}
# The release the chroot's zebra reports (`zebra version 10.4.3-src`),
# or nothing.
installed() {
    [ -x "$dir/usr/lib/frr/mgmtd" ] && [ -x "$dir/usr/bin/vtysh" ] || return 0
    chroot "$dir" /usr/lib/frr/zebra --version 2>/dev/null |
        sed -n 's/^zebra version \([0-9.]*\).*/\1/p' | head -1
}
in_chroot() {
    chroot "$dir" env DEBIAN_FRONTEND=noninteractive LC_ALL=C "$@"
}
apt_options=()
[ "$suite" = sid ] && apt_options=(-o Acquire::Check-Valid-Until=false)

if [ -d "$dir/proc" ]; then
    mount_proc
    have=$(installed)
    if [ "$have" = "$version" ]; then
        echo "FRR $version is installed in $dir"
        exit 0
    elif [ -n "$have" ]; then
        echo "$0: $dir holds FRR $have, not $version: remove it or pick another DIR" >&2
        exit 1
    fi
fi
if [ -f "$dir/etc/debian_version" ] && [ ! -d "$dir/debootstrap" ]; then
    echo "$dir: Debian is there already; installing FRR $version"
elif [ -d "$dir" ] && [ -n "$(ls -A "$dir")" ]; then
    echo "$0: $dir exists and is not a finished debootstrap: remove it or pick another DIR" >&2
    exit 1
else
    if ! command -v debootstrap >/dev/null; then
        DEBIAN_FRONTEND=noninteractive apt-get install -y -q debootstrap
    fi
    debootstrap --variant=minbase "$suite" "$dir" "$mirror"
fi
mount_proc
printf '#!/bin/sh\nexit 101\n' >"$dir/usr/sbin/policy-rc.d"
chmod 755 "$dir/usr/sbin/policy-rc.d"
in_chroot apt-get "${apt_options[@]}" update -q

case $version in
10.3 | 10.7.1)
    in_chroot apt-get "${apt_options[@]}" install -y -q --no-install-recommends \
        frr frr-pythontools
    ;;
10.4.3)
    tarball=${FRR_SRC:-$repo/../shared/frr-src}/frr-10.4.3.tar.xz
    [ -f "$tarball" ] || {
        echo "$0: $tarball not found (set FRR_SRC)" >&2
        exit 1
    }
    in_chroot apt-get install -y -q --no-install-recommends \
        build-essential autoconf automake libtool pkg-config bison flex make \
        gawk libyang-dev libjson-c-dev libreadline-dev libcap-dev libelf-dev \
        libprotobuf-c-dev protobuf-c-compiler python3-dev libpcre2-dev \
        libc-ares-dev iproute2 python3 xz-utils install-info
    in_chroot sh -c 'getent group frr >/dev/null || groupadd --system frr
        getent group frrvty >/dev/null || groupadd --system frrvty
        getent passwd frr >/dev/null ||
            useradd --system --gid frr --groups frrvty --no-create-home \
                --home-dir /nonexistent --shell /usr/sbin/nologin frr'
    rm -rf "$dir/usr/src/frr"
    mkdir -p "$dir/usr/src/frr"
    tar -xJf "$tarball" -C "$dir/usr/src/frr" --strip-components=1
    in_chroot sh -c 'cd /usr/src/frr && ./bootstrap.sh &&
        ./configure --prefix=/usr --sysconfdir=/etc --localstatedir=/var \
            --sbindir=/usr/lib/frr --libdir=/usr/lib/x86_64-linux-gnu/frr \
            --with-moduledir=/usr/lib/x86_64-linux-gnu/frr/modules \
            --enable-user=frr --enable-group=frr --enable-vty-group=frrvty \
            --disable-doc --enable-multipath=64 --disable-snmp --disable-rpki \
            --with-pkg-extra-version=-src &&
        make -j"$(nproc)" && make install && ldconfig'
    mkdir -p "$dir/etc/frr"
    rm -rf "$dir/usr/src/frr"
    ;;
esac
have=$(installed)
if [ "$have" != "$version" ]; then
    echo "$0: $dir: expected FRR $version, vtysh says '${have:-nothing}'" >&2
    exit 1
fi
echo "FRR $version installed in $dir"
