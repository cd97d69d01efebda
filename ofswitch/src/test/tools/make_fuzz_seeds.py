#!/usr/bin/env python3
"""Writes the seed inputs of OpenFlowSessionFuzzTest (src/test/resources/dev/ofswitch/ofswitch/
OpenFlowSessionFuzzTestInputs/session_everyBadMessageIsRefusedAndTheConnectionLives/):

  ofctl-<ofNN>-<case>   the messages ovs-ofctl 3.1 sent for one flow of the shared vectors
                        (../shared/vectors/ovs-ofctl/ofNN/<case>/mK_*.hex, in wire order K), concatenated
  real-ovs-<NNN>        each request of golden/real-ovs-replies.txt (the malformed and edge-case messages a real
                        ovs-vswitchd 3.1 was asked about)

Each seed is raw bytes: the stream a controller sends after its HELLO. Inputs that fuzzing found (crash-*, named by
Jazzer) live in the same directory and are not touched.  Run from the ofswitch module directory:
  python3 src/test/tools/make_fuzz_seeds.py [VECTORS_DIR]
"""
import os
import pathlib
import re
import sys

vectors = pathlib.Path(sys.argv[1] if len(sys.argv) > 1 else '../../shared/vectors/ovs-ofctl')
if not vectors.is_dir():
    vectors = pathlib.Path('/work/shared/vectors/ovs-ofctl')
out = pathlib.Path('src/test/resources/dev/ofswitch/ofswitch/OpenFlowSessionFuzzTestInputs/'
                   'session_everyBadMessageIsRefusedAndTheConnectionLives')
out.mkdir(parents=True, exist_ok=True)
for old in out.glob('ofctl-*'):
    old.unlink()
for old in out.glob('real-ovs-*'):
    old.unlink()


def order(path):
    return int(re.match(r'm(\d+)_', path.name).group(1))


n = 0
for version in sorted(p for p in vectors.iterdir() if p.is_dir() and p.name.startswith('of')):
    for case in sorted(p for p in version.iterdir() if p.is_dir()):
        data = b''.join(bytes.fromhex(h.read_text().strip()) for h in sorted(case.glob('m*.hex'), key=order))
        (out / f'ofctl-{version.name}-{case.name}').write_bytes(data)
        n += 1

m = 0
lines = pathlib.Path('src/test/resources/golden/real-ovs-replies.txt').read_text().splitlines()
for i, line in enumerate(lines):
    if line.startswith('# REPLY'):
        m += 1
        (out / f'real-ovs-{m:03d}').write_bytes(bytes.fromhex(lines[i + 1].strip()))

print(f'{n} ovs-ofctl sessions and {m} real-OVS requests in {out}', file=sys.stderr)
