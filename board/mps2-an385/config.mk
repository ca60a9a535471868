# Pool sizes for mps2-an385 (stack/include/keel/config.h): C10K.  Every
# neighbour may be a client (the ARP cache follows the TCB pool, config.h);
# a burst of 64 SYN-ACKs to one resolving host waits in small ARP slots;
# TIME_WAIT holds as many entries as there are TCBs (Linux scales
# tcp_max_tw_buckets with memory the same way); 2,048 cold-state
# extensions (tcp_ext.h) for the connections recovering or reordering.
KEEL_CONFIG_mps2-an385 := -DKEEL_TCP_MAX_CONN=10240 -DKEEL_SYN_BACKLOG=1024 -DKEEL_TW_MAX=10240 \
	-DKEEL_ARP_QUEUE_SMALL=96 -DKEEL_ARP_QUEUE_PER_ENTRY=64 \
	-DKEEL_TCP_EXT=2048
