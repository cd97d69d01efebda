#!/usr/bin/python3
# Writes the packet scripts of the ad hoc oracle cases (CASE/packets.hex.txt) from scapy expressions.
# Needs python3-scapy (Debian's /usr/bin/python3 has it). Record a case's report with real OVS:
#   ../../../../shared/oracle/ovs-oracle CASE/flows.txt CASE/packets.hex.txt > CASE/expected.txt
# Every packet is written as the hex of the frame, so the Java replay needs neither scapy nor OVS.
import struct
import sys

from scapy.all import (ICMP, IP, UDP, TCP, Dot1Q, Ether, ICMPerror, ICMPv6DestUnreach, ICMPv6EchoReply,
                       ICMPv6EchoRequest, ICMPv6ND_NS, ICMPv6ND_RS, ICMPv6PacketTooBig, IPerror, IPerror6, IPOption,
                       IPv6, IPv6ExtHdrDestOpt, IPv6ExtHdrFragment, IPv6ExtHdrHopByHop, IPv6ExtHdrRouting, Raw,
                       UDPerror)
from scapy.layers.sctp import crc32c

MA, MB = '50:54:00:00:00:01', '50:54:00:00:00:02'


def E(src, dst):
    return Ether(src=src, dst=dst)


def pk(port, p):
    return "in_port=%d %s" % (port, bytes(p).hex())


def raw(port, b):
    return "in_port=%d %s" % (port, b.hex())


def a(l4, **ip):     # 10.0.0.1 (port 1) -> 10.0.0.2
    return pk(1, E(MA, MB) / IP(src='10.0.0.1', dst='10.0.0.2', **ip) / l4)


def b(l4, **ip):     # 10.0.0.2 (port 2) -> 10.0.0.1
    return pk(2, E(MB, MA) / IP(src='10.0.0.2', dst='10.0.0.1', **ip) / l4)


def a6(l4, **ip):
    return pk(1, E(MA, MB) / IPv6(src='fd00::1', dst='fd00::2', **ip) / l4)


def b6(l4, **ip):
    return pk(2, E(MB, MA) / IPv6(src='fd00::2', dst='fd00::1', **ip) / l4)


def tcp(sp, dp, flags, seq, ack=0, win=65535, **kw):
    return TCP(sport=sp, dport=dp, flags=flags, seq=seq, ack=ack, window=win, **kw)


def sctp(sp, dp, good=True):
    hdr = struct.pack('!HHII', sp, dp, 1, 0)
    chunk = bytes.fromhex('01000014') + bytes(16)   # an INIT chunk of 20 bytes
    c = crc32c(hdr + chunk) ^ (0 if good else 0x5a5a)
    return Raw(struct.pack('!HHII', sp, dp, 1, c) + chunk)


def echo(text):
    return 'echo ' + text


S = {}

S['tcp-lifecycle'] = [
    echo('SYN'), a(tcp(40000, 80, 'S', 1000)),
    'warp 5000',
    echo('same SYN again after 5 s'), a(tcp(40000, 80, 'S', 1000)), 'dump',
    echo('SYN with another ISN before any reply'), a(tcp(40000, 80, 'S', 3000)), 'dump',
    echo('SYN-ACK'), b(tcp(80, 40000, 'SA', 5000, 1001)), 'dump',
    echo('SYN-ACK retransmitted'), b(tcp(80, 40000, 'SA', 5000, 1001)), 'dump',
    echo('ACK'), a(tcp(40000, 80, 'A', 1001, 5001)), 'dump',
    echo('data both ways'), a(tcp(40000, 80, 'PA', 1001, 5001) / b'hello'),
    b(tcp(80, 40000, 'PA', 5001, 1006) / b'world!'), 'dump',
    echo('FIN'), a(tcp(40000, 80, 'FA', 1006, 5007)), 'dump',
    echo('FIN-ACK'), b(tcp(80, 40000, 'FA', 5007, 1007)), 'dump',
    echo('last ACK'), a(tcp(40000, 80, 'A', 1007, 5008)), 'dump',
    'warp 10000',
    echo('port reuse: new SYN'), a(tcp(40000, 80, 'S', 90000)), 'dump',
    echo('reused connection completes'), b(tcp(80, 40000, 'SA', 70000, 90001)), a(tcp(40000, 80, 'A', 90001, 70001)),
    'dump',
]

