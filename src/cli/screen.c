/* rebote [SOURCE], rebote --demo: opens the triage screen. */
#include <config.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "rebote/tui.h"
#include "rebote/util.h"
#include "account.h"
#include "cli.h"

/* Copies the regular files of src/SUB to dst/SUB for cur, new and tmp. */
static int screen_copy_maildir(const char *src, const char *dst)
{
    static const char *const subs[] = {"cur", "new", "tmp"};
    char from[4096], to[4096];
    if (mkdir(dst, 0700) != 0 && errno != EEXIST)
        return -1;
    for (int s = 0; s < 3; s++) {
        snprintf(to, sizeof to, "%s/%s", dst, subs[s]);
        if (mkdir(to, 0700) != 0 && errno != EEXIST)
            return -1;
        snprintf(from, sizeof from, "%s/%s", src, subs[s]);
        DIR *d = opendir(from);
        if (!d)
            continue;
        struct dirent *e;
        while ((e = readdir(d))) {
            if (e->d_name[0] == '.')
                continue;
            snprintf(from, sizeof from, "%s/%s/%s", src, subs[s], e->d_name);
            snprintf(to, sizeof to, "%s/%s/%s", dst, subs[s], e->d_name);
            FILE *in = fopen(from, "rb"), *out = in ? fopen(to, "wb") : NULL;
            char buf[65536];
            size_t n;
            int bad = !in || !out;
            while (!bad && (n = fread(buf, 1, sizeof buf, in)) > 0)
                bad = fwrite(buf, 1, n, out) != n;
            if (in)
                fclose(in);
            if (out && fclose(out) != 0)
                bad = 1;
            if (bad) {
                closedir(d);
                return -1;
            }
        }
        closedir(d);
    }
    return 0;
}

static void screen_remove_tree(const char *dir)
{
    static const char *const subs[] = {"cur", "new", "tmp"};
    char path[4096];
    for (int s = 0; s < 3; s++) {
        snprintf(path, sizeof path, "%s/%s", dir, subs[s]);
        DIR *d = opendir(path);
        struct dirent *e;
        while (d && (e = readdir(d))) {
            if (e->d_name[0] == '.')
                continue;
            snprintf(path, sizeof path, "%s/%s/%s", dir, subs[s], e->d_name);
            unlink(path);
        }
        if (d)
            closedir(d);
        snprintf(path, sizeof path, "%s/%s", dir, subs[s]);
        rmdir(path);
    }
    rmdir(dir);
}

/* The first load runs in a thread while the screen is up: records arrive
 * through the sink into an inbox that the screen empties when it polls. */
typedef struct {
    opened_source *o;
    pthread_t thread;
    pthread_mutex_t mu;
    rb_records inbox;
    load_result result;   /* the loader's counts, copied at the end */
    size_t done, total, messages;
    bool finished, started;
    int rc;
    char err[512];
    atomic_int cancel;   /* set by the screen thread, read by the loader threads */
} screen_loader;

static void loader_sink(rb_records *batch, void *ctx)
{
    screen_loader *l = ctx;
    size_t messages = l->result.messages;   /* written before the load started its threads */
    pthread_mutex_lock(&l->mu);
    l->messages = messages;
    rb_records_move(batch, &l->inbox);
    pthread_mutex_unlock(&l->mu);
}

static void loader_progress(size_t done, size_t total, void *ctx)
{
    screen_loader *l = ctx;
    pthread_mutex_lock(&l->mu);
    l->done = done;
    l->total = total;
    pthread_mutex_unlock(&l->mu);
}

static void *loader_run(void *ctx)
{
    screen_loader *l = ctx;
    load_options opt = {.progress = loader_progress, .sink = loader_sink, .ctx = l, .cancel = &l->cancel};
    int rc = load_source_with(l->o->src, l->o->cache, &opt, &l->result);
    pthread_mutex_lock(&l->mu);
    l->rc = rc;
    if (rc != 0)
        snprintf(l->err, sizeof l->err, "%s", source_error(l->o->src));
    l->finished = true;
    pthread_mutex_unlock(&l->mu);
    return NULL;
}

/* The status line tells of unreadable messages left out, when no other warning does. */
static void screen_skip_warning(const source *src, load_result *r)
{
    if (!r->warning[0] && source_skipped(src))
        snprintf(r->warning, sizeof r->warning, _("Unreadable, skipped: %zu; the first: %s"), source_skipped(src),
                 source_skip_reason(src));
}

static int screen_poll(void *ctx, char *status, size_t len)
{
    screen_loader *l = ctx;
    load_result *to = &l->o->loaded;
    pthread_mutex_lock(&l->mu);
    rb_records_move(&l->inbox, &to->records);
    rb_records_free(&l->inbox);
    to->messages = l->messages;
    int rc = l->finished ? (l->rc == 0 ? 0 : -1) : 1;
    if (rc == 1)
        snprintf(status, len, _("loading: %zu of %zu new messages"), l->done, l->total);
    else if (rc < 0)
        snprintf(status, len, "%s", l->err);
    if (l->finished) {
        to->messages = l->result.messages;
        to->fetched = l->result.fetched;
        to->cached = l->result.cached;
        snprintf(to->warning, sizeof to->warning, "%s", l->result.warning);
        screen_skip_warning(l->o->src, to);
    }
    pthread_mutex_unlock(&l->mu);
    return rc;
}

