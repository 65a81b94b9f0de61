/* See account.h. */
#include <config.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <termios.h>
#include <unistd.h>
#include "rebote/util.h"
#include "account.h"
#include "cli.h"

typedef struct {
    char name[64], host[256], user[256], tls[16], ca_file[1024], password_command[1024],
        mailbox[256], trash[256];
    int port;
} account;

bool account_option(account_flags *f, int c, const char *arg)
{
    switch (c) {
    case OPT_PASSWORD_FILE: f->password_file = arg; return true;
    case OPT_PASSWORD_COMMAND: f->password_command = arg; return true;
    case OPT_CA_FILE: f->ca_file = arg; return true;
    case OPT_INSECURE: f->insecure = true; return true;
    case OPT_NO_TLS: f->no_tls = true; return true;
    case OPT_READ_ONLY: f->read_only = true; return true;
    case OPT_NO_CACHE: f->no_cache = true; return true;
    case OPT_TRASH: f->trash = arg; return true;
    case OPT_EXPUNGE_ALL: f->expunge_all = true; return true;
    case OPT_TIMEOUT: f->timeout = atoi(arg); return true;
    default: return false;
    }
}

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    size_t i = 0;
    while (s[i] && isspace((unsigned char)s[i]))
        i++;
    memmove(s, s + i, n - i + 1);
}

static void config_path(char *out, size_t len)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(out, len, "%s/rebote/config", xdg);
    else
        snprintf(out, len, "%s/.config/rebote/config", home ? home : ".");
}

