/* `rebote summary`, `rebote list` and `rebote purge` on a SOURCE. */
#include <config.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/stat.h>
#include <jansson.h>
#include "rebote/app.h"
#include "rebote/cache.h"
#include "rebote/explain.h"
#include "rebote/export.h"
#include "rebote/model.h"
#include "rebote/smtpcode.h"
#include "rebote/util.h"
#include "account.h"
#include "cli.h"

typedef struct {
    const char *format, *by, *code, *reason, *output, *since_text, *until_text;
    int older_than;
    unsigned kinds;   /* purge: bit 1 << rb_kind per kind it may select; 0: PURGE_DEFAULT_KINDS */
    long long since, until;
    bool hard, dry_run, yes, by_recipient;
    account_flags acc;
} mailbox_args;

/* YYYY-MM-DD (UTC), a day that exists from 1970 to 9999 -> the first second
 * of that day; -1 if malformed or impossible (2026-02-30 is not rolled over). */
static long long mailbox_day(const char *s)
{
    static const int days[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    for (int i = 0; i < 10; i++)
        if (!s[i] || (i == 4 || i == 7 ? s[i] != '-' : s[i] < '0' || s[i] > '9'))
            return -1;
    if (s[10])
        return -1;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (y < 1970 || m < 1 || m > 12 || d < 1 || d > days[m - 1] + (m == 2 && leap))
        return -1;
    struct tm tm = {.tm_year = y - 1900, .tm_mon = m - 1, .tm_mday = d};
    return (long long)timegm(&tm);
}

/* --code: a reply code (550), an enhanced code (5.1.1) or both ("550 5.1.1"),
 * through the strict parsers of the analysis. */
static bool mailbox_code_valid(const char *s)
{
    char reply[4];
    size_t n = strlen(s);
    bool lead = n >= 3 && smtpcode_find_reply(s, reply) && !strncmp(reply, s, 3);
    if (n == 3)
        return lead;
    if (lead && s[3] == ' ')
        return smtpcode_status_valid(s + 4, n - 4);
    return smtpcode_status_valid(s, n);
}

/* --reason: one of the reason names a record can have; else the error line,
 * with the names. */
static bool mailbox_reason_valid(const char *s)
{
    char names[1024] = "";
    size_t len = 0;
    for (const char *const *p = cache_reason_names(); *p; p++) {
        if (!strcmp(*p, s))
            return true;
        int n = snprintf(names + len, sizeof names - len, "%s%s", len ? ", " : "", *p);
        if (n > 0 && (size_t)n < sizeof names - len)
            len += (size_t)n;
    }
    cli_eprintf(_("rebote: --reason: '%s' is not a reason (one of: %s)\n"), s, names);
    return false;
}

/* The kinds purge selects unless --kind names others: failures only. Mail
 * that is not a bounce, auto-replies, abuse reports, success notices and
 * challenges are deleted only when asked for by name. */
#define PURGE_KIND(k) (1u << (k))
#define PURGE_DEFAULT_KINDS (PURGE_KIND(RB_KIND_BOUNCE) | PURGE_KIND(RB_KIND_DELAY))

/* --kind=K[,K]...: each K a kind's name (rb_kind_name); the set as bits, 0 if malformed. */
static unsigned mailbox_kinds(const char *s)
{
    static const rb_kind kinds[] = {RB_KIND_BOUNCE, RB_KIND_DELAY, RB_KIND_FEEDBACK, RB_KIND_AUTOREPLY,
                                    RB_KIND_DELIVERED, RB_KIND_CHALLENGE, RB_KIND_NONE};
    unsigned set = 0;
    for (const char *p = s;; p++) {
        size_t n = strcspn(p, ",");
        unsigned bit = 0;
        for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++) {
            const char *name = rb_kind_name(kinds[i]);
            if (n && strlen(name) == n && !strncmp(p, name, n))
                bit = PURGE_KIND(kinds[i]);
        }
        if (!bit)
            return 0;
        set |= bit;
        p += n;
        if (!*p)
            return set;
    }
}

