#!/usr/bin/python3
"""The cycle check itself: two TCP-named objects that call each other must
fail it, one that only calls the other must pass, and a call through
tcp_input (dispatch) is allowed.  Compiled with the host compiler into a
temporary directory.

usage: test-check-tcp-cycles.py CC NM"""
import os
import subprocess
import sys
import tempfile

CHECK = os.path.join(os.path.dirname(os.path.abspath(__file__)), "check-tcp-cycles.py")


def run(cc, nm, files):
    with tempfile.TemporaryDirectory() as d:
        for name, src in files.items():
            path = os.path.join(d, name + ".c")
            with open(path, "w") as f:
                f.write(src)
            subprocess.run([cc, "-c", path, "-o", os.path.join(d, name + ".o")], check=True)
        return subprocess.run([sys.executable, CHECK, nm, d], capture_output=True, text=True).returncode


def main():
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    cc, nm = sys.argv[1], sys.argv[2]
    a_calls_b = "int b(void); int a(void) { return b(); }\n"
    b_calls_a = "int a(void); int b(void) { return a(); }\n"
    b_alone = "int b(void) { return 1; }\n"
    in_calls_a = "int a(void); int in(void) { return a(); }\n"
    a_calls_in = "int b(void); int in(void); int a(void) { return b() + in(); }\n"
    cases = [
        ("mutual calls", {"tcp_xa": a_calls_b, "tcp_xb": b_calls_a}, 1),
        ("one way", {"tcp_xa": a_calls_b, "tcp_xb": b_alone}, 0),
        ("through dispatch", {"tcp_xa": a_calls_in, "tcp_xb": b_alone, "tcp_input": in_calls_a}, 0),
    ]
    bad = 0
    for what, files, want in cases:
        got = 1 if run(cc, nm, files) else 0
        ok = got == want
        bad += not ok
        print("check-tcp-cycles self-test: %s: %s" % (what, "ok" if ok else "WRONG (exit %d)" % got))
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
