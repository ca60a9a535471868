/* The Cortex-M entry of the instruction counts (icount_target.mk): the
 * same phases as on the host (icount_main.c), on the board under QEMU
 * with -icount, where virtual time advances 2^shift ns per instruction
 * executed.  SysTick runs free from the core clock (no interrupt) and is
 * read at the start and end of every counted interval; a calibration loop
 * of known length gives ticks per instruction and the cost of an empty
 * interval, so bench/icount_arm.py can turn the ticks into instructions.
 * The arguments (connections, segments) come as one line on the console;
 * the results go out on it. */
#include "board.h"
#include "cortex_m.h"
#include "count.h"
#include "fmt.h"

#define CALIB_LOOPS 100000u            /* 2 instructions each */
#define CALIB_EMPTY 1000u              /* empty intervals, averaged */

static uint32_t t_on;
static uint64_t acc;
static uint32_t intervals;
static int on;

void count_toggle(void)
{
	uint32_t now = SYST_CVR;
	if (!on) {
		t_on = now;
		on = 1;
		return;
	}
	/* A down-counter over 24 bits: one wrap inside an interval is fine;
	 * an interval of 2^24 ticks or more would not be (icount_arm.py
	 * checks the mean interval is far below that). */
	acc += (t_on - now) & SYST_RVR_MAX;
	intervals++;
	on = 0;
}

void count_zero(void)
{
	acc = 0;
	intervals = 0;
}

uint64_t count_ticks(void)
{
	return acc;
}

uint32_t count_intervals(void)
{
	return intervals;
}

void count_out(const char *s)
{
	size_t len = 0;
	while (s[len])
		len++;
	while (len) {
		size_t n = board_console_write(s, len);
		s += n;
		len -= n;
		if (n == 0)
			board_console_flush();
	}
	board_console_flush();
}

/* Ticks of one interval around n turns of a two-instruction loop. */
static uint64_t loop_ticks(uint32_t n)
{
	count_zero();
	count_toggle();
	__asm volatile("1: subs %0, %0, #1\n\tbne 1b" : "+r"(n) : : "cc");
	count_toggle();
	return count_ticks();
}

/* Ticks of CALIB_EMPTY intervals with nothing inside: the cost of the
 * reads themselves, averaged finer than one tick. */
static uint64_t empty_ticks(void)
{
	count_zero();
	for (uint32_t i = 0; i < CALIB_EMPTY; i++) {
		count_toggle();
		count_toggle();
	}
	return count_ticks();
}

static int read_line(char *buf, size_t cap)
{
	size_t n = 0;
	for (;;) {
		int c = board_console_getc();
		if (c < 0) {
			board_wait_for_interrupt();
			continue;
		}
		if (c == '\r' || c == '\n') {
			if (n)
				break;
			continue;
		}
		if (n + 1 < cap)
			buf[n++] = (char)c;
	}
	buf[n] = 0;
	return (int)n;
}

static void systick_free_run(void)
{
	SYST_CSR = 0;                      /* free-running, no interrupt */
	SYST_RVR = SYST_RVR_MAX;
	SYST_CVR = 0;
	SYST_CSR = SYST_CSR_CLKSOURCE | SYST_CSR_ENABLE;
}

int main(void)
{
	static char line[64], args[3][16];
	char line_out[160];
	board_init();
	systick_free_run();
	uint64_t empty = empty_ticks();
	uint64_t loop = loop_ticks(CALIB_LOOPS);
	fmt_snprintf(line_out, sizeof(line_out),
		 "{\"calib\": {\"instr\": %lu, \"loop_ticks\": %lu, \"empty_ticks\": %lu, "
		 "\"empty_n\": %lu}}\n", (unsigned long)(2u * CALIB_LOOPS), (unsigned long)loop,
		 (unsigned long)empty, (unsigned long)CALIB_EMPTY);
	count_out(line_out);
	count_out("icount args?\n");
	read_line(line, sizeof(line));
	/* Up to three words: CONNS SEGS [HELD] (icount_main.c). */
	int argc = 1;
	unsigned i = 0;
	while (argc <= 3) {
		while (line[i] == ' ')
			i++;
		if (!line[i])
			break;
		unsigned j = 0;
		while (line[i] && line[i] != ' ') {
			if (j + 1 < sizeof(args[0]))
				args[argc - 1][j++] = line[i];
			i++;
		}
		args[argc - 1][j] = 0;
		argc++;
	}
	/* Waiting for the line let real time into the virtual clock (the
	 * idle warp), so the tick grid is restarted here on instruction
	 * boundaries: two runs then read the same ticks. */
	systick_free_run();
	char *argv[] = { "icount", args[0], args[1], args[2], NULL };
	int rc = icount_main(argc, argv);
	fmt_snprintf(line_out, sizeof(line_out), "\nicount-exit %d\n", rc);
	count_out(line_out);
	for (;;)
		board_wait_for_interrupt();
}
