/* See rebote/cache.h. Schema version in PRAGMA user_version; a file that is
 * not a database, or of another version, is rebuilt. */
#include <config.h>
#include <pthread.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sqlite3.h>
#include "rebote/cache.h"
#include "rebote/util.h"

#define CACHE_VERSION 7   /* 2: one row per message, its records in a blob; 3: what they share once;
                             4: fields without bidi and invisible characters;
                             5: a message that is no report has a record of kind none (was: no record);
                             6: finalrecipient field (records have 13 strings);
                             7: sourceip field (14 strings) */

struct cache {
    sqlite3 *db;
    char err[256];
};

/* One row per analysed message: its records (one of kind none for a message
 * that is no report) serialised in one blob, see cache_put_record. A row per record
 * with a column per field cost SQLite twice the rows and a bind per field. */
static const char *const schema =
    "CREATE TABLE IF NOT EXISTS messages (source TEXT NOT NULL, key TEXT NOT NULL,"
    " uidvalidity INTEGER NOT NULL, records BLOB NOT NULL, PRIMARY KEY (source, key)) WITHOUT ROWID;";

/* Reason and agent names are static strings in the analysis; the cache gives
 * back the same pointers so records from cache and from analysis are alike. */
static const char *const known_names[] = {
    "undefined", "onhold", "userunknown", "hostunknown", "mailboxfull", "mesgtoobig", "blocked",
    "spamdetected", "policyviolation", "rejected", "expired", "filtered", "suspend", "hasmoved",
    "norelaying", "securityerror", "systemerror", "networkerror", "toomanyconn", "contenterror",
    "exceedlimit", "virusdetected", "authfailure", "badreputation", "requireptr", "notcompliantrfc",
    "speeding", "syntaxerror", "mailererror", "notaccept", "systemfull", "feedback", "vacation",
    "delivered", "challenge", "none", NULL,
};

const char *const *cache_reason_names(void)
{
    return known_names;
}

/* An agent name the list above does not hold (a family added since): kept
 * once for the life of the process, so that a record read back from the
 * cache names the family that analysed it. Only names that look like one
 * (1 to 31 of [a-z0-9_-]), at most 128 of them; anything else reads as "". */
static const char *cache_intern_agent(const char *s)
{
    static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
    static char pool[128][32];
    static size_t n;
    size_t len = strlen(s);
    if (len == 0 || len >= sizeof pool[0] || strspn(s, "abcdefghijklmnopqrstuvwxyz0123456789_-") != len)
        return "";
    const char *found = "";
    pthread_mutex_lock(&lock);
    for (size_t i = 0; i < n && !*found; i++)
        if (!strcmp(pool[i], s))
            found = pool[i];
    if (!*found && n < sizeof pool / sizeof pool[0]) {
        memcpy(pool[n], s, len + 1);
        found = pool[n++];
    }
    pthread_mutex_unlock(&lock);
    return found;
}

static const char *cache_static_name(const char *s, bool reason)
{
    for (const char *const *p = known_names; reason && *p; p++)
        if (!strcmp(*p, s))
            return *p;
    if (reason)
        return "undefined";
    static const char *const agents[] = {"sendmail", "postfix", "exim", "qmail", "courier",
        "exchange2003", "exchange2007", "office365", "gmail", "yahoo", "notes", "domino",
        "messagingserver", "opensmtpd", "amazonses", "googlegroups", "kddi", "trendmicro",
        "rfc3464", "rfc3834", "arf", "generic", NULL};
    for (const char *const *p = agents; *p; p++)
        if (!strcmp(*p, s))
            return *p;
    return cache_intern_agent(s);
}

int cache_default_path(char *out, size_t len)
{
    const char *xdg = getenv("XDG_CACHE_HOME"), *home = getenv("HOME");
    if (xdg && *xdg)
        snprintf(out, len, "%s/rebote/cache.db", xdg);
    else if (home && *home)
        snprintf(out, len, "%s/.cache/rebote/cache.db", home);
    else
        return -1;
    return 0;
}

