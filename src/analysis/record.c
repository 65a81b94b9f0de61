/* Bounce records: allocation and sanitising of every text field. */
#include <config.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include "rebote/bounce.h"
#include "internal.h"

static const char *const kind_names[] = {
    [RB_KIND_NONE] = "none",         [RB_KIND_BOUNCE] = "bounce",
    [RB_KIND_DELAY] = "delay",       [RB_KIND_FEEDBACK] = "feedback",
    [RB_KIND_AUTOREPLY] = "autoreply", [RB_KIND_DELIVERED] = "delivered",
    [RB_KIND_CHALLENGE] = "challenge",
};

const char *rb_kind_name(rb_kind kind)
{
    if ((size_t)kind >= sizeof kind_names / sizeof kind_names[0])
        return "none";
    return kind_names[kind];
}

void rb_records_init(rb_records *rs)
{
    memset(rs, 0, sizeof *rs);
}

static _Thread_local unsigned long analysis_ooms;

void analysis_oom_note(void)
{
    analysis_ooms++;
}

unsigned long analysis_oom_count(void)
{
    return analysis_ooms;
}

/* The empty value every record field starts with: shared, never freed, so
 * that a record does not carry a dozen one-byte allocations. */
static char rb_empty[1];

rb_record *rb_records_take(rb_records *to, rb_record *r)
{
    rb_record *dst = rb_records_add(to);
    if (!dst)
        return NULL;
    rb_record_free(dst);
    *dst = *r;
    memset(r, 0, sizeof *r);
    return dst;
}

size_t rb_records_move(rb_records *from, rb_records *to)
{
    size_t moved = 0;
    while (moved < from->n && rb_records_take(to, &from->v[moved]))
        moved++;
    return moved;
}

void rb_field_free(char **field)
{
    if (*field != rb_empty)
        free(*field);
    *field = NULL;
}

int rb_field_dup(char **field, const char *s)
{
    char *copy = s && s[0] ? strdup(s) : rb_empty;
    if (!copy)
        return -1;
    rb_field_free(field);
    *field = copy;
    return 0;
}

void rb_record_fields(rb_record *r, char **fields[RB_NFIELDS])
{
    char **all[RB_NFIELDS] = {&r->recipient, &r->action, &r->diagnostic, &r->rhost,
                              &r->lhost, &r->command, &r->date, &r->messageid,
                              &r->subject, &r->sender, &r->feedbacktype,
                              &r->finalrecipient, &r->sourceip, &r->key};
    memcpy(fields, all, sizeof all);
}

struct rb_shared {
    atomic_long refs;   /* records pointing into s: they may be freed by different threads */
    char *s;
    size_t len;
};

static bool rb_in_pack(const rb_record *r, const char *s)
{
    return r->pack && s >= r->pack && s < r->pack + r->packlen;
}

static bool rb_in_shared(const rb_record *r, const char *s)
{
    return r->shared && s >= r->shared->s && s < r->shared->s + r->shared->len;
}

/* A string the record owns by itself (to free on its own). */
static bool rb_owned(const rb_record *r, const char *s)
{
    return s && s != rb_empty && !rb_in_pack(r, s) && !rb_in_shared(r, s);
}

static void rb_shared_unref(rb_shared *sh)
{
    if (sh && atomic_fetch_sub(&sh->refs, 1) == 1) {
        free(sh->s);
        free(sh);
    }
}

void rb_record_free(rb_record *r)
{
    char **fields[RB_NFIELDS];
    rb_record_fields(r, fields);
    for (size_t i = 0; i < RB_NFIELDS; i++) {
        if (rb_owned(r, *fields[i]))
            rb_field_free(fields[i]);
        *fields[i] = NULL;
    }
    free(r->pack);
    r->pack = NULL;
    r->packlen = 0;
    rb_shared_unref(r->shared);
    r->shared = NULL;
}

size_t rb_record_bytes(const rb_record *r)
{
    char **fields[RB_NFIELDS];
    rb_record_fields((rb_record *)r, fields);
    size_t n = sizeof *r + (r->pack ? r->packlen : 0);
    for (size_t i = 0; i < RB_NFIELDS; i++)
        if (rb_owned(r, *fields[i]))
            n += strlen(*fields[i]) + 1;
    return n;
}

unsigned rb_record_shared_mask(const rb_record *r, const rb_record *first)
{
    char **fr[RB_NFIELDS], **ff[RB_NFIELDS];
    rb_record_fields((rb_record *)r, fr);
    rb_record_fields((rb_record *)first, ff);
    unsigned mask = 0;
    for (size_t i = 0; first->shared && r->shared == first->shared && i < RB_NFIELDS; i++)
        if (*fr[i] == *ff[i] && rb_in_shared(first, *ff[i]))
            mask |= 1u << i;
    return mask;
}

/* Makes r point into sh for the fields equal to at[] (the shared strings,
 * NULL for an empty one) and moves its other strings into a pack of its
 * own. All or nothing: -1 (out of memory) leaves r as it was. */
