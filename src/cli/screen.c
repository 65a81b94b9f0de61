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

static int screen_reload(void *ctx, char *err, size_t errlen)
{
    opened_source *o = ctx;
    load_result_free(&o->loaded);
    if (load_source(o->src, o->cache, NULL, NULL, &o->loaded) != 0) {
        snprintf(err, errlen, "%s", source_error(o->src));
        return -1;
    }
    return 0;
}

static void screen_on_signal(int sig)
{
    (void)sig;
    tui_request_quit();
}

int cli_screen(int argc, char **argv)
{
    static const struct option opts[] = {
        {"demo", no_argument, NULL, 'D'}, {"no-color", no_argument, NULL, 'C'},
        {"help", no_argument, NULL, 'h'}, ACCOUNT_LONG_OPTIONS, {NULL, 0, NULL, 0},
    };
    account_flags acc = {0};
    bool demo = false, color = !getenv("NO_COLOR") || !getenv("NO_COLOR")[0];
    int c;
    optind = 1;
    opterr = 0;
    while ((c = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (account_option(&acc, c, optarg))
            continue;
        switch (c) {
        case 'D': demo = true; break;
        case 'C': color = false; break;
        case 'h':
            fputs(_("Usage: rebote [--demo] [--no-color] [OPTION]... [SOURCE]\n"
                    "Open the triage screen on SOURCE (none: the config's default account).\n"
                    "Press ? in the screen for the keys.\n"), stdout);
            return EXIT_OK;
        default:
            fprintf(stderr, _("rebote: invalid option (see '%s --help')\n"), "rebote");
            return EXIT_USAGE;
        }
    }
    if (argc - optind > 1 || (demo && argc - optind > 0)) {
        fprintf(stderr, _("rebote: one SOURCE at most (see '%s --help')\n"), "rebote");
        return EXIT_USAGE;
    }
    if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO)) {
        fprintf(stderr, _("rebote: the screen needs a terminal (for scripts: rebote summary, list, purge)\n"));
        return EXIT_USAGE;
    }
    char tmpdir[] = "/tmp/rebote-demo.XXXXXX", demo_src[4096];
    const char *spec = optind < argc ? argv[optind] : NULL;
    if (demo) {
        snprintf(demo_src, sizeof demo_src, "%s/demo", util_data_dir());
        if (!mkdtemp(tmpdir) || screen_copy_maildir(demo_src, tmpdir) != 0) {
            fprintf(stderr, _("rebote: cannot copy the demo mailbox %s: %s\n"), demo_src, strerror(errno));
            return EXIT_RUNTIME;
        }
        spec = tmpdir;
        acc.no_cache = true;
    }
    struct sigaction sa;   /* no SA_RESTART: the signal interrupts getch */
    memset(&sa, 0, sizeof sa);
    sa.sa_handler = screen_on_signal;
    sigaction(SIGHUP, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    opened_source o;
    int st = account_open_and_load(spec, &acc, &o);
    if (st == EXIT_OK) {
        tui_context t = {.src = o.src, .cache = o.cache, .loaded = &o.loaded, .title = demo ? "demo" : spec ? spec : source_id(o.src),
                         .color = color, .reload = screen_reload, .ctx = &o};
        char err[512];
        if (tui_run(&t, err, sizeof err) != 0) {
            fprintf(stderr, "rebote: %s\n", err);
            st = EXIT_RUNTIME;
        }
        account_close(&o);
    }
    if (demo)
        screen_remove_tree(tmpdir);
    return st;
}
