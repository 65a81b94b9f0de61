/* The colours: one table of roles, with what each becomes without colours
 * (--no-color, NO_COLOR). */
#include <config.h>
#include "internal.h"

static const struct {
    tui_role role;
    short fg, bg;      /* -1: the terminal's default */
    attr_t mono;       /* without colours */
    attr_t with;       /* added to the colour pair */
} tui_colors[] = {
    {R_NORMAL, -1, -1, A_NORMAL, 0},
    {R_HEADER, COLOR_BLACK, COLOR_CYAN, A_REVERSE, 0},
    {R_HEADING, COLOR_CYAN, -1, A_BOLD | A_UNDERLINE, A_BOLD},
    {R_HARD, COLOR_RED, -1, A_BOLD, 0},          /* hard failure: the address is bad */
    {R_SOFT, COLOR_YELLOW, -1, A_NORMAL, 0},     /* soft: the address may be fine */
    {R_NOFAIL, -1, -1, A_DIM, A_DIM},            /* auto-replies, feedback, not a bounce */
    {R_TAGGED, COLOR_GREEN, -1, A_UNDERLINE, 0},
    {R_MARKED, COLOR_MAGENTA, -1, A_DIM | A_BOLD, A_BOLD},
    {R_SELECTED, COLOR_BLACK, COLOR_WHITE, A_REVERSE, 0},
    {R_ERROR, COLOR_WHITE, COLOR_RED, A_REVERSE | A_BOLD, 0},
};

static bool tui_has_color;

attr_t tui_attr(tui_role r)
{
    if (tui_has_color)
        return COLOR_PAIR((short)(r + 1)) | tui_colors[r].with;
    return tui_colors[r].mono;
}

void tui_colors_init(bool want)
{
    tui_has_color = want && has_colors() && start_color() == OK;
    if (!tui_has_color)
        return;
    use_default_colors();
    for (size_t i = 0; i < sizeof tui_colors / sizeof tui_colors[0]; i++)
        init_pair((short)(tui_colors[i].role + 1), tui_colors[i].fg, tui_colors[i].bg);
}

attr_t tui_style_attr(text_style s)
{
    switch (s) {
    case TEXT_BOLD: return A_BOLD;
    case TEXT_HEADING: return tui_attr(R_HEADING);
    case TEXT_ERROR: return tui_attr(R_ERROR);
    case TEXT_HARD: return tui_attr(R_HARD);
    case TEXT_SOFT: return tui_attr(R_SOFT);
    case TEXT_NOFAIL: return tui_attr(R_NOFAIL);
    case TEXT_NORMAL: break;
    }
    return A_NORMAL;
}

tui_role tui_severity_role(text_severity s)
{
    return s == TEXT_SEV_HARD ? R_HARD : s == TEXT_SEV_SOFT ? R_SOFT : R_NOFAIL;
}
