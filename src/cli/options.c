/* Option handling shared by the commands: the one table of every option and
 * the commands that take it, strict numbers, and the one-line usage errors. */
#include <config.h>
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rebote/util.h"
#include "account.h"
#include "cli.h"

/* Every option of rebote, and the commands that take it. */
static const struct {
    struct option opt;
    unsigned cmds;
} cli_table[] = {
    {{"help", no_argument, NULL, 'h'}, CLI_ALL},
    {{"format", required_argument, NULL, 'f'}, CLI_PARSE | CLI_EXPLAIN | CLI_SUMMARY | CLI_LIST},
    {{"jobs", required_argument, NULL, 'j'}, CLI_PARSE},
    {{"by", required_argument, NULL, 'b'}, CLI_SUMMARY},
    {{"since", required_argument, NULL, OPT_SINCE}, CLI_SUMMARY | CLI_LIST},
    {{"until", required_argument, NULL, OPT_UNTIL}, CLI_SUMMARY | CLI_LIST},
    {{"output", required_argument, NULL, 'o'}, CLI_SUMMARY | CLI_LIST},
    {{"hard", no_argument, NULL, OPT_HARD}, CLI_LIST},
    {{"by-recipient", no_argument, NULL, OPT_BY_RECIPIENT}, CLI_LIST},
    {{"code", required_argument, NULL, 'c'}, CLI_PURGE},
    {{"reason", required_argument, NULL, 'r'}, CLI_PURGE},
    {{"older-than", required_argument, NULL, OPT_OLDER_THAN}, CLI_PURGE},
    {{"kind", required_argument, NULL, OPT_KIND}, CLI_PURGE},
    {{"dry-run", no_argument, NULL, 'n'}, CLI_PURGE},
    {{"yes", no_argument, NULL, 'y'}, CLI_PURGE},
    {{"demo", no_argument, NULL, OPT_DEMO}, CLI_SCREEN},
    {{"no-color", no_argument, NULL, OPT_NO_COLOR}, CLI_SCREEN},
    {{"password-file", required_argument, NULL, OPT_PASSWORD_FILE}, CLI_SOURCES},
    {{"password-command", required_argument, NULL, OPT_PASSWORD_COMMAND}, CLI_SOURCES},
    {{"ca-file", required_argument, NULL, OPT_CA_FILE}, CLI_SOURCES},
    {{"insecure", no_argument, NULL, OPT_INSECURE}, CLI_SOURCES},
    {{"no-tls", no_argument, NULL, OPT_NO_TLS}, CLI_SOURCES},
    {{"read-only", no_argument, NULL, OPT_READ_ONLY}, CLI_SOURCES},
    {{"no-cache", no_argument, NULL, OPT_NO_CACHE}, CLI_SOURCES},
    {{"timeout", required_argument, NULL, OPT_TIMEOUT}, CLI_SOURCES},
    {{"trash", required_argument, NULL, OPT_TRASH}, CLI_PURGE | CLI_SCREEN},
    {{"expunge-all", no_argument, NULL, OPT_EXPUNGE_ALL}, CLI_PURGE | CLI_SCREEN},
};
#define CLI_NOPTS (sizeof cli_table / sizeof cli_table[0])

/* "rebote" for the screen, "rebote summary" for a command. */
static void cli_name(const char *cmd, char *out, size_t len)
{
    snprintf(out, len, "rebote%s%s", cmd ? " " : "", cmd ? cmd : "");
}

int cli_one_source(const char *cmd)
{
    char name[64];
    cli_name(cmd, name, sizeof name);
    cli_eprintf(_("rebote: one SOURCE at most (see '%s --help')\n"), name);
    return EXIT_USAGE;
}

/* The option as the user wrote it ("--bogus" of "--bogus=1", "-x"). */
static void cli_option_written(int c, char **argv, char *out, size_t len)
{
    const char *w = argv[optind - 1];
    bool is_long = !strncmp(w, "--", 2);
    if (optopt > 0 && optopt < 256 && !(is_long && c == ':'))
        snprintf(out, len, "-%c", optopt);
    else
        snprintf(out, len, "%.*s", (int)strcspn(w, "="), w);
}

