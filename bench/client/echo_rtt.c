/* Echo round-trip client for bench/run (host side, C so the client's own
 * time stays small): one connection to ADDR:PORT with TCP_NODELAY, then
 * COUNT rounds of SIZE bytes sent and the same SIZE bytes read back, each
 * round timed.  Bounded by COUNT, BUDGET seconds, and a 2 s receive
 * timeout.  Prints one JSON line: rounds, median/p10/p90 microseconds.
 *   echo_rtt ADDR PORT COUNT SIZE BUDGET_S */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_COUNT 100000
#define MAX_SIZE 1460

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static int cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: echo_rtt ADDR PORT COUNT SIZE BUDGET_S\n");
		return 2;
	}
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2])) };
	long count = atol(argv[3]), size = atol(argv[4]);
	double budget = atof(argv[5]);
	if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1 || count < 1 || count > MAX_COUNT ||
	    size < 1 || size > MAX_SIZE) {
		fprintf(stderr, "echo_rtt: bad arguments\n");
		return 2;
	}
	int fd = socket(AF_INET, SOCK_STREAM, 0);
	int one = 1;
	struct timeval tv = { .tv_sec = 2 };
	setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof(one));
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	if (connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		perror("echo_rtt: connect");
		return 1;
	}
	static double rtt[MAX_COUNT];
	unsigned char out[MAX_SIZE], in[MAX_SIZE];
	long rounds = 0;
	double t0 = now_s();
	while (rounds < count && now_s() - t0 < budget) {
		for (long i = 0; i < size; i++)
			out[i] = (unsigned char)(rounds + i);
		double t = now_s();
		if (write(fd, out, (size_t)size) != size)
			break;
		long got = 0;
		while (got < size) {
			ssize_t r = read(fd, in + got, (size_t)(size - got));
			if (r <= 0)
				break;
			got += r;
		}
		if (got != size || memcmp(in, out, (size_t)size) != 0)
			break;
		rtt[rounds++] = (now_s() - t) * 1e6;
	}
	close(fd);
	if (rounds == 0) {
		fprintf(stderr, "echo_rtt: no round completed\n");
		return 1;
	}
	qsort(rtt, (size_t)rounds, sizeof(rtt[0]), cmp_double);
	printf("{\"rounds\": %ld, \"median_us\": %.2f, \"p10_us\": %.2f, \"p90_us\": %.2f}\n", rounds,
	       rtt[rounds / 2], rtt[rounds / 10], rtt[rounds * 9 / 10]);
	return rounds == count ? 0 : 1;
}
