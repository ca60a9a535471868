/* The host's entry: arguments from the command line, output to stdout,
 * counted by callgrind (count.h). */
#include <stdio.h>
#include "count.h"

void count_out(const char *s)
{
	fputs(s, stdout);
}

int main(int argc, char **argv)
{
	return icount_main(argc, argv);
}
