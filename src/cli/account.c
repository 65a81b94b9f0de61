/* See account.h. */
#include <config.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <poll.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <termios.h>
#include <unistd.h>
#include "rebote/util.h"
#include "account.h"
#include "cli.h"


int account_option(account_flags *f, int c, const char *arg)
{
    long v;
    switch (c) {
    case OPT_PASSWORD_FILE: f->password_file = arg; return EXIT_OK;
    case OPT_PASSWORD_COMMAND: f->password_command = arg; return EXIT_OK;
    case OPT_CA_FILE: f->ca_file = arg; return EXIT_OK;
    case OPT_INSECURE: f->insecure = true; return EXIT_OK;
    case OPT_NO_TLS: f->no_tls = true; return EXIT_OK;
    case OPT_READ_ONLY: f->read_only = true; return EXIT_OK;
    case OPT_NO_CACHE: f->no_cache = true; return EXIT_OK;
    case OPT_TRASH: f->trash = arg; return EXIT_OK;
    case OPT_EXPUNGE_ALL: f->expunge_all = true; return EXIT_OK;
    case OPT_TIMEOUT:
        if (cli_number("--timeout", arg, 1, 86400, &v) != EXIT_OK)
            return EXIT_USAGE;
        f->timeout = (int)v;
        return EXIT_OK;
    default: return -1;
    }
}

static void config_path(char *out, size_t len)
{
    const char *xdg = getenv("XDG_CONFIG_HOME"), *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(out, len, "%s/rebote/config", xdg);
    else
        snprintf(out, len, "%s/.config/rebote/config", home ? home : ".");
}

/* Refuses, like ssh with its config, a config file that another user could
 * have written: it runs its password_command. NULL if f is safe to use. */
static const char *config_unsafe(FILE *f, const char **how)
{
    struct stat st;
    *how = "";
    if (fstat(fileno(f), &st) != 0)
        return strerror(errno);
    if (!S_ISREG(st.st_mode))
        return _("it is not a regular file");
    if (st.st_uid != 0 && st.st_uid != getuid())
        return _("it belongs to another user (it must be yours or root's)");
    if (st.st_mode & 022) {
        *how = " (chmod go-w)";
        return _("group or others can write it");
    }
    return NULL;
}