static int cache_mkdirs(const char *path)
{
    char dir[4096];
    snprintf(dir, sizeof dir, "%s", path);
    for (char *p = dir + 1; *p; p++)
        if (*p == '/') {
            *p = '\0';
            if (mkdir(dir, 0700) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    return 0;
}

/* Opens the file and checks it is a cache of our version; rc 1 (not a
 * database) or 2 (another version): rebuild. */
static int cache_try(cache *c, const char *path)
{
    if (sqlite3_open_v2(path, &c->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                        NULL) != SQLITE_OK)
        return -1;
    sqlite3_busy_timeout(c->db, 2000);
    sqlite3_stmt *st = NULL;
    int version = -1;
    if (sqlite3_prepare_v2(c->db, "PRAGMA user_version", -1, &st, NULL) == SQLITE_OK &&
        sqlite3_step(st) == SQLITE_ROW)
        version = sqlite3_column_int(st, 0);
    sqlite3_finalize(st);
    if (version < 0)
        return 1;   /* not a database */
    if (version != 0 && version != CACHE_VERSION)
        return 2;   /* of another version */
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version=%d", CACHE_VERSION);
    if (sqlite3_exec(c->db, "PRAGMA page_size=16384; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", NULL,
                     NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(c->db, schema, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return 1;
    /* a table of that name but not ours (a foreign schema): rebuild */
    if (sqlite3_prepare_v2(c->db, "SELECT source, key, uidvalidity, records FROM messages LIMIT 0", -1, &st,
                           NULL) != SQLITE_OK)
        return 2;
    sqlite3_finalize(st);
    return 0;
}

cache *cache_open(const char *path, char *warn, size_t warnlen)
{
    cache *c = calloc(1, sizeof *c);
    if (!c || cache_mkdirs(path) != 0) {
        snprintf(warn, warnlen, _("cache %s unusable (%s): working without it"), path, strerror(errno));
        free(c);
        return NULL;
    }
    int rc = cache_try(c, path);
    if (rc == 1 || rc == 2) {   /* corrupt or of another version: start afresh */
        sqlite3_close(c->db);
        c->db = NULL;
        char side[4200];
        unlink(path);
        snprintf(side, sizeof side, "%s-wal", path);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", path);
        unlink(side);
        snprintf(warn, warnlen, rc == 2 ? _("cache %s was of another version or schema and has been rebuilt")
                                        : _("cache %s was unreadable and has been rebuilt"), path);
        rc = cache_try(c, path);
    }
    if (rc != 0) {
        snprintf(warn, warnlen, _("cache %s unusable (%s): working without it"), path,
                 c->db ? sqlite3_errmsg(c->db) : "cannot open");
        sqlite3_close(c->db);
        free(c);
        return NULL;
    }
    return c;
}

void cache_close(cache *c)
{
    if (!c)
        return;
    sqlite3_close(c->db);
    free(c);
}

const char *cache_error(const cache *c)
{
    return c->err;
}

static int cache_fail(cache *c)
{
    snprintf(c->err, sizeof c->err, "%s", sqlite3_errmsg(c->db));
    return -1;
}

static int cache_exec2(cache *c, const char *sql, const char *a, uint32_t b)
{
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
        return cache_fail(c);
    sqlite3_bind_text(st, 1, a, -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 2, b);
    int rc = sqlite3_step(st) == SQLITE_DONE ? 0 : cache_fail(c);
    sqlite3_finalize(st);
    return rc;
}

static const char *col(sqlite3_stmt *st, int i)
{
    const unsigned char *t = sqlite3_column_text(st, i);
    return t ? (const char *)t : "";
}

/* ---- a message's records as a blob ----
 * Per record: kind, hardbounce (a byte each), uid (4 bytes), time (8 bytes),
 * dropped (4 bytes), status, reply code, reason and agent (each
 * NUL-terminated), a mask (2 bytes) of the fields that are the first
 * record's (shared, so not repeated: 0 for the first), then the length (4
 * bytes) of the strings that follow, the record's other text fields in
 * rb_record_fields order but the key (the row's), each NUL-terminated.
 * Numbers are little-endian. */
#define KEY_BIT (1u << (RB_NFIELDS - 1))

typedef struct {
    unsigned char *b;
    size_t n, cap;
    bool failed;
} blob;

static void blob_add(blob *bl, const void *p, size_t n)
{
    if (bl->failed)
        return;
    if (bl->n + n > bl->cap) {
        size_t cap = bl->cap ? bl->cap : 1024;
        while (cap < bl->n + n)
            cap *= 2;
        unsigned char *v = realloc(bl->b, cap);
        if (!v) {
            bl->failed = true;
            return;
        }
        bl->b = v;
        bl->cap = cap;
    }
    memcpy(bl->b + bl->n, p, n);
    bl->n += n;
}

static void blob_int(blob *bl, unsigned long long v, int bytes)
{
    unsigned char le[8];
    for (int i = 0; i < bytes; i++)
        le[i] = (unsigned char)(v >> (8 * i));
    blob_add(bl, le, (size_t)bytes);
}

static void blob_str(blob *bl, const char *s)
{
    blob_add(bl, s ? s : "", strlen(s ? s : "") + 1);
}

static void cache_put_record(blob *bl, rb_record *r, const rb_record *first)
{
    blob_int(bl, (unsigned)r->kind, 1);
    blob_int(bl, r->hardbounce, 1);
    blob_int(bl, r->uid, 4);
    blob_int(bl, (unsigned long long)r->time, 8);
    blob_int(bl, r->dropped, 4);
    blob_str(bl, r->status);
    blob_str(bl, r->replycode);
    blob_str(bl, r->reason);
    blob_str(bl, r->agent);
    unsigned mask = r == first ? 0 : rb_record_shared_mask(r, first) & ~KEY_BIT;
    blob_int(bl, mask, 2);
    char **f[RB_NFIELDS];
    rb_record_fields(r, f);   /* the key, last, is the row's */
    size_t len = 0;
    for (int i = 0; i < RB_NFIELDS - 1; i++)
        if (!(mask & (1u << i)))
            len += strlen(*f[i] ? *f[i] : "") + 1;
    blob_int(bl, len, 4);
    for (int i = 0; i < RB_NFIELDS - 1; i++)
        if (!(mask & (1u << i)))
            blob_str(bl, *f[i]);
}

typedef struct {
    const unsigned char *p, *end;
} reader;

static bool read_int(reader *rd, int bytes, unsigned long long *v)
{
    if (rd->end - rd->p < bytes)
        return false;
    *v = 0;
    for (int i = 0; i < bytes; i++)
        *v |= (unsigned long long)rd->p[i] << (8 * i);
    rd->p += bytes;
    return true;
}

/* A NUL-terminated string of the blob; NULL past its end. */
static const char *read_str(reader *rd)
{
    const unsigned char *nul = memchr(rd->p, '\0', (size_t)(rd->end - rd->p));
    if (!nul)
        return NULL;
    const char *s = (const char *)rd->p;
    rd->p = nul + 1;
    return s;
}

/* One record of a blob. The first of a message (first NULL) has its
 * strings and the key in one block, as rb_record_pack leaves them, or, when
 * more records follow, the block they share; the others take the shared
 * strings of their mask from first. False: the blob is damaged. */
static bool cache_get_record(reader *rd, const char *key, rb_record *r, const rb_record *first)
{
    unsigned long long kind, hard, uid, time, dropped, mask, len;
    const char *status, *reply, *reason, *agent;
    if (!read_int(rd, 1, &kind) || !read_int(rd, 1, &hard) || !read_int(rd, 4, &uid) || !read_int(rd, 8, &time) ||
        !read_int(rd, 4, &dropped) || !(status = read_str(rd)) || !(reply = read_str(rd)) ||
        !(reason = read_str(rd)) || !(agent = read_str(rd)) || !read_int(rd, 2, &mask) || !read_int(rd, 4, &len) ||
        len > (unsigned long long)(rd->end - rd->p) || kind > RB_KIND_LAST || (mask && !first) ||
        (mask & KEY_BIT))
        return false;
    const unsigned char *strings = rd->p;
    size_t keylen = first ? 0 : strlen(key) + 1;   /* the key is the first's last string */
    char *block = malloc(len + keylen ? len + keylen : 1);
    if (!block)
        return false;
    memcpy(block, strings, len);
    memcpy(block + len, key, keylen);
    bool more = strings + len < rd->end;
    int rc = first ? rb_record_adopt_sharing(r, first, (unsigned)mask | KEY_BIT, block, len)
             : more ? rb_record_adopt_shared(r, block, len + keylen) : rb_record_adopt_pack(r, block, len + keylen);
    if (rc != 0)
        return false;
    char **f[RB_NFIELDS];
    rb_record_fields(r, f);
    size_t used = 0;   /* more strings than fields: damaged */
    for (int i = 0; i < RB_NFIELDS - 1; i++)
        if (!(mask & (1u << i)))
            used += strlen(*f[i]) + 1;
    if (used != len || (!first && strcmp(r->key, key))) {
        rb_record_free(r);
        return false;
    }
    r->dropped = (unsigned)dropped;
    rd->p = strings + len;
    r->kind = (rb_kind)kind;
    r->hardbounce = hard != 0;
    r->uid = (unsigned)uid;
    r->time = (long long)time;
    snprintf(r->status, sizeof r->status, "%s", status);
    snprintf(r->replycode, sizeof r->replycode, "%s", reply);
    r->reason = cache_static_name(reason, true);
    r->agent = cache_static_name(agent, false);
    return true;
}

static int cache_oom(cache *c)
{
    snprintf(c->err, sizeof c->err, "%s", strerror(ENOMEM));
    return -1;
}

/* Appends a copy of key to *keys (room for cap); -1 when out of memory. */
static int cache_add_key(cache *c, char ***keys, size_t *nkeys, size_t *cap, const char *key)
{
    if (*nkeys == *cap) {
        size_t more = *cap ? *cap * 2 : 1024;
        char **v = realloc(*keys, more * sizeof *v);
        if (!v)
            return cache_oom(c);
        *keys = v;
        *cap = more;
    }
    char *copy = strdup(key);
    if (!copy)
        return cache_oom(c);
    (*keys)[(*nkeys)++] = copy;
    return 0;
}

int cache_load(cache *c, const char *source, uint32_t uidvalidity, char ***keys, size_t *nkeys,
               rb_records *records)
{
    *keys = NULL;
    *nkeys = 0;
    if (cache_exec2(c, "DELETE FROM messages WHERE source=?1 AND uidvalidity<>?2", source, uidvalidity))
        return -1;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(c->db, "SELECT key, records FROM messages WHERE source=?1 ORDER BY key", -1, &st,
                           NULL) != SQLITE_OK)
        return cache_fail(c);
    sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    size_t cap = 0, first = records->n;
    int rc = 0, step;
    while (rc == 0 && (step = sqlite3_step(st)) == SQLITE_ROW) {
        const char *key = col(st, 0);
        const unsigned char *b = sqlite3_column_blob(st, 1);
        reader rd = {b, b + sqlite3_column_bytes(st, 1)};
        size_t firstk = records->n;
        while (rc == 0 && b && rd.p < rd.end) {
            rb_record *r = rb_records_add(records);
            if (!r)
                rc = cache_oom(c);
            else if (!cache_get_record(&rd, key, r, records->n - 1 > firstk ? &records->v[firstk] : NULL)) {
                records->n--;
                snprintf(c->err, sizeof c->err, "%s", _("damaged record"));
                rc = 1;
            }
        }
        if (rc == 0)
            rc = cache_add_key(c, keys, nkeys, &cap, key);
    }
    if (rc == 0 && step != SQLITE_DONE)
        rc = cache_fail(c);
    sqlite3_finalize(st);
    if (rc == 1 && cache_exec2(c, "DELETE FROM messages WHERE source=?1 AND uidvalidity=?2", source, uidvalidity))
        rc = -1;   /* a damaged entry that cannot be dropped: no cache this time */
    if (rc != 0) {   /* nothing of a damaged cache is used */
        for (size_t i = 0; i < *nkeys; i++)
            free((*keys)[i]);
        free(*keys);
        *keys = NULL;
        *nkeys = 0;
        while (records->n > first)
            rb_record_free(&records->v[--records->n]);
    }
    return rc;
}

int cache_store(cache *c, const char *source, uint32_t uidvalidity, char *const *keys, size_t nkeys,
                const rb_records *records)
{
    sqlite3_stmt *msg = NULL;
    int rc = 0;
    if (sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return cache_fail(c);
    if (sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO messages VALUES (?1, ?2, ?3, ?4)", -1, &msg, NULL) !=
        SQLITE_OK)
        rc = cache_fail(c);
    blob bl = {0};
    size_t j = 0;   /* the records come grouped by message, in the order of keys */
    for (size_t i = 0; rc == 0 && i < nkeys; i++) {
        bl.n = 0;
        for (size_t first = j; j < records->n && records->v[j].key && !strcmp(records->v[j].key, keys[i]); j++)
            cache_put_record(&bl, &records->v[j], &records->v[first]);
        if (bl.failed) {
            snprintf(c->err, sizeof c->err, "%s", strerror(ENOMEM));
            rc = -1;
            break;
        }
        sqlite3_reset(msg);
        sqlite3_bind_text(msg, 1, source, -1, SQLITE_STATIC);
        sqlite3_bind_text(msg, 2, keys[i], -1, SQLITE_STATIC);
        sqlite3_bind_int64(msg, 3, uidvalidity);
        sqlite3_bind_blob(msg, 4, bl.b ? (const void *)bl.b : "", (int)bl.n, SQLITE_STATIC);
        if (sqlite3_step(msg) != SQLITE_DONE)
            rc = cache_fail(c);
    }
    if (rc == 0 && j != records->n) {   /* a record of no listed message, or out of order */
        snprintf(c->err, sizeof c->err, "%s", _("records not grouped by message"));
        rc = -1;
    }
    free(bl.b);
    sqlite3_finalize(msg);
    sqlite3_exec(c->db, rc == 0 ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int cache_forget_begin(cache *c, const char *source, char *const *keys, size_t nkeys)
{
    sqlite3_stmt *a = NULL;
    int rc = 0;
    if (sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return cache_fail(c);
    if (sqlite3_prepare_v2(c->db, "DELETE FROM messages WHERE source=?1 AND key=?2", -1, &a, NULL) != SQLITE_OK)
        rc = cache_fail(c);
    for (size_t i = 0; rc == 0 && i < nkeys; i++) {
        sqlite3_reset(a);
        sqlite3_bind_text(a, 1, source, -1, SQLITE_STATIC);
        sqlite3_bind_text(a, 2, keys[i], -1, SQLITE_STATIC);
        if (sqlite3_step(a) != SQLITE_DONE)
            rc = cache_fail(c);
    }
    sqlite3_finalize(a);
    if (rc != 0)
        sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int cache_forget_end(cache *c, bool keep)
{
    return sqlite3_exec(c->db, keep ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL) == SQLITE_OK ? 0 : cache_fail(c);
}

int cache_forget(cache *c, const char *source, char *const *keys, size_t nkeys)
{
    return cache_forget_begin(c, source, keys, nkeys) != 0 ? -1 : cache_forget_end(c, true);
}