/* Does another command take the long option written as w? */
static bool cli_option_known(const char *w)
{
    for (size_t i = 0; i < CLI_NOPTS; i++) {
        const struct option *o = &cli_table[i].opt;
        if ((w[0] == '-' && w[1] == '-' && !strcmp(w + 2, o->name)) || (w[1] && !w[2] && w[1] == o->val))
            return true;
    }
    return false;
}

static void cli_option_error(int c, char **argv, const char *cmd)
{
    char name[64], w[128];
    cli_name(cmd, name, sizeof name);
    cli_option_written(c, argv, w, sizeof w);
    if (c == ':')
        cli_eprintf(_("rebote: the option '%s' needs a value (see '%s --help')\n"), w, name);
    else if (cli_option_known(w))
        cli_eprintf(_("rebote: '%s' does not take the option '%s' (see '%s --help')\n"), name, w, name);
    else
        cli_eprintf(_("rebote: unknown option '%s' (see '%s --help')\n"), w, name);
}

/* A value option given a second time: which value was meant is not ours to
 * guess (none of rebote's options is documented as repeatable). */
static bool cli_seen[CLI_NOPTS];   /* the value options given so far */

static bool cli_option_repeated(int c, const char *name)
{
    for (size_t i = 0; i < CLI_NOPTS; i++) {
        const struct option *o = &cli_table[i].opt;
        if (o->val != c || o->has_arg != required_argument)
            continue;
        if (cli_seen[i]) {
            char cmd[64];
            cli_name(name, cmd, sizeof cmd);
            cli_eprintf(_("rebote: the option '--%s' is given more than once (see '%s --help')\n"), o->name, cmd);
            return true;
        }
        cli_seen[i] = true;
    }
    return false;
}

int cli_next_option(int argc, char **argv, unsigned cmd, const char *name)
{
    struct option opts[CLI_NOPTS + 1];
    char shorts[2 * CLI_NOPTS + 2] = ":";
    size_t n = 0, ns = 1;
    for (size_t i = 0; i < CLI_NOPTS; i++) {
        if (!(cli_table[i].cmds & cmd))
            continue;
        opts[n++] = cli_table[i].opt;
        if (cli_table[i].opt.val < 256) {
            shorts[ns++] = (char)cli_table[i].opt.val;
            if (cli_table[i].opt.has_arg == required_argument)
                shorts[ns++] = ':';
        }
    }
    shorts[ns] = '\0';
    opts[n] = (struct option){NULL, 0, NULL, 0};
    opterr = 0;   /* one message of our own, not getopt's */
    optopt = 0;
    if (optind == 1)   /* the first option of a command line */
        memset(cli_seen, 0, sizeof cli_seen);
    int c = getopt_long(argc, argv, shorts, opts, NULL);
    if (c == '?' || c == ':') {
        cli_option_error(c, argv, name);
        return -2;
    }
    if (cli_option_repeated(c, name))
        return -2;
    return c;
}

int cli_number(const char *option, const char *s, long min, long max, long *out)
{
    char *end;
    errno = 0;
    long v = s[0] >= '0' && s[0] <= '9' ? strtol(s, &end, 10) : 0;
    if (s[0] < '0' || s[0] > '9' || *end || errno || v < min || v > max) {
        cli_eprintf(_("rebote: %s: '%s' is not a whole number from %ld to %ld\n"), option, s, min, max);
        return EXIT_USAGE;
    }
    *out = v;
    return EXIT_OK;
}

int cli_json_text_options(int argc, char **argv, unsigned cmd, void (*usage)(FILE *), bool *json)
{
    int c;
    *json = false;
    optind = 1;
    while ((c = cli_next_option(argc, argv, cmd, argv[0])) != -1) {
        if (c == -2)
            return EXIT_USAGE;
        if (c == 'f' && (!strcmp(optarg, "json") || !strcmp(optarg, "text"))) {
            *json = !strcmp(optarg, "json");
        } else if (c == 'h') {
            usage(stdout);
            return EXIT_OK;
        } else {
            cli_eprintf(_("rebote: unknown format '%s' (use json or text)\n"), optarg);
            return EXIT_USAGE;
        }
    }
    return -1;
}
