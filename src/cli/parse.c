/* `rebote parse [--format=json|text] [--jobs=N] FILE|DIR...`: records as
 * JSON Lines or text. The messages are analysed by N workers at once (the
 * online CPUs by default), their records printed in input order: the same
 * bytes as one worker gives. */
#include <config.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "rebote/analysis.h"
#include "rebote/local.h"
#include "rebote/sanitize.h"
#include "rebote/util.h"
#include "cli.h"
#include "jobs.h"
#include "jsonl.h"

#define PARSE_MAX_JOBS 64

typedef struct {
    bool json;
    FILE *out;
    size_t messages;   /* read so far, over every path */
    long jobs;         /* workers; 1: none, the messages analysed in turn here */
    jobs *pool;
} parse_ctx;

static void parse_print_json(FILE *out, const char *path, size_t index, const rb_record *r)
{
    jsonl j;
    jsonl_begin(&j, out);
    jsonl_string(&j, "file", path);
    jsonl_integer(&j, "message", (long long)index);
    jsonl_string(&j, "kind", rb_kind_name(r ? r->kind : RB_KIND_NONE));
    if (r) {
        jsonl_string(&j, "recipient", r->recipient);
        jsonl_string(&j, "finalrecipient", r->finalrecipient);
        jsonl_string(&j, "status", r->status);
        jsonl_string(&j, "replycode", r->replycode);
        jsonl_string(&j, "reason", r->reason);
        jsonl_boolean(&j, "hardbounce", r->hardbounce);
        jsonl_string(&j, "action", r->action);
        jsonl_string(&j, "diagnostic", r->diagnostic);
        jsonl_string(&j, "rhost", r->rhost);
        jsonl_string(&j, "lhost", r->lhost);
        jsonl_string(&j, "date", r->date);
        jsonl_string(&j, "messageid", r->messageid);
        jsonl_string(&j, "subject", r->subject);
        jsonl_string(&j, "feedbacktype", r->feedbacktype);
        jsonl_string(&j, "sourceip", r->sourceip);
        jsonl_string(&j, "agent", r->agent);
    }
    jsonl_end(&j);
}

static void parse_print_text(FILE *out, const char *path, size_t index, const rb_record *r)
{
    if (!r) {
        fprintf(out, "%s#%zu\t%s\n", path, index, _("not a bounce"));
        return;
    }
    fprintf(out, "%s#%zu\t%s\t%s\t%s\t%s\t%s\t%s\n", path, index, rb_kind_name(r->kind),
            r->replycode[0] ? r->replycode : "-", r->status[0] ? r->status : "-", r->reason,
            r->recipient[0] ? r->recipient : "-", r->diagnostic);
}

/* Analyses one message and prints its records to out (in a worker, or
 * here), under the file's name as the display sanitiser shows it (no escape
 * reaches the terminal; JSON keeps "file" when the name is not UTF-8). */
static void parse_work(FILE *out, const char *file, size_t index, const char *buf, size_t len, void *vctx)
{
    const parse_ctx *ctx = vctx;
    char *shown = sanitize_show_dup(file);
    const char *path = shown ? shown : "?";
    rb_records rs;
    rb_records_init(&rs);
    analysis_parse(buf, len, &rs);
    for (size_t i = 0; i < rs.n || (i == 0 && rs.n == 0); i++) {
        const rb_record *r = rs.n ? &rs.v[i] : NULL;
        if (ctx->json)
            parse_print_json(out, path, index, r);
        else
            parse_print_text(out, path, index, r);
    }
    rb_records_free(&rs);
    free(shown);
}

static int parse_message(const char *path, size_t index, const char *buf, size_t len, void *vctx)
{
    parse_ctx *ctx = vctx;
    ctx->messages++;
    if (len > ANALYSIS_MAX_BYTES)
        len = ANALYSIS_MAX_BYTES;   /* all the analysis reads: what a worker's copy holds */
    if (ctx->pool)
        jobs_add(ctx->pool, path, index, buf, len);
    else
        parse_work(ctx->out, path, index, buf, len, ctx);
    return 0;
}

static void parse_usage(FILE *f)
{
    fprintf(f, _("Usage: rebote parse [--format=json|text] [--jobs=N] FILE|DIR...\n"
                 "Analyse bounce messages: single messages, mbox files and Maildir folders.\n"
                 "\n"
                 "  -f, --format=FORMAT  text (default) or json: JSON Lines, one object per\n"
                 "                       failed recipient\n"
                 "  -j, --jobs=N         analyse with N threads (default: one per online CPU);\n"
                 "                       the output is the same, in the same order\n"
                 "  -h, --help           show this help and exit\n"));
}

/* One worker per online CPU, within 1..PARSE_MAX_JOBS. */
static long parse_default_jobs(void)
{
    long n = sysconf(_SC_NPROCESSORS_ONLN);
    return n < 1 ? 1 : n > PARSE_MAX_JOBS ? PARSE_MAX_JOBS : n;
}

/* The options; -1 to go on, else the exit status. */
static int parse_options(int argc, char **argv, parse_ctx *ctx)
{
    int c;
    optind = 1;
    while ((c = cli_next_option(argc, argv, CLI_PARSE, argv[0])) != -1) {
        if (c == -2)
            return EXIT_USAGE;
        if (c == 'j') {
            if (cli_number("--jobs", optarg, 1, PARSE_MAX_JOBS, &ctx->jobs) != EXIT_OK)
                return EXIT_USAGE;
        } else if (c == 'f' && (!strcmp(optarg, "json") || !strcmp(optarg, "text"))) {
            ctx->json = !strcmp(optarg, "json");
        } else if (c == 'h') {
            parse_usage(stdout);
            return EXIT_OK;
        } else {
            cli_eprintf(_("rebote: unknown format '%s' (use json or text)\n"), optarg);
            return EXIT_USAGE;
        }
    }
    return -1;
}

int cli_parse(int argc, char **argv)
{
    parse_ctx ctx = {.json = false, .out = stdout, .jobs = parse_default_jobs()};
    int st = parse_options(argc, argv, &ctx);
    if (st >= 0)
        return st;
    if (optind >= argc) {
        cli_eprintf(_("rebote: parse needs at least one FILE or DIR (see 'rebote parse --help')\n"));
        return EXIT_USAGE;
    }
    int status = EXIT_OK;
    local_skips skips = {0};
    analysis_init();
    if (ctx.jobs > 1)
        ctx.pool = jobs_start((int)ctx.jobs, parse_work, &ctx, ctx.out);   /* NULL: analysed here */
    bool any = false;   /* a path held a message */
    for (int i = optind; i < argc; i++) {
        size_t before = ctx.messages;
        if (local_each_message_skips(argv[i], parse_message, &ctx, &skips) < 0) {
            cli_eprintf(_("rebote: cannot read %s: %s\n"), argv[i], local_strerror(errno));
            status = EXIT_RUNTIME;
        } else if (ctx.messages == before) {
            cli_eprintf(_("rebote: no message in %s\n"), argv[i]);
        } else {
            any = true;
        }
    }
    int werr = 0;   /* a write of the workers' output that failed */
    if (ctx.pool && jobs_finish(ctx.pool) != 0)
        werr = errno;
    if (!any)
        status = EXIT_RUNTIME;
    if (skips.count)
        cli_warn_skipped(skips.count, skips.first);
    if (fflush(stdout) != 0 || werr) {
        cli_output_failed(werr ? werr : errno);
        status = EXIT_RUNTIME;
    }
    return status;
}
