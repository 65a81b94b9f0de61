/* Subcommands of the command line. Each returns the process exit status. */
#ifndef REBOTE_CLI_H
#define REBOTE_CLI_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

/* One usage error line for the command cmd (NULL: the screen); return EXIT_USAGE. */
int cli_bad_option(const char *cmd);
int cli_one_source(const char *cmd);
/* --format=json|text and --help; -1 to go on, else the exit status. */
/* The one warning about messages that could not be read and were left out. */
void cli_warn_skipped(size_t count, const char *first);
int cli_json_text_options(int argc, char **argv, const char *cmd, void (*usage)(FILE *), bool *json);

int cli_parse(int argc, char **argv);
int cli_explain(int argc, char **argv);
int cli_summary(int argc, char **argv);
int cli_list(int argc, char **argv);
int cli_purge(int argc, char **argv);
/* The triage screen: rebote [--demo] [OPTION]... [SOURCE]. */
int cli_screen(int argc, char **argv);

#endif
