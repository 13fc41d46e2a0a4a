#!/usr/bin/env bash
#! The quickstart: on a fresh Debian 12 machine (as root, with a Rust
#! toolchain from rustup), installs FRR, builds the agent, brings up two
#! network namespaces — `qs-node` (a Kubernetes node: FRR + the agent) and
#! `qs-router` (an upstream BGP router) — and walks through what a user of
#! frr-k8s does to receive a peer's routes:
#!   1. the controller's config: sessions up, LoadBalancer IP advertised,
#!      routes from the router denied (no `proto bgp` route in the kernel);
#!   2. "receive all": the inbound prefix-lists flip deny -> permit; the
#!      sessions are not reset and the router's routes reach the kernel;
#!   3. filtered (only 198.51.100.0/24 and 2001:db8:100::/48), then deny
#!      again: the kernel routes follow.
#! Addresses: 192.0.2.0/24 and 2001:db8::/64 on the link, 198.51.100.0/24,
#! 203.0.113.0/24 and 2001:db8:100::/48 behind the router. Nothing leaves
#! the namespaces.
#!
#! usage: scripts/quickstart.sh          set up and walk through the steps
#!        scripts/quickstart.sh down     tear everything down
set -euo pipefail

cd "$(dirname "$0")/.."
repo=$PWD
node=qs-node
router=qs-router
run=/run/frr-reload-agent-quickstart
sock=$run/agent.sock
examples=$repo/examples/quickstart
agent=/usr/local/bin/frr-reload-agent

say() { printf '\n\033[1m== %s\033[0m\n' "$*"; }
fail() { printf '\nquickstart: FAILED: %s\n' "$*" >&2; exit 1; }
vty() { local ns=$1; shift; vtysh -N "$ns" "$@"; }

