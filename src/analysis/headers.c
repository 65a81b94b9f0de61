/* Header field lists: the decoded header of a message, or a header block
 * found as text (text/rfc822-headers, DSN field blocks), unfolded. */
#include <config.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

#define HLIST_MAX 1000

/* n bytes carved from the list's newest chunk, or from a new one (twice
 * the last, from 512 bytes to 16 KiB, or as large as n); NULL when out of
 * memory. */
static char *hlist_carve(hlist *h, size_t n)
{
    hchunk *c = h->chunks;
    if (!c || c->cap - c->used < n) {
        size_t cap = c ? (c->cap < 16384 ? c->cap * 2 : 16384) : 512;
        if (cap < n)
            cap = n;
        hchunk *fresh = malloc(sizeof *fresh + cap);
        if (!fresh)
            return NULL;
        fresh->next = c;
        fresh->used = 0;
        fresh->cap = cap;
        h->chunks = c = fresh;
    }
    char *p = c->data + c->used;
    c->used += n;
    return p;
}

/* Gives back the end of the last carve of n bytes, of which used are kept. */
static void hlist_uncarve(hlist *h, size_t n, size_t used)
{
    h->chunks->used -= n - used;
}

void hlist_add(hlist *h, const char *name, size_t nlen, const char *value, size_t vlen)
{
    if (h->n >= HLIST_MAX)
        return;
    if (h->n == h->cap) {
        size_t cap = h->cap ? h->cap * 2 : 32;
        hfield *v = realloc(h->v, cap * sizeof *v);
        if (!v)
            return;
        h->v = v;
        h->cap = cap;
    }
    while (vlen && isspace((unsigned char)*value))
        value++, vlen--;
    char *block = hlist_carve(h, nlen + 1 + vlen + 1);   /* the name, then the raw value */
    if (!block)
        return;
    memcpy(block, name, nlen);
    block[nlen] = '\0';
    memcpy(block + nlen + 1, value, vlen);
    block[nlen + 1 + vlen] = '\0';
    h->v[h->n] = (hfield){.name = block, .raw = block + nlen + 1, .rawlen = vlen,
                          .nlen = strlen(block)};   /* the name as a string, were it to hold a NUL */
    h->n++;
}

const char *hlist_value(const hlist *h, size_t i)
{
    hfield *f = &h->v[i];
    if (f->value)
        return f->value;
    size_t room = sanitize_cap(f->rawlen, 4 * FIELD_MAX_BYTES) + 4;
    hlist *w = (hlist *)h;   /* the chunks are the list's storage, not what it says */
    char *v = hlist_carve(w, room);
    if (!v) {
        analysis_oom_note();
        return "";
    }
    size_t n = sanitize_into(v, f->raw, f->rawlen, 4 * FIELD_MAX_BYTES);
    hlist_uncarve(w, room, n + 1);
    return f->value = v;
}

void hlist_free(hlist *h)
{
    for (hchunk *c = h->chunks, *next; c; c = next) {
        next = c->next;
        free(c);
    }
    free(h->v);
    memset(h, 0, sizeof *h);
}

/* The length, then the first letter (equal ones are equal with bit 0x20
 * set), rule out most fields before strncasecmp compares. */
const char *hlist_get(const hlist *h, const char *name)
{
    size_t n = strlen(name);
    int c = name[0] | 0x20;
    for (size_t i = 0; i < h->n; i++)
        if (h->v[i].nlen == n && (h->v[i].name[0] | 0x20) == c && strncasecmp(h->v[i].name, name, n) == 0)
            return hlist_value(h, i);
    return NULL;
}

/* Length of a field name at s, 0 if the line is not "Name: value"; sets
 * *colon to the colon's offset. RFC 5322's obsolete syntax allows spaces
 * before the colon ("Diagnostic-Code : smtp; 550 ..." of some gateways). */
static size_t field_name_len(const char *s, size_t n, size_t *colon)
{
    size_t i = 0;
    while (i < n && i < 80 && s[i] > ' ' && s[i] < 0x7F && s[i] != ':')
        i++;
    size_t j = i;
    while (i > 0 && j < n && j - i < 4 && (s[j] == ' ' || s[j] == '\t'))
        j++;
    *colon = j;
    return (i > 0 && j < n && s[j] == ':') ? i : 0;
}

void hlist_parse(hlist *h, const char *s, size_t n)
{
    const char *p = s, *end = s + n, *line;
    size_t len;
    strbuf value;
    const char *name = NULL;
    size_t nlen = 0;
    sb_init(&value);
    while (text_next_line(&p, end, &line, &len)) {
        if (len == 0)
            break;                       /* end of the header block */
        if ((line[0] == ' ' || line[0] == '\t') && name) {
            sb_add(&value, " ", 1);      /* unfold */
            sb_add(&value, line, len);
            continue;
        }
        if (name)
            hlist_add(h, name, nlen, value.s ? value.s : "", value.n);
        sb_reset(&value);
        size_t colon;
        nlen = field_name_len(line, len, &colon);
        name = nlen ? line : NULL;
        if (name)
            sb_add(&value, line + colon + 1, len - colon - 1);
    }
    if (name)
        hlist_add(h, name, nlen, value.s ? value.s : "", value.n);
    sb_free(&value);
}