S['tcp-rst-and-flags'] = [
    echo('handshake'), a(tcp(40010, 80, 'S', 1000)), b(tcp(80, 40010, 'SA', 5000, 1001)),
    a(tcp(40010, 80, 'A', 1001, 5001)),
    echo('RST far from seqlo'), a(tcp(40010, 80, 'R', 101001)),
    echo('RST at seqlo+2'), a(tcp(40010, 80, 'R', 1003)), 'dump',
    echo('RST|ACK exact from reply side'), b(tcp(80, 40010, 'RA', 5001, 1001)), 'dump',
    'warp 5000',
    echo('ACK after RST'), a(tcp(40010, 80, 'A', 1001, 5001)), 'dump',
    echo('SYN after RST'), a(tcp(40010, 80, 'S', 2000)), 'dump',
    echo('RST without connection'), a(tcp(40011, 80, 'R', 100)), 'dump',
    echo('RST|ACK ack 0 without connection'), a(tcp(40012, 80, 'RA', 100, 0)), 'dump',
    echo('FIN without ACK, no connection'), a(tcp(40013, 80, 'F', 100)),
    echo('no flags, no connection'), a(tcp(40014, 80, '', 100)),
    echo('SYN+RST'), a(tcp(40015, 80, 'SR', 100)),
    echo('PSH only'), a(tcp(40016, 80, 'P', 100)),
    echo('SYN+PSH (valid?)'), a(tcp(40017, 80, 'SP', 100)), 'dump',
]

S['tcp-pickup'] = [
    echo('pickup ACK, reply acks far ahead'), a(tcp(40020, 80, 'A', 1000, 1)), b(tcp(80, 40020, 'A', 1, 201000)),
    'dump',
    a(tcp(40020, 80, 'A', 1000, 1)), 'dump',
    echo('pickup ACK, normal reply'), a(tcp(40021, 80, 'A', 1000, 1)), b(tcp(80, 40021, 'A', 1, 1000)), 'dump',
    a(tcp(40021, 80, 'A', 1000, 1)), 'dump',
    echo('pickup with data'), a(tcp(40022, 80, 'PA', 1000, 500) / b'0123456789'), b(tcp(80, 40022, 'A', 500, 1010)),
    a(tcp(40022, 80, 'PA', 1010, 500) / b'abc'), 'dump',
    echo('pickup, reply acks far behind'), a(tcp(40023, 80, 'A', 1000000, 1)), b(tcp(80, 40023, 'A', 1, 1)), 'dump',
    echo('pickup, orig again acking far ahead'), a(tcp(40024, 80, 'A', 1000, 1)), a(tcp(40024, 80, 'A', 1000, 900000)),
    'dump',
]

S['tcp-window-scale'] = [
    echo('wscale both'), a(tcp(40030, 80, 'S', 1000, options=[('WScale', 7)])), 'dump',
    b(tcp(80, 40030, 'SA', 5000, 1001, options=[('WScale', 8)])), 'dump',
    a(tcp(40030, 80, 'A', 1001, 5001)), 'dump',
    echo('wscale orig only'), a(tcp(40031, 80, 'S', 1000, options=[('WScale', 7)])), b(tcp(80, 40031, 'SA', 5000, 1001)),
    'dump',
    a(tcp(40031, 80, 'A', 1001, 5001)), 'dump',
    echo('wscale reply only'), a(tcp(40032, 80, 'S', 1000)),
    b(tcp(80, 40032, 'SA', 5000, 1001, options=[('WScale', 8)])), 'dump',
    echo('wscale 15'), a(tcp(40033, 80, 'S', 1000, options=[('NOP', None), ('WScale', 15)])), 'dump',
    echo('wscale after MSS and SACK'),
    a(tcp(40034, 80, 'S', 1000, options=[('MSS', 1460), ('SAckOK', b''), ('NOP', None), ('WScale', 2)])), 'dump',
    echo('wscale 0'), a(tcp(40035, 80, 'S', 1000, options=[('WScale', 0)])),
    b(tcp(80, 40035, 'SA', 5000, 1001, options=[('WScale', 0)])), 'dump',
]

