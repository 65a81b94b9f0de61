/* The two lists: the groups, and the bounces of the selected group. */
#include <config.h>
#include <stdio.h>
#include "rebote/util.h"
#include "internal.h"

void tui_draw_groups(tui *u, const tui_layout *l)
{
    const model_groups *gs = &u->v.groups;
    size_t max = 1;
    for (size_t i = 0; i < gs->n; i++)
        if (gs->v[i].records > max)
            max = gs->v[i].records;
    char head[256], line[512];
    snprintf(head, sizeof head, _("Groups (%zu)"), gs->n);
    if (u->focus == PANE_GROUPS)
        text_position(head, sizeof head, u->gsel, gs->n);
    tui_text(l->gy - 1, 0, l->lw, head, tui_attr(R_HEADING));
    tui_fix_scroll(u->gsel, &u->gtop, l->gh);
    for (int row = 0; row < l->gh; row++) {
        size_t i = u->gtop + (size_t)row;
        if (i >= gs->n) {
            tui_text(l->gy + row, 0, l->lw, "", A_NORMAL);
            continue;
        }
        const model_group *g = &gs->v[i];
        text_group_row(line, sizeof line, &u->v, g, max);
        attr_t at = tui_attr(tui_severity_role(text_group_severity(g)));
        if (i == u->gsel)
            at = u->focus == PANE_GROUPS ? tui_attr(R_SELECTED) : A_BOLD | A_UNDERLINE;
        else if (text_flag_char(&u->v, g, VIEW_MARKED, 'D', 'd') != ' ')
            at = tui_attr(R_MARKED);
        tui_text(l->gy + row, 0, l->lw, line, at);
    }
}

void tui_draw_messages(tui *u, const tui_layout *l)
{
    const model_group *g = u->gsel < u->v.groups.n ? &u->v.groups.v[u->gsel] : NULL;
    char head[256], line[1400];
    snprintf(head, sizeof head, _("Bounces of %s (%zu)"), g ? g->key : "-", g ? g->nidx : 0);
    if (u->focus == PANE_MESSAGES && g)
        text_position(head, sizeof head, u->msel, g->nidx);
    tui_text(l->my - 1, 0, l->lw, head, tui_attr(R_HEADING));
    if (g)
        tui_fix_scroll(u->msel, &u->mtop, l->mh);
    for (int row = 0; row < l->mh; row++) {
        size_t i = u->mtop + (size_t)row;
        if (!g || i >= g->nidx) {
            tui_text(l->my + row, 0, l->lw, "", A_NORMAL);
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
        tui_text(l->my + row, 0, l->lw, line, at);
    }
}
