#!/usr/bin/env python3
"""Sends each message of golden/ofp-print-cases.txt (and a few session-level ones) to a real, running Open vSwitch
on a raw OpenFlow connection and records its exact reply: the OFPT_ERROR bytes, or OK when the barrier that follows
comes back first.  Writes src/test/resources/golden/real-ovs-replies.txt:
'# REPLY <OK|hex of the OFPT_ERROR> <description>' then the request hex.

Start OVS first:  /work/shared/oracle/ovs-oracle start --listen 16634 --dir DIR   (stop: ovs-oracle stop DIR)
Run from the ofswitch module directory:  python3 src/test/tools/ask_real_ovs.py 16634
"""
import socket
import struct
import sys

port = int(sys.argv[1]) if len(sys.argv) > 1 else 16634


def recv_msg(s):
    hdr = b''
    while len(hdr) < 8:
        chunk = s.recv(8 - len(hdr))
        if not chunk:
            raise EOFError
        hdr += chunk
    ln = struct.unpack('!H', hdr[2:4])[0]
    body = b''
    while len(body) < ln - 8:
        chunk = s.recv(ln - 8 - len(body))
        if not chunk:
            raise EOFError
        body += chunk
    return hdr + body


def ask(msg):
    ver = msg[0]
    s = socket.create_connection(('127.0.0.1', port), timeout=5)
    try:
        s.sendall(struct.pack('!BBHI', ver, 0, 8, 1))
        while True:
            m = recv_msg(s)
            if m[1] == 0:
                break
        barrier_type = 18 if ver == 1 else 20
        s.sendall(msg + struct.pack('!BBHI', ver, barrier_type, 8, 0xbeef))
        while True:
            m = recv_msg(s)
            xid = struct.unpack('!I', m[4:8])[0]
            if m[1] == 1:
                return m.hex()
            if xid == 0xbeef:
                return 'OK'
    finally:
        s.close()


def load(path):
    out = []
    meaning = None
    for line in open(path):
        line = line.rstrip('\n')
        if line.startswith('# '):
            meaning = line[2:]
        elif line.strip() and meaning:
            out.append((meaning, bytes.fromhex(line.strip())))
            meaning = None
    return out


lines = ['# Replies of a real Open vSwitch 3.1 (ovs-vswitchd, dummy datapath, 255 tables) to each request on a raw',
         '# OpenFlow connection (src/test/tools/ask_real_ovs.py): OK if the following barrier was answered first,',
         '# else the whole OFPT_ERROR it sent.', '']
cases = load('src/test/resources/golden/ofp-print-cases.txt')
extra = [
    ('unknown message type 40 (OF1.3)', bytes.fromhex('0428000800000009')),
    ('unknown Nicira subtype 99 (OF1.3)', bytes.fromhex('04040010000000090000232000000063')),
    ('unknown Nicira subtype 99 (OF1.0)', bytes.fromhex('01040010000000090000232000000063')),
    ('unknown experimenter id (OF1.3)', bytes.fromhex('04040010000000090000abcd00000001')),
    ('NXT_SET_FLOW_FORMAT 7 (OF1.0)', bytes.fromhex('010400140000000900002320000000 0c00000007'.replace(' ', ''))),
    ('NXT_SET_PACKET_IN_FORMAT 9 (OF1.3)', bytes.fromhex('04040014000000090000232000000010 00000009'.replace(' ', ''))),
    ('NXT_SET_FLOW_FORMAT of 24 bytes (OF1.0)', bytes.fromhex('010400180000000900002320 0000000c0000000200000000'.replace(' ', ''))),
    ('NXT_CT_FLUSH_ZONE 5 (OF1.3)', bytes.fromhex('040400180000000900002320 0000001d0000000000000005'.replace(' ', ''))),
    ('group_mod add select (OF1.3)', bytes.fromhex('040f00500000000200000100000000010020000a00000002ffffffff000000000000001000000002000000000000000000200014ffffffffffffffff0000000000000010000000030000000000000000')),
    ('group_mod type 9 (OF1.3)', bytes.fromhex('040f00200000000200000900000000050010000000000000ffffffff00000000')),
    ('group_mod command 7 (OF1.3)', bytes.fromhex('040f00200000000200070000000000050010000000000000ffffffff00000000')),
    ('group_mod bucket length 8 (OF1.3)', bytes.fromhex('040f00200000000200000000000000050008000000000000ffffffff00000000')),
    ('packet_out in_port 0xff00 (OF1.3)', bytes.fromhex('040d002800000006ffffffff0000ff000000000000000000' + '000102030405060708090a0b08004500')),
    ('packet_out actions_len 12 (OF1.3)', bytes.fromhex('040d002800000006ffffffff00000001000c000000000000' + '000102030405060708090a0b08004500')),
]
for desc, msg in [(m.split(' ', 2)[2], b) for m, b in cases] + extra:
    try:
        r = ask(msg)
    except Exception as e:  # noqa
        r = 'NOREPLY'
    lines.append(f'# REPLY {r} {desc}')
    lines.append(msg.hex())
    lines.append('')
open('src/test/resources/golden/real-ovs-replies.txt', 'w').write('\n'.join(lines))
print(sum(1 for l in lines if l.startswith('# REPLY')), 'requests')