/* One option of summary, list or purge: EXIT_OK, or EXIT_USAGE after its error line. */
static int mailbox_option(mailbox_args *a, int c, const char *usage)
{
    long v;
    int st = account_option(&a->acc, c, optarg);
    if (st >= 0)
        return st;
    switch (c) {
    case 'f': a->format = optarg; break;
    case 'b': a->by = optarg; break;
    case OPT_HARD: a->hard = true; break;
    case 'c':
        if (!mailbox_code_valid(optarg)) {
            cli_eprintf(_("rebote: --code: '%s' is not an SMTP code (550, 5.1.1 or \"550 5.1.1\")\n"), optarg);
            return EXIT_USAGE;
        }
        a->code = optarg;
        break;
    case 'r':
        if (!mailbox_reason_valid(optarg))
            return EXIT_USAGE;
        a->reason = optarg;
        break;
    case OPT_OLDER_THAN:
        if (cli_number("--older-than", optarg, 1, 36500, &v) != EXIT_OK)
            return EXIT_USAGE;
        a->older_than = (int)v;
        break;
    case OPT_KIND:
        if (!(a->kinds = mailbox_kinds(optarg))) {
            cli_eprintf(_("rebote: --kind: '%s' is not a list of kinds (bounce, delay, feedback, autoreply, "
                          "delivered, challenge, none)\n"), optarg);
            return EXIT_USAGE;
        }
        break;
    case 'o': a->output = optarg; break;
    case OPT_SINCE: a->since_text = optarg; break;
    case OPT_UNTIL: a->until_text = optarg; break;
    case OPT_BY_RECIPIENT: a->by_recipient = true; break;
    case 'n': a->dry_run = true; break;
    case 'y': a->yes = true; break;
    case 'h': fputs(usage, stdout); return -1;
    }
    return EXIT_OK;
}

/* --since and --until: each a day, the first not after the second. */
static int mailbox_dates(mailbox_args *a, const char *cmd)
{
    const char *bad = a->since_text && (a->since = mailbox_day(a->since_text)) < 0 ? "--since"
                      : a->until_text && (a->until = mailbox_day(a->until_text)) < 0 ? "--until" : NULL;
    if (bad) {
        cli_eprintf(_("rebote: %s: '%s' is not a date YYYY-MM-DD from 1970 to 9999 (see 'rebote %s --help')\n"),
                    bad, bad[2] == 's' ? a->since_text : a->until_text, cmd);
        return EXIT_USAGE;
    }
    if (a->since_text && a->until_text && a->since > a->until) {
        cli_eprintf(_("rebote: --since '%s' is later than --until '%s'\n"), a->since_text, a->until_text);
        return EXIT_USAGE;
    }
    if (a->until_text)
        a->until += 86399;   /* --until includes that day */
    return EXIT_OK;
}

/* The options of the command cmd (CLI_SUMMARY, ...). Returns -1 to go on,
 * or an exit status. */
static int mailbox_parse(int argc, char **argv, unsigned cmd, const char *usage, mailbox_args *a)
{
    int c, st;
    optind = 1;
    while ((c = cli_next_option(argc, argv, cmd, argv[0])) != -1) {
        if (c == -2)
            return EXIT_USAGE;
        if ((st = mailbox_option(a, c, usage)) != EXIT_OK)
            return st < 0 ? EXIT_OK : st;
    }
    if (argc - optind > 1)
        return cli_one_source(argv[0]);
    return mailbox_dates(a, argv[0]) == EXIT_OK ? -1 : EXIT_USAGE;
}

/* The records inside --since/--until (all when neither is given). */
static size_t *mailbox_select(const rb_records *rs, const mailbox_args *a, size_t *n)
{
    size_t *sel = malloc((rs->n ? rs->n : 1) * sizeof *sel);
    *n = 0;
    for (size_t i = 0; sel && i < rs->n; i++) {
        long long t = rs->v[i].time;
        if ((a->since_text || a->until_text) && (!t || (a->since_text && t < a->since) || (a->until_text && t > a->until)))
            continue;
        sel[(*n)++] = i;
    }
    return sel;
}

/* Writes to -o FILE (through a temporary file) or stdout; one error line on failure. */
typedef struct {
    export_file x;
    FILE *f;
    const char *path;
} mailbox_out;

