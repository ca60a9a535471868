"""Both stacks compiled alike: the compile lines make would run for one of
keel's objects and for lwIP's (its core and keel's glue), with everything
that does not change code generation set aside: include paths, defines
(the board name, keel's build id), warnings (-W..., lwIP's -w), dependency
output (-M...) and the file names.  What is left must be identical, in
order; board/cortex-m/flags.mk is where both take it from."""
import shlex
import subprocess

LWIP_OBJ = "build/bench/obj-lwip-%s/lwip/src/core/tcp.o"
GLUE_OBJ = "build/bench/obj-lwip-%s/bench/lwip/services.o"
KEEL_OBJ = "build/%s/stack/tcp/tcp.o"


def compile_line(root, make_args, target):
    """The gcc command `make -n -B` would run to build target (a list)."""
    out = subprocess.run(["make", "--no-print-directory", "-n", "-B"] + make_args + [target],
                         cwd=root, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                         text=True, timeout=60).stdout
    for line in out.splitlines():
        words = shlex.split(line)
        if words and words[0].endswith("gcc") and "-c" in words and target in words:
            return words
    raise RuntimeError("no compile line for %s in:\n%s" % (target, out[-2000:]))


def codegen(words):
    """The flags of a compile line that can change the generated code."""
    keep = []
    skip_next = False
    for w in words[1:]:
        if skip_next:
            skip_next = False
        elif w in ("-o", "-MF", "-MT", "-MQ"):
            skip_next = True
        elif w == "-c" or w.endswith(".c") or w == "-w" or w.startswith(("-I", "-D", "-W", "-M")):
            continue
        else:
            keep.append(w)
    return keep


def check(root, board):
    """{name: compile line} for keel, lwIP core and glue on board; raises
    if their code-generation flags differ."""
    lines = {
        "keel": compile_line(root, ["BOARD=" + board], KEEL_OBJ % board),
        "lwip": compile_line(root, ["-f", "bench/lwip/lwip.mk", "BOARD=" + board],
                             LWIP_OBJ % board),
        "lwip-glue": compile_line(root, ["-f", "bench/lwip/lwip.mk", "BOARD=" + board],
                                  GLUE_OBJ % board),
    }
    ref = codegen(lines["keel"])
    for name, words in lines.items():
        if codegen(words) != ref:
            raise SystemExit("bench: %s is compiled with %s, keel with %s (%s)" % (
                name, " ".join(codegen(words)), " ".join(ref), board))
    return lines
