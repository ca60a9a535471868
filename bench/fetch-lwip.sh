#!/usr/bin/env bash
# Unpacks Debian's lwIP 2.1.3 source package into build/bench/lwip-src
# (build output: lwIP's code is never committed to keel).  apt-get source
# needs a deb-src line; this machine's APT uses deb822 files
# (/etc/apt/sources.list.d/debian.sources, bookworm, deb.debian.org), so
# the same archive is added for deb-src in a file of our own.
set -euo pipefail
cd "$(dirname "$0")/.."
dest=build/bench/lwip-src
if [ -f "$dest/src/core/tcp.c" ]; then
	exit 0
fi
want="2.1.3"
list=/etc/apt/sources.list.d/keel-deb-src.sources
if ! grep -rqs '^Types:.*deb-src\|^deb-src' /etc/apt/sources.list /etc/apt/sources.list.d/; then
	if [ "$(id -u)" -ne 0 ]; then
		echo "fetch-lwip: no deb-src entry and not root: add one, or unpack lwIP $want into $dest" >&2
		exit 1
	fi
	. /etc/os-release
	cat >"$list" <<EOT
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: ${VERSION_CODENAME:-bookworm}
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOT
	apt-get update -q
fi
command -v dpkg-source >/dev/null || apt-get install -y -q dpkg-dev
tmp=build/bench/dl
rm -rf "$tmp"
mkdir -p "$tmp"
(cd "$tmp" && apt-get source -q lwip)
src=$(find "$tmp" -maxdepth 1 -type d -name 'lwip-*' | head -1)
ver=$(sed -n 's/^#define LWIP_VERSION_\(MAJOR\|MINOR\|REVISION\) *\([0-9]*\).*/\2/p' \
	"$src/src/include/lwip/init.h" | paste -sd.)
if [ "$ver" != "$want" ]; then
	echo "fetch-lwip: got lwIP $ver, the benchmark is against $want" >&2
	exit 1
fi
rm -rf "$dest"
mv "$src" "$dest"
rm -rf "$tmp"
echo "fetch-lwip: lwIP $ver in $dest"
