/* imap-helper: drives the IMAP source directly for the tests that need to act
 * between its steps.
 *   imap-helper URL PASSWORD CA uidvalidity
 *   imap-helper URL PASSWORD CA remove-after-change UID...   (waits for "go" on stdin between load and remove)
 *   imap-helper URL PASSWORD CA fetch-kill PIDFILE           (kills the server after the first messages)
 *   imap-helper URL PASSWORD CA fetch-raw                    (streams every message, no analysis: the
 *                                                             benchmark's baseline; prints count and bytes)
 *   imap-helper URL PASSWORD CA remove-from UID              (deletes every message from UID on, by the
 *                                                             IMAP commands of a purge and nothing else:
 *                                                             the purge benchmark's baseline) */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rebote/source.h"

typedef struct {
    const char *pidfile;
    size_t seen, bytes;
} kill_ctx;

static int on_message(const source_item *it, const char *buf, size_t len, void *vctx)
{
    kill_ctx *k = vctx;
    (void)it; (void)buf;
    k->bytes += len;
    if (++k->seen == 5 && k->pidfile) {
        FILE *f = fopen(k->pidfile, "r");
        long pid = 0;
        if (f && fscanf(f, "%ld", &pid) == 1)
            kill(-(pid_t)pid, SIGKILL);   /* the master and its imap processes */
        if (f)
            fclose(f);
    }
    return 0;
}

int main(int argc, char **argv)
{
    if (argc < 5)
        return 2;
    signal(SIGPIPE, SIG_IGN);
    source_options opt = {.ca_file = argv[3], .password = argv[2], .timeout = 5,
                          .fetch_cap = 256 * 1024};   /* as rebote fetches */
    char err[512];
    source *s = source_open(argv[1], &opt, err, sizeof err);
    if (!s) {
        fprintf(stderr, "open: %s\n", err);
        return 1;
    }
    source_item *items;
    size_t n;
    int rc = 0;
    if (source_list(s, &items, &n) != 0) {
        fprintf(stderr, "list: %s\n", source_error(s));
        source_close(s);
        return 1;
    }
    if (!strcmp(argv[4], "uidvalidity")) {
        printf("%u %zu\n", source_uidvalidity(s), n);
    } else if (!strcmp(argv[4], "remove-after-change")) {
        uint32_t before = source_uidvalidity(s);
        char line[16];
        printf("loaded\n");
        fflush(stdout);
        if (!fgets(line, sizeof line, stdin))
            return 2;
        size_t want = (size_t)(argc - 5), removed = 0;
        source_item *doomed = calloc(want ? want : 1, sizeof *doomed);
        for (size_t i = 0; i < want; i++) {
            doomed[i].uid = (uint32_t)strtoul(argv[5 + i], NULL, 10);
            doomed[i].key = argv[5 + i];
        }
        if (source_remove(s, doomed, want, before, &removed) != 0) {
            fprintf(stderr, "remove: %s\n", source_error(s));
            rc = 1;
        }
        printf("removed %zu\n", removed);
        free(doomed);
    } else if (!strcmp(argv[4], "remove-from") && argc > 5) {
        uint32_t from = (uint32_t)strtoul(argv[5], NULL, 10);
        size_t want = 0, removed = 0;
        for (size_t i = 0; i < n; i++) {
            if (items[i].uid >= from)
                items[want++] = items[i];
            else
                free(items[i].key);
        }
        if (source_remove(s, items, want, source_uidvalidity(s), &removed) != 0) {
            fprintf(stderr, "remove: %s\n", source_error(s));
            rc = 1;
        }
        printf("removed %zu of %zu\n", removed, want);
        n = want;
    } else if (!strcmp(argv[4], "fetch-kill")) {
        kill_ctx k = {argv[5], 0, 0};
        if (source_fetch(s, items, n, on_message, NULL, &k) != 0) {
            fprintf(stderr, "fetch: %s\n", source_error(s));
            rc = 1;
        }
    } else if (!strcmp(argv[4], "fetch-raw")) {
        kill_ctx k = {NULL, 0, 0};
        if (source_fetch(s, items, n, on_message, NULL, &k) != 0) {
            fprintf(stderr, "fetch: %s\n", source_error(s));
            rc = 1;
        }
        printf("%zu messages, %zu bytes\n", k.seen, k.bytes);
    }
    source_items_free(items, n);
    source_close(s);
    return rc;
}
