/* See search.h. */
#include <config.h>
#include "search.h"

bool search_group_matches(const view *v, const view_pattern *p, size_t g)
{
    const model_group *gr = &v->groups.v[g];
    for (size_t k = 0; k < gr->nidx; k++)
        if (view_pattern_match(p, &v->rs->v[gr->idx[k]], v->by))
            return true;
    return false;
}

/* The bounces of group g the search walks over: one stands for the whole
 * group when it searches the groups. */
static size_t search_len(const view *v, size_t g, bool bounces)
{
    return bounces ? v->groups.v[g].nidx : 1;
}

/* One step in the listed order, wrapping (and saying so). */
static search_pos search_step(const view *v, search_pos s, bool bounces, int dir, bool *wrapped)
{
    size_t n = v->groups.n;
    if (dir > 0) {
        if (s.m + 1 < search_len(v, s.g, bounces))
            return (search_pos){s.g, s.m + 1};
        if (s.g + 1 >= n)
            *wrapped = true;
        return (search_pos){s.g + 1 < n ? s.g + 1 : 0, 0};
    }
    if (s.m > 0)
        return (search_pos){s.g, s.m - 1};
    if (s.g == 0)
        *wrapped = true;
    size_t g = s.g > 0 ? s.g - 1 : n - 1, len = search_len(v, g, bounces);
    return (search_pos){g, len ? len - 1 : 0};
}

static bool search_matches(const view *v, const view_pattern *p, bool bounces, search_pos s)
{
    if (!bounces)
        return search_group_matches(v, p, s.g);
    const model_group *gr = &v->groups.v[s.g];
    return s.m < gr->nidx && view_pattern_match(p, &v->rs->v[gr->idx[s.m]], v->by);
}

bool search_find(const view *v, const view_pattern *p, bool bounces, int dir, search_pos from, search_pos *at,
                 bool *wrapped)
{
    *wrapped = false;
    if (!p->text[0] || v->groups.n == 0)
        return false;
    if (from.g >= v->groups.n)
        from = (search_pos){0, 0};
    if (!bounces)
        from.m = 0;
    else if (from.m >= v->groups.v[from.g].nidx)
        from.m = 0;
    size_t total = 0;
    for (size_t g = 0; g < v->groups.n; g++)
        total += search_len(v, g, bounces);
    search_pos s = from;
    for (size_t i = 0; i < total; i++) {   /* the last step comes back to `from` */
        s = search_step(v, s, bounces, dir, wrapped);
        if (search_matches(v, p, bounces, s)) {
            *at = s;
            return true;
        }
    }
    *wrapped = false;
    return false;
}
