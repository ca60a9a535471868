"""Footprints for bench/run: image sizes, the linked image split by origin
(stack, board+drivers, app+glue, libc) from the linker map, and the exact
size of each stack's connection state (bench/sizes_*.c, read with nm -S)."""
import os
import re
import subprocess

ROOT = os.path.abspath(os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))
OUT = os.path.join(ROOT, "build", "bench")
CROSS = os.environ.get("CROSS", "arm-none-eabi-")


def sh(cmd):
    return subprocess.run(cmd, cwd=ROOT, check=True, stdout=subprocess.PIPE,
                          text=True, timeout=120).stdout


def nm_sizes(src, incs, codegen):
    obj = os.path.join(OUT, os.path.basename(src)[:-2] + ".o")
    sh([CROSS + "gcc"] + codegen + incs + ["-c", src, "-o", obj])
    out = {}
    for line in sh([CROSS + "nm", "-S", obj]).splitlines():
        f = line.split()
        if len(f) == 4:
            out[f[3]] = int(f[1], 16)
    return out


def elf_size(elf):
    f = sh([CROSS + "size", elf]).splitlines()[-1].split()
    text, data, bss = int(f[0]), int(f[1]), int(f[2])
    return {"flash": text + data, "ram": data + bss}


# keel's modules the lwIP build leaves out (LWIP_DHCP, LWIP_DNS, LWIP_UDP
# are 0 in bench/lwip/lwipopts.h): counted apart, so `stack` compares the
# same IPv4/ARP/ICMP/TCP core on both sides.
KEEL_EXTRAS = ("/stack/svc/dhcp", "/stack/svc/dns", "/stack/link/acd", "/stack/ip/udp")


def map_split(path):
    """Flash and static RAM of the linked image split by where the input
    section came from (after --gc-sections): the TCP/IP stack itself,
    board + drivers, the application/firmware, libc/libgcc."""
    parts = {}
    sect = None
    pending = None
    started = False
    with open(path) as f:
        for line in f:
            if not started:
                started = line.startswith("Linker script and memory map")
                continue
            m = re.match(r"^(\.[A-Za-z_.]+)\s", line)
            if m and not line.startswith(" "):
                sect = m.group(1)
                continue
            if sect not in (".text", ".ARM.exidx", ".data", ".bss", ".noinit"):
                continue
            m = re.match(r"^ (\S+)\s*$", line)
            if m:
                pending = m.group(1)
                continue
            m = re.match(r"^ (\S+)?\s+0x([0-9a-f]+)\s+0x([0-9a-f]+)\s+(\S.*)$", line)
            if not m or (m.group(1) or pending or "").startswith("*fill*"):
                pending = None
                continue
            name = m.group(1) or pending
            pending = None
            if name is None or name.startswith("*"):
                continue
            size, origin = int(m.group(3), 16), m.group(4).strip()
            if "/apps/lwiperf/" in origin:
                who = "app+glue"       # lwIP's iperf server: keel's is in firmware/
            elif any(x in origin for x in KEEL_EXTRAS):
                who = "stack: DHCP, DNS, UDP"
            elif "/lwip/src/" in origin or "lwip-src/" in origin or "/stack/" in origin:
                who = "stack"
            elif "/board/" in origin or "/drivers/" in origin:
                who = "board+drivers"
            elif "/firmware/" in origin or "/bench/lwip/" in origin:
                who = "app+glue"
            else:
                who = "libc"
            d = parts.setdefault(who, {"flash": 0, "ram": 0})
            if sect in (".text", ".ARM.exidx", ".data"):
                d["flash"] += size
            if sect in (".data", ".bss", ".noinit"):
                d["ram"] += size
    return parts
