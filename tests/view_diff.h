/* The differential check of the MIME reading, for tests/test_mime.c and
 * fuzz/fuzz-analysis.c: a message read with multipart.c and read with
 * GMime's parser alone must give the same view, byte for byte.
 * Header-only; include after internal.h. */
#ifndef REBOTE_TEST_VIEW_DIFF_H
#define REBOTE_TEST_VIEW_DIFF_H

static bool view_diff_buf(const strbuf *a, const strbuf *b)
{
    return a->n != b->n || (a->n && memcmp(a->s, b->s, a->n) != 0);
}

static bool view_diff_list(const hlist *a, const hlist *b)
{
    if (a->n != b->n)
        return true;
    for (size_t i = 0; i < a->n; i++)
        if (strcmp(a->v[i].name, b->v[i].name) != 0 || strcmp(hlist_value(a, i), hlist_value(b, i)) != 0)
            return true;
    return false;
}

/* What differs between the two readings of [data, data+n): NULL when nothing. */
static const char *view_diff(const char *data, size_t n)
{
    msg_view a, b;
    msg_view_init(&a);
    msg_view_init(&b);
    bool ra = mime_parse(data, n, &a);
    mime_gmime_only = true;
    bool rb = mime_parse(data, n, &b);
    mime_gmime_only = false;
    const char *what = ra != rb                              ? "readable"
                       : view_diff_list(&a.head, &b.head)     ? "head"
                       : view_diff_list(&a.orig, &b.orig)     ? "orig"
                       : view_diff_buf(&a.text, &b.text)      ? "text"
                       : view_diff_buf(&a.dsn, &b.dsn)        ? "dsn"
                       : view_diff_buf(&a.feedback, &b.feedback) ? "feedback"
                       : view_diff_buf(&a.origtext, &b.origtext) ? "origtext"
                       : a.is_report != b.is_report || strcmp(a.report_type, b.report_type) ? "report type"
                                                                                             : NULL;
    msg_view_free(&a);
    msg_view_free(&b);
    return what;
}

#endif