static int rb_record_share_one(rb_record *r, rb_shared *sh, const char *const at[RB_NFIELDS], const char *key)
{
    char **fields[RB_NFIELDS];
    rb_record_fields(r, fields);
    const char *v[RB_NFIELDS];
    bool same[RB_NFIELDS];
    size_t own = 0;
    for (size_t i = 0; i < RB_NFIELDS; i++) {
        v[i] = key && fields[i] == &r->key ? key : *fields[i];
        same[i] = v[i] && (at[i] ? !strcmp(v[i], at[i]) : !v[i][0]);
        if (v[i] && !same[i])
            own += strlen(v[i]) + 1;
    }
    char *pack = own ? malloc(own) : NULL;
    if (own && !pack)
        return -1;
    char *put[RB_NFIELDS];
    size_t o = 0;
    for (size_t i = 0; i < RB_NFIELDS; i++) {
        put[i] = NULL;
        if (same[i])
            put[i] = at[i] ? (char *)at[i] : rb_empty;
        else if (v[i]) {
            size_t n = strlen(v[i]) + 1;
            memcpy(pack + o, v[i], n);
            put[i] = pack + o;
            o += n;
        }
    }
    /* every string copied: the old storage can go */
    for (size_t i = 0; i < RB_NFIELDS; i++)
        if (rb_owned(r, *fields[i]))
            free(*fields[i]);
    free(r->pack);
    rb_shared_unref(r->shared);
    for (size_t i = 0; i < RB_NFIELDS; i++)
        *fields[i] = put[i];
    r->pack = pack;
    r->packlen = o;
    atomic_fetch_add(&sh->refs, 1);
    r->shared = sh;
    return 0;
}

/* A new shared block holding first's strings (key as given); at[i] points
 * to field i's copy, NULL for an empty field. */
static rb_shared *rb_shared_from(rb_record *first, const char *key, const char *at[RB_NFIELDS])
{
    char **fields[RB_NFIELDS];
    rb_record_fields(first, fields);
    const char *v[RB_NFIELDS];
    size_t len = 0;
    for (size_t i = 0; i < RB_NFIELDS; i++) {
        v[i] = key && fields[i] == &first->key ? key : *fields[i];
        if (v[i] && v[i][0])
            len += strlen(v[i]) + 1;
    }
    rb_shared *sh = malloc(sizeof *sh);
    char *s = malloc(len ? len : 1);
    if (!sh || !s) {
        free(sh);
        free(s);
        return NULL;
    }
    size_t o = 0;
    for (size_t i = 0; i < RB_NFIELDS; i++) {
        at[i] = NULL;
        if (v[i] && v[i][0]) {
            size_t n = strlen(v[i]) + 1;
            memcpy(s + o, v[i], n);
            at[i] = s + o;
            o += n;
        }
    }
    atomic_init(&sh->refs, 0);
    sh->s = s;
    sh->len = o;
    return sh;
}

int rb_records_share(rb_records *rs, size_t from, const char *key, size_t cap, size_t *dropped)
{
    if (dropped)
        *dropped = 0;
    if (from >= rs->n)
        return 0;
    const char *at[RB_NFIELDS];
    rb_shared *sh = rb_shared_from(&rs->v[from], key, at);
    if (!sh)
        return -1;
    size_t used = sizeof *sh + sh->len, kept = from, left_out = 0;
    int rc = 0;
    for (size_t k = from; k < rs->n; k++) {
        rb_record *r = &rs->v[k];
        if (rb_record_share_one(r, sh, at, key) != 0)
            rc = -1;   /* still valid, only not shared */
        size_t b = rb_record_bytes(r);
        if (k > from && used + b > cap) {   /* the first record is always kept */
            rb_record_free(r);
            left_out++;
            continue;
        }
        used += b;
        rs->v[kept++] = *r;
    }
    rs->n = kept;
    rs->v[from].dropped += (unsigned)left_out;
    if (dropped)
        *dropped = left_out;
    if (atomic_load(&sh->refs) == 0) {   /* nobody took it */
        free(sh->s);
        free(sh);
    }
    return rc;
}

int rb_record_adopt_shared(rb_record *r, char *block, size_t len)
{
    rb_shared *sh = malloc(sizeof *sh);
    if (!sh) {
        free(block);
        return -1;
    }
    if (rb_record_adopt_pack(r, block, len) != 0) {
        free(sh);
        return -1;
    }
    atomic_init(&sh->refs, 1);
    sh->s = r->pack;
    sh->len = r->packlen;
    r->shared = sh;
    r->pack = NULL;
    r->packlen = 0;
    return 0;
}