/* Reads the account NAME (NULL: the default one). Returns 0, or an exit status. */
static int config_account(const char *name, account *out)
{
    char path[4096];
    config_path(path, sizeof path);
    FILE *f = fopen(path, "r");
    if (!f) {
        if (name)   /* @NAME was given: it is the account that cannot be found */
            cli_eprintf(_("rebote: @%s: no config file %s (%s)\n"), name, path, strerror(errno));
        else
            cli_eprintf(_("rebote: no SOURCE given and no config file %s (%s)\n"), path, strerror(errno));
        return EXIT_USAGE;
    }
    const char *how, *why = config_unsafe(f, &how);
    if (why) {
        cli_eprintf(_("rebote: refusing the config file %s: %s%s\n"), path, why, how);
        fclose(f);
        return EXIT_RUNTIME;
    }
    struct stat st;
    bool secret;
    int rc = account_config_parse(f, name, out, &secret);
    if (secret && fstat(fileno(f), &st) == 0 && (st.st_mode & 077))
        cli_eprintf(_("rebote: warning: %s holds a password command and others can read it (chmod 600 it)\n"),
                    path);
    fclose(f);
    if (rc == -2) {   /* the reason is one of config.c's msgids, the key after ": " */
        const char *key = strstr(out->bad_what, ": ");
        int n = key ? (int)(key - out->bad_what) : (int)strlen(out->bad_what);
        char what[160];
        snprintf(what, sizeof what, "%.*s", n, out->bad_what);
        cli_eprintf(_("rebote: %s, line %d: %s%s\n"), path, out->bad_line, _(what), key ? key : "");
        return EXIT_USAGE;
    }
    if (rc != 0) {
        cli_eprintf(_("rebote: no account '%s' in %s\n"), out->name, path);
        return EXIT_USAGE;
    }
    if (out->port < 0) {
        cli_eprintf(_("rebote: the port of the account '%s' in %s is not a number from 1 to 65535\n"),
                    out->name, path);
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

/* Reads the first line of fd until EOF or the deadline; 1 when it passed. */
static int password_read(int fd, time_t deadline, char *buf, size_t len)
{
    size_t n = 0;
    for (;;) {
        time_t now = time(NULL);
        if (now >= deadline)
            return 1;
        struct pollfd p = {.fd = fd, .events = POLLIN};
        int r = poll(&p, 1, (int)(deadline - now) * 1000);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            return r == 0;
        ssize_t got = read(fd, buf + n, len - 1 - n);
        if (got < 0 && errno == EINTR)
            continue;
        if (got <= 0 || (n += (size_t)got) == len - 1)
            break;
    }
    buf[n] = '\0';
    return 0;
}

/* Runs cmd with sh in a process group of its own, with the connection's
 * deadline: past it the whole group is killed. The first line of its output
 * if it succeeded, else NULL after one error line. */
static char *password_run(const char *cmd, int timeout)
{
    int fds[2];
    if (pipe(fds) != 0) {
        cli_eprintf(_("rebote: cannot run the password command: %s\n"), strerror(errno));
        return NULL;
    }
    pid_t pid = fork();
    if (pid == 0) {
        setpgid(0, 0);
        dup2(fds[1], STDOUT_FILENO);
        close(fds[0]);
        close(fds[1]);
        execl("/bin/sh", "sh", "-c", cmd, (char *)NULL);
        _exit(127);
    }
    close(fds[1]);
    if (pid < 0) {
        cli_eprintf(_("rebote: cannot run the password command: %s\n"), strerror(errno));
        close(fds[0]);
        return NULL;
    }
    setpgid(pid, pid);   /* also here: the group exists before any kill */
    char buf[4096];
    int late = password_read(fds[0], time(NULL) + timeout, buf, sizeof buf);
    close(fds[0]);
    if (late)
        kill(-pid, SIGKILL);
    int wst;
    while (waitpid(pid, &wst, 0) < 0 && errno == EINTR)
        ;
    if (late) {
        cli_eprintf(_("rebote: the password command gave no answer within %d s (--timeout): killed\n"), timeout);
        return NULL;
    }
    kill(-pid, SIGKILL);   /* what it left behind in its group */
    buf[strcspn(buf, "\r\n")] = '\0';
    if (!WIFEXITED(wst) || WEXITSTATUS(wst) != 0) {
        cli_eprintf(_("rebote: the password command failed\n"));
        memset(buf, 0, sizeof buf);
        return NULL;
    }
    char *pw = strdup(buf);
    memset(buf, 0, sizeof buf);
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
            cli_eprintf(_("rebote: cannot read the password file %s\n"), fl->password_file);
    } else if (fl->password_command || (account_cmd && account_cmd[0])) {
        pw = password_run(fl->password_command ? fl->password_command : account_cmd,
                          fl->timeout > 0 ? fl->timeout : ACCOUNT_TIMEOUT);
    } else if (isatty(STDIN_FILENO)) {
        pw = password_prompt(what);
    } else {
        cli_eprintf(_("rebote: a password is needed: use --password-file or --password-command\n"));
    }
    if (!pw)
        *status = EXIT_RUNTIME;
    return pw;
}

/* The password, asked for by the source once the server is reached and
 * its certificate verified (source_options.ask_password). */
typedef struct {
    const account_flags *f;
    const char *account_cmd, *what;
    char *pw;
    int status;   /* EXIT_OK, or the exit status once password_get printed why it has none */
} account_ask;

static const char *account_ask_password(void *ctx)
{
    account_ask *a = ctx;
    if (!a->pw)
        a->pw = password_get(a->f, a->account_cmd, a->what, &a->status);
    return a->pw;
}

static void load_progress(size_t done, size_t total, void *ctx)
{
    (void)ctx;
    if (done == total || done % 500 == 0) {
        fputc('\r', stderr);
        cli_eprintf(_("rebote: analysing %zu of %zu new messages"), done, total);
    }
    if (done == total)
        fputc('\n', stderr);
}

static cache *account_cache(const account_flags *f)
{
    char path[4096], warn[512] = "";
    if (f->no_cache || cache_default_path(path, sizeof path) != 0)
        return NULL;
    cache *c = cache_open(path, warn, sizeof warn);
    if (!c || warn[0])
        cli_eprintf("rebote: %s\n", warn);
    return c;
}

int account_open(const char *spec, const account_flags *f, opened_source *out)
{
    account acc;
    char url[2048];
    memset(out, 0, sizeof *out);
    const char *target = spec;
    bool use_account = !spec || spec[0] == '@';
    memset(&acc, 0, sizeof acc);
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
    account_ask ask = {.f = f, .account_cmd = use_account ? acc.password_command : NULL, .what = target};
    if (!strncmp(target, "imap://", 7) || !strncmp(target, "imaps://", 8)) {
        opt.ask_password = account_ask_password;   /* after the connection and the certificate check */
        opt.ask_ctx = &ask;
        if (opt.insecure)
            cli_eprintf(_("rebote: warning: --insecure: the server's certificate is NOT verified\n"));
        if (opt.no_tls)
            cli_eprintf(_("rebote: warning: --no-tls: the password travels in clear text\n"));
    }
    char err[512];
    out->src = source_open(target, &opt, err, sizeof err);
    out->password = ask.pw;   /* the source's options point to it: freed with the source */
    if (!out->src) {
        account_close(out);
        if (ask.status != EXIT_OK)   /* no password: its one line is printed */
            return ask.status;
        cli_eprintf("rebote: %s\n", err);
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
        cli_eprintf("rebote: %s\n", source_error(out->src));
        account_close(out);
        return EXIT_RUNTIME;
    }
    if (out->loaded.warning[0])
        cli_eprintf("rebote: %s\n", out->loaded.warning);
    if (out->loaded.capped)
        cli_eprintf(_("rebote: warning: %zu messages hold more records than rebote keeps per message: "
                    "%zu records left out\n"), out->loaded.capped, out->loaded.dropped);
    if (source_skipped(out->src))
        cli_warn_skipped(source_skipped(out->src), source_skip_reason(out->src));
    return EXIT_OK;
}

void cli_output_failed(int err)
{
    if (err != EPIPE)
        cli_eprintf(_("rebote: cannot write output: %s\n"), strerror(err ? err : EIO));
}

void cli_warn_skipped(size_t count, const char *first)
{
    cli_eprintf(_("rebote: warning: unreadable, skipped: %zu; the first: %s\n"), count, first);
}

void account_close(opened_source *o)
{
    load_result_free(&o->loaded);
    cache_close(o->cache);
    source_close(o->src);
    if (o->password) {
        memset(o->password, 0, strlen(o->password));
        free(o->password);
    }
    memset(o, 0, sizeof *o);
}
