/* fml, the mailing-list manager: its own notices to the list's admin
 * ("Loop Alert: Duplicated Message-ID", "not member" rejections) carry a
 * Message-Id of fml ("....FMLnnnn.list@host") and an X-MLServer header;
 * the address is the list's, the original follows "Original mail as follows:". */
#include <config.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}

static const mta_hint fml_hints[] = {
    {"duplicated message-id", "systemerror"},   /* a loop fml stopped */
    {"loop alert", "systemerror"},
    {"not member", "rejected"},
    {"are not allowed to post", "rejected"},
    {"too big", "mesgtoobig"},
    {NULL, NULL},
};

/* fml names the address in its sentence ("Duplicated Message-ID in <list@host>."),
 * which the line scan does not take: the first line before the original that
 * holds an address and one of fml's phrases. */
static void fml_refine(const msg_view *m, scan_result *r)
{
    if (r->n)
        return;
    const char *p = m->text.s, *end = m->text.s + m->text.n, *line;
    const char *stop = view_find(m, p, end, "Original mail as follows:");
    size_t len, alen;
    while (text_next_line(&p, stop ? stop : end, &line, &len)) {
        const char *a = text_find_address(line, len, &alen);
        for (const mta_hint *h = fml_hints; a && h->text; h++) {
            if (!text_casestr_n(line, len, h->text))
                continue;
            scan_hit *hit = scan_result_add(r, a, alen);
            if (hit && !hit->diagnostic) {
                hit->diagnostic = sanitize_dup(line, len, FIELD_MAX_BYTES);
                hit->reason = h->reason;
            }
            return;
        }
    }
}

const mta_family mta_fml = {
    .name = "fml",
    .headers = L("Message-Id:.FML"),
    .end = L("Original mail as follows:"),
    .hints = fml_hints,
    .reason = "systemerror",
    .refine = fml_refine,
};
