/* The keys that take a pattern (the limit's syntax, rebote/view.h): l
 * limits, / searches and n, N go on, T and ^T tag and untag, D and U mark
 * and unmark for deletion. Each says what it did, and when the pattern was
 * used as plain text, why. */
#include <config.h>
#include <stdio.h>
#include "rebote/util.h"
#include "internal.h"

/* A pattern the model used as plain text (view_pattern.plain): the
 * message line says so before what was done with it. */
static void tui_note_pattern(tui *u, const view_pattern *p)
{
    const char *why = p->plain == VIEW_PLAIN_INVALID  ? _("Not a valid regular expression: used as plain text.")
                      : p->plain == VIEW_PLAIN_COSTLY ? _("Too costly as a regular expression: used as plain text.")
                                                      : NULL;
    if (!why)
        return;
    char said[sizeof u->msg];
    snprintf(said, sizeof said, "%s", u->msg);
    tui_say(u, true, said[0] ? "%s %s" : "%s%s", why, said);
}

/* The same for a pattern given as text (T, ^T, D, U compile their own). */
static void tui_note_text(tui *u, const char *text)
{
    view_pattern p = {0};
    view_pattern_set(&p, text);
    tui_note_pattern(u, &p);
    view_pattern_free(&p);
}

/* A pattern the model refuses ("domain:" alone, a kind that is none): said,
 * and the line opened again with it, as the limit does; true when refused.
 * (The previous search, tags and marks stay as they were.) */
static bool tui_pattern_refused(tui *u, const char *pat, const char *prompt, tui_text_done again)
{
    view_pattern p = {0};
    int rc = view_pattern_set(&p, pat);
    view_pattern_free(&p);
    if (rc <= 0)
        return false;
    char why[768];
    text_pattern_error(why, sizeof why, rc, pat, false);
    tui_say(u, true, "%s", why);
    tui_prompt_open(u, prompt, pat, again);
    return true;
}

static void tui_tag_done(tui *u, const char *pat);
static void tui_untag_done(tui *u, const char *pat);
static void tui_mark_done(tui *u, const char *pat);
static void tui_unmark_done(tui *u, const char *pat);

static void tui_pattern_done(tui *u, const char *pat, bool tag)
{
    if (!pat || !pat[0])
        return;
    if (tui_pattern_refused(u, pat, tag ? _("Tag pattern: ") : _("Untag pattern: "), tag ? tui_tag_done : tui_untag_done))
        return;
    size_t n = view_tag_pattern(&u->v, pat, tag);
    tui_say(u, false,
            tag ? ngettext("%zu bounce tagged", "%zu bounces tagged", n)
                : ngettext("%zu bounce untagged", "%zu bounces untagged", n),
            n);
    tui_note_text(u, pat);
}

/* D, U answered: the marks changed, told in messages, as $ deletes them. */
static void tui_mark_pattern_done(tui *u, const char *pat, bool on)
{
    if (!pat || !pat[0])
        return;
    if (tui_pattern_refused(u, pat, on ? _("Mark for deletion the bounces matching: ") : _("Unmark the bounces matching: "),
                            on ? tui_mark_done : tui_unmark_done))
        return;
    text_marks before, after;
    text_count_marks(&u->v, &before);
    view_flag_pattern(&u->v, pat, VIEW_MARKED, on);
    text_count_marks(&u->v, &after);
    size_t more = after.messages > before.messages ? after.messages - before.messages : 0;
    size_t fewer = before.messages > after.messages ? before.messages - after.messages : 0;
    size_t n = on ? more : fewer;
    tui_say(u, false,
            on ? ngettext("Marked %zu message for deletion", "Marked %zu messages for deletion", n)
               : ngettext("Unmarked %zu message", "Unmarked %zu messages", n),
            n);
    tui_note_text(u, pat);
}

static void tui_mark_done(tui *u, const char *pat)
{
    tui_mark_pattern_done(u, pat, true);
}

