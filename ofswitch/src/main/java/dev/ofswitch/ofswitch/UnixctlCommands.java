package dev.ofswitch.ofswitch;

import dev.ofswitch.conntrack.ConnEntry;
import dev.ofswitch.conntrack.ConnFilter;
import dev.ofswitch.conntrack.ConnTracker;
import dev.ofswitch.conntrack.CtStats;
import dev.ofswitch.conntrack.time.ControllableClock;
import dev.ofswitch.ofswitch.ofctl.CParse;
import dev.ofswitch.ofswitch.port.Port;
import dev.ofswitch.ofswitch.unixctl.UnixctlException;
import dev.ofswitch.ofswitch.unixctl.UnixctlServer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The ovs-appctl commands a switch answers on its control socket, with OVS's names, syntax, replies and error texts
 * (OVS {@code lib/dpctl.c}, {@code lib/timeval.c}, {@code lib/netdev-dummy.c}, {@code ofproto/ofproto-dpif-upcall.c}).
 * Everything the oracle contract (SWITCH-CONTRACT.md §4) needs is here.
 */
final class UnixctlCommands {
    /** How dpctl errors start, like OVS's {@code program_name}. */
    static final String PROGRAM = "ofswitch";

    private UnixctlCommands() {
    }

    static void registerAll(OfSwitch sw, UnixctlServer s) {
        ConnTracker ct = sw.conntrack();

        s.register("time/stop", "", 0, 0, args -> {
            clockOf(sw).stop();
            return "";
        });
        s.register("time/warp", "[LARGE_MSECS] MSECS", 1, 2, args -> {
            long ms = parseLong(args.get(args.size() - 1), "warp");
            if (ms < 1) {
                throw new UnixctlException("A valid positive integer is required for MSECS");
            }
            clockOf(sw).warp(ms);
            sw.runTimers();
            sw.awaitQueuedSends();    // flow-removed messages of the expired flows, as for netdev-dummy/receive
            return "warped\n";
        });
        s.register("revalidator/purge", "", 0, 0, args -> "");
        s.register("revalidator/wait", "", 0, 0, args -> "");
        s.register("netdev-dummy/receive", "name [--qid queue_id] packet|flow [--len packet_len]", 2, Integer.MAX_VALUE,
                args -> receive(sw, args));

        s.register("dpctl/dump-conntrack", "[-m] [-s] [dp] [zone=N]", 0, 4, args -> {
            boolean verbose = false;
            boolean stats = false;
            int zone = -1;
            for (String a : args) {
                if (a.equals("-m") || a.equals("--more")) {
                    verbose = true;
                } else if (a.equals("-s") || a.equals("--statistics")) {
                    stats = true;
                } else if (a.startsWith("zone=")) {
                    zone = parseZone(a.substring(5));
                } else if (a.startsWith("-")) {
                    throw new UnixctlException("'" + a + "' option is not supported");
                }
                // anything else names the datapath: there is only one
            }
            StringBuilder sb = new StringBuilder();
            for (ConnEntry e : ct.dump(zone)) {
                sb.append(e.format(verbose, stats)).append('\n');
            }
            return sb.toString();
        });
        s.register("dpctl/flush-conntrack", "[dp] [zone=N] [mark=X[/M]] [labels=Y[/N]] [ct-orig-tuple "
                + "[ct-reply-tuple]]", 0, 6, args -> {
                    List<String> rest = dropDatapath(args);
                    ConnFilter f;
                    try {
                        f = ConnFilter.parseDpctl(rest);
                    } catch (IllegalArgumentException e) {
                        throw new UnixctlException(PROGRAM + ": " + e.getMessage() + " (Invalid argument)");
                    }
                    int n = ct.flush(f);
                    if (n == 0 && f.isExactLookup()) {
                        throw new UnixctlException(PROGRAM + ": failed to flush conntrack (No such file or directory)");
                    }
                    return "";
                });
        s.register("dpctl/ct-get-nconns", "[dp]", 0, 1, args -> ct.connectionCount() + "\n");
        s.register("dpctl/ct-get-maxconns", "[dp]", 0, 1, args -> ct.connLimit() + "\n");
        s.register("dpctl/ct-set-maxconns", "[dp] maxconns", 1, 2, args -> {
            String v = args.get(args.size() - 1);
            int n;
            try {
                n = Integer.parseUnsignedInt(v);
            } catch (NumberFormatException e) {
                throw new UnixctlException(PROGRAM + ": maxconns missing or malformed (Invalid argument)");
            }
            ct.setConnLimit(n < 0 ? Integer.MAX_VALUE : n);
            return "setting maxconns successful\n";
        });
        s.register("dpctl/ct-set-limits", "[dp] [default=L] [zone=N,limit=L]...", 1, Integer.MAX_VALUE, args -> {
            List<int[]> zones = new ArrayList<>();
            Integer def = null;
            for (String a : dropDatapath(args)) {
                if (a.startsWith("default=")) {
                    def = parseLimit(a.substring(8));
                } else {
                    int[] zl = parseZoneLimit(a);
                    zones.add(zl);
                }
            }
            if (def != null) {
                ct.setDefaultZoneLimit(def == 0 ? -1 : def);
            }
            for (int[] zl : zones) {
                ct.setZoneLimit(zl[0], zl[1]);
            }
            return "";
        });
        s.register("dpctl/ct-del-limits", "[dp] zone=N1[,N2]...", 1, 2, args -> {
            List<String> rest = dropDatapath(args);
            if (rest.isEmpty() || !rest.get(0).startsWith("zone=")) {
                throw new UnixctlException(PROGRAM + ": invalid zone (Invalid argument)");
            }
            for (String z : rest.get(0).substring(5).split(",")) {
                ct.removeZoneLimit(parseZone(z));
            }
            return "";
        });
        s.register("dpctl/ct-get-limits", "[dp] [zone=N1[,N2]...]", 0, 2, args -> {
            StringBuilder sb = new StringBuilder();
            int def = ct.defaultZoneLimit();
            sb.append("default limit=").append(def < 0 ? 0 : def).append('\n');
            Map<Integer, int[]> limits = new TreeMap<>(ct.zoneLimits());
            List<String> rest = dropDatapath(args);
            if (!rest.isEmpty() && rest.get(0).startsWith("zone=")) {
                Map<Integer, int[]> asked = new TreeMap<>();
                for (String z : rest.get(0).substring(5).split(",")) {
                    int zone = parseZone(z);
                    int[] l = limits.get(zone);
                    int count = ct.zoneCount(zone);
                    asked.put(zone, l != null ? l : new int[] {def < 0 ? 0 : def, Math.max(count, 0)});
                }
                limits = asked;
            }
            limits.forEach((z, l) -> sb.append("zone=").append(z).append(",limit=").append(l[0])
                    .append(",count=").append(l[1]).append('\n'));
            return sb.toString();
        });
        s.register("dpctl/ct-stats-show", "[dp] [zone=N]", 0, 3, args -> {
            CtStats st = ct.stats();
            Map<String, Integer> byProto = new TreeMap<>();
            for (ConnEntry e : ct.dump(-1)) {
                byProto.merge(protoLabel(e.orig().proto()), 1, Integer::sum);
            }
            StringBuilder sb = new StringBuilder("Connections Stats:\n    Total: ").append(byProto.values().stream()
                    .mapToInt(Integer::intValue).sum()).append('\n');
            byProto.forEach((p, n) -> sb.append("    ").append(p).append(": ").append(n).append('\n'));
            return sb.toString();
        });
        s.register("dpctl/ct-bkts", "[dp] [gt=N]", 0, 2, args -> ctBuckets(args, ct.connectionCount()));
        s.register("dpctl/ct-enable-tcp-seq-chk", "[dp]", 0, 1, args -> {
            ct.setTcpSeqCheck(true);
            return "";
        });
        s.register("dpctl/ct-disable-tcp-seq-chk", "[dp]", 0, 1, args -> {
            ct.setTcpSeqCheck(false);
            return "";
        });
        s.register("dpctl/ct-get-tcp-seq-chk", "[dp]", 0, 1, args -> "TCP sequence checking: "
                + (ct.tcpSeqCheck() ? "enabled" : "disabled") + "\n");
    }

