#!/usr/bin/env bash
# Installs the Debian packages a target needs when they are missing.
# usage: scripts/deps.sh build|run|test|bench
set -eu
need=()
have_cmd() { command -v "$1" >/dev/null 2>&1; }
have_pkg() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'; }
want() { have_pkg "$1" || need+=("$1"); }

want gcc-arm-none-eabi
want libnewlib-arm-none-eabi
want make
case "${1:-build}" in
run)
	want qemu-system-arm
	;;
test|bench)
	want qemu-system-arm
	want gcc
	want libcmocka-dev
	want pkg-config
	want python3-pytest
	want python3-scapy
	want iproute2
	want iputils-ping
	want netcat-openbsd
	want tshark
	want curl
	want iperf
	want chromium
	want fonts-dejavu-core   # text in the status-page screenshot
	want clang
	want cppcheck      # test-static
	want clang-tidy    # test-static
	want llvm          # coverage: llvm-cov, llvm-profdata
	want git
	want dnsmasq-base        # DHCP and DNS server in tests/qemu (test_dhcp, test_dns)
	want valgrind            # bench: instruction counts (callgrind)
	want python3-matplotlib  # bench: the chart of ratios
	want dpkg-dev            # bench: apt-get source lwip
	;;
esac
[ ${#need[@]} -eq 0 ] && exit 0
echo "deps: installing ${need[*]}"
if [ "$(id -u)" != 0 ]; then
	echo "deps: missing packages and not root; run: apt-get install ${need[*]}" >&2
	exit 1
fi
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${need[@]}"
