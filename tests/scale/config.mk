# The scale test's pools: C10K, and a chunk arena and a flight pool
# (tcp_flight.h) in which every one of them may hold a chunk of unread
# data and a byte in flight at once (scale_10k_established).
KEEL_CONFIG_scale := -DKEEL_TCP_MAX_CONN=10240 -DKEEL_SYN_BACKLOG=1024 -DKEEL_TW_MAX=10240 \
	-DKEEL_ARP_QUEUE_SMALL=96 -DKEEL_ARP_QUEUE_PER_ENTRY=64 -DKEEL_CHUNK_ARENA=4194304 \
	-DKEEL_TCP_FLIGHT=10240
