#!/usr/bin/env bash
# bench flowmod-rate [N_FLOWS]: how fast ovs-ofctl add-flows installs N_FLOWS flows (default 100000) into this switch
# and into a real ovs-vswitchd, side by side, plain and as one OpenFlow 1.4 bundle (benchmarks/README.md).
#
#   bin/bench flowmod-rate 100000
#
# Needs ovs-ofctl (Debian: openvswitch-common). The ovs-vswitchd half needs the shared oracle's ovs-oracle
# ($OVS_ORACLE, default /work/shared/oracle/ovs-oracle) and ovs-vswitchd/ovsdb-server; without them only this switch
# is measured, and the output says so.
#
# Steps: write N_FLOWS flows "table=0,priority=100,ip,nw_src=10.X.Y.Z,actions=output:2" (distinct addresses) to a
# file; start bin/ofswitch --listen ptcp:PORT:127.0.0.1 --ports 4 and wait until it answers an ovs-ofctl probe; time
# (wall clock, around the ovs-ofctl process) "ovs-ofctl -O OpenFlow13 add-flows tcp:127.0.0.1:PORT FILE"; check with
# dump-aggregate that the table holds N_FLOWS flows; stop the switch. Then the same on a fresh switch with
# "ovs-ofctl -O OpenFlow14 --bundle add-flows tcp:127.0.0.1:PORT FILE". Then both with a private ovs-vswitchd each
# ("ovs-oracle start --listen PORT2 --dir DIR", stopped with "ovs-oracle stop DIR").
#
# What each times: plain, ovs-ofctl 3.1 sends each flow as FLOW_MOD + BARRIER_REQUEST and waits for the BARRIER_REPLY
# before the next one, so when it exits every flow is in the table, and the time is N_FLOWS request/reply round trips
# plus ovs-ofctl's own parsing of the file (the same for both switches). With --bundle it sends BUNDLE_CONTROL OPEN and
# waits for the reply, streams N_FLOWS BUNDLE_ADD_MESSAGEs without waiting, sends one BARRIER_REQUEST and waits, then
# COMMIT and waits for the COMMIT_REPLY: the time is ovs-ofctl's parsing, the transfer, the switch's decoding and
# storing of N_FLOWS messages and the commit that installs them all at once.
#
# Output: one line per switch, "ofswitch: N flows in S s, R flows/s" and "ovs-vswitchd: ...", then
# "ratio: ovs-vswitchd time / ofswitch time = X"; then the same three for the bundle, "ofswitch --bundle: ...",
# "ovs-vswitchd --bundle: ...", "ratio --bundle: ...". Exit status 1 if a table does not hold N_FLOWS flows, 2 on bad
# arguments or a missing ovs-ofctl. OFSWITCH_JAVA_OPTS reaches bin/ofswitch (e.g. a JFR recording).
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
usage="usage: bench flowmod-rate [N_FLOWS]"

n=${1:-100000}
if [ $# -gt 1 ] || ! [[ "$n" =~ ^[0-9]+$ ]] || [ "$n" -lt 1 ] || [ "$n" -gt 16777216 ]; then
    echo "bench flowmod-rate: N_FLOWS must be an integer from 1 to 16777216 ($usage)" >&2
    exit 2
fi
if ! command -v ovs-ofctl >/dev/null 2>&1; then
    echo "bench flowmod-rate: needs ovs-ofctl (Open vSwitch, Debian package openvswitch-common), not found" \
        "($usage)" >&2
    exit 2
fi
oracle=${OVS_ORACLE:-/work/shared/oracle/ovs-oracle}

tmp=$(mktemp -d "${TMPDIR:-/tmp}/flowmod-rate.XXXXXX")
switch_pid=
ovs_dir=
cleanup() {
    if [ -n "$switch_pid" ]; then
        kill "$switch_pid" 2>/dev/null || true
        wait "$switch_pid" 2>/dev/null || true
    fi
    if [ -n "$ovs_dir" ]; then
        "$oracle" stop "$ovs_dir" >/dev/null 2>&1 || true
    fi
    rm -rf "$tmp"
}
trap cleanup EXIT

# A free TCP port on 127.0.0.1 (the kernel's pick; released at once, so another process could take it meanwhile).
free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Waits until an OpenFlow switch answers on tcp:127.0.0.1:$1, at most $2 seconds.
wait_ready() {
    local deadline=$((SECONDS + $2))
    until ovs-ofctl -t 1 -O OpenFlow13 probe "tcp:127.0.0.1:$1" >/dev/null 2>&1; do
        if [ $SECONDS -ge $deadline ]; then
            echo "bench flowmod-rate: no switch answered on 127.0.0.1:$1 within $2 s" >&2
            return 1
        fi
        sleep 0.1
    done
}

# Times add-flows into tcp:127.0.0.1:$1 (plain, or with $2 = bundle as one OpenFlow 1.4 bundle) and checks the flow
# count; prints "SECONDS" on success.
install() {
    local port=$1 start end count
    local how=(-O OpenFlow13)
    if [ "${2:-}" = bundle ]; then
        how=(-O OpenFlow14 --bundle)
    fi
    start=$(date +%s.%N)
    ovs-ofctl "${how[@]}" add-flows "tcp:127.0.0.1:$port" "$tmp/flows.txt" >&2
    end=$(date +%s.%N)
    count=$(ovs-ofctl -O OpenFlow13 dump-aggregate "tcp:127.0.0.1:$port" | sed -n 's/.*flow_count=\([0-9]*\).*/\1/p')
    if [ "$count" != "$n" ]; then
        echo "bench flowmod-rate: the table holds ${count:-no} flows, expected $n" >&2
        return 1
    fi
    awk -v a="$end" -v b="$start" 'BEGIN { printf "%.6f\n", a - b }'
}

report() {
    LC_ALL=C awk -v name="$1" -v n="$n" -v s="$2" \
        'BEGIN { printf "%s: %d flows in %.3f s, %.0f flows/s\n", name, n, s, n / s }'
}

awk -v n="$n" 'BEGIN {
    for (i = 0; i < n; i++) {
        printf "table=0,priority=100,ip,nw_src=10.%d.%d.%d,actions=output:2\n", int(i / 65536) % 256,
            int(i / 256) % 256, i % 256
    }
}' > "$tmp/flows.txt"

