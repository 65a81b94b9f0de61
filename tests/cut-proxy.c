#define _GNU_SOURCE
/* cut-proxy: a TCP relay for the tests that must lose the server at an exact
 * point of the IMAP conversation.
 *   cut-proxy PORTFILE TARGET_PORT PATTERN
 * Listens on an ephemeral 127.0.0.1 port (written to PORTFILE), relays each
 * connection to 127.0.0.1:TARGET_PORT, and when the client sends PATTERN
 * closes both sides before PATTERN reaches the server, then exits 0. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int proxy_connect(int port)
{
    int fd = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (fd < 0 || connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
        return -1;
    return fd;
}

static int proxy_send(int fd, const char *p, size_t n)
{
    while (n) {
        ssize_t w = write(fd, p, n);
        if (w <= 0)
            return -1;
        p += w;
        n -= (size_t)w;
    }
    return 0;
}

/* Relays one connection; returns 1 when the pattern was seen. */
static int proxy_relay(int c, int s, const char *pattern)
{
    size_t plen = strlen(pattern);
    char buf[65536 + 256], tail[256] = "";
    size_t tlen = 0;
    struct pollfd p[2] = {{.fd = c, .events = POLLIN}, {.fd = s, .events = POLLIN}};
    for (;;) {
        if (poll(p, 2, 60000) <= 0)
            return 0;
        if (p[1].revents) {
            ssize_t n = read(s, buf, 65536);
            if (n <= 0 || proxy_send(c, buf, (size_t)n) != 0)
                return 0;
        }
        if (p[0].revents) {
            memcpy(buf, tail, tlen);
            ssize_t n = read(c, buf + tlen, 65536);
            if (n <= 0)
                return 0;
            size_t all = tlen + (size_t)n;
            buf[all] = '\0';
            if (memmem(buf, all, pattern, plen))
                return 1;
            if (proxy_send(s, buf + tlen, (size_t)n) != 0)
                return 0;
            tlen = all < plen - 1 ? all : plen - 1;
            memcpy(tail, buf + all - tlen, tlen);
        }
    }
}

int main(int argc, char **argv)
{
    if (argc != 4 || strlen(argv[3]) == 0 || strlen(argv[3]) > 200)
        return 2;
    int l = socket(AF_INET, SOCK_STREAM, 0);
    struct sockaddr_in a = {.sin_family = AF_INET};
    socklen_t alen = sizeof a;
    a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    if (l < 0 || bind(l, (struct sockaddr *)&a, sizeof a) != 0 || listen(l, 4) != 0
        || getsockname(l, (struct sockaddr *)&a, &alen) != 0)
        return 1;
    FILE *f = fopen(argv[1], "w");
    if (!f)
        return 1;
    fprintf(f, "%d\n", ntohs(a.sin_port));
    fclose(f);
    for (;;) {
        int c = accept(l, NULL, NULL);
        if (c < 0)
            return 1;
        int s = proxy_connect(atoi(argv[2]));
        int seen = s >= 0 && proxy_relay(c, s, argv[3]);
        close(c);
        if (s >= 0)
            close(s);
        if (seen)
            return 0;
    }
}