int rb_record_adopt_sharing(rb_record *r, const rb_record *first, unsigned mask, char *block, size_t len)
{
    char **fr[RB_NFIELDS], **ff[RB_NFIELDS];
    rb_record_fields(r, fr);
    rb_record_fields((rb_record *)first, ff);
    char *at[RB_NFIELDS];
    size_t o = 0;
    for (size_t i = 0; i < RB_NFIELDS; i++) {
        if (mask & (1u << i)) {
            if (!first->shared || (*ff[i] != rb_empty && !rb_in_shared(first, *ff[i]))) {
                free(block);
                return -1;
            }
            at[i] = *ff[i];
            continue;
        }
        const char *nul = o < len ? memchr(block + o, '\0', len - o) : NULL;
        if (!nul) {
            free(block);
            return -1;
        }
        at[i] = block + o;
        o = (size_t)(nul - block) + 1;
    }
    for (size_t i = 0; i < RB_NFIELDS; i++)
        *fr[i] = mask & (1u << i) ? at[i] : at[i][0] ? at[i] : rb_empty;
    r->pack = block;
    r->packlen = len;
    atomic_fetch_add(&first->shared->refs, 1);
    r->shared = first->shared;
    return 0;
}

int rb_record_pack(rb_record *r, const char *key)
{
    char **fields[RB_NFIELDS];
    rb_record_fields(r, fields);
    /* what each field will hold: a borrowed key counts as the key */
    const char *src[RB_NFIELDS];
    size_t total = 0;
    for (size_t i = 0; i < RB_NFIELDS; i++) {
        src[i] = key && fields[i] == &r->key ? key : *fields[i];
        if (src[i] && src[i] != rb_empty && !rb_in_pack(r, src[i]) && !rb_in_shared(r, src[i]))
            total += strlen(src[i]) + 1;
    }
    if (total == 0)
        return 0;
    size_t old = r->pack ? r->packlen : 0;
    char *pack = malloc(old + total);
    if (!pack)
        return -1;
    size_t o = 0;
    for (size_t i = 0; i < RB_NFIELDS; i++) {
        const char *s = src[i];
        if (!s || s == rb_empty || rb_in_shared(r, s))
            continue;
        size_t n = strlen(s) + 1;
        memcpy(pack + o, s, n);
        if (s == *fields[i] && !rb_in_pack(r, s))
            free(*fields[i]);   /* an owned copy, now in the block */
        else if (s != *fields[i] && rb_owned(r, *fields[i]))
            rb_field_free(fields[i]);   /* the key it had */
        *fields[i] = pack + o;
        o += n;
    }
    free(r->pack);
    r->pack = pack;
    r->packlen = o;
    return 0;
}

int rb_record_adopt_pack(rb_record *r, char *block, size_t len)
{
    char *at[RB_NFIELDS];
    size_t o = 0;
    for (size_t i = 0; i < RB_NFIELDS; i++) {
        const char *nul = o < len ? memchr(block + o, '\0', len - o) : NULL;
        if (!nul) {
            free(block);
            return -1;
        }
        at[i] = block + o;
        o = (size_t)(nul - block) + 1;
    }
    char **fields[RB_NFIELDS];
    rb_record_fields(r, fields);
    for (size_t i = 0; i < RB_NFIELDS; i++)
        *fields[i] = at[i][0] ? at[i] : rb_empty;
    r->pack = block;
    r->packlen = len;
    return 0;
}

int rb_record_copy(rb_record *dst, const rb_record *src)
{
    *dst = *src;
    dst->pack = NULL;
    dst->packlen = 0;
    dst->shared = NULL;
    char **fields[RB_NFIELDS];
    rb_record_fields(dst, fields);
    int rc = 0;
    for (size_t i = 0; i < RB_NFIELDS; i++)
        if (*fields[i] && *fields[i] != rb_empty && !(*fields[i] = strdup(*fields[i])))
            rc = -1;
    return rc;
}

void rb_records_free(rb_records *rs)
{
    for (size_t i = 0; i < rs->n; i++)
        rb_record_free(&rs->v[i]);
    free(rs->v);
    rb_records_init(rs);
}

rb_record *rb_records_add(rb_records *rs)
{
    if (rs->n == rs->cap) {
        size_t cap = rs->cap ? rs->cap * 2 : 8;
        rb_record *v = realloc(rs->v, cap * sizeof *v);
        if (!v) {
            analysis_oom_note();
            return NULL;
        }
        rs->v = v;
        rs->cap = cap;
    }
    rb_record *r = &rs->v[rs->n++];
    memset(r, 0, sizeof *r);
    r->reason = "undefined";
    r->agent = "";
    char **fields[RB_NFIELDS];
    rb_record_fields(r, fields);
    for (size_t i = 0; i < RB_NFIELDS; i++)
        if (fields[i] != &r->key)   /* the key stays NULL until the loader sets it */
            *fields[i] = rb_empty;
    return r;
}

/* Sanitised on the stack, then one allocation of the length it has (not
 * sanitize_dup's allocation for the most it could be and a realloc), none
 * when it is empty. */
void rb_record_set(char **field, const char *s, size_t n)
{
    char buf[FIELD_MAX_BYTES + 4];   /* sanitize_cap(n, FIELD_MAX_BYTES) + 4 at most */
    size_t len = sanitize_into(buf, s ? s : "", s ? n : 0, FIELD_MAX_BYTES);
    char *copy = rb_empty;
    if (len) {
        copy = malloc(len + 1);
        if (!copy) {
            analysis_oom_note();
            return;
        }
        memcpy(copy, buf, len + 1);
    }
    rb_field_free(field);
    *field = copy;
}

