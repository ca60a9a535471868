/* Runner for the TCP packet scripts: one line per script, then
 * "N passed, N failed" alone on the last line; exit status 1 on any failure.
 * Arguments (optional) are substrings: only scripts whose name contains one
 * of them run. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "harness.h"

#define MAX_SCRIPTS 512

static struct {
	const char *name, *file;
	th_script_fn fn;
} scripts[MAX_SCRIPTS];
static int nscripts;

void th_register(const char *name, const char *file, th_script_fn fn)
{
	if (nscripts == MAX_SCRIPTS) {
		fprintf(stderr, "too many scripts\n");
		exit(2);
	}
	scripts[nscripts].name = name;
	scripts[nscripts].file = file;
	scripts[nscripts].fn = fn;
	nscripts++;
}

void th_teardown(struct th *t);
int th_selftest(char *msg, size_t cap);

static int by_file_then_order(const void *a, const void *b)
{
	const int *x = a, *y = b;
	int c = strcmp(scripts[*x].file, scripts[*y].file);
	return c ? c : *x - *y;
}

static int run_one(int i)
{
	struct th *t = calloc(1, sizeof(*t));
	if (!t) {
		fprintf(stderr, "out of memory\n");
		exit(2);
	}
	t->script = scripts[i].name;
	t->file = scripts[i].file;
	t->listener = -1;
	for (int c = 0; c < TH_MAX_CONNS; c++) {
		t->c[c].handle = -1;
		t->c[c].peer_port = (uint16_t)(TH_DEFAULT_PEER_PORT + c);
		t->c[c].peer_isn = 0x10000000u * (uint32_t)(c + 1) + 0x1234u;
	}
	fr_begin(scripts[i].name, TH_DEFAULT_CLOCK);
	if (setjmp(t->fail_jmp) == 0) {
		scripts[i].fn(t);
		th_teardown(t);
	}
	fr_end();
	int ok = !t->failed;
	if (ok)
		printf("ok %s\n", scripts[i].name);
	else
		printf("FAIL %s: %s\n", scripts[i].name, t->fail_msg);
	fflush(stdout);
	free(t->k);
	free(t);
	return ok;
}

static int wanted(const char *name, int argc, char **argv)
{
	if (argc < 2)
		return 1;
	for (int i = 1; i < argc; i++)
		if (strstr(name, argv[i]))
			return 1;
	return 0;
}

int main(int argc, char **argv)
{
	int order[MAX_SCRIPTS], passed = 0, failed = 0;
	char msg[512];
	if (wanted("harness_selftest", argc, argv)) {
		if (th_selftest(msg, sizeof(msg))) {
			printf("ok harness_selftest\n");
			passed++;
		} else {
			printf("FAIL harness_selftest: %s\n", msg);
			failed++;
		}
	}
	for (int i = 0; i < nscripts; i++)
		order[i] = i;
	qsort(order, (size_t)nscripts, sizeof(order[0]), by_file_then_order);
	for (int i = 0; i < nscripts; i++) {
		if (!wanted(scripts[order[i]].name, argc, argv))
			continue;
		if (run_one(order[i]))
			passed++;
		else
			failed++;
	}
	printf("%d passed, %d failed\n", passed, failed);
	/* flushed now: a sanitizer that ends the process at exit (LeakSanitizer)
	 * must not swallow the summary line when stdout is a pipe or file */
	fflush(stdout);
	return failed ? 1 : 0;
}
