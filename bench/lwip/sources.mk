# The lwIP 2.1.3 files both lwIP builds use (bench/lwip/lwip.mk for the
# board, bench/icount/icount.mk for the host): NO_SYS core, IPv4, ARP,
# Ethernet, and lwiperf (iperf2 server, the counterpart of keel's).
LWIP ?= build/bench/lwip-src
LWIP_SRCS := $(addprefix $(LWIP)/src/core/, init.c def.c inet_chksum.c ip.c mem.c \
	memp.c netif.c pbuf.c stats.c tcp.c tcp_in.c tcp_out.c timeouts.c) \
	$(addprefix $(LWIP)/src/core/ipv4/, etharp.c icmp.c ip4.c ip4_addr.c ip4_frag.c) \
	$(LWIP)/src/netif/ethernet.c $(LWIP)/src/apps/lwiperf/lwiperf.c
