/* What the keys do: moving, tagging and marking, and the actions that do
 * I/O (deleting, reloading, exporting, fetching the whole message). */
#include <config.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include "rebote/app.h"
#include "rebote/export.h"
#include "rebote/util.h"
#include "internal.h"

void tui_say(tui *u, bool error, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(u->msg, sizeof u->msg, fmt, ap);
    va_end(ap);
    u->msg_error = error;
}

const rb_record *tui_record(const tui *u)
{
    if (u->gsel >= u->v.groups.n)
        return NULL;
    const model_group *g = &u->v.groups.v[u->gsel];
    size_t m = u->focus == PANE_MESSAGES && u->msel < g->nidx ? u->msel : 0;
    return g->nidx ? &u->v.rs->v[g->idx[m]] : NULL;
}

/* ---- the whole message, fetched again for the pager ---- */
static int tui_got_message(const source_item *it, const char *buf, size_t len, void *ctx)
{
    (void)it;
    text_lines *L = ctx;
    for (size_t i = 0; i < len;) {   /* one line each; tui_text draws printable characters only */
        const char *nl = memchr(buf + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (buf + i)) : len - i;
        size_t shown = n && buf[i + n - 1] == '\r' ? n - 1 : n;
        text_push(L, buf + i, shown, TEXT_NORMAL);
        i += n + 1;
    }
    return 0;
}

static void tui_message_lines(tui *u, text_lines *L)
{
    const rb_record *r = tui_record(u);
    text_push(L, "", 0, TEXT_NORMAL);
    text_wrap(L, "", _("The message"), TEXT_HEADING);
    if (u->loading) {
        text_wrap(L, "", _("(shown once the mailbox is loaded)"), TEXT_NORMAL);
        return;
    }
    source_item it = {.uid = r->uid, .key = r->key};
    if (!r->key || source_fetch(u->t->src, &it, 1, tui_got_message, NULL, L) != 0)
        text_wrap(L, "", source_error(u->t->src), TEXT_ERROR);
}

/* ---- actions ---- */
static size_t tui_group_len(const tui *u)
{
    return u->gsel < u->v.groups.n ? u->v.groups.v[u->gsel].nidx : 0;
}

static void tui_move(tui *u, long delta, bool to_end)
{
    size_t n = u->focus == PANE_GROUPS ? u->v.groups.n : tui_group_len(u);
    size_t *sel = u->focus == PANE_GROUPS ? &u->gsel : &u->msel;
    if (n == 0)
        return;
    long pos = to_end ? (delta < 0 ? 0 : (long)n - 1) : (long)*sel + delta;
    if (pos < 0)
        pos = 0;
    if (pos >= (long)n)
        pos = (long)n - 1;
    if (u->focus == PANE_GROUPS && (size_t)pos != *sel)
        u->msel = u->mtop = 0;
    *sel = (size_t)pos;
}

bool tui_refuse_mark(tui *u)
{
    if (!u->t->read_only)
        return false;
    tui_say(u, true, _("Read-only: nothing can be deleted from this mailbox."));
    return true;
}

/* t, d, u on the line, on the group or (after ';') on the tagged. */
static void tui_flag(tui *u, unsigned char flag, bool toggle, bool on)
{
    size_t changed;
    if (flag == VIEW_MARKED && on && tui_refuse_mark(u)) {
        u->tagged_next = false;
        return;
    }
    if (u->tagged_next) {
        u->tagged_next = false;
        changed = flag == VIEW_TAGGED ? view_flag_having(&u->v, VIEW_TAGGED, VIEW_TAGGED, false)
                                      : view_flag_having(&u->v, VIEW_TAGGED, flag, on);
        tui_say(u, false, ngettext("%zu tagged bounce changed", "%zu tagged bounces changed", changed), changed);
        return;
    }
    if (u->gsel >= u->v.groups.n)
        return;
    const model_group *g = &u->v.groups.v[u->gsel];
    if (u->focus == PANE_MESSAGES && u->msel < g->nidx) {
        bool set = toggle ? !(u->v.flags[g->idx[u->msel]] & flag) : on;
        view_flag_record(&u->v, g->idx[u->msel], flag, set);
        tui_move(u, 1, false);
        return;
    }
    if (flag == VIEW_MARKED && on && u->loading) {   /* it would mark only the records read so far */
        tui_say(u, true, _("Still loading: wait, or mark single messages"));
        return;
    }
    bool set = on;
    if (toggle)
        set = text_flag_char(&u->v, g, flag, 'x', 'y') != 'x';
    view_flag_group(&u->v, u->gsel, flag, set);
    tui_move(u, 1, false);
}

