/* Connection-rate client for bench/run (host side, C so the client is not
 * what is measured): COUNT connections to ADDR:PORT, at most CONC open at
 * once.  Each one: non-blocking connect, read until the device closes
 * (port 13 sends one line and closes first), the line must end in CRLF,
 * close.  Bounded by COUNT, by BUDGET seconds overall and TIMEOUT ms per
 * connection.  Prints one JSON line: ok, fail, seconds, rate (ok/s) and
 * the median connection time.
 *   connrate ADDR PORT COUNT CONC TIMEOUT_MS BUDGET_S */
#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_CONC 64
#define MAX_COUNT 100000

struct slot {
	int fd;              /* -1: free */
	int connected;
	double start;
	char tail[2];        /* last two bytes read */
	long got;
};

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

static int open_one(const struct sockaddr_in *sa)
{
	int fd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK, 0);
	if (fd < 0)
		return -1;
	if (connect(fd, (const struct sockaddr *)sa, sizeof(*sa)) != 0 && errno != EINPROGRESS) {
		close(fd);
		return -1;
	}
	return fd;
}

int main(int argc, char **argv)
{
	if (argc != 7) {
		fprintf(stderr, "usage: connrate ADDR PORT COUNT CONC TIMEOUT_MS BUDGET_S\n");
		return 2;
	}
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2])) };
	if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1) {
		fprintf(stderr, "connrate: bad address %s\n", argv[1]);
		return 2;
	}
	long count = atol(argv[3]), conc = atol(argv[4]);
	double timeout = atol(argv[5]) / 1000.0, budget = atof(argv[6]);
	if (count < 1 || count > MAX_COUNT || conc < 1 || conc > MAX_CONC || timeout <= 0) {
		fprintf(stderr, "connrate: COUNT 1..%d, CONC 1..%d, TIMEOUT_MS > 0\n", MAX_COUNT, MAX_CONC);
		return 2;
	}
	static double took[MAX_COUNT];
	struct slot slots[MAX_CONC];
	for (int i = 0; i < MAX_CONC; i++)
		slots[i].fd = -1;
	long started = 0, ok = 0, fail = 0, open_now = 0;
	double t0 = now_s();
	while (ok + fail < count && now_s() - t0 < budget) {
		for (int i = 0; i < conc && started < count; i++) {
			if (slots[i].fd >= 0)
				continue;
			started++;
			slots[i] = (struct slot){ .fd = open_one(&sa), .start = now_s() };
			if (slots[i].fd < 0)
				fail++;
			else
				open_now++;
		}
		struct pollfd pf[MAX_CONC];
		int idx[MAX_CONC], n = 0;
		for (int i = 0; i < conc; i++) {
			if (slots[i].fd < 0)
				continue;
			pf[n] = (struct pollfd){ .fd = slots[i].fd,
						 .events = slots[i].connected ? POLLIN : POLLOUT };
			idx[n++] = i;
		}
		if (n == 0)
			continue;
		poll(pf, (nfds_t)n, 10);
		double t = now_s();
		for (int j = 0; j < n; j++) {
			struct slot *s = &slots[idx[j]];
			int done = 0, good = 0;
			if (!s->connected && pf[j].revents) {
				int err = 0;
				socklen_t len = sizeof(err);
				getsockopt(s->fd, SOL_SOCKET, SO_ERROR, &err, &len);
				if (err)
					done = 1;
				else
					s->connected = 1;
			} else if (s->connected && pf[j].revents) {
				char buf[512];
				ssize_t r = read(s->fd, buf, sizeof(buf));
				if (r > 0) {
					s->tail[0] = r >= 2 ? buf[r - 2] : s->tail[1];
					s->tail[1] = buf[r - 1];
					s->got += r;
				} else if (r == 0) {
					done = 1;
					good = s->got >= 2 && s->tail[0] == '\r' && s->tail[1] == '\n';
				} else if (errno != EAGAIN && errno != EINTR) {
					done = 1;
				}
			}
			if (!done && t - s->start > timeout)
				done = 1;
			if (done) {
				close(s->fd);
				s->fd = -1;
				open_now--;
				if (good)
					took[ok++] = t - s->start;
				else
					fail++;
			}
		}
	}
	double secs = now_s() - t0;
	for (int i = 0; i < conc; i++)
		if (slots[i].fd >= 0) {
			close(slots[i].fd);
			fail++;
		}
	qsort(took, (size_t)ok, sizeof(took[0]), cmp_double);
	printf("{\"ok\": %ld, \"fail\": %ld, \"unstarted\": %ld, \"seconds\": %.6f, \"rate\": %.3f, "
	       "\"median_ms\": %.4f}\n", ok, fail, count - started, secs, ok / secs,
	       ok ? took[ok / 2] * 1e3 : 0.0);
	return 0;
}
