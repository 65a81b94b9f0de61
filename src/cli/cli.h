/* Subcommands of the command line. Each returns the process exit status. */
#ifndef REBOTE_CLI_H
#define REBOTE_CLI_H

enum { EXIT_OK = 0, EXIT_RUNTIME = 1, EXIT_USAGE = 2 };

int cli_parse(int argc, char **argv);
int cli_explain(int argc, char **argv);
int cli_summary(int argc, char **argv);
int cli_list(int argc, char **argv);
int cli_purge(int argc, char **argv);
/* The triage screen: rebote [--demo] [OPTION]... [SOURCE]. */
int cli_screen(int argc, char **argv);

#endif