/* Where the selection goes after $: the same pane, the row after the
 * deleted ones. The bounces from the selected one on carry a bit that
 * view_drop_messages moves along with the records; the groups are found
 * again by key (the selected one, else the ones that followed it). */
enum { TUI_KEEP_BIT = 0x80, TUI_KEEP_GROUPS = 32 };

typedef struct {
    char keys[TUI_KEEP_GROUPS][160];
    size_t nkeys, gsel, msel;
} tui_keep;

static void tui_keep_before(tui *u, tui_keep *k)
{
    k->nkeys = 0;
    k->gsel = u->gsel;
    k->msel = u->msel;
    for (size_t i = u->gsel; i < u->v.groups.n && k->nkeys < TUI_KEEP_GROUPS; i++)
        snprintf(k->keys[k->nkeys++], sizeof k->keys[0], "%s", u->v.groups.v[i].key);
    if (u->focus != PANE_MESSAGES || u->gsel >= u->v.groups.n)
        return;
    const model_group *g = &u->v.groups.v[u->gsel];
    for (size_t m = u->msel; m < g->nidx; m++)
        u->v.flags[g->idx[m]] |= TUI_KEEP_BIT;
}

static size_t tui_find_group(const tui *u, const char *key)
{
    for (size_t i = 0; i < u->v.groups.n; i++)
        if (!strcmp(u->v.groups.v[i].key, key))
            return i;
    return (size_t)-1;
}

static void tui_keep_after(tui *u, tui_keep *k)
{
    size_t g = (size_t)-1, n = u->v.groups.n;
    bool same = false;   /* the group selected before is still there */
    for (size_t i = 0; i < k->nkeys && g == (size_t)-1; i++)
        if ((g = tui_find_group(u, k->keys[i])) != (size_t)-1)
            same = i == 0;
    if (g == (size_t)-1)   /* every one of them went: the one that came before */
        g = n ? (k->gsel < n ? k->gsel : n - 1) : 0;
    u->gsel = g;
    u->gtop = u->mtop = u->msel = 0;
    if (u->focus == PANE_MESSAGES && same && g < n) {
        const model_group *gr = &u->v.groups.v[g];
        size_t m = gr->nidx;
        for (size_t i = 0; i < gr->nidx && m == gr->nidx; i++)
            if (u->v.flags[gr->idx[i]] & TUI_KEEP_BIT)
                m = i;
        u->msel = m < gr->nidx ? m : gr->nidx ? gr->nidx - 1 : 0;
    }
    for (size_t i = 0; i < u->v.nflags; i++)
        u->v.flags[i] &= (unsigned char)~TUI_KEEP_BIT;
}

/* $ answered: delete the marked messages from the source. */
static void tui_commit_answer(tui *u, bool yes)
{
    const char **keys;
    unsigned int *uids;
    size_t n = view_marked_messages(&u->v, &keys, &uids);
    if (!yes || n == 0) {
        tui_say(u, false, _("Nothing deleted."));
        model_messages_free(keys, uids, n);
        return;
    }
    size_t removed = 0;
    char err[512];
    tui_say(u, false, ngettext("Deleting %zu message...", "Deleting %zu messages...", n), n);
    tui_draw_status(u);
    refresh();
    if (app_delete(u->t->src, u->t->cache, keys, uids, n, &removed, err, sizeof err) != 0) {
        tui_say(u, true, _("Not deleted: %s (the marks are kept)"), err);
    } else {
        tui_keep k;
        tui_keep_before(u, &k);
        view_drop_messages(&u->v, &u->t->loaded->records, keys, n);
        u->t->loaded->messages -= removed <= u->t->loaded->messages ? removed : u->t->loaded->messages;
        view_refresh(&u->v);
        tui_keep_after(u, &k);
        u->side.valid = false;
        free(u->side.labels);   /* the records moved */
        u->side.labels = NULL;
        if (removed < n) {   /* two counts, each with its own plural */
            char done[128];
            snprintf(done, sizeof done, ngettext("%zu message deleted", "%zu messages deleted", removed), removed);
            tui_say(u, false, ngettext("%s; %zu was no longer there.", "%s; %zu were no longer there.", n - removed),
                    done, n - removed);
        }
        else
            tui_say(u, false, ngettext("%zu message deleted.", "%zu messages deleted.", removed), removed);
    }
    model_messages_free(keys, uids, n);
}

