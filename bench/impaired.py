"""Impaired-link rows (issue 11): bulk discard into the device through
tests/qemu's impair.Relay (a userspace netem between the TAP and QEMU's
NIC) at 1 % and 5 % loss each way, 5 ms delay each way, keel and lwIP
booted side by side and measured in pairs like every timed row."""
import impair
import keelqemu as kq

LOSSES = (0.01, 0.05)


class RelayBox:
    """One image behind its own relay (bench/run's Box, plus the relay)."""

    def __init__(self, name, board, elf, spec):
        self.name = name
        self.relay = impair.Relay(seed=1107)
        self.ns = kq.Netns()
        try:
            self.relay.attach(self.ns)
            self.qemu = kq.Qemu(board, self.ns, elf=elf, nic=self.relay.nic,
                                log_name="bench-impaired-%s-%s" % (name, board))
            self.qemu.wait_boot(30)
            if name == "keel":
                self.qemu.console.cmd("ifconfig %s/%d" % (kq.DEV_ADDR, kq.PREFIX))
            _, got, out = self.ns.ping(count=3, interval=0.1)
            if got == 0:
                raise RuntimeError("%s on %s does not answer ping through the relay:\n%s"
                                   % (name, board, out))
            self.relay.set_specs(spec, spec)
        except BaseException:
            self.close()
            raise

    def close(self):
        q = getattr(self, "qemu", None)
        if q:
            q.close()
        self.relay.close()
        self.ns.close()


def rows(board, elfs, out_rows, stacks, nbytes, measure_pairs, discard_mbps, paired_row, say):
    for loss in LOSSES:
        spec = impair.Spec(loss=loss, delay=0.005)
        label = "discard %g MiB in, %g%% loss" % (nbytes / (1 << 20), loss * 100)
        say("== %s: %s (%s both ways)" % (board, label, spec))
        boxes = {}
        try:
            for s in stacks:
                boxes[s] = RelayBox(s, board, elfs[s], spec)
            vals, extra = measure_pairs(boxes, label, lambda ns: discard_mbps(ns, nbytes))
            out_rows.append(paired_row(board, label, "MB/s", "higher", vals["keel"], vals["lwip"]))
            if extra["keel"] or extra["lwip"]:
                out_rows[-1]["runs_detail"] = extra
        finally:
            for b in boxes.values():
                b.close()