ip_a = dict(src='10.0.0.1', dst='10.0.0.2')
S['udp-icmp-other'] = [
    echo('UDP first'), a(UDP(sport=5000, dport=53) / b'q1'), 'dump', 'warp 10000',
    echo('UDP second one way'), a(UDP(sport=5000, dport=53) / b'q2'), 'dump',
    echo('UDP reply'), b(UDP(sport=53, dport=5000) / b'r1'), 'dump',
    echo('UDP orig after reply'), a(UDP(sport=5000, dport=53) / b'q3'), 'dump',
    echo('UDP zero checksum over IPv4'), a(UDP(sport=5001, dport=53, chksum=0) / b'zz'),
    echo('UDP sport 0'), a(UDP(sport=0, dport=53) / b'p0'),
    echo('UDP dport 0'), a(UDP(sport=5002, dport=0) / b'p0'),
    echo('TCP bad checksum'), a(TCP(sport=41000, dport=80, flags='S', seq=1, chksum=0x1234)),
    echo('TCP dport 0'), a(TCP(sport=41000, dport=0, flags='S', seq=1)),
    echo('ICMP bad checksum'), a(ICMP(type=8, id=70, chksum=0x1234)),
    echo('ICMP echo request'), a(ICMP(type=8, id=77, seq=1)), 'dump',
    echo('ICMP second request'), a(ICMP(type=8, id=77, seq=2)),
    echo('ICMP echo reply'), b(ICMP(type=0, id=77, seq=1)),
    echo('ICMP echo reply other id'), b(ICMP(type=0, id=78, seq=1)), 'dump',
    echo('ICMP echo request code 1'), a(ICMP(type=8, code=1, id=79)),
    echo('ICMP timestamp request'), a(ICMP(type=13, id=80, ts_ori=1000, ts_rx=0, ts_tx=0)), 'dump',
    echo('ICMP unknown type 42'), a(ICMP(type=42, id=81)),
    echo('error B->A quoting A->B UDP'), b(ICMP(type=3, code=3) / IPerror(**ip_a) / UDPerror(sport=5000, dport=53)),
    echo('error A->B quoting B->A UDP'),
    a(ICMP(type=3, code=3) / IPerror(src='10.0.0.2', dst='10.0.0.1') / UDPerror(sport=53, dport=5000)),
    echo('error router->A quoting A->B UDP'),
    pk(2, E(MB, MA) / IP(src='10.0.0.254', dst='10.0.0.1') / ICMP(type=11, code=0) / IPerror(**ip_a)
       / UDPerror(sport=5000, dport=53)),
    echo('error quoting untracked UDP'), b(ICMP(type=3, code=3) / IPerror(**ip_a) / UDPerror(sport=6000, dport=53)),
    echo('error quoting packet from another host'),
    b(ICMP(type=3, code=3) / IPerror(src='10.0.0.9', dst='10.0.0.2') / UDPerror(sport=5000, dport=53)),
    echo('error quoting ICMP echo'), b(ICMP(type=3, code=1) / IPerror(**ip_a) / ICMPerror(type=8, id=77, seq=1)),
    echo('TCP SYN then error quoting 8 bytes of it'), a(tcp(41001, 80, 'S', 1000)),
    b(ICMP(type=3, code=3) / IPerror(proto=6, **ip_a) / Raw(bytes.fromhex('a0290050000003e8'))),
    echo('error quoting ICMP echo reply direction'),
    a(ICMP(type=3, code=1) / IPerror(src='10.0.0.2', dst='10.0.0.1') / ICMPerror(type=0, id=77, seq=1)),
    echo('redirect quoting UDP'),
    b(ICMP(type=5, code=1, gw='10.0.0.3') / IPerror(**ip_a) / UDPerror(sport=5000, dport=53)),
    echo('error quoting an ICMP error (nested)'), b(ICMP(type=3, code=3) / IPerror(**ip_a) / ICMPerror(type=3, code=3)),
    echo('GRE'), a(Raw(bytes.fromhex('00000800')), proto=47), b(Raw(bytes.fromhex('00000800')), proto=47), 'dump',
    echo('SCTP good crc'), a(sctp(3000, 4000), proto=132),
    echo('SCTP bad crc'), a(sctp(3001, 4000, False), proto=132),
    echo('UDP with IPv4 options'), a(UDP(sport=5003, dport=53) / b'opt', options=[IPOption(b'\x94\x04\x00\x00')]),
    echo('UDP in 802.1Q'), pk(1, E(MA, MB) / Dot1Q(vlan=10) / IP(**ip_a) / UDP(sport=5004, dport=53) / b'vlan'),
    echo('UDP length shorter than IP payload'),
    pk(1, E(MA, MB) / IP(**ip_a) / UDP(sport=5005, dport=53, len=10) / b'abtrailer'),
    echo('truncated UDP frame'), raw(1, bytes(E(MA, MB) / IP(**ip_a) / UDP(sport=5006, dport=53) / b'truncated')[:-3]),
    echo('IPv4 with version 5'),
    raw(1, (lambda r: r[:14] + bytes([0x55]) + r[15:])(bytes(E(MA, MB) / IP(**ip_a) / UDP(sport=5007, dport=53) / b'v5'))),
    echo('IPv4 padded frame'), raw(1, bytes(E(MA, MB) / IP(**ip_a) / UDP(sport=5008, dport=53) / b'pad') + bytes(20)),
    echo('IPv4 first fragment'), a(UDP(sport=5009, dport=53) / b'frag', flags='MF'),
    'dump',
]

