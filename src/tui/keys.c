/* The keys: one table, which also writes the help screen. */
#include <config.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rebote/util.h"
#include "internal.h"

static const struct {
    int key;
    tui_action action;
    const char *label;   /* NULL: an alias, not listed in the help */
    const char *help;
} tui_keys[] = {
    {'j', ACT_DOWN, "j ↓", N_("next line")},
    {KEY_DOWN, ACT_DOWN, NULL, NULL},
    {'k', ACT_UP, "k ↑", N_("previous line")},
    {KEY_UP, ACT_UP, NULL, NULL},
    {KEY_NPAGE, ACT_PGDN, "PgDn", N_("next page")},
    {' ', ACT_PGDN, NULL, NULL},
    {KEY_PPAGE, ACT_PGUP, "PgUp", N_("previous page")},
    {'g', ACT_TOP, "g", N_("first line")},
    {KEY_HOME, ACT_TOP, NULL, NULL},
    {'G', ACT_BOTTOM, "G", N_("last line")},
    {KEY_END, ACT_BOTTOM, NULL, NULL},
    {'\t', ACT_SWITCH, "Tab", N_("switch between groups and messages")},
    {KEY_LEFT, ACT_LEFT, "←", N_("go to the groups")},
    {KEY_RIGHT, ACT_RIGHT, "→", N_("go to the messages of the group")},
    {'\n', ACT_ENTER, "Enter", N_("open the group / show the whole bounce")},
    {KEY_ENTER, ACT_ENTER, NULL, NULL},
    {'t', ACT_TAG, "t", N_("tag or untag the line (a group: all its bounces)")},
    {'T', ACT_TAG_PATTERN, "T", N_("tag the bounces matching a pattern")},
    {20, ACT_UNTAG_PATTERN, "^T", N_("untag the bounces matching a pattern")},
    {';', ACT_TAGGED, ";", N_("apply the next t, d or u to the tagged bounces")},
    {'a', ACT_TAG_ALL, "a", N_("tag every bounce of the group")},
    {'d', ACT_MARK, "d", N_("mark the line (message or whole group) for deletion")},
    {'u', ACT_UNMARK, "u", N_("unmark the line")},
    {'D', ACT_MARK_PATTERN, "D", N_("mark for deletion the bounces matching a pattern")},
    {'U', ACT_UNMARK_PATTERN, "U", N_("unmark the bounces matching a pattern")},
    {'$', ACT_COMMIT, "$", N_("delete the marked messages (asks first)")},
    {'l', ACT_LIMIT, "l", N_("limit: show only the bounces matching a pattern (regex; to:, domain:, diag:, subject:, mta: one field)")},
    {'/', ACT_SEARCH, "/", N_("search: the next group or bounce matching a pattern (the same as l's)")},
    {'n', ACT_SEARCH_NEXT, "n N", N_("the next, previous match of the search")},
    {'N', ACT_SEARCH_PREV, NULL, NULL},
    {'s', ACT_SORT, "s", N_("sort the pane that has the focus (groups: count, code, date; bounces: date, recipient, domain, code)")},
    {'b', ACT_GROUPING, "b", N_("group by: code, status, reason, domain, remote MTA")},
    {'e', ACT_EXPORT, "e", N_("export the view (only the tagged, when some are)")},
    {'r', ACT_RELOAD, "r", N_("reload the mailbox")},
    {'?', ACT_HELP, "?", N_("this help")},
    {12, ACT_REDRAW, "^L", N_("redraw the screen")},
    {'q', ACT_QUIT, "q", N_("quit (asks when deletions are pending)")},
};

tui_action tui_key_action(int key)
{
    for (size_t i = 0; i < sizeof tui_keys / sizeof tui_keys[0]; i++)
        if (tui_keys[i].key == key)
            return tui_keys[i].action;
    return key == '\r' ? ACT_ENTER : ACT_NONE;
}

/* The names of the function keys a person knows by their label. */
static const struct {
    int key;
    const char *name;
} tui_key_names[] = {
    {KEY_DC, "Del"}, {KEY_IC, "Ins"}, {KEY_BACKSPACE, "Backspace"}, {KEY_BTAB, "Shift-Tab"},
    {KEY_HOME, "Home"}, {KEY_END, "End"}, {KEY_NPAGE, "PgDn"}, {KEY_PPAGE, "PgUp"},
};

void tui_key_name(tui_key k, char *out, size_t len)
{
    if (k.fn) {
        if ((int)k.c >= KEY_F0 && (int)k.c <= KEY_F(63)) {
            snprintf(out, len, "F%d", (int)k.c - KEY_F0);
            return;
        }
        for (size_t i = 0; i < sizeof tui_key_names / sizeof tui_key_names[0]; i++)
            if (tui_key_names[i].key == (int)k.c) {
                snprintf(out, len, "%s", tui_key_names[i].name);
                return;
            }
        const char *n = keyname((int)k.c);   /* "KEY_SLEFT": without the prefix */
        snprintf(out, len, "%s", !n ? "?" : strncmp(n, "KEY_", 4) ? n : n + 4);
    } else if (k.c == 27) {
        snprintf(out, len, "Esc");
    } else if (k.c == 127) {
        snprintf(out, len, "Backspace");
    } else if (k.c < 32) {
        snprintf(out, len, "^%c", (char)(k.c + '@'));
    } else {
        char mb[MB_LEN_MAX + 1];
        int n = wctomb(mb, (wchar_t)k.c);
        snprintf(out, len, "%.*s", n > 0 ? n : 1, n > 0 ? mb : "?");
    }
}

void tui_help_lines(text_lines *L)
{
    char key[64];
    for (size_t i = 0; i < sizeof tui_keys / sizeof tui_keys[0]; i++) {
        if (!tui_keys[i].label)
            continue;
        int pad = 8 - text_width(tui_keys[i].label);
        snprintf(key, sizeof key, "  %s%*s ", tui_keys[i].label, pad > 0 ? pad : 1, "");
        text_wrap(L, key, _(tui_keys[i].help), TEXT_NORMAL);   /* long texts wrap under themselves */
    }
    text_legend_lines(L);
}