static void account_set(account *a, const char *k, const char *v)
{
    struct { const char *name; char *field; size_t len; } f[] = {
        {"host", a->host, sizeof a->host}, {"user", a->user, sizeof a->user}, {"tls", a->tls, sizeof a->tls},
        {"ca_file", a->ca_file, sizeof a->ca_file}, {"password_command", a->password_command, sizeof a->password_command},
        {"mailbox", a->mailbox, sizeof a->mailbox}, {"trash", a->trash, sizeof a->trash},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (!strcmp(k, f[i].name))
            snprintf(f[i].field, f[i].len, "%s", v);
    if (!strcmp(k, "port"))
        a->port = atoi(v);
}

/* Reads the account NAME (NULL: the default one). Returns 0, or an exit status. */
static int config_account(const char *name, account *out)
{
    char path[4096], line[2048], def[64] = "", section[64] = "";
    config_path(path, sizeof path);
    FILE *f = fopen(path, "r");
    if (!f) {
        fprintf(stderr, _("rebote: no SOURCE given and no config file %s (%s)\n"), path, strerror(errno));
        return EXIT_USAGE;
    }
    struct stat st;
    bool secret = false, found = false;
    memset(out, 0, sizeof *out);
    while (fgets(line, sizeof line, f)) {
        trim(line);
        if (!line[0] || line[0] == '#' || line[0] == ';')
            continue;
        if (line[0] == '[') {
            char *end = strchr(line, ']');
            if (end)
                *end = '\0';
            char *n = line + 1;
            if (!strncmp(n, "account ", 8))
                n += 8;
            snprintf(section, sizeof section, "%.63s", n);
            trim(section);
            continue;
        }
        char *eq = strchr(line, '=');
        if (!eq)
            continue;
        *eq = '\0';
        char *k = line, *v = eq + 1;
        trim(k);
        trim(v);
        if (!section[0] && !strcmp(k, "default"))
            snprintf(def, sizeof def, "%s", v);
        secret |= !strcmp(k, "password_command") || !strcmp(k, "password");
        const char *want = name ? name : def;
        if (section[0] && !strcmp(section, want)) {
            found = true;
            snprintf(out->name, sizeof out->name, "%s", section);
            account_set(out, k, v);
        }
    }
    if (secret && fstat(fileno(f), &st) == 0 && (st.st_mode & 077))
        fprintf(stderr, _("rebote: warning: %s holds a password command and others can read it (chmod 600 it)\n"),
                path);
    fclose(f);
    if (!found) {
        fprintf(stderr, _("rebote: no account '%s' in %s\n"), name ? name : def, path);
        return EXIT_USAGE;
    }
    return 0;
}

/* imaps://user@host:port/mailbox from an account's fields. */
static void account_url(const account *a, char *out, size_t len)
{
    bool implicit = !a->tls[0] || !strcmp(a->tls, "imaps") || !strcmp(a->tls, "tls");
    char user[768] = "";
    for (size_t i = 0, o = 0; a->user[i] && o + 4 < sizeof user; i++)
        o += (size_t)(a->user[i] == '@' ? snprintf(user + o, 4, "%%40") : snprintf(user + o, 2, "%c", a->user[i]));
    snprintf(out, len, "%s://%s@%s:%d/%s", implicit ? "imaps" : "imap", user, a->host,
             a->port ? a->port : implicit ? 993 : 143, a->mailbox[0] ? a->mailbox : "INBOX");
}

/* First line of a file or of a command's output. */
static char *first_line(FILE *f)
{
    char buf[4096];
    if (!fgets(buf, sizeof buf, f))
        return NULL;
    buf[strcspn(buf, "\r\n")] = '\0';
    return strdup(buf);
}

/* Asks on the terminal with echo off. */
static char *password_prompt(const char *what)
{
    int fd = open("/dev/tty", O_RDWR | O_CLOEXEC);
    if (fd < 0)
        return NULL;
    FILE *tty = fdopen(fd, "r+");
    struct termios old, quiet;
    char *pw = NULL;
    if (tty && tcgetattr(fd, &old) == 0) {
        quiet = old;
        quiet.c_lflag &= ~(tcflag_t)ECHO;
        fprintf(tty, _("Password for %s: "), what);
        fflush(tty);
        tcsetattr(fd, TCSAFLUSH, &quiet);
        pw = first_line(tty);
        tcsetattr(fd, TCSAFLUSH, &old);
        fputc('\n', tty);
    }
    if (tty)
        fclose(tty);
    else
        close(fd);
    return pw;
}

/* The password from --password-file, --password-command, the account's command or a prompt. */
static char *password_get(const account_flags *fl, const char *account_cmd, const char *what, int *status)
{
    char *pw = NULL;
    *status = EXIT_OK;
    if (fl->password_file) {
        FILE *f = fopen(fl->password_file, "r");
        pw = f ? first_line(f) : NULL;
        if (f)
            fclose(f);
        if (!pw)
            fprintf(stderr, _("rebote: cannot read the password file %s\n"), fl->password_file);
    } else if (fl->password_command || (account_cmd && account_cmd[0])) {
        const char *cmd = fl->password_command ? fl->password_command : account_cmd;
        FILE *p = popen(cmd, "r");
        pw = p ? first_line(p) : NULL;
        if ((p && pclose(p) != 0) || !pw) {
            fprintf(stderr, _("rebote: the password command failed\n"));
            free(pw);
            pw = NULL;
        }
    } else if (isatty(STDIN_FILENO)) {
        pw = password_prompt(what);
    } else {
        fprintf(stderr, _("rebote: a password is needed: use --password-file or --password-command\n"));
    }
    if (!pw)
        *status = EXIT_RUNTIME;
    return pw;
}

static void load_progress(size_t done, size_t total, void *ctx)
{
    (void)ctx;
    if (done == total || done % 500 == 0) {
        fputc('\r', stderr);
        fprintf(stderr, _("rebote: analysing %zu of %zu new messages"), done, total);
    }
    if (done == total)
        fputc('\n', stderr);
}

static cache *account_cache(const account_flags *f)
{
    char path[4096], warn[512];
    if (f->no_cache || cache_default_path(path, sizeof path) != 0)
        return NULL;
    cache *c = cache_open(path, warn, sizeof warn);
    if (!c || warn[0])
        fprintf(stderr, "rebote: %s\n", warn);
    return c;
}

int account_open(const char *spec, const account_flags *f, opened_source *out)
{
    account acc;
    char url[2048];
    memset(out, 0, sizeof *out);
    const char *target = spec;
    bool use_account = !spec || spec[0] == '@';
    if (use_account) {
        int st = config_account(spec ? spec + 1 : NULL, &acc);
        if (st)
            return st;
        account_url(&acc, url, sizeof url);
        target = url;
    }
    source_options opt = {.ca_file = f->ca_file ? f->ca_file : use_account && acc.ca_file[0] ? acc.ca_file : NULL,
                          .insecure = f->insecure, .no_tls = f->no_tls || (use_account && !strcmp(acc.tls, "none")),
                          .read_only = f->read_only, .expunge_all = f->expunge_all,
                          .trash = f->trash ? f->trash : use_account && acc.trash[0] ? acc.trash : NULL,
                          .timeout = f->timeout, .fetch_cap = 256 * 1024};
    char *pw = NULL;
    if (!strncmp(target, "imap://", 7) || !strncmp(target, "imaps://", 8)) {
        int st;
        pw = password_get(f, use_account ? acc.password_command : NULL, target, &st);
        if (!pw)
            return st;
        opt.password = pw;
        if (opt.insecure)
            fprintf(stderr, _("rebote: warning: --insecure: the server's certificate is NOT verified\n"));
        if (opt.no_tls)
            fprintf(stderr, _("rebote: warning: --no-tls: the password travels in clear text\n"));
    }
    char err[512];
    out->src = source_open(target, &opt, err, sizeof err);
    if (pw) {
        memset(pw, 0, strlen(pw));
        free(pw);
    }
    if (!out->src) {
        fprintf(stderr, "rebote: %s\n", err);
        return EXIT_RUNTIME;
    }
    out->cache = account_cache(f);
    return EXIT_OK;
}

int account_open_and_load(const char *spec, const account_flags *f, opened_source *out)
{
    int st = account_open(spec, f, out);
    if (st != EXIT_OK)
        return st;
    bool tty = isatty(STDERR_FILENO);
    if (load_source(out->src, out->cache, tty ? load_progress : NULL, NULL, &out->loaded) != 0) {
        fprintf(stderr, "rebote: %s\n", source_error(out->src));
        account_close(out);
        return EXIT_RUNTIME;
    }
    if (out->loaded.warning[0])
        fprintf(stderr, "rebote: %s\n", out->loaded.warning);
    if (out->loaded.capped)
        fprintf(stderr, _("rebote: warning: %zu messages hold more records than rebote keeps per message: "
                          "%zu records left out\n"), out->loaded.capped, out->loaded.dropped);
    if (source_skipped(out->src))
        cli_warn_skipped(source_skipped(out->src), source_skip_reason(out->src));
    return EXIT_OK;
}

void cli_warn_skipped(size_t count, const char *first)
{
    fprintf(stderr, _("rebote: warning: unreadable, skipped: %zu; the first: %s\n"), count, first);
}

void account_close(opened_source *o)
{
    load_result_free(&o->loaded);
    cache_close(o->cache);
    source_close(o->src);
    memset(o, 0, sizeof *o);
}
