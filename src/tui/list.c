/* The two lists: the groups, and the bounces of the selected group, each
 * under its column headings. */
#include <config.h>
#include <stdio.h>
#include <string.h>
#include "rebote/util.h"
#include "internal.h"

/* The sort names as the pane titles say them (view_sort_name, view_msort_name). */
static const char *const tui_sort_words[] __attribute__((unused)) = {
    N_("count"), N_("code"), N_("date"), N_("recipient"), N_("domain"),
};

/* The key column of the groups: as wide as the widest key, within a third of the pane. */
static int tui_group_keyw(const tui *u, const tui_layout *l)
{
    int most = l->lw / 3 > 16 ? l->lw / 3 : 16;
    return text_group_key_width(&u->v, most);
}

/* The list is empty: say why, in words. */
static void tui_draw_empty(const tui *u, int y, int w)
{
    char line[512];
    if (u->loading)
        snprintf(line, sizeof line, "   %s", _("(loading...)"));
    else if (u->v.rs->n && u->v.filter.text[0])
        snprintf(line, sizeof line, _("   No bounce matches the limit \"%s\" (l changes it)."), u->v.filter.text);
    else
        snprintf(line, sizeof line, "   %s", _("No bounces to show."));
    tui_text(y, 0, w, line, A_NORMAL);
}

void tui_draw_groups(tui *u, const tui_layout *l)
{
    const model_groups *gs = &u->v.groups;
    size_t max = 1;
    for (size_t i = 0; i < gs->n; i++)
        if (gs->v[i].records > max)
            max = gs->v[i].records;
    char head[256], line[1024];
    int keyw = tui_group_keyw(u, l);
    snprintf(head, sizeof head, _("Groups (%zu), sorted by %s"), gs->n, _(view_sort_name(u->v.sort)));
    if (u->focus == PANE_GROUPS)
        text_position(head, sizeof head, u->gsel, gs->n);
    tui_text(l->gy - 1, 0, l->lw, head, tui_attr(R_HEADING));
    text_group_columns(line, sizeof line, &u->v, keyw);
    tui_text(l->gy, 0, l->lw, line, A_BOLD);
    int rows = l->gh - 1, y0 = l->gy + 1;
    tui_clamp_top(&u->gtop, gs->n, rows > 0 ? rows : 1);
    tui_fix_scroll(u->gsel, &u->gtop, rows > 0 ? rows : 1);
    for (int row = 0; row < rows; row++) {
        size_t i = u->gtop + (size_t)row;
        if (i >= gs->n) {
            if (i == 0)
                tui_draw_empty(u, y0 + row, l->lw);
            else
                tui_text(y0 + row, 0, l->lw, "", A_NORMAL);
            continue;
        }
        const model_group *g = &gs->v[i];
        text_group_row(line, sizeof line, &u->v, g, max, keyw);
        attr_t at = tui_attr(tui_severity_role(text_group_severity(g)));
        if (i == u->gsel)
            at = u->focus == PANE_GROUPS ? tui_attr(R_SELECTED) : A_BOLD | A_UNDERLINE;
        else if (text_flag_char(&u->v, g, VIEW_MARKED, 'D', 'd') != ' ')
            at = tui_attr(R_MARKED);
        tui_text(y0 + row, 0, l->lw, line, at);
    }
}

void tui_draw_messages(tui *u, const tui_layout *l)
{
    const model_group *g = u->gsel < u->v.groups.n ? &u->v.groups.v[u->gsel] : NULL;
    char head[256], line[1400];
    snprintf(head, sizeof head, _("Bounces of %s (%zu), sorted by %s"), g ? text_group_key(g->key) : "-",
             g ? g->nidx : 0, _(view_msort_name(u->v.msort)));
    if (u->focus == PANE_MESSAGES && g)
        text_position(head, sizeof head, u->msel, g->nidx);
    tui_text(l->my - 1, 0, l->lw, head, tui_attr(R_HEADING));
    text_bounce_columns(line, sizeof line);
    tui_text(l->my, 0, l->lw, line, A_BOLD);
    int rows = l->mh - 1, y0 = l->my + 1;
    if (g) {
        tui_clamp_top(&u->mtop, g->nidx, rows > 0 ? rows : 1);
        tui_fix_scroll(u->msel, &u->mtop, rows > 0 ? rows : 1);
    }
    for (int row = 0; row < rows; row++) {
        size_t i = u->mtop + (size_t)row;
        if (!g || i >= g->nidx) {
            tui_text(y0 + row, 0, l->lw, "", A_NORMAL);
            continue;
        }
        size_t ri = g->idx[i];
        unsigned char f = u->v.flags[ri];
        text_bounce_row(line, sizeof line, &u->v, ri);
        attr_t at = f & VIEW_MARKED   ? tui_attr(R_MARKED)
                    : f & VIEW_TAGGED ? tui_attr(R_TAGGED)
                                      : tui_attr(tui_severity_role(text_record_severity(&u->v.rs->v[ri])));
        if (i == u->msel && u->focus == PANE_MESSAGES)
            at = tui_attr(R_SELECTED);
        tui_text(y0 + row, 0, l->lw, line, at);
    }
}

/* s: the next sort of the pane that has the focus; the selection stays on
 * the same group, and on the same bounce. */
void tui_sort(tui *u)
{
    char key[160] = "";
    size_t rec = (size_t)-1;
    const model_group *g = u->gsel < u->v.groups.n ? &u->v.groups.v[u->gsel] : NULL;
    if (g)
        snprintf(key, sizeof key, "%s", g->key);
    if (g && u->msel < g->nidx)
        rec = g->idx[u->msel];
    if (u->focus == PANE_GROUPS)
        u->v.sort = (view_sort)((u->v.sort + 1) % VIEW_SORT_N);
    else
        u->v.msort = (view_msort)((u->v.msort + 1) % VIEW_MSORT_N);
    view_resort(&u->v);
    u->gsel = u->msel = 0;
    for (size_t i = 0; key[0] && i < u->v.groups.n; i++)
        if (!strcmp(u->v.groups.v[i].key, key)) {
            u->gsel = i;
            g = &u->v.groups.v[i];
            for (size_t k = 0; k < g->nidx; k++)
                if (g->idx[k] == rec)
                    u->msel = k;
            break;
        }
}
