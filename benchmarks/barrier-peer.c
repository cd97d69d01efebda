/* barrier-peer PORT: the floor of bench flowmod-rate's plain add-flows (benchmarks/README.md). An OpenFlow 1.3 peer on
 * 127.0.0.1:PORT that does no work: it answers HELLO, ECHO, the TABLE_FEATURES request (one table, eight empty
 * properties) and PORT_DESC (no ports), which ovs-ofctl add-flows asks first, and each BARRIER_REQUEST; it drops
 * everything else, flow-mods included. So ovs-ofctl against it spends only its own time and the round trips' (the
 * loopback, the wake-ups), which no switch can avoid. One connection at a time; runs until killed. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>
static unsigned char buf[1 << 20];
static void put16(unsigned char *p, int v) { p[0] = v >> 8; p[1] = v; }
int main(int argc, char **argv) {
    int ls = socket(AF_INET, SOCK_STREAM, 0), one = 1;
    setsockopt(ls, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons(atoi(argv[1])), .sin_addr.s_addr = htonl(0x7f000001)};
    if (bind(ls, (void *)&a, sizeof a) || listen(ls, 8)) { perror("bind"); return 1; }
    for (;;) {
        int c = accept(ls, NULL, NULL);
        setsockopt(c, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        size_t have = 0;
        for (;;) {
            ssize_t r = read(c, buf + have, sizeof buf - have);
            if (r <= 0) break;
            have += r;
            size_t off = 0;
            unsigned char out[4096]; size_t olen = 0;
            while (have - off >= 8) {
                unsigned char *m = buf + off;
                int len = (m[2] << 8) | m[3];
                if (len < 8 || have - off < (size_t)len) break;
                int type = m[1];
                unsigned char *o = out + olen;
                if (type == 0 || type == 2 || type == 20) {
                    memcpy(o, m, 8); o[0] = 4; o[1] = type == 0 ? 0 : type == 2 ? 3 : 21; put16(o + 2, 8); olen += 8;
                } else if (type == 18 && m[8] == 0 && m[9] == 13) {
                    memset(o, 0, 16); memcpy(o, m, 8); o[1] = 19; put16(o + 2, 16); o[9] = 13; olen += 16;
                } else if (type == 18 && m[8] == 0 && m[9] == 12) {
                    memset(o, 0, 144); memcpy(o, m, 8); o[1] = 19; put16(o + 2, 144); o[9] = 12;
                    unsigned char *t = o + 16; put16(t, 128); memcpy(t + 8, "table0", 6);
                    for (int i = 0; i < 8; i++) { put16(t + 64 + 8 * i, 2 * i); put16(t + 64 + 8 * i + 2, 4); }
                    olen += 144;
                }
                off += len;
            }
            if (olen) write(c, out, olen);
            memmove(buf, buf + off, have - off); have -= off;
        }
        close(c);
    }
}