static int mailbox_out_open(mailbox_out *o, const char *path)
{
    o->path = path;
    o->f = stdout;
    if (!path)
        return 0;
    if (export_begin(&o->x, path) != 0) {
        struct stat st;
        if (errno == ENXIO && stat(path, &st) == 0 && S_ISFIFO(st.st_mode))
            cli_eprintf(_("rebote: cannot write %s: it is a FIFO and no program is reading it\n"), path);
        else
            cli_eprintf(_("rebote: cannot write %s: %s\n"), path, strerror(errno));
        return EXIT_RUNTIME;
    }
    o->f = o->x.f;
    return 0;
}

static int mailbox_out_close(mailbox_out *o, int rc)
{
    if (!o->path) {
        if (rc != 0 || fflush(stdout) != 0 || ferror(stdout)) {
            cli_output_failed(errno);
            return EXIT_RUNTIME;
        }
        return EXIT_OK;
    }
    if (rc != 0) {
        int e = errno ? errno : EIO;
        export_abort(&o->x);
        cli_eprintf(_("rebote: writing %s failed: %s (nothing written)\n"), o->path, strerror(e));
        return EXIT_RUNTIME;
    }
    if (export_commit(&o->x) != 0) {
        cli_eprintf(_("rebote: cannot write %s: %s\n"), o->path, strerror(errno));
        return EXIT_RUNTIME;
    }
    return EXIT_OK;
}

int cli_summary(int argc, char **argv)
{
    mailbox_args a = {.by = "code", .format = "text"};
    int st = mailbox_parse(argc, argv, CLI_SUMMARY,
                           _("Usage: rebote summary [--by=code|status|reason|domain|mta] "
                             "[--format=text|csv|json|markdown]\n"
                             "                      [--since=YYYY-MM-DD] [--until=YYYY-MM-DD] [-o FILE] [OPTION]... [SOURCE]\n"
                             "Count the bounces of SOURCE by group: messages, recipients, hard and soft,\n"
                             "first and last date, top recipient domains, and the totals.\n"), &a);
    if (st >= 0)
        return st;
    int by = model_by_parse(a.by), fmt = export_format_parse(a.format);
    if (by < 0) {
        cli_eprintf(_("rebote: unknown grouping '%s' (use code, status, reason, domain or mta)\n"), a.by);
        return EXIT_USAGE;
    }
    if (fmt < 0) {
        cli_eprintf(_("rebote: unknown format '%s' (use text, csv, json or markdown)\n"), a.format);
        return EXIT_USAGE;
    }
    opened_source o;
    if ((st = account_open_and_load(optind < argc ? argv[optind] : NULL, &a.acc, &o)) != 0)
        return st;
    const char *spec = optind < argc ? argv[optind] : NULL;
    char src[2048];   /* as the user named it; an account with its URL */
    if (spec && spec[0] != '@')
        snprintf(src, sizeof src, "%s", spec);
    else
        snprintf(src, sizeof src, "%s%s%s", spec ? spec : "", spec ? " " : "", source_id(o.src));
    const char *epoch = getenv("SOURCE_DATE_EPOCH");   /* reproducible reports */
    export_meta m = {.source = src, .generated = epoch ? atoll(epoch) : (long long)time(NULL),
                     .since = a.since_text ? a.since : 0, .until = a.until_text ? a.until : 0,
                     .messages = o.loaded.messages, .fetched = o.loaded.fetched, .cached = o.loaded.cached,
                     .skipped = source_skipped(o.src)};
    size_t n;
    size_t *sel = mailbox_select(&o.loaded.records, &a, &n);
    mailbox_out out;
    if ((st = mailbox_out_open(&out, a.output)) == 0) {
        errno = sel ? 0 : ENOMEM;
        int rc = sel ? export_summary(out.f, (export_format)fmt, &m, &o.loaded.records, sel, n, (model_by)by) : -1;
        st = mailbox_out_close(&out, rc);
    }
    free(sel);
    account_close(&o);
    return st;
}

