/* `rebote explain [--format=text|json] CODE...`: what a code means and what to do. */
#include <config.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <jansson.h>
#include "rebote/explain.h"
#include "rebote/util.h"
#include "cli.h"

static const char *const source_ids[] = {"hint", "status", "reply", "class", "subject"};

/* Prints "what to do" steps, one per line, each translated as one message. */
static void explain_print_steps(FILE *out, const char *s)   /* s: translated */
{
    while (*s) {
        size_t n = strcspn(s, "\n");
        fprintf(out, "    - %.*s\n", (int)n, s);
        s += n + (s[n] == '\n');
    }
}

static void explain_print_code_line(FILE *out, const kb_answer *a)
{
    const char *sep = a->reply[0] && a->status[0] ? " " : "";
    fprintf(out, "%s%s%s  %s\n", a->reply, sep, a->status, _(a->title));
}

static void explain_print_note(FILE *out, const kb_answer *a)
{
    if (!a->disagree)
        return;
    if (a->reply[0] == '5')
        fprintf(out, _("  Note:      the reply code %s is permanent but the enhanced code %s is temporary;\n"
                       "             servers act on the reply code, so this failure is permanent.\n"),
                a->reply, a->status);
    else
        fprintf(out, _("  Note:      the reply code %s and the enhanced code %s disagree;\n"
                       "             servers act on the reply code.\n"),
                a->reply, a->status);
}

static void explain_print_text(FILE *out, const kb_answer *a)
{
    explain_print_code_line(out, a);
    if (a->hint && !a->overridden)
        fprintf(out, _("  Recognised: %s\n"), _(a->hint->title));
    fprintf(out, _("  Meaning:   %s\n"), _(a->meaning));
    fprintf(out, _("  Who acts:  %s\n"), _(explain_who_text(a->who)));
    fprintf(out, _("  Retry:     %s\n"), _(explain_retry_text(a)));
    explain_print_note(out, a);
    fprintf(out, "%s\n", _("  What to do:"));
    explain_print_steps(out, explain_actions_text(a));
    if (a->overridden)
        fprintf(out, _("  Registry meaning of %s, not the one meant here: %s\n"), a->status[0] ? a->status : a->reply,
                _(a->entry->title));
    if (a->by_status && a->by_reply)
        fprintf(out, _("  Reply code %s: %s\n"), a->reply, _(a->by_reply->title));
}

static json_t *explain_steps_json(const char *s)   /* s: translated */
{
    json_t *arr = json_array();
    while (*s) {
        size_t n = strcspn(s, "\n");
        json_array_append_new(arr, json_stringn(s, n));
        s += n + (s[n] == '\n');
    }
    return arr;
}

static void explain_print_json(FILE *out, const char *query, const kb_answer *a)
{
    json_t *o = json_object();
    json_object_set_new(o, "query", json_string(query));
    json_object_set_new(o, "reply", json_string(a->reply));
    json_object_set_new(o, "status", json_string(a->status));
    json_object_set_new(o, "source", json_string(source_ids[a->source]));
    json_object_set_new(o, "code", json_string(a->entry->code));
    json_object_set_new(o, "title", json_string(_(a->title)));
    json_object_set_new(o, "meaning", json_string(_(a->meaning)));
    json_object_set_new(o, "who", json_string(explain_who_id(a->who)));
    json_object_set_new(o, "retry", json_string(explain_retry_id(a)));
    json_object_set_new(o, "temporary", json_boolean(a->temporary));
    json_object_set_new(o, "disagree", json_boolean(a->disagree));
    json_object_set_new(o, "actions", explain_steps_json(explain_actions_text(a)));
    if (a->hint) {
        json_object_set_new(o, "provider", json_string(a->hint->name ? a->hint->name : ""));
        json_object_set_new(o, "hint", json_string(_(a->hint->title)));
        json_object_set_new(o, "advice", explain_steps_json(_(a->hint->advice)));
    }
    char *s = json_dumps(o, JSON_COMPACT);
    if (s) {
        fprintf(out, "%s\n", s);
        free(s);
    }
    json_decref(o);
}

static void explain_usage(FILE *f)
{
    fprintf(f, _("Usage: rebote explain [--format=text|json] CODE...\n"
                 "Say what an SMTP code means, who must act and what to do.\n"
                 "CODE is a reply code (550), an enhanced code (5.1.1), both (\"550 5.1.1\",\n"
                 "550-5.7.26) or a whole diagnostic line in quotes.\n"
                 "\n"
                 "  -f, --format=FORMAT  text (default) or json (one object per line)\n"
                 "  -h, --help           show this help and exit\n"));
}

int cli_explain(int argc, char **argv)
{
    bool json;
    int st = cli_json_text_options(argc, argv, CLI_EXPLAIN, explain_usage, &json);
    if (st >= 0)
        return st;
    if (optind >= argc) {
        cli_eprintf(_("rebote: explain needs at least one CODE (see 'rebote explain --help')\n"));
        return EXIT_USAGE;
    }
    int status = EXIT_OK;
    for (int i = optind; i < argc; i++) {
        char reply[4], code[16];
        kb_answer a;
        if (!explain_parse(argv[i], reply, code) || !explain_lookup(reply, code, argv[i], &a)) {
            cli_eprintf(_("rebote: '%s' holds no valid SMTP code (try 550, 5.1.1 or \"550 5.1.1\")\n"),
                    argv[i]);
            status = EXIT_USAGE;
            continue;
        }
        if (json)
            explain_print_json(stdout, argv[i], &a);
        else {
            if (i > optind)
                fputc('\n', stdout);
            explain_print_text(stdout, &a);
        }
    }
    int bad = ferror(stdout);
    if (fflush(stdout) != 0 || bad) {
        cli_output_failed(errno);
        status = EXIT_RUNTIME;
    }
    return status;
}