S['ipv6'] = [
    echo('TCP SYN with hop-by-hop and destination options'),
    a6(IPv6ExtHdrHopByHop() / IPv6ExtHdrDestOpt() / tcp(40000, 80, 'S', 1000)),
    echo('SYN-ACK plain'), b6(tcp(80, 40000, 'SA', 5000, 1001)),
    echo('ACK with routing header'), a6(IPv6ExtHdrRouting(addresses=[]) / tcp(40000, 80, 'A', 1001, 5001)), 'dump',
    echo('UDP'), a6(UDP(sport=5000, dport=53) / b'q'), b6(UDP(sport=53, dport=5000) / b'r'),
    echo('UDP zero checksum'), a6(UDP(sport=5001, dport=53, chksum=0) / b'z'),
    echo('UDP bad checksum'), a6(UDP(sport=5002, dport=53, chksum=0x1234) / b'z'),
    echo('ICMPv6 echo'), a6(ICMPv6EchoRequest(id=5, seq=1)), b6(ICMPv6EchoReply(id=5, seq=1)),
    echo('ICMPv6 echo reply without request'), b6(ICMPv6EchoReply(id=9, seq=1)),
    echo('ICMPv6 bad checksum'), a6(ICMPv6EchoRequest(id=6, seq=1, cksum=0x1234)),
    echo('neighbour solicitation'), a6(ICMPv6ND_NS(tgt='fd00::2')),
    echo('router solicitation'), a6(ICMPv6ND_RS()),
    echo('fragment header, more fragments'), a6(IPv6ExtHdrFragment(m=1, id=1) / UDP(sport=5003, dport=53) / b'f'),
    echo('atomic fragment header'), a6(IPv6ExtHdrFragment(m=0, offset=0, id=2) / UDP(sport=5004, dport=53) / b'f'),
    echo('ICMPv6 error quoting UDP'),
    b6(ICMPv6DestUnreach() / IPerror6(src='fd00::1', dst='fd00::2') / UDPerror(sport=5000, dport=53)),
    echo('ICMPv6 packet too big quoting UDP'),
    b6(ICMPv6PacketTooBig(mtu=1280) / IPerror6(src='fd00::1', dst='fd00::2') / UDPerror(sport=5000, dport=53)),
    echo('ICMPv6 error quoting nothing'),
    b6(ICMPv6DestUnreach() / IPerror6(src='fd00::1', dst='fd00::2') / UDPerror(sport=5999, dport=53)),
    # scapy leaves IPv6 next header 59 (no next header) for ICMP: tracked as protocol 59.
    echo('ICMPv4 inside IPv6 (next header 1)'), a6(ICMP(type=8, id=3)),
    echo('address compression'),
    pk(1, E(MA, MB) / IPv6(src='2001:db8::1:0:0:1', dst='2001:db8:0:1::') / UDP(sport=7000, dport=7001) / b'c'),
    pk(1, E(MA, MB) / IPv6(src='::ffff:10.0.0.1', dst='::1') / UDP(sport=7002, dport=7003) / b'c'),
    pk(1, E(MA, MB) / IPv6(src='fe80::a:0:0:0:b', dst='1:0:0:2::3:0') / UDP(sport=7004, dport=7005) / b'c'),
    echo('truncated IPv6'),
    raw(1, bytes(E(MA, MB) / IPv6(src='fd00::1', dst='fd00::2') / UDP(sport=7006, dport=53) / b'xyz')[:-2]),
    'dump',
]

