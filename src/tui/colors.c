/* The colours: one table of roles, with what each becomes without colours
 * (--no-color, NO_COLOR). */
#include <config.h>
#include "internal.h"

static const struct {
    tui_role role;
    short fg, bg;      /* -1: the terminal's default */
    attr_t mono;       /* without colours */
} tui_colors[] = {
    {R_NORMAL, -1, -1, A_NORMAL},
    {R_HEADER, COLOR_BLACK, COLOR_CYAN, A_REVERSE},
    {R_HEADING, COLOR_CYAN, -1, A_BOLD | A_UNDERLINE},
    {R_5XX, COLOR_RED, -1, A_BOLD},
    {R_4XX, COLOR_YELLOW, -1, A_NORMAL},
    {R_TAGGED, COLOR_GREEN, -1, A_UNDERLINE},
    {R_MARKED, COLOR_MAGENTA, -1, A_DIM | A_BOLD},
    {R_SELECTED, COLOR_BLACK, COLOR_WHITE, A_REVERSE},
    {R_ERROR, COLOR_WHITE, COLOR_RED, A_REVERSE | A_BOLD},
};

static bool tui_has_color;

attr_t tui_attr(tui_role r)
{
    if (tui_has_color)
        return COLOR_PAIR((short)(r + 1)) | (r == R_5XX || r == R_HEADING || r == R_MARKED ? A_BOLD : 0);
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
    case TEXT_NORMAL: break;
    }
    return A_NORMAL;
}

tui_role tui_code_role(const char *reply, const char *status)
{
    char c = reply && reply[0] ? reply[0] : status && status[0] ? status[0] : 0;
    return c == '5' ? R_5XX : c == '4' ? R_4XX : R_NORMAL;
}
