#!/usr/bin/env python3
"""Per-conversation frames/bytes as Flowlab defines flows, computed from tshark's own dissection.

  explain-conversations.py CAPTURE_FOLDER NAME OUT_DIR      -> OUT_DIR/NAME-conv-explained.tsv

../shared/tools/tshark-reference.py keys every frame by the LAST ip/port values tshark shows
(what `tshark -z conv` counts). Flowlab differs from that on purpose in exactly two ways:

1. ICMP/ICMPv6 error messages (destination unreachable, time exceeded, parameter problem,
   source quench, redirect, packet too big) quote the header of the packet that caused them.
   tshark's last ip/port fields are the quoted ones, so the reference counts the error frame
   in the quoted TCP/UDP conversation. Flowlab keeps the error in an ICMP flow between the
   router (or host) that sent it and the original sender.
2. IP fragments. With reassembly on (tshark's default) only the frame that completes a
   datagram shows the transport ports, so the reference counts one frame per datagram (and
   none for incomplete datagrams). Flowlab attributes every fragment to its datagram's flow:
   the first fragment carries the ports, later ones are matched by (src, dst, protocol, id);
   a fragment that arrives before its first fragment goes to a port-less flow.

This script re-reads each capture with tshark with IP reassembly OFF, applies those two rules
to tshark's per-frame fields, and writes the conversations in the same columns as
tshark-reference.py's NAME-conv.tsv. A Flowlab conversation that differs from the reference
must equal this one; anything else is an unexplained difference.
"""
import collections, os, subprocess, sys

folder, name, out = sys.argv[1], sys.argv[2], sys.argv[3]
os.makedirs(out, exist_ok=True)
files = sorted(f for f in os.listdir(folder) if os.path.isfile(os.path.join(folder, f))
               and not f.endswith((".tsv", ".md")))
fields = ["frame.len", "ip.src", "ip.dst", "ipv6.src", "ipv6.dst", "tcp.srcport", "tcp.dstport",
          "udp.srcport", "udp.dstport", "icmp.type", "icmpv6.type", "ip.id", "ip.proto",
          "ip.flags.mf", "ip.frag_offset", "ipv6.fraghdr.ident", "ipv6.fraghdr.offset",
          "ipv6.fraghdr.more", "ipv6.fraghdr.nxt"]
ICMP_ERRORS = {"3", "4", "5", "11", "12"}
ICMPV6_ERRORS = {"1", "2", "3", "4"}
idx = {f: i for i, f in enumerate(fields)}
last = lambda v: v.split(",")[-1] if v else ""
first = lambda v: v.split(",")[0] if v else ""

result = open(os.path.join(out, f"{name}-conv-explained.tsv"), "w")
result.write("file\tproto\ta_ip\ta_port\tb_ip\tb_port\ta2b_frames\ta2b_bytes\tb2a_frames\tb2a_bytes\n")
for f in files:
    cmd = ["tshark", "-r", os.path.join(folder, f), "-o", "ip.defragment:FALSE", "-o", "ipv6.defragment:FALSE",
           "-T", "fields", "-E", "separator=\t", "-E", "occurrence=a"]
    for x in fields:
        cmd += ["-e", x]
    r = subprocess.run(cmd, capture_output=True, text=True)
    if r.returncode != 0 and not r.stdout:
        continue
    conv = collections.defaultdict(lambda: [0, 0, 0, 0])
    datagrams = {}  # (src, dst, protocol, id) -> (key, forward)

    def add(key, forward, flen):
        v = conv[key]
        if forward:
            v[0] += 1; v[1] += flen
        else:
            v[2] += 1; v[3] += flen

    for line in r.stdout.splitlines():
        c = line.split("\t")
        c += [""] * (len(fields) - len(c))
        g = lambda n: c[idx[n]]
        flen = int(g("frame.len") or 0)
        # Rule 1: an ICMP error (the outermost ICMP header) is never part of a TCP/UDP conversation.
        if first(g("icmp.type")) in ICMP_ERRORS or first(g("icmpv6.type")) in ICMPV6_ERRORS:
            continue
        src, dst = last(g("ipv6.src")) or last(g("ip.src")), last(g("ipv6.dst")) or last(g("ip.dst"))
        if g("tcp.srcport"):
            proto, sp, dp = "tcp", last(g("tcp.srcport")), last(g("tcp.dstport"))
        elif g("udp.srcport"):
            proto, sp, dp = "udp", last(g("udp.srcport")), last(g("udp.dstport"))
        else:
            proto = None
        # The innermost IP header's fragment fields (the last values tshark shows).
        if last(g("ipv6.src")):
            frag_id, offset, more = last(g("ipv6.fraghdr.ident")), last(g("ipv6.fraghdr.offset")), last(g("ipv6.fraghdr.more"))
            ip_proto = last(g("ipv6.fraghdr.nxt"))
        else:
            frag_id, offset, more = last(g("ip.id")), last(g("ip.frag_offset")), last(g("ip.flags.mf"))
            ip_proto = last(g("ip.proto"))
        fragmented = bool(frag_id) and ((offset not in ("", "0")) or more in ("1", "True"))
        datagram = (src, dst, ip_proto, frag_id)
        if proto and src and dst:
            a, b = (src, int(sp)), (dst, int(dp))
            key = (proto,) + (a + b if a <= b else b + a)
            add(key, a <= b, flen)
            if fragmented:
                datagrams[datagram] = (key, a <= b)  # Rule 2: later fragments follow this one
        elif fragmented and datagram in datagrams:
            key, forward = datagrams[datagram]
            add(key, forward, flen)
    for k, v in sorted(conv.items()):
        result.write("\t".join([f, *map(str, k), *map(str, v)]) + "\n")
print(f"{name}: {len(files)} files")