    private static String protoLabel(int proto) {
        switch (proto) {
            case 6:
                return "TCP";
            case 17:
                return "UDP";
            case 1:
                return "ICMP";
            case 58:
                return "ICMPV6";
            case 132:
                return "SCTP";
            case 136:
                return "UDPLITE";
            default:
                return "OTHER";
        }
    }

    private static ControllableClock clockOf(OfSwitch sw) throws UnixctlException {
        if (sw.clock() instanceof ControllableClock c) {
            return c;
        }
        throw new UnixctlException("this switch's clock cannot be stopped or warped");
    }

    /** ovs-appctl netdev-dummy/receive NAME [--qid Q] HEX [--len L]: inject and process a frame completely. */
    private static String receive(OfSwitch sw, List<String> args) throws UnixctlException {
        String name = args.get(0);
        Port p = sw.port(name);
        if (p == null || p.number() == Port.LOCAL) {
            throw new UnixctlException("no such dummy netdev");
        }
        List<String> packets = new ArrayList<>();
        for (int i = 1; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--qid") || a.equals("--len")) {
                i++;    // the queue is irrelevant; flow-string lengths are not supported
                continue;
            }
            packets.add(a);
        }
        for (String hex : packets) {
            byte[] frame = parseHex(hex);
            if (frame == null) {
                throw new UnixctlException("syntax error at " + hex);
            }
            if (frame.length < 14) {
                throw new UnixctlException("packet too short: " + frame.length + " bytes");
            }
            sw.receiveSync(p.number(), frame, frame.length);
        }
        // The packet-ins were sent from this thread: queued on the event loops, where a barrier the oracle sends
        // right after this reply could otherwise be answered first.
        sw.awaitQueuedSends();
        return "";
    }

    /** Parses hex digits (spaces and a leading {@code 0x} ignored); null if {@code s} is not hex. */
    static byte[] parseHex(String s) {
        String h = s.replace(" ", "");
        if (h.startsWith("0x")) {
            h = h.substring(2);
        }
        if (h.isEmpty() || (h.length() & 1) != 0) {
            return null;
        }
        byte[] out = new byte[h.length() / 2];
        for (int i = 0; i < out.length; i++) {
            int hi = Character.digit(h.charAt(2 * i), 16);
            int lo = Character.digit(h.charAt(2 * i + 1), 16);
            if (hi < 0 || lo < 0) {
                return null;
            }
            out[i] = (byte) ((hi << 4) | lo);
        }
        return out;
    }

    /**
     * {@code dpctl/ct-bkts [dp] [gt=N]} as OVS 3.1's userspace datapath prints it: its conntrack dump reports one
     * bucket holding every connection (OVS's {@code conntrack_dump_start()} says 1), whatever the engine's buckets
     * (256 here, with their own locks). The histogram row shows the count when it is above N, else a dot, and is
     * left out when there are no connections. A last argument {@code gt=} that does not scan as an unsigned 32-bit
     * number is taken as the datapath name, as in OVS.
     */
    static String ctBuckets(List<String> args, long conns) {
        long gt = 0;
        if (!args.isEmpty()) {
            String last = args.get(args.size() - 1);
            // OVS: ovs_scan(arg, "gt=%"SCNu32): sign, decimal digits modulo 2^32, anything after them ignored.
            CParse.Num v = last.startsWith("gt=") ? CParse.scanUnsigned(last, 3, 10, 32) : null;
            if (v != null) {
                gt = v.value();
            }
        }
        StringBuilder sb = new StringBuilder("Total Buckets: 1\nCurrent Connections: ").append(conns).append("\n\n");
        if (conns > 0) {
            sb.append("+-----------+-----------------------------------------+\n")
                    .append("|  Buckets  |         Connections per Buckets         |\n")
                    .append("+-----------+-----------------------------------------+\n")
                    .append("   0..  7   |")
                    .append(String.format(java.util.Locale.ROOT, "%6s", conns > gt ? Long.toString(conns) : "."))
                    .append("\n\n");
        }
        return sb.toString();
    }

    /** Drops a leading datapath name ({@code dummy@br0}, {@code ovs-netdev}): there is only one datapath. */
    private static List<String> dropDatapath(List<String> args) {
        if (!args.isEmpty() && !args.get(0).contains("=") && !args.get(0).startsWith("-")) {
            return args.subList(1, args.size());
        }
        return args;
    }

    private static int parseZone(String v) throws UnixctlException {
        try {
            int z = Integer.parseInt(v);
            if (z < 0 || z > 0xffff) {
                throw new NumberFormatException();
            }
            return z;
        } catch (NumberFormatException e) {
            throw new UnixctlException(PROGRAM + ": failed to parse zone (Invalid argument)");
        }
    }

    /**
     * A zone limit: OVS takes any 32-bit unsigned number. The tracker counts in an {@code int}, so a limit of 2^31 or
     * more, which no table reaches, is kept as {@link Integer#MAX_VALUE} (and shown so by ct-get-limits, where OVS
     * shows the number given), as ct-set-maxconns does.
     */
    private static int parseLimit(String v) throws UnixctlException {
        try {
            int limit = Integer.parseUnsignedInt(v);
            return limit < 0 ? Integer.MAX_VALUE : limit;
        } catch (NumberFormatException e) {
            throw new UnixctlException(PROGRAM + ": failed to parse limit (Invalid argument)");
        }
    }

    /** {@code zone=N,limit=L}. */
    private static int[] parseZoneLimit(String a) throws UnixctlException {
        String[] parts = a.split(",");
        Integer zone = null;
        Integer limit = null;
        for (String part : parts) {
            if (part.startsWith("zone=")) {
                zone = parseZone(part.substring(5));
            } else if (part.startsWith("limit=")) {
                limit = parseLimit(part.substring(6));
            } else {
                throw new UnixctlException(PROGRAM + ": failed to parse zone limit \"" + a + "\" (Invalid argument)");
            }
        }
        if (zone == null || limit == null) {
            throw new UnixctlException(PROGRAM + ": failed to parse zone limit \"" + a + "\" (Invalid argument)");
        }
        return new int[] {zone, limit};
    }

    private static long parseLong(String v, String what) throws UnixctlException {
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new UnixctlException("A valid positive integer is required for MSECS");
        }
    }
}
