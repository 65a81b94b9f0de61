/* fetch-bench: which fetch is faster for the analysis, over one IMAPS
 * connection to a (private, benchmark) server?
 *   (1) what rebote fetches: BODY.PEEK[]<0.262144>, the first 256 KiB;
 *   (2) BODYSTRUCTURE and the header first, then only the parts the analysis
 *       reads (text leaves, delivery-status and feedback reports, the header
 *       of a returned message), each capped at 64 KiB, in one UID FETCH per
 *       distinct set of sections.
 * Both in chunks of 500 UIDs, as the IMAP source does.
 *   fetch-bench HOST PORT USER PASSWORD-FILE [MAILBOX]
 * Prints the time and bytes of each, twice, alternating. The server's
 * certificate is not verified: a benchmark against localhost only. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <libetpan/libetpan.h>

#define CHUNK 500
#define FIRST_BYTES 262144
#define PART_BYTES 65536

static double now(void)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)t.tv_sec + (double)t.tv_nsec / 1e9;
}

static void die(const char *what, int r)
{
    fprintf(stderr, "fetch-bench: %s failed (%d)\n", what, r);
    exit(1);
}

/* Bytes of every body section in a FETCH answer list. */
static size_t section_bytes(clist *result)
{
    size_t bytes = 0;
    for (clistiter *it = clist_begin(result); it; it = clist_next(it)) {
        struct mailimap_msg_att *att = clist_content(it);
        for (clistiter *a = clist_begin(att->att_list); a; a = clist_next(a)) {
            struct mailimap_msg_att_item *item = clist_content(a);
            if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
                continue;
            struct mailimap_msg_att_static *st = item->att_data.att_static;
            if (st->att_type == MAILIMAP_MSG_ATT_BODY_SECTION && st->att_data.att_body_section)
                bytes += st->att_data.att_body_section->sec_length;
        }
    }
    return bytes;
}

/* One UID FETCH of ft (freed) for these UIDs (ascending); exits on failure. */
static clist *uid_fetch(mailimap *imap, const uint32_t *uids, size_t n, struct mailimap_fetch_type *ft,
                        const char *what)
{
    struct mailimap_set *set = mailimap_set_new_empty();
    for (size_t i = 0, j; i < n; i = j) {   /* runs as ranges ("1:500"), as the IMAP source sends them */
        for (j = i + 1; j < n && uids[j] == uids[j - 1] + 1; j++)
            ;
        mailimap_set_add_interval(set, uids[i], uids[j - 1]);
    }
    clist *result = NULL;
    int r = mailimap_uid_fetch(imap, set, ft, &result);
    mailimap_set_free(set);
    mailimap_fetch_type_free(ft);
    if (r != MAILIMAP_NO_ERROR)
        die(what, r);
    return result;
}

/* (1) the first 256 KiB of every message */
static size_t fetch_first(mailimap *imap, const uint32_t *uids, size_t n)
{
    size_t bytes = 0;
    for (size_t from = 0; from < n; from += CHUNK) {
        size_t len = n - from < CHUNK ? n - from : CHUNK;
        struct mailimap_fetch_type *ft = mailimap_fetch_type_new_fetch_att_list_empty();
        mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_uid());
        mailimap_fetch_type_new_fetch_att_list_add(
            ft, mailimap_fetch_att_new_body_peek_section_partial(mailimap_section_new(NULL), 0, FIRST_BYTES));
        clist *result = uid_fetch(imap, uids + from, len, ft, "UID FETCH BODY.PEEK[]");
        bytes += section_bytes(result);
        mailimap_fetch_list_free(result);
    }
    return bytes;
}

/* The sections the analysis reads, as text ("1 2 3.HEADER"), from a body
 * structure; prefix is the part number of b ("" at the top). */
