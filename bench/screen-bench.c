/* screen-bench: the time from a key to the redrawn screen on 100,000
 * records: what the key changes (tui_do: a move, a sort, a regrouping; a
 * limit: view_set_filter) and the whole main screen drawn by the screen's
 * own code (tui_draw_main) into a real ncurses terminal whose output goes
 * to /dev/null, refresh() included. Prints, per key, the median and the
 * worst of the runs in ms; the goal is 30 ms (#13).
 *   screen-bench [N] [COLSxLINES] */
#include <config.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "tui/internal.h"

enum { RUNS = 21 };

static double ms_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) * 1e3 + (double)(t1.tv_nsec - t0->tv_nsec) / 1e6;
}

/* 100,000 bounces as a busy postmaster mailbox holds them: ten codes,
 * seven domains, wrapped replies, some auto-replies and feedback reports. */
static int bench_records(rb_records *rs, size_t n)
{
    static const char *const codes[][2] = {
        {"550", "5.1.1"}, {"554", "5.7.1"}, {"452", "4.2.2"}, {"421", "4.7.0"}, {"550", "5.7.26"},
        {"552", "5.3.4"}, {"451", "4.7.1"}, {"550", "5.2.1"}, {"553", "5.1.3"}, {"550", "5.4.1"},
    };
    static const char *const domains[] = {"gmail.example", "yahoo.example", "outlook.example", "example.org",
                                          "empresa.example.es", "correo.example.es", "mail.example.mx"};
    rb_records_init(rs);
    srand(7);
    for (size_t i = 0; i < n; i++) {
        rb_record *r = rb_records_add(rs);
        if (!r)
            return -1;
        int c = rand() % 10, k = rand() % 20;
        char buf[256];
        r->kind = k == 0 ? RB_KIND_AUTOREPLY : k == 1 ? RB_KIND_FEEDBACK : RB_KIND_BOUNCE;
        if (r->kind == RB_KIND_BOUNCE) {
            snprintf(r->replycode, sizeof r->replycode, "%s", codes[c][0]);
            snprintf(r->status, sizeof r->status, "%s", codes[c][1]);
        }
        r->hardbounce = r->kind == RB_KIND_BOUNCE && codes[c][1][0] == '5';
        snprintf(buf, sizeof buf, "user%d.%zu@%s", rand() % 5000, i % 97, domains[rand() % 7]);
        rb_record_set(&r->recipient, buf, strlen(buf));
        snprintf(buf, sizeof buf, "host mx%d.example [192.0.2.%d] said: %s %s %s (in reply to RCPT TO command)",
                 rand() % 40, rand() % 250, codes[c][0], codes[c][1], c == 2 ? "mailbox over quota" : "rejected");
        rb_record_set(&r->diagnostic, buf, strlen(buf));
        snprintf(buf, sizeof buf, "mx%d.example", rand() % 40);
        rb_record_set(&r->rhost, buf, strlen(buf));
        snprintf(buf, sizeof buf, "%zu", i);
        rb_record_set(&r->key, buf, strlen(buf));
        if (r->kind == RB_KIND_FEEDBACK)
            rb_record_set(&r->feedbacktype, "abuse", 5);
        r->reason = r->kind == RB_KIND_AUTOREPLY ? "vacation" : r->kind == RB_KIND_FEEDBACK ? "feedback" : "userunknown";
        r->time = 1759276800 + rand() % 5000000;
    }
    return 0;
}

typedef struct {
    const char *what;
    tui_action act;      /* ACT_NONE: a limit */
    tui_pane focus;
    const char *limit;   /* the limit set (then cleared at the next run) */
} bench_key;

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

int main(int argc, char **argv)
{
    size_t n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
    int cols = 120, lines = 40;
    if (argc > 2 && sscanf(argv[2], "%dx%d", &cols, &lines) != 2)
        return fprintf(stderr, "screen-bench: COLSxLINES, e.g. 120x40\n"), 2;
    setlocale(LC_ALL, "C.UTF-8");
    load_result loaded;
    memset(&loaded, 0, sizeof loaded);
    if (bench_records(&loaded.records, n) != 0)
        return fprintf(stderr, "screen-bench: out of memory\n"), 1;
    loaded.messages = n;
    tui_context t = {.loaded = &loaded, .title = "bench", .color = true};
    tui u;
    memset(&u, 0, sizeof u);
    u.t = &t;
    FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
    char size[32];
    snprintf(size, sizeof size, "%d", cols);
    setenv("COLUMNS", size, 1);
    snprintf(size, sizeof size, "%d", lines);
    setenv("LINES", size, 1);
    if (!out || !in || view_init(&u.v, &loaded.records, MODEL_BY_CODE) != 0 || !newterm("xterm-256color", out, in))
        return fprintf(stderr, "screen-bench: cannot set up the screen\n"), 1;
    tui_colors_init(true);
    static const bench_key keys[] = {
        {"j (groups)", ACT_DOWN, PANE_GROUPS, NULL},       {"j (bounces)", ACT_DOWN, PANE_MESSAGES, NULL},
        {"G (bounces)", ACT_BOTTOM, PANE_MESSAGES, NULL},  {"s (groups)", ACT_SORT, PANE_GROUPS, NULL},
        {"s (bounces)", ACT_SORT, PANE_MESSAGES, NULL},    {"b (regroup)", ACT_GROUPING, PANE_GROUPS, NULL},
        {"l (limit domain:gmail)", ACT_NONE, PANE_GROUPS, "domain:gmail"}, {"l (limit cleared)", ACT_NONE, PANE_GROUPS, ""},
        {"Tab", ACT_SWITCH, PANE_GROUPS, NULL},
    };
    printf("screen, %zu records, %dx%d, key to redrawn screen (median / worst of %d):\n", n, COLS, LINES, RUNS);
    for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++) {
        double ms[RUNS];
        for (int run = 0; run < RUNS; run++) {
            u.focus = keys[k].focus;
            if (keys[k].act != ACT_SORT || keys[k].focus != PANE_MESSAGES)
                u.v.msort = VIEW_MSORT_DATE;   /* the default order of the bounces */
            struct timespec t0;
            clock_gettime(CLOCK_MONOTONIC, &t0);
            if (keys[k].act != ACT_NONE) {
                tui_do(&u, keys[k].act);
            } else {   /* what the limit prompt's Enter does */
                view_set_filter(&u.v, run % 2 ? "" : keys[k].limit);
                u.gsel = u.gtop = u.msel = u.mtop = 0;
            }
            erase();
            tui_draw_main(&u);
            refresh();
            ms[run] = ms_since(&t0);
        }
        qsort(ms, RUNS, sizeof *ms, cmp_double);
        printf("  %-24s %7.2f ms  %7.2f ms%s\n", keys[k].what, ms[RUNS / 2], ms[RUNS - 1],
               ms[RUNS / 2] > 30 ? "  (over the 30 ms goal)" : "");
    }
    endwin();
    text_free(&u.side.L);
    free(u.side.labels);
    view_free(&u.v);
    rb_records_free(&loaded.records);
    fclose(out);
    fclose(in);
    return 0;
}