static int screen_reload(void *ctx, char *err, size_t errlen)
{
    screen_loader *l = ctx;
    opened_source *o = l->o;
    load_result_free(&o->loaded);
    if (load_source(o->src, o->cache, NULL, NULL, &o->loaded) != 0) {
        snprintf(err, errlen, "%s", source_error(o->src));
        return -1;
    }
    screen_skip_warning(o->src, &o->loaded);
    return 0;
}

static void screen_on_signal(int sig)
{
    if (sig == SIGINT)
        tui_request_interrupt();
    else
        tui_request_quit();
}

/* Our handlers, set before curses starts (so that ncurses keeps its own off:
 * it would exit(1) on SIGINT and SIGTERM without removing the demo copy). */
static void screen_signals(void)
{
    struct sigaction sa;   /* no SA_RESTART: the signal interrupts getch */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = screen_on_signal;
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGINT, &sa, NULL);
}

/* The loader's threads run with these signals blocked: they reach the
 * screen's thread, whose getch they interrupt. */
static bool screen_start_loader(screen_loader *l)
{
    sigset_t block, old;
    sigemptyset(&block);
    sigaddset(&block, SIGHUP);
    sigaddset(&block, SIGTERM);
    sigaddset(&block, SIGINT);
    pthread_sigmask(SIG_BLOCK, &block, &old);
    bool ok = pthread_create(&l->thread, NULL, loader_run, l) == 0;
    pthread_sigmask(SIG_SETMASK, &old, NULL);
    return ok;
}

int cli_screen(int argc, char **argv)
{
    account_flags acc = {0};
    bool demo = false, color = !getenv("NO_COLOR") || !getenv("NO_COLOR")[0];
    int c, st;
    optind = 1;
    while ((c = cli_next_option(argc, argv, CLI_SCREEN, NULL)) != -1) {
        if (c == -2)
            return EXIT_USAGE;
        if ((st = account_option(&acc, c, optarg)) >= 0) {
            if (st != EXIT_OK)
                return st;
            continue;
        }
        switch (c) {
        case OPT_DEMO: demo = true; break;
        case OPT_NO_COLOR: color = false; break;
        case 'h':
            fputs(_("Usage: rebote [--demo] [--no-color] [OPTION]... [SOURCE]\n"
                    "Open the triage screen on SOURCE (none: the config's default account).\n"
                    "Press ? in the screen for the keys.\n"), stdout);
            return EXIT_OK;
        }
    }
    if (argc - optind > 1 || (demo && argc - optind > 0)) {
        return cli_one_source(NULL);
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        cli_eprintf(_("rebote: the screen needs a terminal (for scripts: rebote summary, list, purge)\n"));
        return EXIT_USAGE;
    }
    char tmpdir[1024], demo_src[1024];
    const char *spec = optind < argc ? argv[optind] : NULL, *tmp = getenv("TMPDIR");
    snprintf(tmpdir, sizeof tmpdir, "%s/rebote-demo.XXXXXX", tmp && tmp[0] == '/' && strlen(tmp) < 900 ? tmp : "/tmp");
    screen_signals();   /* before the demo copy: a hang-up during it must not leave it behind */
    if (demo) {
        snprintf(demo_src, sizeof demo_src, "%s/demo", util_data_dir());
        if (!mkdtemp(tmpdir) || screen_copy_maildir(demo_src, tmpdir) != 0) {
            cli_eprintf(_("rebote: cannot copy the demo mailbox %s: %s\n"), demo_src, strerror(errno));
            return EXIT_RUNTIME;
        }
        spec = tmpdir;
        acc.no_cache = true;
    }
    opened_source o;
    st = account_open(spec, &acc, &o);
    if (st == EXIT_OK) {
        screen_loader l = {.o = &o};
        pthread_mutex_init(&l.mu, NULL);
        rb_records_init(&l.inbox);
        l.started = screen_start_loader(&l);
        tui_context t = {.src = o.src, .cache = o.cache, .loaded = &o.loaded,
                         .title = demo ? _("demo mailbox") : spec ? spec : source_id(o.src), .color = color,
                         .read_only = acc.read_only || (source_is_imap(o.src) && !source_uidvalidity(o.src)),
                         .reload = screen_reload, .poll = l.started ? screen_poll : NULL, .ctx = &l};
        char err[512];
        if (!l.started) {   /* no thread: load here, then show */
            st = load_source(o.src, o.cache, NULL, NULL, &o.loaded) == 0 ? EXIT_OK : EXIT_RUNTIME;
            if (st != EXIT_OK)
                cli_eprintf("rebote: %s\n", source_error(o.src));
        }
        if (st == EXIT_OK && tui_run(&t, err, sizeof err) != 0) {
            cli_eprintf("rebote: %s\n", err);
            st = EXIT_RUNTIME;
        } else if (st == EXIT_OK && t.interrupted) {
            st = 128 + SIGINT;   /* as a shell reports a command that Ctrl-C ended */
        }
        if (l.started) {   /* quit while loading: stop the fetch, keep what was cached */
            atomic_store(&l.cancel, 1);
            pthread_join(l.thread, NULL);
        }
        rb_records_free(&l.inbox);
        load_result_free(&l.result);
        pthread_mutex_destroy(&l.mu);
        account_close(&o);
    }
    if (demo)
        screen_remove_tree(tmpdir);
    return st;
}