static void needed(const struct mailimap_body *b, const char *prefix, char *out, size_t outlen, int depth)
{
    if (depth > 16)
        return;
    char part[64];
    if (b->bd_type == MAILIMAP_BODY_MPART) {
        int i = 1;
        for (clistiter *it = clist_begin(b->bd_data.bd_body_mpart->bd_list); it; it = clist_next(it), i++) {
            snprintf(part, sizeof part, "%s%s%d", prefix, prefix[0] ? "." : "", i);
            needed(clist_content(it), part, out, outlen, depth + 1);
        }
        return;
    }
    const struct mailimap_body_type_1part *p = b->bd_data.bd_body_1part;
    const char *section = prefix[0] ? prefix : "1";   /* a single-part message: its body is part 1 */
    char want[80] = "";
    if (p->bd_type == MAILIMAP_BODY_TYPE_1PART_TEXT) {
        snprintf(want, sizeof want, "%s", section);   /* text/plain, text/html, text/rfc822-headers */
    } else if (p->bd_type == MAILIMAP_BODY_TYPE_1PART_MSG) {
        snprintf(want, sizeof want, "%s.HEADER", section);   /* message/rfc822: its header only */
    } else if (p->bd_type == MAILIMAP_BODY_TYPE_1PART_BASIC) {
        const struct mailimap_media_basic *m = p->bd_data.bd_type_basic->bd_media_basic;
        if (m->med_type == MAILIMAP_MEDIA_BASIC_MESSAGE &&
            (!strcasecmp(m->med_subtype, "DELIVERY-STATUS") || !strcasecmp(m->med_subtype, "GLOBAL-DELIVERY-STATUS") ||
             !strcasecmp(m->med_subtype, "FEEDBACK-REPORT") || !strcasecmp(m->med_subtype, "RFC822-HEADERS") ||
             !strcasecmp(m->med_subtype, "GLOBAL-HEADERS")))
            snprintf(want, sizeof want, "%s", section);
    }
    if (want[0] && strlen(out) + strlen(want) + 2 < outlen) {
        if (out[0])
            strcat(out, " ");
        strcat(out, want);
    }
}

/* BODY.PEEK[section]<0.PART_BYTES> for "2", "3.HEADER"... */
static struct mailimap_fetch_att *section_att(const char *spec)
{
    clist *ids = clist_new();
    const char *p = spec;
    int header = 0;
    while (*p) {
        char *end;
        unsigned long v = strtoul(p, &end, 10);
        if (end == p) {
            header = !strcmp(p, "HEADER");
            break;
        }
        uint32_t *id = malloc(sizeof *id);
        *id = (uint32_t)v;
        clist_append(ids, id);
        p = *end == '.' ? end + 1 : end;
    }
    struct mailimap_section_part *part = mailimap_section_part_new(ids);
    struct mailimap_section *sec = header ? mailimap_section_new_part_header(part) : mailimap_section_new_part(part);
    return mailimap_fetch_att_new_body_peek_section_partial(sec, 0, PART_BYTES);
}

typedef struct {
    char spec[512];
    uint32_t *uids;
    size_t n;
} group;