int cli_list(int argc, char **argv)
{
    mailbox_args a = {.format = "csv"};
    int st = mailbox_parse(argc, argv, CLI_LIST,
                           _("Usage: rebote list [--format=csv|json] [--hard] [--by-recipient] [--since=YYYY-MM-DD]\n"
                             "                   [--until=YYYY-MM-DD] [-o FILE] [OPTION]... [SOURCE]\n"
                             "One row per failed recipient of SOURCE (per bounce, or per address with\n"
                             "--by-recipient: times seen, last seen, the last diagnostic).\n"), &a);
    if (st >= 0)
        return st;
    int fmt = export_format_parse(a.format);
    if (fmt != EXPORT_CSV && fmt != EXPORT_JSON) {
        cli_eprintf(_("rebote: unknown format '%s' (use csv or json)\n"), a.format);
        return EXIT_USAGE;
    }
    opened_source o;
    if ((st = account_open_and_load(optind < argc ? argv[optind] : NULL, &a.acc, &o)) != 0)
        return st;
    size_t n;
    size_t *sel = mailbox_select(&o.loaded.records, &a, &n);
    mailbox_out out;
    if ((st = mailbox_out_open(&out, a.output)) == 0) {
        errno = sel ? 0 : ENOMEM;
        int rc = sel ? export_list(out.f, (export_format)fmt, &o.loaded.records, sel, n, a.hard, a.by_recipient) : -1;
        st = mailbox_out_close(&out, rc);
    }
    free(sel);
    account_close(&o);
    return st;
}

/* Does the record match --kind (by default a bounce or a delay), --code
 * (reply, status or both), --reason and --older-than? */
static bool purge_match(const rb_record *r, const mailbox_args *a, long long now)
{
    if (!((a->kinds ? a->kinds : PURGE_DEFAULT_KINDS) & PURGE_KIND(r->kind)))
        return false;
    if (a->code) {
        char both[32];
        snprintf(both, sizeof both, "%s %s", r->replycode, r->status);
        if (strcmp(a->code, r->replycode) && strcmp(a->code, r->status) && strcmp(a->code, both))
            return false;
    }
    if (a->reason && strcmp(a->reason, r->reason))
        return false;
    if (a->older_than > 0 && (!r->time || r->time > now - (long long)a->older_than * 86400))
        return false;
    return true;
}

/* The indexes of the records that match. */
static size_t *purge_select(const rb_records *rs, const mailbox_args *a, size_t *n)
{
    size_t *sel = malloc((rs->n ? rs->n : 1) * sizeof *sel);
    long long now = (long long)time(NULL);
    *n = 0;
    for (size_t i = 0; sel && i < rs->n; i++)
        if (purge_match(&rs->v[i], a, now))
            sel[(*n)++] = i;
    return sel;
}

static void purge_report(const rb_records *rs, const size_t *sel, size_t n, bool done)
{
    model_groups g;
    if (model_group_subset(rs, sel, n, MODEL_BY_CODE, &g) != 0)
        return;
    for (size_t i = 0; i < g.n; i++) {
        size_t m = g.v[i].messages;
        printf(done ? ngettext("%-22s %8zu message deleted\n", "%-22s %8zu messages deleted\n", m)
                    : ngettext("%-22s %8zu message would be deleted\n", "%-22s %8zu messages would be deleted\n", m),
               g.v[i].key, m);
    }
    model_groups_free(&g);
}

/* Deletion is per message: the other records of a selected message (a
 * report for several recipients, neighbours in the records) go with it.
 * Returns them (free it), or NULL when there are none. */
static size_t *purge_companions(const rb_records *rs, const size_t *sel, size_t n, size_t *nout)
{
    *nout = 0;
    unsigned char *in = calloc(rs->n ? rs->n : 1, 1);   /* 1: selected, 2: a companion already */
    size_t *out = in ? malloc((rs->n ? rs->n : 1) * sizeof *out) : NULL;
    if (!out) {
        free(in);
        return NULL;
    }
    for (size_t k = 0; k < n; k++)
        in[sel[k]] = 1;
    for (size_t k = 0, lo, hi; k < n; k++) {
        model_message_run(rs, sel[k], &lo, &hi);
        for (size_t j = lo; j < hi; j++)
            if (!in[j]) {
                in[j] = 2;
                out[(*nout)++] = j;
            }
    }
    free(in);
    if (!*nout) {
        free(out);
        return NULL;
    }
    return out;
}