static void tui_commit(tui *u)
{
    if (u->t->read_only) {
        tui_say(u, true, _("Read-only: nothing can be deleted from this mailbox."));
        return;
    }
    if (u->loading) {
        tui_say(u, false, _("Still loading: deleting is possible once every message is read."));
        return;
    }
    text_marks m;
    if (text_count_marks(&u->v, &m) != 0) {
        tui_say(u, true, _("Out of memory: nothing deleted."));
        return;
    }
    if (m.messages == 0) {
        tui_say(u, false, _("Nothing is marked for deletion (d marks a message or a group)."));
        return;
    }
    char q[512];
    text_commit_question(q, sizeof q, &m, u->t->title, COLS);
    tui_confirm_open(u, q, tui_commit_answer);
}

static void tui_reload_now(tui *u)
{
    char err[512] = "";
    tui_say(u, false, _("Reloading..."));
    tui_draw_status(u);
    refresh();
    model_by by = u->v.by;
    view_sort sort = u->v.sort;
    view_msort msort = u->v.msort;
    char filter[256];
    snprintf(filter, sizeof filter, "%s", u->v.filter.text);
    view_free(&u->v);
    int rc = u->t->reload(u->t->ctx, err, sizeof err);
    view_init(&u->v, &u->t->loaded->records, by);
    u->v.sort = sort;
    u->v.msort = msort;
    view_set_filter(&u->v, filter);
    u->gsel = u->gtop = u->msel = u->mtop = 0;
    u->side.valid = false;   /* new records, maybe at the same address */
    free(u->side.labels);
    u->side.labels = NULL;
    if (rc != 0)
        tui_say(u, true, _("Reload failed: %s"), err);
    else
        tui_say(u, false, ngettext("Reloaded: %zu message.", "Reloaded: %zu messages.", u->t->loaded->messages),
                u->t->loaded->messages);
}

static void tui_reload_answer(tui *u, bool yes)
{
    if (yes)
        tui_reload_now(u);
}

static void tui_reload(tui *u)
{
    if (u->loading) {
        tui_say(u, false, _("Still loading."));
        return;
    }
    if (!u->t->reload) {
        tui_say(u, true, _("This source cannot be reloaded."));
        return;
    }
    if (view_count(&u->v, VIEW_MARKED, NULL))
        tui_confirm_open(u, _("Reloading forgets the marks for deletion. Reload? [y/N] "), tui_reload_answer);
    else
        tui_reload_now(u);
}

/* e: the current view (grouping, filter; only the tagged when some are) to a
 * file, in three steps: the menu, the file name, the question if it exists. */
static const struct { int key; export_format f; bool list; } tui_export_kinds[] = {
    {'t', EXPORT_TEXT, false}, {'c', EXPORT_CSV, false}, {'j', EXPORT_JSON, false},
    {'m', EXPORT_MARKDOWN, false}, {'r', EXPORT_CSV, true},
};

/* What part of the source the export holds, in words (export_meta.selection):
 * "12 tagged bounces; limit domain:gmail"; "" when all of it. */
static void tui_export_selection(const tui *u, size_t tagged, char *out, size_t len)
{
    char t[96] = "", l[300] = "";
    if (tagged)
        snprintf(t, sizeof t, ngettext("%zu tagged bounce", "%zu tagged bounces", tagged), tagged);
    if (u->v.filter.text[0])
        snprintf(l, sizeof l, _("limit %s"), u->v.filter.text);
    snprintf(out, len, "%s%s%s", t, t[0] && l[0] ? "; " : "", l);
}