/* (2) structure and header, then the needed parts */
static size_t fetch_parts(mailimap *imap, const uint32_t *uids, size_t n, size_t *commands)
{
    size_t bytes = 0;
    for (size_t from = 0; from < n; from += CHUNK) {
        size_t len = n - from < CHUNK ? n - from : CHUNK;
        struct mailimap_fetch_type *ft = mailimap_fetch_type_new_fetch_att_list_empty();
        mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_uid());
        mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_bodystructure());
        mailimap_fetch_type_new_fetch_att_list_add(
            ft, mailimap_fetch_att_new_body_peek_section(mailimap_section_new_header()));
        clist *result = uid_fetch(imap, uids + from, len, ft, "UID FETCH BODYSTRUCTURE");
        (*commands)++;
        bytes += section_bytes(result);
        group groups[64];
        size_t ngroups = 0;
        for (clistiter *it = clist_begin(result); it; it = clist_next(it)) {
            struct mailimap_msg_att *att = clist_content(it);
            uint32_t uid = 0;
            char spec[512] = "";
            for (clistiter *a = clist_begin(att->att_list); a; a = clist_next(a)) {
                struct mailimap_msg_att_item *item = clist_content(a);
                if (item->att_type != MAILIMAP_MSG_ATT_ITEM_STATIC)
                    continue;
                struct mailimap_msg_att_static *st = item->att_data.att_static;
                if (st->att_type == MAILIMAP_MSG_ATT_UID)
                    uid = st->att_data.att_uid;
                else if (st->att_type == MAILIMAP_MSG_ATT_BODYSTRUCTURE)
                    needed(st->att_data.att_bodystructure, "", spec, sizeof spec, 0);
            }
            if (!uid || !spec[0])
                continue;
            size_t g = 0;
            while (g < ngroups && strcmp(groups[g].spec, spec))
                g++;
            if (g == ngroups) {
                if (ngroups == 64)
                    continue;
                memcpy(groups[g].spec, spec, sizeof spec);
                groups[g].uids = malloc(len * sizeof *groups[g].uids);
                groups[g].n = 0;
                ngroups++;
            }
            groups[g].uids[groups[g].n++] = uid;
        }
        mailimap_fetch_list_free(result);
        for (size_t g = 0; g < ngroups; g++) {
            ft = mailimap_fetch_type_new_fetch_att_list_empty();
            mailimap_fetch_type_new_fetch_att_list_add(ft, mailimap_fetch_att_new_uid());
            char copy[512];
            memcpy(copy, groups[g].spec, sizeof copy);
            for (char *save, *tok = strtok_r(copy, " ", &save); tok; tok = strtok_r(NULL, " ", &save))
                mailimap_fetch_type_new_fetch_att_list_add(ft, section_att(tok));
            result = uid_fetch(imap, groups[g].uids, groups[g].n, ft, "UID FETCH parts");
            (*commands)++;
            bytes += section_bytes(result);
            mailimap_fetch_list_free(result);
            free(groups[g].uids);
        }
    }
    return bytes;
}

int main(int argc, char **argv)
{
    if (argc < 5) {
        fprintf(stderr, "usage: fetch-bench HOST PORT USER PASSWORD-FILE [MAILBOX]\n");
        return 2;
    }
    char pw[256] = "";
    FILE *f = fopen(argv[4], "r");
    if (!f || !fgets(pw, sizeof pw, f)) {
        fprintf(stderr, "fetch-bench: cannot read %s\n", argv[4]);
        return 1;
    }
    fclose(f);
    pw[strcspn(pw, "\r\n")] = '\0';
    mailimap *imap = mailimap_new(0, NULL);
    int r = mailimap_ssl_connect(imap, argv[1], (uint16_t)atoi(argv[2]));
    if (r != MAILIMAP_NO_ERROR_AUTHENTICATED && r != MAILIMAP_NO_ERROR_NON_AUTHENTICATED)
        die("connect", r);
    if ((r = mailimap_login(imap, argv[3], pw)) != MAILIMAP_NO_ERROR)
        die("LOGIN", r);
    if ((r = mailimap_examine(imap, argc > 5 ? argv[5] : "INBOX")) != MAILIMAP_NO_ERROR)
        die("EXAMINE", r);
    clist *found = NULL;
    struct mailimap_search_key *all = mailimap_search_key_new_all();
    if ((r = mailimap_uid_search(imap, NULL, all, &found)) != MAILIMAP_NO_ERROR)
        die("UID SEARCH", r);
    mailimap_search_key_free(all);
    size_t n = 0;
    uint32_t *uids = malloc(((size_t)clist_count(found) + 1) * sizeof *uids);
    for (clistiter *it = clist_begin(found); it; it = clist_next(it))
        uids[n++] = *(uint32_t *)clist_content(it);
    mailimap_search_result_free(found);
    printf("messages: %zu\n", n);
    for (int round = 0; round < 2; round++) {
        double t = now();
        size_t b1 = fetch_first(imap, uids, n);
        double t1 = now() - t;
        size_t commands = 0;
        t = now();
        size_t b2 = fetch_parts(imap, uids, n, &commands);
        double t2 = now() - t;
        printf("(1) first 256 KiB:          %6.2f s  %10zu bytes  %zu commands\n", t1, b1,
               (n + CHUNK - 1) / CHUNK);
        printf("(2) structure, then parts:  %6.2f s  %10zu bytes  %zu commands\n", t2, b2, commands);
    }
    free(uids);
    mailimap_logout(imap);
    mailimap_free(imap);
    return 0;
}
