/* Subcommands of the command line. Each returns the process exit status. */
#ifndef REBOTE_CLI_H
#define REBOTE_CLI_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

/* The commands, for the option table (options.c): which command takes which option. */
enum {
    CLI_PARSE = 1, CLI_EXPLAIN = 2, CLI_SUMMARY = 4, CLI_LIST = 8, CLI_PURGE = 16, CLI_SCREEN = 32,
    CLI_SOURCES = CLI_SUMMARY | CLI_LIST | CLI_PURGE | CLI_SCREEN, CLI_ALL = 63,
};
/* getopt_long codes of the long-only options (above any short option). */
enum {
    OPT_PASSWORD_FILE = 256, OPT_PASSWORD_COMMAND, OPT_CA_FILE, OPT_INSECURE, OPT_NO_TLS,
    OPT_READ_ONLY, OPT_NO_CACHE, OPT_TRASH, OPT_EXPUNGE_ALL, OPT_TIMEOUT,
    OPT_SINCE, OPT_UNTIL, OPT_HARD, OPT_BY_RECIPIENT, OPT_OLDER_THAN, OPT_DEMO, OPT_NO_COLOR, OPT_KIND,
};

/* The next option that the command cmd takes (getopt_long over the one table;
 * set optind = 1 first): its code, -1 after the last, or -2 after printing
 * the usage error that names an unknown or foreign option, or a value option
 * given twice. name: the command
 * as in "see 'rebote NAME --help'" (NULL: the screen). */
int cli_next_option(int argc, char **argv, unsigned cmd, const char *name);
/* s as a whole decimal number in [min, max], no sign; else one usage error
 * line naming option and s, and EXIT_USAGE. */
int cli_number(const char *option, const char *s, long min, long max, long *out);
/* One usage error line for the command cmd (NULL: the screen); return EXIT_USAGE. */
int cli_one_source(const char *cmd);
/* --format=json|text and --help; -1 to go on, else the exit status. */
/* The one warning about messages that could not be read and were left out. */
void cli_warn_skipped(size_t count, const char *first);
/* Writing stdout failed with err: one line, except for a reader that went
 * away (| head: EPIPE), which is no error worth a message. */
void cli_output_failed(int err);
int cli_json_text_options(int argc, char **argv, unsigned cmd, void (*usage)(FILE *), bool *json);

/* fprintf(stderr, ...) with every %s argument through the display sanitiser
 * (controls, bidi and invisible characters as <U+XXXX>, invalid UTF-8 as
 * U+FFFD): every message to stderr that holds foreign text goes through it. */
void cli_eprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* The same into a new string (NULL when out of memory). */
char *cli_vformat(const char *fmt, va_list ap);

int cli_parse(int argc, char **argv);
int cli_explain(int argc, char **argv);
int cli_summary(int argc, char **argv);
int cli_list(int argc, char **argv);
int cli_purge(int argc, char **argv);
/* The triage screen: rebote [--demo] [OPTION]... [SOURCE]. */
int cli_screen(int argc, char **argv);

#endif