static void tui_export_write(tui *u)
{
    int k = u->export_kind;
    const char *path = u->export_path;
    size_t tagged = view_count(&u->v, VIEW_TAGGED, NULL), n = 0, rows = 0;
    size_t *sel = malloc((u->v.nsel ? u->v.nsel : 1) * sizeof *sel);
    if (!sel) {
        tui_say(u, true, _("Out of memory: nothing exported."));
        return;
    }
    for (size_t i = 0; i < u->v.nsel; i++)
        if (!tagged || (u->v.flags[u->v.sel[i]] & VIEW_TAGGED))
            sel[n++] = u->v.sel[i];
    char part[400];
    tui_export_selection(u, tagged ? n : 0, part, sizeof part);
    export_meta m = {.source = u->t->title, .generated = (long long)time(NULL), .messages = u->t->loaded->messages,
                     .fetched = u->t->loaded->fetched, .cached = u->t->loaded->cached,
                     .selection = part[0] ? part : NULL};
    export_file x;
    int rc = export_begin(&x, path);
    if (rc == 0) {
        rc = tui_export_kinds[k].list ? export_list_rows(x.f, tui_export_kinds[k].f, u->v.rs, sel, n, false, true, &rows)
                                      : export_summary(x.f, tui_export_kinds[k].f, &m, u->v.rs, sel, n, u->v.by);
        if (rc != 0)
            export_abort(&x);
        else
            rc = export_commit(&x);
    }
    if (rc != 0) {
        tui_say(u, true, _("Cannot write %s: %s"), path, strerror(errno));
    } else {   /* what was written: recipients, or a summary of which kinds */
        char said[1024 + 512];
        text_export_result(said, sizeof said, path, u->v.rs, sel, n, tagged, tui_export_kinds[k].list, rows);
        tui_say(u, false, "%s", said);
    }
    free(sel);
}

static void tui_export_overwrite(tui *u, bool yes)
{
    if (yes)
        tui_export_write(u);
    else
        tui_say(u, false, _("Nothing exported."));
}

static void tui_export_path(tui *u, const char *path)
{
    if (!path || !path[0])
        return;
    if (lineedit_expand_home(path, getenv("HOME"), u->export_path, sizeof u->export_path) != 0) {   /* ~/x */
        tui_say(u, true, _("Path too long: %s"), path);
        return;
    }
    struct stat st;
    if (stat(u->export_path, &st) == 0 && S_ISDIR(st.st_mode)) {   /* said now, not after "Overwrite it?" */
        tui_say(u, true, _("%s is a directory: type a file name."), u->export_path);
        tui_prompt_open(u, _("Write to: "), path, tui_export_path);
    } else if (stat(u->export_path, &st) == 0)
        tui_confirm_open(u, _("The file exists. Overwrite it? [y/N] "), tui_export_overwrite);
    else
        tui_export_write(u);
}

static void tui_export_kind(tui *u, int key)
{
    int k = -1;
    for (size_t i = 0; i < sizeof tui_export_kinds / sizeof tui_export_kinds[0]; i++)
        if (tui_export_kinds[i].key == key)
            k = (int)i;
    if (k < 0)
        return;
    u->export_kind = k;
    char path[1024], stampbuf[32];
    time_t now = time(NULL);
    struct tm tm;
    localtime_r(&now, &tm);
    strftime(stampbuf, sizeof stampbuf, "%Y%m%d-%H%M%S", &tm);
    snprintf(path, sizeof path, "rebote-%s%s.%s", tui_export_kinds[k].list ? "recipients-" : "", stampbuf,
             export_format_ext(tui_export_kinds[k].f));
    tui_prompt_open_default(u, _("Write to: "), path, tui_export_path);   /* typing replaces the name */
}

static void tui_export(tui *u)
{
    tui_menu_open(u, _("Export: t text, c CSV, j JSON, m Markdown summary; r recipients CSV; Esc cancels"),
                  tui_export_kind);
}

static void tui_quit_answer(tui *u, bool yes)
{
    u->quit = yes;
}

static void tui_quit_answer_intr(tui *u, bool yes)
{
    u->quit = yes;
    u->t->interrupted = yes;
}

static void tui_quit_with(tui *u, tui_yes_done done)
{
    if (view_count(&u->v, VIEW_MARKED, NULL))
        tui_confirm_open(u, _("Deletions are pending and will not happen. Quit? [y/N] "), done);
    else
        done(u, true);
}

static void tui_quit(tui *u)
{
    tui_quit_with(u, tui_quit_answer);
}

void tui_quit_interrupted(tui *u)
{
    tui_quit_with(u, tui_quit_answer_intr);
}

