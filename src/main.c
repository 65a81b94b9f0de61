/* rebote: command-line dispatch only. */
#include <config.h>
#include <stdio.h>
#include <signal.h>
#include <string.h>
#include <sys/stat.h>
#include "rebote/util.h"
#include "cli/cli.h"

static const struct {
    const char *name;
    int (*run)(int argc, char **argv);
} commands[] = {
    {"parse", cli_parse},
    {"explain", cli_explain},
    {"summary", cli_summary},
    {"list", cli_list},
    {"purge", cli_purge},
};

static void main_usage(FILE *f)
{
    char demo[4096];
    snprintf(demo, sizeof demo, "%s/demo", util_data_dir());
    fprintf(f, _("Usage: rebote [--demo] [--no-color] [OPTION]... [SOURCE]\n"
                 "  or:  rebote COMMAND [OPTION]... [ARG]...\n"
                 "Read bounced mail, tell which SMTP errors happen, to whom and why.\n"
                 "Without a command, open the triage screen on SOURCE (? shows its keys).\n"
                 "--demo opens it on a temporary copy of the demo mailbox (a Maildir):\n"
                 "  %s\n"
                 "\n"
                 "Commands:\n"
                 "  parse [--format=json|text] [--jobs=N] FILE|DIR...   analyse bounce messages\n"
                 "  explain [--format=json|text] CODE...     what an SMTP code means, what to do\n"
                 "  summary [--by=code|status|reason|domain|mta] [--format=text|csv|json|markdown]\n"
                 "          [--since=YYYY-MM-DD] [--until=YYYY-MM-DD] [-o FILE] [SOURCE]\n"
                 "          bounces by group\n"
                 "  list [--format=csv|json] [--hard] [--by-recipient] [--since=YYYY-MM-DD]\n"
                 "          [--until=YYYY-MM-DD] [-o FILE] [SOURCE]\n"
                 "          one row per failed recipient (or per address)\n"
                 "  purge [--code=C] [--reason=R] [--older-than=DAYS] [--kind=K[,K]...]\n"
                 "          (--dry-run|--yes) [SOURCE]   delete the bounces that match, exactly those\n"
                 "\n"
                 "SOURCE: imaps://USER@HOST[:PORT]/MAILBOX, imap://… (STARTTLS), a Maildir,\n"
                 "an mbox, or @ACCOUNT of the config file (none: the default account).\n"
                 "Source options: --password-file=F --password-command=CMD --ca-file=F\n"
                 "  --insecure --no-tls --read-only --no-cache --trash=MAILBOX --timeout=S\n"
                 "An option with a value is given once at most; 'rebote COMMAND --help' shows\n"
                 "a command's options.\n"
                 "\n"
                 "Options:\n"
                 "  --help     show this help and exit\n"
                 "  --version  show the version and exit\n"
                 "\n"
                 "Exit status: 0 success, 1 runtime error, 2 usage error.\n"), demo);
}

int main(int argc, char **argv)
{
    signal(SIGPIPE, SIG_IGN);   /* a dropped IMAP connection must not kill us */
    util_init_i18n();
    if (argc < 2)
        return cli_screen(argc, argv);   /* the config's default account */
    if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")) {
        main_usage(stdout);
        return EXIT_OK;
    }
    if (!strcmp(argv[1], "--version")) {
        printf("rebote %s\n", PACKAGE_VERSION);
        return EXIT_OK;
    }
    for (size_t i = 0; i < sizeof commands / sizeof commands[0]; i++)
        if (!strcmp(argv[1], commands[i].name))
            return commands[i].run(argc - 1, argv + 1);
    struct stat st;
    /* a path (it has a slash, or starts with . or ~), even one that does not
     * exist: the screen then says so, as summary does, not "unknown command" */
    bool path = strchr(argv[1], '/') || argv[1][0] == '.' || argv[1][0] == '~';
    if (argv[1][0] == '-' || argv[1][0] == '@' || strstr(argv[1], "://") || path || stat(argv[1], &st) == 0)
        return cli_screen(argc, argv);   /* rebote [--demo] [OPTION]... [SOURCE] */
    cli_eprintf(_("rebote: unknown command '%s' (see 'rebote --help')\n"), argv[1]);
    return EXIT_USAGE;
}