/* The groups the companions are in, so that nothing goes unsaid. */
static void purge_report_companions(const rb_records *rs, const size_t *sel, size_t n)
{
    size_t nc;
    size_t *c = purge_companions(rs, sel, n, &nc);
    model_groups g;
    if (c && model_group_subset(rs, c, nc, MODEL_BY_CODE, &g) == 0) {
        for (size_t i = 0; i < g.n; i++)
            printf(ngettext("%-22s %8zu more recipient of the same messages\n",
                            "%-22s %8zu more recipients of the same messages\n", g.v[i].nidx),
                   g.v[i].key, g.v[i].nidx);
        model_groups_free(&g);
    }
    free(c);
}

/* The deletion failed (a lock, the server): one line saying why and what
 * was deleted, instead of a misleading "Total: 0 messages deleted". */
static int purge_failed(const char *err, size_t removed, size_t n)
{
    if (removed == 0)
        cli_eprintf(_("rebote: %s: nothing was deleted\n"), err);
    else
        cli_eprintf(ngettext("rebote: %s: only %zu of %zu message was deleted\n",
                             "rebote: %s: only %zu of %zu messages were deleted\n", n),
                    err, removed, n);
    return EXIT_RUNTIME;
}

int cli_purge(int argc, char **argv)
{
    mailbox_args a = {0};
    int st = mailbox_parse(argc, argv, CLI_PURGE,
                           _("Usage: rebote purge [--code=C] [--reason=R] [--older-than=DAYS] [--kind=K[,K]...]\n"
                             "                    (--dry-run | --yes) [OPTION]... [SOURCE]\n"
                             "Delete the bounces of SOURCE that match, exactly those. Only bounces and delays\n"
                             "unless --kind names others: feedback, autoreply, delivered, challenge,\n"
                             "none (not a bounce).\n"), &a);
    if (st >= 0)
        return st;
    if (a.dry_run == a.yes) {
        cli_eprintf(_("rebote: purge needs --dry-run or --yes (exactly one)\n"));
        return EXIT_USAGE;
    }
    opened_source o;
    if ((st = account_open_and_load(optind < argc ? argv[optind] : NULL, &a.acc, &o)) != 0)
        return st;
    size_t nsel, removed = 0;
    size_t *sel = purge_select(&o.loaded.records, &a, &nsel);
    const char **keys = NULL;
    unsigned int *uids = NULL;
    size_t n = sel ? model_messages(&o.loaded.records, sel, nsel, &keys, &uids) : 0;
    int rc = sel ? EXIT_OK : EXIT_RUNTIME;
    char err[512];
    const char *why;
    if (rc == EXIT_OK && !a.dry_run && n && !source_can_delete(o.src, &why)) {   /* before any \Deleted flag */
        cli_eprintf(_("rebote: this mailbox cannot delete exactly the chosen messages (%s): nothing was deleted\n"), why);
        rc = EXIT_RUNTIME;
    }
    if (rc == EXIT_OK && !a.dry_run && n) {
        if (app_delete(o.src, o.cache, keys, uids, n, &removed, err, sizeof err) != 0)
            rc = purge_failed(err, removed, n);
    }
    if (rc == EXIT_OK)   /* after the deletion: never report as deleted what was not */
        purge_report(&o.loaded.records, sel, nsel, !a.dry_run);
    if (rc == EXIT_OK && sel)
        purge_report_companions(&o.loaded.records, sel, nsel);
    size_t total = a.dry_run ? n : removed;
    const char *trash = source_trash(o.src);
    if (rc == EXIT_OK && trash && !a.dry_run)   /* moved, not deleted: say where */
        printf(ngettext("Total: %zu message moved to %s\n", "Total: %zu messages moved to %s\n", total), total, trash);
    else if (rc == EXIT_OK)   /* a failure said it once, on its error line */
        printf(a.dry_run ? ngettext("Total: %zu message would be deleted\n", "Total: %zu messages would be deleted\n", total)
                         : ngettext("Total: %zu message deleted\n", "Total: %zu messages deleted\n", total),
               total);
    model_messages_free(keys, uids, n);
    free(sel);
    account_close(&o);
    return rc;
}
