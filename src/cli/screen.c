/* rebote [SOURCE], rebote --demo: opens the triage screen. */
#include <config.h>
#include <dirent.h>
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "rebote/app.h"
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

/* The first load runs in a thread of src/app while the screen is up; the
 * screen takes what arrived when it polls. */
typedef struct {
    opened_source *o;
    app_loader *loader;
} screen_loader;

static int screen_poll(void *ctx, char *status, size_t len)
{
    screen_loader *l = ctx;
    return app_loader_poll(l->loader, &l->o->loaded, status, len);
}

static int screen_reload(void *ctx, char *err, size_t errlen)
{
    screen_loader *l = ctx;
    return app_reload(l->o->src, l->o->cache, &l->o->loaded, err, errlen);
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
        const char *why = "";
        bool can_delete = source_can_delete(o.src, &why);   /* an IMAP server without UIDPLUS cannot */
        screen_loader l = {.o = &o, .loader = app_loader_start(o.src, o.cache)};
        tui_context t = {.src = o.src, .cache = o.cache, .loaded = &o.loaded,
                         .title = demo ? _("demo mailbox") : spec ? spec : source_id(o.src), .color = color,
                         .read_only = acc.read_only || !can_delete,
                         .read_only_why = !acc.read_only && !can_delete ? why : NULL,
                         .reload = screen_reload, .poll = l.loader ? screen_poll : NULL, .ctx = &l};
        char err[512];
        if (!l.loader) {   /* no thread: load here, then show */
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
        app_loader_cancel(l.loader);   /* quit while loading: stop the fetch, keep what was cached */
        account_close(&o);
    }
    if (demo)
        screen_remove_tree(tmpdir);
    return st;
}
