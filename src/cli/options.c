/* Option handling shared by the commands: the one-line usage errors and
 * the --format=json|text --help pair of parse and explain. */
#include <config.h>
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include "rebote/util.h"
#include "cli.h"

/* "rebote" for the screen, "rebote summary" for a command. */
static void cli_name(const char *cmd, char *out, size_t len)
{
    snprintf(out, len, "rebote%s%s", cmd ? " " : "", cmd ? cmd : "");
}

int cli_bad_option(const char *cmd)
{
    char name[64];
    cli_name(cmd, name, sizeof name);
    fprintf(stderr, _("rebote: invalid option (see '%s --help')\n"), name);
    return EXIT_USAGE;
}

int cli_one_source(const char *cmd)
{
    char name[64];
    cli_name(cmd, name, sizeof name);
    fprintf(stderr, _("rebote: one SOURCE at most (see '%s --help')\n"), name);
    return EXIT_USAGE;
}

int cli_json_text_options(int argc, char **argv, const char *cmd, void (*usage)(FILE *), bool *json)
{
    static const struct option opts[] = {
        {"format", required_argument, NULL, 'f'},
        {"help", no_argument, NULL, 'h'},
        {NULL, 0, NULL, 0},
    };
    int c;
    *json = false;
    optind = 1;
    opterr = 0;   /* one message of our own, not getopt's */
    while ((c = getopt_long(argc, argv, "f:h", opts, NULL)) != -1) {
        if (c == 'f' && (!strcmp(optarg, "json") || !strcmp(optarg, "text"))) {
            *json = !strcmp(optarg, "json");
        } else if (c == 'h') {
            usage(stdout);
            return EXIT_OK;
        } else if (c == 'f') {
            fprintf(stderr, _("rebote: unknown format '%s' (use json or text)\n"), optarg);
            return EXIT_USAGE;
        } else {
            return cli_bad_option(cmd);
        }
    }
    return -1;
}
