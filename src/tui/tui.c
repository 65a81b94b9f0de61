/* See rebote/tui.h. One input loop for every mode: it takes the records
 * that arrived, redraws, reads one key and hands it to the current mode;
 * loading, resizing and hang-up are handled here only. The screen is
 * redrawn whole after each key: simple, and at a few thousand cells cheap
 * enough over SSH. */
#include <config.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include "rebote/util.h"
#include "internal.h"

static volatile sig_atomic_t tui_stop, tui_intr;

/* After getch gave ERR: did the terminal go away (the SSH connection
 * dropped: the pty hangs up) or did a signal ask us to stop? Without this a
 * dialog or the pager would spin on ERR forever. */
static bool tui_gone(void)
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

void tui_request_interrupt(void)
{
    tui_intr = 1;
}


int tui_keycode(tui_key k)
{
    if (k.fn)
        return (int)k.c;
    return k.c < KEY_MIN ? (int)k.c : -1;   /* other characters would read as KEY_* codes */
}

/* The modes: what each draws and where its keys go (ncdu's per-state
 * dispatch; tmux's prompts: the loop keeps serving while one is open). */
static const struct {
    bool full;                       /* full screen: the main screen is not drawn under it */
    void (*draw)(tui *u);
    void (*key)(tui *u, tui_key k);
} tui_modes[MODE_N] = {
    [MODE_NORMAL] = {false, NULL, tui_normal_key},
    [MODE_PROMPT] = {false, tui_prompt_draw, tui_prompt_key},
    [MODE_CONFIRM] = {false, tui_confirm_draw, tui_confirm_key},
    [MODE_MENU] = {false, tui_menu_draw, tui_menu_key},
    [MODE_PAGER] = {true, tui_pager_draw, tui_pager_key},
    [MODE_HELP] = {true, tui_help_draw, tui_pager_key},
};

static void tui_modes_key(tui *u, tui_key k)
{
    if (k.fn && k.c == KEY_MOUSE && u->mode != MODE_NORMAL) {   /* the main screen's own (mouse.c) */
        int rows = u->mode == MODE_PAGER || u->mode == MODE_HELP ? tui_mouse_wheel() : 0;
        for (int i = 0; i < (rows < 0 ? -rows : rows); i++)   /* the wheel scrolls the text; nothing else */
            tui_modes[u->mode].key(u, (tui_key){.fn = true, .c = rows < 0 ? KEY_UP : KEY_DOWN});
        return;
    }
    tui_modes[u->mode].key(u, k);
}

/* Ctrl-C: in a mode, what Esc does there; on the main screen, q. */
static void tui_interrupt(tui *u)
{
    tui_intr = 0;
    u->msg[0] = '\0';
    if (u->mode != MODE_NORMAL)
        tui_modes_key(u, (tui_key){.fn = false, .c = 27});
    else
        tui_quit_interrupted(u);
}

static void tui_draw_mode(tui *u)
{
    erase();
    tui_mode under = u->mode == MODE_PROMPT ? u->prompt.back : MODE_NORMAL;   /* the pager's search: over the pager */
    if (!tui_modes[u->mode].full && under == MODE_NORMAL)
        tui_draw_main(u);
    else if (!tui_modes[u->mode].full)
        tui_modes[under].draw(u);
    if (tui_modes[u->mode].draw)
        tui_modes[u->mode].draw(u);
    curs_set(u->mode == MODE_PROMPT);
    refresh();
}

/* One key or nothing: false when the terminal went away or a signal asked
 * to stop. Waits 150 ms at most while loading (the loop then takes the
 * records that arrived), else until a key comes. */
static bool tui_read(tui *u, tui_key *k, bool *got)
{
    wint_t c;
    timeout(u->loading ? 150 : -1);
    int r = get_wch(&c);
    *got = false;
    if (r == ERR)
        return !tui_gone();
    if (r == KEY_CODE_YES && c == KEY_RESIZE)
        return true;   /* the next draw uses the new size */
    *k = (tui_key){.fn = r == KEY_CODE_YES, .c = c};
    *got = true;
    return true;
}

static void tui_loop(tui *u)
{
    while (!u->quit && !tui_stop) {
        if (u->loading)
            tui_poll(u);
        tui_draw_mode(u);
        tui_key k;
        bool got;
        if (!tui_read(u, &k, &got))
            break;      /* hang-up or SIGTERM, in any mode: leave, deleting nothing */
        if (got)
            tui_modes_key(u, k);
        if (tui_intr)
            tui_interrupt(u);
    }
    tui_mode_close(u);
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
    const char *cup = tigetstr("cup");
    if (!cup || cup == (char *)-1) {   /* TERM=dumb: a blank screen that takes keys */
        endwin();
        const char *term = getenv("TERM");
        snprintf(err, errlen, _("the terminal (TERM=%s) cannot move the cursor, so the screen cannot be shown; "
                                "rebote summary and rebote list work anywhere"), term ? term : "");
        view_free(&u.v);
        return 1;
    }
    cbreak();
    noecho();
    nonl();
    keypad(stdscr, TRUE);
    curs_set(0);
    set_escdelay(50);
    mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON1_DOUBLE_CLICKED | BUTTON4_PRESSED
#ifdef BUTTON5_PRESSED
                  | BUTTON5_PRESSED
#endif
              , NULL);
    mouseinterval(0);   /* a press is a click at once: no wait for its release */
    tui_colors_init(t->color);
    if (t->loaded->warning[0])
        tui_say(&u, true, "%s", t->loaded->warning);
    u.loading = t->poll != NULL;
    tui_intr = 0;
    t->interrupted = false;
    tui_loop(&u);
    endwin();
    view_pattern_free(&u.search);
    text_free(&u.side.L);
    free(u.side.labels);
    view_free(&u.v);
    return 0;
}