flush_base = [
    a(UDP(sport=5000, dport=53) / b'q'), pk(3, E(MA, MB) / IP(**ip_a) / UDP(sport=5000, dport=53) / b'q'),
    a(UDP(sport=5001, dport=53) / b'q'), b(UDP(sport=6000, dport=7000) / b'm'), a(tcp(40000, 80, 'S', 1000)),
    a(ICMP(type=8, id=9)),
    pk(1, E(MA, MB) / IPv6(src='fd00::1', dst='fd00::2', nh=1) / ICMP(type=8, id=4)),
    pk(1, E(MA, MB) / IP(proto=58, **ip_a) / ICMPv6EchoRequest(id=3)),
    'dump',
]
S['flush'] = flush_base + [
    echo('exact reply-direction tuple, no zone'),
    'flush ct_nw_src=10.0.0.2,ct_nw_dst=10.0.0.1,ct_nw_proto=17,ct_tp_src=53,ct_tp_dst=5000', 'dump',
    echo('exact tuple zone 1'),
    'flush zone=1 ct_nw_src=10.0.0.1,ct_nw_dst=10.0.0.2,ct_nw_proto=17,ct_tp_src=5000,ct_tp_dst=53', 'dump',
    echo('partial: src and proto 6'), 'flush ct_nw_src=10.0.0.1,ct_nw_proto=6', 'dump',
    echo('partial: ICMP id only'), 'flush ct_nw_proto=1,icmp_id=9', 'dump',
    echo('partial: source only'), 'flush ct_nw_src=10.0.0.2', 'dump',
]

S['flush-icmp'] = [
    a(ICMP(type=8, id=9)), a(ICMP(type=8, id=0)), pk(1, E(MA, MB) / IP(src='10.0.0.3', dst='10.0.0.2') / ICMP(type=8, id=9)),
    'dump',
    'flush ct_nw_proto=1,icmp_type=8,icmp_id=9', 'dump', 'flush ct_nw_proto=1,icmp_type=8', 'dump',
    'flush ct_nw_src=10.0.0.3,ct_nw_proto=1', 'dump', 'flush ct_nw_src=10.0.0.3', 'dump',
]

S['timers-and-reuse'] = [
    echo('closed connection'), a(tcp(40000, 80, 'S', 1000)), b(tcp(80, 40000, 'SA', 5000, 1001)),
    a(tcp(40000, 80, 'A', 1001, 5001)), a(tcp(40000, 80, 'FA', 1001, 5001)), b(tcp(80, 40000, 'FA', 5001, 1002)),
    a(tcp(40000, 80, 'A', 1002, 5002)), 'dump',
    echo('uncommitted SYN reusing the tuple'), pk(3, E(MA, MB) / IP(**ip_a) / tcp(40000, 80, 'S', 7000)), 'dump',
    echo('UDP then ICMP error 10 s later does not re-arm'), a(UDP(sport=5000, dport=53) / b'q'), 'warp 10000',
    b(ICMP(type=3, code=3) / IPerror(**ip_a) / UDPerror(sport=5000, dport=53)), 'dump',
    echo('echo request again after 10 s re-arms'), a(ICMP(type=8, id=5, seq=1)), 'warp 10000',
    a(ICMP(type=8, id=5, seq=2)), 'dump',
    echo('echo reply, then 10 s, then request'), b(ICMP(type=0, id=5, seq=2)), 'warp 10000',
    a(ICMP(type=8, id=5, seq=3)), 'dump',
    echo('uncommitted first packet leaves nothing'), pk(3, E(MA, MB) / IP(**ip_a) / UDP(sport=6000, dport=53) / b'q'),
    'dump',
    echo('established TCP, in-window segment with bad checksum'), a(tcp(41000, 80, 'S', 1000)),
    b(tcp(80, 41000, 'SA', 5000, 1001)), a(tcp(41000, 80, 'A', 1001, 5001)),
    'warp 1000', a(tcp(41000, 80, 'PA', 1001, 5001, chksum=0x1234) / b'x'), 'dump',
    echo('RST|ACK with ack 0 on an established connection'), b(tcp(80, 41000, 'RA', 5001, 0)), 'dump',
]

if __name__ == '__main__':
    for name in (sys.argv[1:] or S):
        with open(name + '/packets.hex.txt', 'w') as f:
            f.write('\n'.join(S[name]) + '\n')
