/* `rebote summary`, `rebote list` and `rebote purge` on a SOURCE. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <jansson.h>
#include "rebote/explain.h"
#include "rebote/export.h"
#include "rebote/model.h"
#include "rebote/util.h"
#include "account.h"
#include "cli.h"

static void day(long long t, char *out, size_t len)
{
    time_t tt = (time_t)t;
    struct tm tm;
    if (t && gmtime_r(&tt, &tm))
        strftime(out, len, "%Y-%m-%d", &tm);
    else
        snprintf(out, len, "-");
}

/* The short title of a group's code, translated; "" when there is none. */
static const char *group_title(const model_group *g, model_by by)
{
    kb_answer a;
    if ((by != MODEL_BY_CODE && by != MODEL_BY_STATUS) || (!g->reply[0] && !g->status[0]))
        return "";
    if (!explain_lookup(by == MODEL_BY_CODE ? g->reply : NULL, g->status, NULL, &a))
        return "";
    return _(a.entry->title);
}

static void summary_print(const opened_source *o, model_by by)
{
    model_groups g;
    model_group_records(&o->loaded.records, by, &g);
    printf(_("Source: %s\nMessages: %zu (analysed now %zu, from the cache %zu); bounce records: %zu\n\n"),
           source_id(o->src), o->loaded.messages, o->loaded.fetched, o->loaded.cached, o->loaded.records.n);
    printf("%-22s %8s %10s %6s  %-10s  %-10s  %s\n", _("GROUP"), _("MESSAGES"), _("RECIPIENTS"),
           _("HARD"), _("FIRST"), _("LAST"), _("MEANING"));
    for (size_t i = 0; i < g.n; i++) {
        char first[16], last[16];
        day(g.v[i].first, first, sizeof first);
        day(g.v[i].last, last, sizeof last);
        printf("%-22s %8zu %10zu %6zu  %-10s  %-10s  %s\n", g.v[i].key, g.v[i].messages, g.v[i].recipients,
               g.v[i].hard, first, last, group_title(&g.v[i], by));
    }
    model_groups_free(&g);
}

typedef struct {
    const char *format, *by, *code, *reason;
    int older_than;
    bool hard, dry_run, yes;
    account_flags acc;
} mailbox_args;

/* Shared option parsing; extra lists the command's own options. Returns -1
 * to go on, or an exit status. */
static int mailbox_parse(int argc, char **argv, const char *usage, mailbox_args *a)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'}, {"by", required_argument, NULL, 'b'},
        {"hard", no_argument, NULL, 'H'}, {"code", required_argument, NULL, 'c'},
        {"reason", required_argument, NULL, 'r'}, {"older-than", required_argument, NULL, 'o'},
        {"dry-run", no_argument, NULL, 'n'}, {"yes", no_argument, NULL, 'y'},
        {"help", no_argument, NULL, 'h'}, ACCOUNT_LONG_OPTIONS, {NULL, 0, NULL, 0},
    };
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "f:b:c:r:o:nyh", opts, NULL)) != -1) {
        if (account_option(&a->acc, c, optarg))
            continue;
        switch (c) {
        case 'f': a->format = optarg; break;
        case 'b': a->by = optarg; break;
        case 'H': a->hard = true; break;
        case 'c': a->code = optarg; break;
        case 'r': a->reason = optarg; break;
        case 'o': a->older_than = atoi(optarg); break;
        case 'n': a->dry_run = true; break;
        case 'y': a->yes = true; break;
        case 'h': fputs(usage, stdout); return EXIT_OK;
        default:
            fprintf(stderr, _("rebote: invalid option (see '%s --help')\n"), argv[0]);
            return EXIT_USAGE;
        }
    }
    if (argc - optind > 1) {
        fprintf(stderr, _("rebote: one SOURCE at most (see '%s --help')\n"), argv[0]);
        return EXIT_USAGE;
    }
    return -1;
}

int cli_summary(int argc, char **argv)
{
    mailbox_args a = {.by = "code"};
    int st = mailbox_parse(argc, argv,
                           _("Usage: rebote summary [--by=code|status|reason|domain|mta] [OPTION]... [SOURCE]\n"
                             "Count the bounces of SOURCE by group.\n"), &a);
    if (st >= 0)
        return st;
    int by = model_by_parse(a.by);
    if (by < 0) {
        fprintf(stderr, _("rebote: unknown grouping '%s' (use code, status, reason, domain or mta)\n"), a.by);
        return EXIT_USAGE;
    }
    opened_source o;
    if ((st = account_open_and_load(optind < argc ? argv[optind] : NULL, &a.acc, &o)) != 0)
        return st;
    summary_print(&o, (model_by)by);
    account_close(&o);
    return EXIT_OK;
}

static void list_json(const rb_record *r)
{
    json_t *o = json_object();
    json_object_set_new(o, "recipient", json_string(r->recipient));
    json_object_set_new(o, "status", json_string(r->status));
    json_object_set_new(o, "replycode", json_string(r->replycode));
    json_object_set_new(o, "reason", json_string(r->reason));
    json_object_set_new(o, "hardbounce", json_boolean(r->hardbounce));
    json_object_set_new(o, "kind", json_string(rb_kind_name(r->kind)));
    json_object_set_new(o, "date", json_string(r->date));
    json_object_set_new(o, "diagnostic", json_string(r->diagnostic));
    char *s = json_dumps(o, JSON_COMPACT);
    if (s)
        puts(s);
    free(s);
    json_decref(o);
}

