/* Opening a SOURCE from the command line: URL, path or @ACCOUNT of the config
 * file, the password from a file, a command or a no-echo prompt (never from
 * the arguments), and the cache. Shared by summary, list and purge. */
#ifndef REBOTE_CLI_ACCOUNT_H
#define REBOTE_CLI_ACCOUNT_H

#include <stdbool.h>
#include "rebote/cache.h"
#include "rebote/load.h"
#include "rebote/source.h"
#include "cli.h"

typedef struct {
    const char *password_file, *password_command, *ca_file, *trash;
    bool insecure, no_tls, read_only, no_cache, expunge_all;
    int timeout;
} account_flags;

/* Seconds for a password command when --timeout is not given: the connection's default. */
#define ACCOUNT_TIMEOUT 30

/* An account of the config file. */
typedef struct {
    char name[64], host[256], user[256], tls[16], ca_file[1024], password_command[1024],
        mailbox[256], trash[256];
    int port;   /* 0: the default; -1: not a port */
    int bad_line;        /* the first line that is no section, comment or known key = value (0: none) */
    char bad_what[160];   /* what is wrong with it (untranslated msgid and the key, see config.c) */
} account;
/* Reads the account name (NULL: the config's default) from a config file's
 * text; 0, -1 when there is no such account (out->name says which), -2
 * when a line is not understood (out->bad_line, out->bad_what).
 * secret: the file holds a password or a password command. */
int account_config_parse(FILE *f, const char *name, account *out, bool *secret);

/* Takes a shared option: EXIT_OK, EXIT_USAGE after a usage error line (a bad
 * number), or -1 if c is not one of them. */
int account_option(account_flags *f, int c, const char *arg);

typedef struct {
    source *src;
    cache *cache;
    load_result loaded;
    char *password;   /* the source's options point to it until account_close */
} opened_source;

/* Opens SOURCE (NULL: the config's default account), loads it with a progress
 * line on a terminal, and prints warnings. Returns 0, or an exit status
 * after printing one error line. */
int account_open_and_load(const char *spec, const account_flags *f, opened_source *out);
/* The same without loading: the source and the cache are open, nothing read. */
int account_open(const char *spec, const account_flags *f, opened_source *out);
void account_close(opened_source *o);

#endif
