#!/usr/bin/env bash
# Boots the firmware the way tests/qemu does, by hand: in a network namespace
# keel-<pid>-1 with a TAP device at 192.0.2.1/24, console on this terminal
# (Ctrl-A X quits).  From another shell, talk to the device at 192.0.2.2:
#   ip netns exec keel-<pid>-1 ping 192.0.2.2
#   ip netns exec keel-<pid>-1 nc 192.0.2.2 7
# The namespace is deleted when QEMU exits.  Needs root.
# usage: scripts/netns-run.sh [board]       (default lm3s6965evb)
set -euo pipefail
board=${1:-lm3s6965evb}
case $board in
lm3s6965evb) model=stellaris mac=52:54:00:4b:45:01 ;;
mps2-an385) model=lan9118 mac=52:54:00:4b:45:02 ;;
*) echo "unknown board $board (lm3s6965evb, mps2-an385)" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
elf=$root/build/$board/keel.elf
[ -f "$elf" ] || { echo "$elf missing: run make BOARD=$board" >&2; exit 1; }
[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces, TAP)" >&2; exit 1; }

ns=keel-$$-1
tap=keeltap0
cleanup() { ip netns pids "$ns" 2>/dev/null | xargs -r kill -9 2>/dev/null || true
	ip netns del "$ns" 2>/dev/null || true; }
trap cleanup EXIT INT TERM HUP
ip netns add "$ns"
ip netns exec "$ns" sh -c 'echo 1 > /proc/sys/net/ipv6/conf/all/disable_ipv6; echo 1 > /proc/sys/net/ipv6/conf/default/disable_ipv6' || true
ip -n "$ns" link set lo up
ip -n "$ns" tuntap add dev "$tap" mode tap
ip -n "$ns" addr add 192.0.2.1/24 dev "$tap"
ip -n "$ns" link set "$tap" up
echo "keel on $board in namespace $ns (device 192.0.2.2, this side 192.0.2.1 on $tap)"
echo "from another shell: ip netns exec $ns ping 192.0.2.2   (Ctrl-A X quits QEMU)"
ip netns exec "$ns" qemu-system-arm -M "$board" -nographic -serial mon:stdio -kernel "$elf" \
	-nic "tap,ifname=$tap,script=no,downscript=no,model=$model,mac=$mac"