void tui_do(tui *u, tui_action a)
{
    tui_layout l;
    tui_layout_of(u, &l);
    int page = u->focus == PANE_GROUPS ? l.gh : l.mh;
    size_t n;
    if (a != ACT_TAGGED && a != ACT_TAG && a != ACT_MARK && a != ACT_UNMARK)
        u->tagged_next = false;
    switch (a) {
    case ACT_DOWN: tui_move(u, 1, false); break;
    case ACT_UP: tui_move(u, -1, false); break;
    case ACT_PGDN: tui_move(u, page, false); break;
    case ACT_PGUP: tui_move(u, -page, false); break;
    case ACT_TOP: tui_move(u, -1, true); break;
    case ACT_BOTTOM: tui_move(u, 1, true); break;
    case ACT_SWITCH: u->focus = u->focus == PANE_GROUPS ? PANE_MESSAGES : PANE_GROUPS; break;
    case ACT_LEFT: u->focus = PANE_GROUPS; break;
    case ACT_RIGHT: u->focus = PANE_MESSAGES; break;
    case ACT_ENTER:
        if (u->focus == PANE_GROUPS) {
            u->focus = PANE_MESSAGES;
        } else if (tui_record(u)) {
            text_lines L = {.width = COLS};
            tui_message_lines(u, &L);   /* the explanation above it is laid out by the pager, at each width */
            tui_pager_open(u, _("rebote: bounce"), (size_t)(tui_record(u) - u->v.rs->v), &L);
        }
        break;
    case ACT_TAG: tui_flag(u, VIEW_TAGGED, true, true); break;
    case ACT_TAG_ALL:
        n = view_flag_group(&u->v, u->gsel, VIEW_TAGGED, true);
        tui_say(u, false, ngettext("%zu bounce tagged", "%zu bounces tagged", n), n);
        break;
    case ACT_TAG_PATTERN: tui_tag_pattern_open(u, true); break;
    case ACT_UNTAG_PATTERN: tui_tag_pattern_open(u, false); break;
    case ACT_MARK_PATTERN: tui_mark_pattern_open(u, true); break;
    case ACT_UNMARK_PATTERN: tui_mark_pattern_open(u, false); break;
    case ACT_TAGGED: u->tagged_next = true; break;
    case ACT_MARK: tui_flag(u, VIEW_MARKED, false, true); break;
    case ACT_UNMARK: tui_flag(u, VIEW_MARKED, false, false); break;
    case ACT_COMMIT: tui_commit(u); break;
    case ACT_LIMIT: tui_limit_open(u); break;
    case ACT_SEARCH: tui_search_open(u); break;
    case ACT_SEARCH_NEXT: tui_search_go(u, 1); break;
    case ACT_SEARCH_PREV: tui_search_go(u, -1); break;
    case ACT_SORT: tui_sort(u); break;
    case ACT_GROUPING:
        u->v.by = (model_by)((u->v.by + 1) % 5);
        view_refresh(&u->v);
        u->gsel = u->gtop = u->msel = u->mtop = 0;
        break;
    case ACT_EXPORT: tui_export(u); break;
    case ACT_RELOAD: tui_reload(u); break;
    case ACT_HELP: tui_help_open(u); break;
    case ACT_REDRAW: clearok(stdscr, TRUE); break;
    case ACT_QUIT: tui_quit(u); break;
    case ACT_NONE: break;
    }
}

void tui_normal_key(tui *u, tui_key k)
{
    int c = tui_keycode(k);
    tui_action a = tui_key_action(c == '\r' ? '\n' : c);
    u->msg[0] = '\0';
    if (k.fn && k.c == KEY_MOUSE) {
        u->tagged_next = false;
        tui_mouse(u);
        return;
    }
    if (u->tagged_next && a != ACT_TAGGED && a != ACT_TAG && a != ACT_MARK && a != ACT_UNMARK) {
        u->tagged_next = false;   /* the key is not done: it was meant for the tagged */
        tui_say(u, true, "%s", _("; applies only to t, d or u"));
        return;
    }
    if (a == ACT_NONE && !(!k.fn && k.c == 27)) {   /* Esc: nothing to cancel, nothing to say */
        char name[64];
        tui_key_name(k, name, sizeof name);
        tui_say(u, true, _("Key %s is not bound: ? for help"), name);
        return;
    }
    tui_do(u, a);
}
