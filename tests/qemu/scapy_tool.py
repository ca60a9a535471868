#!/usr/bin/python3
"""Sends raw frames on a TAP inside a test namespace and collects replies.

Run inside the namespace by the rig (keelqemu.Netns.scapy):
    ip netns exec keel-... /usr/bin/python3 scapy_tool.py ACTION --iface TAP JSON

ACTION send:     {"frames": [hex, ...], "gap": seconds}
ACTION sendrecv: {"frames": [hex, ...], "src": mac, "timeout": s, "count": n}
    sniffs the interface, sends the frames, then returns (as hex) the frames
    whose Ethernet source is `src`, stopping at `count` frames or `timeout`.
Prints one JSON line.  Bounded: at most 1000 frames, timeout at most 30 s.
"""
import json
import sys
import time

import logging
logging.getLogger("scapy.runtime").setLevel(logging.ERROR)
from scapy.all import AsyncSniffer, Ether, conf, sendp  # noqa: E402

MAX_FRAMES = 1000
MAX_TIMEOUT = 30.0


def main():
    action = sys.argv[1]
    if sys.argv[2] != "--iface":
        raise SystemExit("usage: scapy_tool.py ACTION --iface IFACE JSON")
    iface = sys.argv[3]
    args = json.loads(sys.argv[4]) if len(sys.argv) > 4 else {}
    conf.verb = 0
    frames = [bytes.fromhex(h) for h in args.get("frames", [])][:MAX_FRAMES]
    gap = float(args.get("gap", 0.01))

    def send_all():
        for f in frames:
            sendp(f, iface=iface, verbose=False)
            if gap:
                time.sleep(gap)

    if action == "send":
        send_all()
        print(json.dumps({"sent": len(frames)}))
        return
    if action == "sendrecv":
        src = args["src"].lower()
        timeout = min(float(args.get("timeout", 2.0)), MAX_TIMEOUT)
        count = int(args.get("count", 0))
        got = []
        sniffer = AsyncSniffer(iface=iface, store=False, prn=lambda p: got.append(bytes(p)),
                               lfilter=lambda p: p.haslayer(Ether) and p[Ether].src.lower() == src)
        sniffer.start()
        time.sleep(0.3)             # the socket is open before we send
        send_all()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if count and len(got) >= count:
                break
            time.sleep(0.05)
        sniffer.stop()
        print(json.dumps({"sent": len(frames),
                          "frames": [f.hex() for f in got][:MAX_FRAMES]}))
        return
    raise SystemExit("unknown action %r" % action)


if __name__ == "__main__":
    main()
