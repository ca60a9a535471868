# Pool sizes for lm3s6965evb (stack/include/keel/config.h, firmware/
# fw_config.h) in 64 KiB of SRAM beside the console, HTTP (with a minute
# of history) and every service: 128 TCBs of 92 B (with a neighbour
# entry, an app slot and their links about 200 B a connection); 12 cold-
# state extensions (52 B: out-of-order ranges, SACK scoreboard, RTT probe)
# for the connections recovering or reordering at one time; 56 data
# entries (30 B: SND.NXT, snd_max, recover, dupacks and both byte queues,
# tcp_flight.h), one per chunk: a connection with data queued, unacked,
# unread or out of order holds a chunk, so only bare FINs can find them
# all taken (they wait); a 14 KiB
# chunk arena (56 chunks, tcp_rmem max 11264, tcp_wmem max 6656: idle
# connections hold none; it took the RAM a 108-B TCB freed; the 92-B TCB
# leaves about 2.3 KiB free; discard 8 MiB at the bench's budget, 5 interleaved
# runs at 12 KiB: rmem max 5632 -> 10.3 MB/s, 9216 -> 14.7, lwIP 10.5);
# a 2 KiB capture ring (a page request's handshake still in
# it when /capture.pcap is asked for); 4 stages; two full-sized ARP queue
# slots; a 2 KiB main stack (make test-stack: about 1.4 KiB needed).
KEEL_CONFIG_lm3s6965evb := -DKEEL_TCP_MAX_CONN=128 -DKEEL_TCP_EXT=12 -DKEEL_TCP_FLIGHT=56 -DKEEL_CHUNK_ARENA=14336 \
	-DKEEL_CAPTURE_BYTES=2048 -DAPP_STAGES=4 -DKEEL_ARP_QUEUE_LEN=2
