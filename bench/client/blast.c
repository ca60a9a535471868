/* The ceiling's sender (bench/ceiling.py): full-size UDP datagrams to
 * ADDR:PORT, never more than WINDOW beyond what the device has counted.
 * The no-stack image answers every 2 frames with a credit datagram that
 * carries its count, so the MAC's receive FIFO never overflows (QEMU's
 * lan9118 drops what does not fit, and dropping costs the emulator time
 * the device would have had).  A credit missing for 100 ms counts the
 * outstanding frames as lost and the window restarts.  Bounded by FRAMES
 * and SECONDS.  Prints one JSON line.
 *   blast ADDR PORT FRAMES WINDOW SECONDS */
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define PAYLOAD 1472   /* + 8 UDP + 20 IP + 14 Ethernet = 1514 */

static double now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

int main(int argc, char **argv)
{
	if (argc != 6) {
		fprintf(stderr, "usage: blast ADDR PORT FRAMES WINDOW SECONDS\n");
		return 2;
	}
	struct sockaddr_in sa = { .sin_family = AF_INET, .sin_port = htons((uint16_t)atoi(argv[2])) };
	long frames = atol(argv[3]), window = atol(argv[4]);
	double seconds = atof(argv[5]);
	if (inet_pton(AF_INET, argv[1], &sa.sin_addr) != 1 || frames < 1 || frames > 10000000 ||
	    window < 1 || window > 1000 || seconds <= 0 || seconds > 60) {
		fprintf(stderr, "blast: bad arguments\n");
		return 2;
	}
	int fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 || connect(fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
		perror("blast");
		return 1;
	}
	static uint8_t buf[PAYLOAD];
	long sent = 0, counted = 0, lost = 0, credits = 0, stalls = 0;
	double t0 = now_s(), last_credit = t0;
	while (sent < frames && now_s() - t0 < seconds) {
		while (sent < frames && sent - counted - lost < window) {
			if (send(fd, buf, sizeof(buf), 0) != (ssize_t)sizeof(buf))
				break;
			sent++;
		}
		struct pollfd pf = { .fd = fd, .events = POLLIN };
		if (poll(&pf, 1, 20) > 0) {
			uint8_t c[16];
			ssize_t n;
			while ((n = recv(fd, c, sizeof(c), MSG_DONTWAIT)) >= 4) {
				long v = (long)((uint32_t)c[0] << 24 | (uint32_t)c[1] << 16 |
						(uint32_t)c[2] << 8 | c[3]);
				if (v > counted)
					counted = v;
				credits++;
				last_credit = now_s();
			}
		}
		if (now_s() - last_credit > 0.1) {   /* the window's frames are gone */
			lost = sent - counted;
			stalls++;
			last_credit = now_s();
		}
	}
	close(fd);
	printf("{\"sent\": %ld, \"counted\": %ld, \"credits\": %ld, \"stalls\": %ld, "
	       "\"seconds\": %.4f}\n", sent, counted, credits, stalls, now_s() - t0);
	return 0;
}
