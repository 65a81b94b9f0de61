/* See rebote/tui.h. The screen is redrawn whole after each key: simple, and
 * at a few thousand cells cheap enough over SSH. */
#include <config.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "rebote/util.h"
#include "internal.h"

static volatile sig_atomic_t tui_stop;

/* After getch gave ERR: did the terminal go away (the SSH connection
 * dropped: the pty hangs up) or did a signal ask us to stop? Without this a
 * dialog or the pager would spin on ERR forever. */
bool tui_gone(void)
{
    if (tui_stop)
        return true;
    struct pollfd p = {.fd = STDIN_FILENO, .events = POLLIN};
    return poll(&p, 1, 0) > 0 && (p.revents & (POLLHUP | POLLERR | POLLNVAL));
}

/* Takes the records that arrived; keeps the selected group selected. */
static void tui_poll(tui *u)
{
    size_t before = u->t->loaded->records.n;
    int rc = u->t->poll(u->t->ctx, u->progress, sizeof u->progress);
    if (u->t->loaded->records.n != before) {
        char key[160] = "";
        if (u->gsel < u->v.groups.n)
            snprintf(key, sizeof key, "%s", u->v.groups.v[u->gsel].key);
        view_sync(&u->v);
        for (size_t i = 0; key[0] && i < u->v.groups.n; i++)
            if (!strcmp(u->v.groups.v[i].key, key)) {
                u->gsel = i;
                break;
            }
    }
    if (rc <= 0) {
        u->loading = false;
        timeout(-1);
        if (rc < 0)
            tui_say(u, true, _("Loading failed: %s"), u->progress);
        else if (u->t->loaded->warning[0])
            tui_say(u, true, "%s", u->t->loaded->warning);
    }
}

void tui_request_quit(void)
{
    tui_stop = 1;
}

int tui_run(tui_context *t, char *err, size_t errlen)
{
    tui u = {.t = t};
    if (view_init(&u.v, &t->loaded->records, MODEL_BY_CODE) != 0) {
        snprintf(err, errlen, "%s", _("out of memory"));
        return 1;
    }
    if (!newterm(NULL, stdout, stdin)) {
        snprintf(err, errlen, "%s", _("cannot use this terminal (is TERM set?)"));
        view_free(&u.v);
        return 1;
    }
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    set_escdelay(50);
    tui_colors_init(t->color);
    if (t->loaded->warning[0])
        tui_say(&u, true, "%s", t->loaded->warning);
    if (t->poll) {
        u.loading = true;
        timeout(150);   /* getch returns to take the records that arrived */
    }
    while (!u.quit && !tui_stop) {
        if (u.loading)
            tui_poll(&u);
        tui_draw(&u);
        int c = getch();
        if (c == ERR && tui_gone())
            break;      /* hang-up or SIGTERM: leave, deleting nothing */
        if (c == ERR || c == KEY_RESIZE)
            continue;
        u.msg[0] = '\0';
        tui_do(&u, tui_key_action(c == '\r' ? '\n' : c));
    }
    endwin();
    view_free(&u.v);
    return 0;
}