down() {
    if [[ -f $run/agent.pid ]]; then
        kill "$(cat "$run/agent.pid")" 2>/dev/null || true
        sleep 0.5
    fi
    for ns in $node $router; do
        for pidfile in /run/frr/$ns/*.pid; do
            [[ -f $pidfile ]] && kill "$(cat "$pidfile")" 2>/dev/null || true
        done
    done
    sleep 0.5
    for ns in $node $router; do
        ip netns del "$ns" 2>/dev/null || true
        rm -rf "/run/frr/$ns" "/etc/frr/$ns"
    done
    rm -rf "$run"
}

if [[ ${1:-} == down ]]; then
    down
    echo "quickstart: torn down"
    exit 0
fi

[[ $(id -u) == 0 ]] || fail "run as root (network namespaces, FRR daemons)"
export PATH=$PATH:$HOME/.cargo/bin
command -v cargo >/dev/null ||
    fail "no cargo: install a Rust toolchain with rustup (https://rustup.rs); Debian's rustc is too old"

say "Installing what is missing (FRR from Debian, iproute2, curl)"
if ! command -v vtysh >/dev/null || ! command -v curl >/dev/null || ! command -v ip >/dev/null; then
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q frr frr-pythontools iproute2 curl
fi
dpkg-query -W -f 'FRR ${Version}\n' frr 2>/dev/null || true

say "Building the agent (release) and installing it as $agent"
cargo build --release -q -p agent
install -m 0755 target/release/frr-reload-agent "$agent"

say "Two namespaces joined by a veth pair: $node (192.0.2.1, 2001:db8::1) and $router (192.0.2.2, 2001:db8::2)"
down
mkdir -p "$run"
for ns in $node $router; do
    ip netns add "$ns"
    ip -n "$ns" link set lo up
    mkdir -p "/run/frr/$ns" "/etc/frr/$ns"
    touch "/etc/frr/$ns/vtysh.conf"
    chown -R frr:frr "/run/frr/$ns" "/etc/frr/$ns"
done
ip link add qs-n0 netns $node type veth peer name qs-r0 netns $router
ip -n $node addr add 192.0.2.1/24 dev qs-n0
ip -n $node -6 addr add 2001:db8::1/64 dev qs-n0 nodad
ip -n $router addr add 192.0.2.2/24 dev qs-r0
ip -n $router -6 addr add 2001:db8::2/64 dev qs-r0 nodad
ip -n $node link set qs-n0 up
ip -n $router link set qs-r0 up

for ns in $node $router; do
    for daemon in zebra bgpd staticd; do
        ip netns exec "$ns" /usr/lib/frr/$daemon -N "$ns" -d -A 127.0.0.1 -f /dev/null </dev/null >/dev/null 2>&1
    done
done
for _ in $(seq 100); do
    vty $node -c 'show version' >/dev/null 2>&1 && vty $router -c 'show version' >/dev/null 2>&1 && break
    sleep 0.1
done
vty $router -f "$examples/router.conf"
echo "router: FRR running $examples/router.conf"

say "Starting the agent for $node (socket $sock, health on 127.0.0.1:9150)"
setsid "$agent" serve -N $node --socket "$sock" --state-dir "$run/state" \
    --health-addr 127.0.0.1:9150 >"$run/agent.log" 2>&1 </dev/null &
echo $! >"$run/agent.pid"
for _ in $(seq 100); do
    curl -sf http://127.0.0.1:9150/readyz >/dev/null && break
    sleep 0.1
done
curl -sf http://127.0.0.1:9150/readyz >/dev/null || fail "the agent is not ready: see $run/agent.log"
echo "agent ready (log: $run/agent.log)"

# established NEIGHBOR: the session's count of established connections,
# once it is up.
established() {
    local json
    for _ in $(seq 600); do
        json=$(vty $node -c "show bgp neighbors $1 json")
        if grep -q '"bgpState":"Established"' <<<"$json"; then
            grep -o '"connectionsEstablished":[0-9]*' <<<"$json" | cut -d: -f2
            return
        fi
        sleep 0.1
    done
    fail "session with $1 not established after 60 s"
}

# wait_routes FAMILY WANT: waits until the node's kernel has exactly the
# `proto bgp` routes WANT (space-separated destinations), then prints them.
wait_routes() {
    local family=$1 want=$2 got=""
    for _ in $(seq 300); do
        got=$(ip -n $node "$family" route show proto bgp | awk '{print $1}' | sort | xargs)
        [[ $got == "$want" ]] && break
        sleep 0.1
    done
    ip -n $node "$family" route show proto bgp
    [[ $got == "$want" ]] || fail "kernel $family routes: want [$want], have [$got]"
}

apply() {
    echo "\$ frr-reload-agent apply $1"
    "$agent" apply --socket "$sock" "$examples/$1" || fail "apply $1"
}

say "Step 1: the controller's config (routes from the router denied)"
apply node-1-deny.conf
up4=$(established 192.0.2.2)
up6=$(established 2001:db8::2)
echo "sessions Established (IPv4 and IPv6)"
vty $node -c 'show bgp summary' | grep -E '^(Neighbor|192|2001)' || true
echo "router has learned the LoadBalancer IPs:"
for _ in $(seq 100); do
    vty $router -c 'show bgp ipv4 unicast 203.0.113.10/32' 2>/dev/null | grep -q 192.0.2.1 && break
    sleep 0.1
done
vty $router -c 'show bgp ipv4 unicast 203.0.113.10/32' | grep -q 192.0.2.1 ||
    fail "the router did not learn 203.0.113.10/32"
vty $router -c 'show bgp ipv4 unicast' | grep -E '203.0.113.10' || true
vty $router -c 'show bgp ipv6 unicast' | grep -E '2001:db8:ff::10' || true
echo "node kernel, proto bgp (none expected):"
wait_routes -4 ""
wait_routes -6 ""

say "Step 2: receive all routes from the router (deny any -> permit any)"
apply node-2-receive-all.conf
wait_routes -4 "198.51.100.0/24 203.0.113.128/25 default"
wait_routes -6 "2001:db8:100::/48 default"
[[ $(established 192.0.2.2) == "$up4" && $(established 2001:db8::2) == "$up6" ]] ||
    fail "a BGP session was reset"
echo "sessions not reset (same established-connection counts)"
vty $node -c 'show bgp ipv4 unicast' | grep -E '^ *[*>]' || true

say "Step 3: only 198.51.100.0/24 and 2001:db8:100::/48 allowed"
apply node-3-filtered.conf
wait_routes -4 "198.51.100.0/24"
wait_routes -6 "2001:db8:100::/48"

say "Step 3, then: back to deny"
apply node-1-deny.conf
wait_routes -4 ""
wait_routes -6 ""
[[ $(established 192.0.2.2) == "$up4" && $(established 2001:db8::2) == "$up6" ]] ||
    fail "a BGP session was reset"
echo "no proto bgp routes left; sessions never reset"

say "Done. Try:"
cat <<EOF
  frr-reload-agent status --socket $sock
  frr-reload-agent apply --socket $sock $examples/node-2-receive-all.conf
  frr-reload-agent watch --socket $sock          # every result as it happens
  curl -s --unix-socket $sock http://agent/v1/status
  curl -s --unix-socket $sock -X POST --data-binary @$examples/node-3-filtered.conf http://agent/v1/diff
  curl -s http://127.0.0.1:9150/metrics | grep ^frr_reload_agent_reloads
  ip netns exec $node ip route show proto bgp
  vtysh -N $node -c 'show bgp summary'
Tear it all down:
  $repo/scripts/quickstart.sh down
EOF