static void tui_unmark_done(tui *u, const char *pat)
{
    tui_mark_pattern_done(u, pat, false);
}

void tui_mark_pattern_open(tui *u, bool on)
{
    if (!on) {
        tui_prompt_open(u, _("Unmark the bounces matching: "), "", tui_unmark_done);
        return;
    }
    if (tui_refuse_mark(u))
        return;
    if (u->loading) {   /* as d on a group: only the records read so far would be marked */
        tui_say(u, true, _("Still loading: wait, or mark single messages"));
        return;
    }
    tui_prompt_open(u, _("Mark for deletion the bounces matching: "), "", tui_mark_done);
}

static void tui_tag_done(tui *u, const char *pat)
{
    tui_pattern_done(u, pat, true);
}

static void tui_untag_done(tui *u, const char *pat)
{
    tui_pattern_done(u, pat, false);
}

static void tui_limit_done(tui *u, const char *pat)
{
    if (!pat)
        return;
    int rc = view_set_filter(&u->v, pat);
    if (rc > 0) {   /* "domain:" alone, a kind that is none: said, the limit kept, the line open to fix it */
        char why[512];
        text_limit_error(why, sizeof why, rc, pat);
        tui_say(u, true, "%s", why);
        tui_prompt_open(u, _("Limit (empty: all): "), pat, tui_limit_done);
        return;
    }
    u->gsel = u->gtop = u->msel = u->mtop = 0;
    u->focus = PANE_GROUPS;
    char said[1024];
    text_limit_result(said, sizeof said, &u->v);   /* the kinds apart: an auto-reply is no bounce */
    tui_say(u, false, "%s", said);
    tui_note_pattern(u, &u->v.filter);
}

/* n, N (dir -1) and the end of /: the next group (groups pane) or bounce
 * (bounce pane, on into the next groups) that matches the search. */
void tui_search_go(tui *u, int dir)
{
    if (!u->search.text[0]) {
        tui_say(u, false, _("No search yet: / searches"));
        return;
    }
    bool bounces = u->focus == PANE_MESSAGES, wrapped;
    search_pos at;
    if (!search_find(&u->v, &u->search, bounces, dir, (search_pos){u->gsel, u->msel}, &at, &wrapped)) {
        tui_say(u, true, _("Not found: %s"), u->search.text);
        return;
    }
    if (at.g != u->gsel)
        u->msel = u->mtop = 0;
    u->gsel = at.g;
    if (bounces) {
        u->msel = at.m;
    } else {   /* on the group, its first bounce that matches: Tab shows it */
        const model_group *g = &u->v.groups.v[at.g];
        for (size_t k = 0; k < g->nidx; k++)
            if (view_pattern_match(&u->search, &u->v.rs->v[g->idx[k]], u->v.by)) {
                u->msel = k;
                break;
            }
    }
    if (wrapped)
        tui_say(u, false, "%s", dir > 0 ? _("Search wrapped to the top.") : _("Search wrapped to the end."));
}

static void tui_search_done(tui *u, const char *pat)
{
    if (!pat || !pat[0])
        return;
    if (tui_pattern_refused(u, pat, _("Search: "), tui_search_done))
        return;
    view_pattern_set(&u->search, pat);
    u->msg[0] = '\0';
    tui_search_go(u, 1);
    tui_note_pattern(u, &u->search);
}

void tui_tag_pattern_open(tui *u, bool tag)
{
    if (tag)
        tui_prompt_open(u, _("Tag pattern: "), "", tui_tag_done);
    else
        tui_prompt_open(u, _("Untag pattern: "), "", tui_untag_done);
}

void tui_limit_open(tui *u)
{
    tui_prompt_open(u, _("Limit (empty: all): "), u->v.filter.text, tui_limit_done);
}

void tui_search_open(tui *u)
{
    tui_prompt_open_default(u, _("Search: "), u->search.text, tui_search_done);   /* Enter repeats the last one */
}