static void list_csv(const rb_record *r)
{
    const char *cells[] = {r->recipient, r->status, r->replycode, r->reason, r->hardbounce ? "yes" : "no",
                           rb_kind_name(r->kind), r->date, r->diagnostic};
    for (size_t i = 0; i < sizeof cells / sizeof cells[0]; i++) {
        if (i)
            fputc(',', stdout);
        csv_cell(stdout, cells[i]);
    }
    fputs("\r\n", stdout);
}

int cli_list(int argc, char **argv)
{
    mailbox_args a = {.format = "csv"};
    int st = mailbox_parse(argc, argv,
                           _("Usage: rebote list [--format=csv|json] [--hard] [OPTION]... [SOURCE]\n"
                             "One row per failed recipient of SOURCE.\n"), &a);
    if (st >= 0)
        return st;
    bool json = !strcmp(a.format, "json");
    if (!json && strcmp(a.format, "csv")) {
        fprintf(stderr, _("rebote: unknown format '%s' (use csv or json)\n"), a.format);
        return EXIT_USAGE;
    }
    opened_source o;
    if ((st = account_open_and_load(optind < argc ? argv[optind] : NULL, &a.acc, &o)) != 0)
        return st;
    if (!json)
        fputs("recipient,status,replycode,reason,hardbounce,kind,date,diagnostic\r\n", stdout);
    for (size_t i = 0; i < o.loaded.records.n; i++) {
        const rb_record *r = &o.loaded.records.v[i];
        if ((r->kind != RB_KIND_BOUNCE && r->kind != RB_KIND_DELAY) || (a.hard && !r->hardbounce))
            continue;
        json ? list_json(r) : list_csv(r);
    }
    account_close(&o);
    return EXIT_OK;
}

/* Does the record match --code (reply, status or both), --reason and --older-than? */
static bool purge_match(const rb_record *r, const mailbox_args *a, long long now)
{
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

static int cmp_key(const void *x, const void *y)
{
    return strcmp(((const source_item *)x)->key, ((const source_item *)y)->key);
}

/* The messages to delete (each once), and their count per code group. */
static size_t purge_select(const opened_source *o, const mailbox_args *a, source_item **out)
{
    const rb_records *rs = &o->loaded.records;
    source_item *v = malloc((rs->n ? rs->n : 1) * sizeof *v);
    size_t n = 0;
    long long now = (long long)time(NULL);
    for (size_t i = 0; v && i < rs->n; i++)
        if (rs->v[i].key && purge_match(&rs->v[i], a, now))
            v[n++] = (source_item){.uid = rs->v[i].uid, .key = rs->v[i].key};
    if (n)
        qsort(v, n, sizeof *v, cmp_key);
    size_t d = 0;
    for (size_t i = 0; i < n; i++)
        if (d == 0 || strcmp(v[i].key, v[d - 1].key))
            v[d++] = v[i];
    *out = v;
    return d;
}

static void purge_report(const opened_source *o, const mailbox_args *a, bool done)
{
    rb_records chosen;
    rb_records_init(&chosen);
    long long now = (long long)time(NULL);
    for (size_t i = 0; i < o->loaded.records.n; i++)
        if (purge_match(&o->loaded.records.v[i], a, now)) {
            rb_record *r = rb_records_add(&chosen);
            if (r) {
                rb_record_free(r);
                rb_record_copy(r, &o->loaded.records.v[i]);
            }
        }
    model_groups g;
    model_group_records(&chosen, MODEL_BY_CODE, &g);
    for (size_t i = 0; i < g.n; i++)
        printf(done ? _("%-22s %8zu messages deleted\n") : _("%-22s %8zu messages would be deleted\n"),
               g.v[i].key, g.v[i].messages);
    model_groups_free(&g);
    rb_records_free(&chosen);
}

int cli_purge(int argc, char **argv)
{
    mailbox_args a = {0};
    int st = mailbox_parse(argc, argv,
                           _("Usage: rebote purge [--code=C] [--reason=R] [--older-than=DAYS] (--dry-run | --yes) "
                             "[OPTION]... [SOURCE]\nDelete the bounces of SOURCE that match, exactly those.\n"), &a);
    if (st >= 0)
        return st;
    if (a.dry_run == a.yes) {
        fprintf(stderr, _("rebote: purge needs --dry-run or --yes (exactly one)\n"));
        return EXIT_USAGE;
    }
    opened_source o;
    if ((st = account_open_and_load(optind < argc ? argv[optind] : NULL, &a.acc, &o)) != 0)
        return st;
    source_item *doomed;
    size_t n = purge_select(&o, &a, &doomed), removed = 0;
    int rc = EXIT_OK;
    if (!a.dry_run && n) {
        if (source_remove(o.src, doomed, n, source_uidvalidity(o.src), &removed) != 0) {
            fprintf(stderr, "rebote: %s\n", source_error(o.src));
            rc = EXIT_RUNTIME;
        } else if (o.cache) {
            char **keys = malloc(n * sizeof *keys);
            for (size_t i = 0; keys && i < n; i++)
                keys[i] = doomed[i].key;
            if (keys)
                cache_forget(o.cache, source_id(o.src), keys, n);
            free(keys);
        }
    }
    if (rc == EXIT_OK)   /* after the deletion: never report as deleted what was not */
        purge_report(&o, &a, !a.dry_run);
    printf(a.dry_run ? _("Total: %zu messages would be deleted\n") : _("Total: %zu messages deleted\n"),
           a.dry_run ? n : removed);
    free(doomed);
    account_close(&o);
    return rc;
}