# This switch, on a fresh process for each way (plain, bundle). Build it first, so that the build is not part of the
# wait.
"$root/bin/lib/ensure-built.sh" ofswitch ofswitch/target/ofswitch.jar
# Sets $seconds (no subshell, so that the cleanup trap knows the process to stop).
measure_ofswitch() {
    local port
    port=$(free_port)
    "$root/bin/ofswitch" --listen "ptcp:$port:127.0.0.1" --ports 4 > "$tmp/ofswitch.log" 2>&1 &
    switch_pid=$!
    wait_ready "$port" 60
    seconds=$(install "$port" "$1") || { tail -20 "$tmp/ofswitch.log" >&2; exit 1; }
    kill "$switch_pid"
    wait "$switch_pid" 2>/dev/null || true
    switch_pid=
}
measure_ofswitch plain
ours=$seconds
report ofswitch "$ours"

# The floor of the plain path: the same add-flows against benchmarks/barrier-peer.c, a C peer that installs nothing
# and only answers, when a C compiler is there. What is left is ovs-ofctl and the round trips, the same for any switch.
if command -v cc >/dev/null 2>&1 && cc -O2 -o "$tmp/barrier-peer" "$root/benchmarks/barrier-peer.c" 2>/dev/null; then
    port=$(free_port)
    "$tmp/barrier-peer" "$port" &
    switch_pid=$!
    wait_ready "$port" 10
    start=$(date +%s.%N)
    ovs-ofctl -O OpenFlow13 add-flows "tcp:127.0.0.1:$port" "$tmp/flows.txt" >&2
    end=$(date +%s.%N)
    kill "$switch_pid"
    wait "$switch_pid" 2>/dev/null || true
    switch_pid=
    report "floor (barrier-peer, installs nothing)" "$(awk -v a="$end" -v b="$start" 'BEGIN { printf "%.6f", a - b }')"
fi
measure_ofswitch bundle
ours_bundle=$seconds

# Open vSwitch.
if [ ! -x "$oracle" ] || ! command -v ovs-vswitchd >/dev/null 2>&1; then
    report "ofswitch --bundle" "$ours_bundle"
    echo "bench flowmod-rate: no ovs-vswitchd run ($oracle or ovs-vswitchd missing): no comparison" >&2
    exit 0
fi
# Sets $seconds, as measure_ofswitch.
measure_ovs() {
    local port2
    port2=$(free_port)
    ovs_dir="$tmp/ovs-$1"
    mkdir "$ovs_dir"
    "$oracle" start --listen "$port2" --dir "$ovs_dir" > /dev/null
    wait_ready "$port2" 60
    seconds=$(install "$port2" "$1") || exit 1
    "$oracle" stop "$ovs_dir" > /dev/null
    ovs_dir=
}
measure_ovs plain
theirs=$seconds
report ovs-vswitchd "$theirs"
LC_ALL=C awk -v a="$theirs" -v b="$ours" 'BEGIN { printf "ratio: ovs-vswitchd time / ofswitch time = %.2f\n", a / b }'
measure_ovs bundle
theirs_bundle=$seconds
report "ofswitch --bundle" "$ours_bundle"
report "ovs-vswitchd --bundle" "$theirs_bundle"
LC_ALL=C awk -v a="$theirs_bundle" -v b="$ours_bundle" \
    'BEGIN { printf "ratio --bundle: ovs-vswitchd time / ofswitch time = %.2f\n", a / b }'
