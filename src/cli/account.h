/* Opening a SOURCE from the command line: URL, path or @ACCOUNT of the config
 * file, the password from a file, a command or a no-echo prompt (never from
 * the arguments), and the cache. Shared by summary, list and purge. */
#ifndef REBOTE_CLI_ACCOUNT_H
#define REBOTE_CLI_ACCOUNT_H

#include <stdbool.h>
#include "rebote/cache.h"
#include "rebote/load.h"
#include "rebote/source.h"

typedef struct {
    const char *password_file, *password_command, *ca_file, *trash;
    bool insecure, no_tls, read_only, no_cache, expunge_all;
    int timeout;
} account_flags;

/* getopt_long codes for the shared options (above any short option). */
enum {
    OPT_PASSWORD_FILE = 256, OPT_PASSWORD_COMMAND, OPT_CA_FILE, OPT_INSECURE, OPT_NO_TLS,
    OPT_READ_ONLY, OPT_NO_CACHE, OPT_TRASH, OPT_EXPUNGE_ALL, OPT_TIMEOUT,
};
#define ACCOUNT_LONG_OPTIONS \
    {"password-file", required_argument, NULL, OPT_PASSWORD_FILE}, \
    {"password-command", required_argument, NULL, OPT_PASSWORD_COMMAND}, \
    {"ca-file", required_argument, NULL, OPT_CA_FILE}, \
    {"insecure", no_argument, NULL, OPT_INSECURE}, \
    {"no-tls", no_argument, NULL, OPT_NO_TLS}, \
    {"read-only", no_argument, NULL, OPT_READ_ONLY}, \
    {"no-cache", no_argument, NULL, OPT_NO_CACHE}, \
    {"trash", required_argument, NULL, OPT_TRASH}, \
    {"expunge-all", no_argument, NULL, OPT_EXPUNGE_ALL}, \
    {"timeout", required_argument, NULL, OPT_TIMEOUT}

/* Takes a shared option; false if c is not one of them. */
bool account_option(account_flags *f, int c, const char *arg);

typedef struct {
    source *src;
    cache *cache;
    load_result loaded;
} opened_source;

/* Opens SOURCE (NULL: the config's default account), loads it with a progress
 * line on a terminal, and prints warnings. Returns 0, or an exit status
 * after printing one error line. */
int account_open_and_load(const char *spec, const account_flags *f, opened_source *out);
/* The same without loading: the source and the cache are open, nothing read. */
int account_open(const char *spec, const account_flags *f, opened_source *out);
void account_close(opened_source *o);

#endif
