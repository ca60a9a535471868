# Pool sizes for mps2-an385 (stack/keel_config.h) in its 4 MiB of data
# SRAM.  Each TCB still carries its own 4 KiB of rings: 512 of them fit beside the apps.
# Neighbours: one per TCB (keel_config.h's default); a burst of 64
# SYN-ACKs to one resolving host waits in small ARP queue slots.
KEEL_CONFIG_mps2-an385 := -DKEEL_TCP_MAX_CONN=512 -DKEEL_SYN_BACKLOG=1024 -DKEEL_TW_MAX=10240 \
	-DKEEL_ARP_QUEUE_SMALL=96 -DKEEL_ARP_QUEUE_PER_ENTRY=64
