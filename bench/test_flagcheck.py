"""bench/flagcheck.py: what counts as code generation in a compile line
(run by `make bench-quick`)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import flagcheck  # noqa: E402

KEEL = ("arm-none-eabi-gcc -mcpu=cortex-m3 -mthumb -Os -g3 -std=c11 -ffunction-sections "
        "-fdata-sections -fno-common -Wall -Werror -Istack -Istack/lib -Istack/link -Istack/ip -Istack/svc -Istack/tcp -Istack/include "
        "-DKEEL_BOARD=\"x\" -MMD -MP -c stack/tcp/tcp.c -o build/x/stack/tcp/tcp.o").split()
LWIP = ("arm-none-eabi-gcc -mcpu=cortex-m3 -mthumb -Os -g3 -std=c11 -ffunction-sections "
        "-fdata-sections -fno-common -DKEEL_BOARD=\"x\" -w -Ibench/lwip -MMD -MP "
        "-c build/bench/lwip-src/src/core/tcp.c -o build/bench/obj/tcp.o").split()


def test_includes_defines_warnings_and_files_are_not_code_generation():
    assert flagcheck.codegen(KEEL) == flagcheck.codegen(LWIP) == [
        "-mcpu=cortex-m3", "-mthumb", "-Os", "-g3", "-std=c11", "-ffunction-sections",
        "-fdata-sections", "-fno-common"]


def test_an_extra_codegen_flag_is_a_difference():
    tilted = LWIP[:1] + ["-ffreestanding"] + LWIP[1:]
    assert flagcheck.codegen(tilted) != flagcheck.codegen(KEEL)
    assert flagcheck.codegen(LWIP[:1] + ["-O2"] + LWIP[1:]) != flagcheck.codegen(KEEL)
