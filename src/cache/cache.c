/* See rebote/cache.h. Schema version in PRAGMA user_version; a file that is
 * not a database, or of another version, is rebuilt. */
#include <config.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sqlite3.h>
#include "rebote/cache.h"
#include "rebote/util.h"

#define CACHE_VERSION 1

struct cache {
    sqlite3 *db;
    char err[256];
};

static const char *const schema =
    "CREATE TABLE IF NOT EXISTS messages (source TEXT NOT NULL, uidvalidity INTEGER NOT NULL,"
    " key TEXT NOT NULL, PRIMARY KEY (source, key)) WITHOUT ROWID;"
    "CREATE TABLE IF NOT EXISTS records (source TEXT NOT NULL, key TEXT NOT NULL, idx INTEGER NOT NULL,"
    " uid INTEGER, kind INTEGER, status TEXT, replycode TEXT, reason TEXT, hard INTEGER, recipient TEXT,"
    " action TEXT, diagnostic TEXT, rhost TEXT, lhost TEXT, command TEXT, date TEXT, time INTEGER,"
    " messageid TEXT, subject TEXT, sender TEXT, feedbacktype TEXT, agent TEXT,"
    " PRIMARY KEY (source, key, idx)) WITHOUT ROWID;";

/* Reason and agent names are static strings in the analysis; the cache gives
 * back the same pointers so records from cache and from analysis are alike. */
static const char *const known_names[] = {
    "undefined", "onhold", "userunknown", "hostunknown", "mailboxfull", "mesgtoobig", "blocked",
    "spamdetected", "policyviolation", "rejected", "expired", "filtered", "suspend", "hasmoved",
    "norelaying", "securityerror", "systemerror", "networkerror", "toomanyconn", "contenterror",
    "exceedlimit", "virusdetected", "authfailure", "badreputation", "requireptr", "notcompliantrfc",
    "speeding", "syntaxerror", "mailererror", "notaccept", "systemfull", "feedback", "vacation",
    "delivered", NULL,
};

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
    return "";
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

/* Opens the file and checks it is a cache of our version; rc 1: rebuild. */
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
        return 1;
    char sql[64];
    snprintf(sql, sizeof sql, "PRAGMA user_version=%d", CACHE_VERSION);
    if (sqlite3_exec(c->db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;", NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(c->db, schema, NULL, NULL, NULL) != SQLITE_OK ||
        sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
        return 1;
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
    if (rc == 1) {   /* corrupt or old: start afresh */
        sqlite3_close(c->db);
        c->db = NULL;
        char side[4200];
        unlink(path);
        snprintf(side, sizeof side, "%s-wal", path);
        unlink(side);
        snprintf(side, sizeof side, "%s-shm", path);
        unlink(side);
        snprintf(warn, warnlen, _("cache %s was unreadable and has been rebuilt"), path);
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

static int cache_load_keys(cache *c, const char *source, char ***keys, size_t *n)
{
    sqlite3_stmt *st;
    size_t cap = 0;
    *keys = NULL;
    *n = 0;
    if (sqlite3_prepare_v2(c->db, "SELECT key FROM messages WHERE source=?1 ORDER BY key", -1, &st, NULL) != SQLITE_OK)
        return cache_fail(c);
    sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        if (*n == cap) {
            cap = cap ? cap * 2 : 1024;
            char **v = realloc(*keys, cap * sizeof *v);
            if (!v)
                break;
            *keys = v;
        }
        (*keys)[(*n)++] = strdup(col(st, 0));
    }
    sqlite3_finalize(st);
    return 0;
}

static void cache_row_to_record(sqlite3_stmt *st, rb_record *r)
{
    r->key = strdup(col(st, 0));
    r->uid = (unsigned)sqlite3_column_int64(st, 1);
    r->kind = (rb_kind)sqlite3_column_int(st, 2);
    snprintf(r->status, sizeof r->status, "%s", col(st, 3));
    snprintf(r->replycode, sizeof r->replycode, "%s", col(st, 4));
    r->reason = cache_static_name(col(st, 5), true);
    r->hardbounce = sqlite3_column_int(st, 6) != 0;
    char **fields[] = {&r->recipient, &r->action, &r->diagnostic, &r->rhost, &r->lhost, &r->command,
                       &r->date, &r->messageid, &r->subject, &r->sender, &r->feedbacktype};
    int cols[] = {7, 8, 9, 10, 11, 12, 13, 15, 16, 17, 18};
    for (size_t i = 0; i < sizeof cols / sizeof cols[0]; i++)
        rb_field_dup(fields[i], col(st, cols[i]));
    r->time = sqlite3_column_int64(st, 14);
    r->agent = cache_static_name(col(st, 19), false);
    rb_record_pack(r);
}

int cache_load(cache *c, const char *source, uint32_t uidvalidity, char ***keys, size_t *nkeys,
               rb_records *records)
{
    *keys = NULL;
    *nkeys = 0;
    if (cache_exec2(c, "DELETE FROM records WHERE source=?1 AND key IN "
                       "(SELECT key FROM messages WHERE source=?1 AND uidvalidity<>?2)", source, uidvalidity) ||
        cache_exec2(c, "DELETE FROM messages WHERE source=?1 AND uidvalidity<>?2", source, uidvalidity))
        return -1;
    if (cache_load_keys(c, source, keys, nkeys) != 0)
        return -1;
    sqlite3_stmt *st;
    if (sqlite3_prepare_v2(c->db,
                           "SELECT key, uid, kind, status, replycode, reason, hard, recipient, action, "
                           "diagnostic, rhost, lhost, command, date, time, messageid, subject, sender, "
                           "feedbacktype, agent FROM records WHERE source=?1 ORDER BY key, idx",
                           -1, &st, NULL) != SQLITE_OK)
        return cache_fail(c);
    sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    while (sqlite3_step(st) == SQLITE_ROW) {
        rb_record *r = rb_records_add(records);
        if (!r)
            break;
        cache_row_to_record(st, r);
    }
    sqlite3_finalize(st);
    return 0;
}

static int cache_put_record(cache *c, sqlite3_stmt *st, const char *source, int idx, const rb_record *r)
{
    sqlite3_reset(st);
    sqlite3_bind_text(st, 1, source, -1, SQLITE_STATIC);
    sqlite3_bind_text(st, 2, r->key ? r->key : "", -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 3, idx);
    sqlite3_bind_int64(st, 4, r->uid);
    sqlite3_bind_int(st, 5, (int)r->kind);
    const char *texts[] = {r->status, r->replycode, r->reason};
    for (int i = 0; i < 3; i++)
        sqlite3_bind_text(st, 6 + i, texts[i], -1, SQLITE_STATIC);
    sqlite3_bind_int(st, 9, r->hardbounce);
    const char *more[] = {r->recipient, r->action, r->diagnostic, r->rhost, r->lhost, r->command, r->date};
    for (int i = 0; i < 7; i++)
        sqlite3_bind_text(st, 10 + i, more[i], -1, SQLITE_STATIC);
    sqlite3_bind_int64(st, 17, r->time);
    const char *last[] = {r->messageid, r->subject, r->sender, r->feedbacktype, r->agent};
    for (int i = 0; i < 5; i++)
        sqlite3_bind_text(st, 18 + i, last[i], -1, SQLITE_STATIC);
    return sqlite3_step(st) == SQLITE_DONE ? 0 : -1;
}

int cache_store(cache *c, const char *source, uint32_t uidvalidity, char *const *keys, size_t nkeys,
                const rb_records *records)
{
    sqlite3_stmt *msg = NULL, *rec = NULL;
    int rc = 0;
    if (sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return cache_fail(c);
    if (sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO messages VALUES (?1, ?2, ?3)", -1, &msg, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(c->db, "INSERT OR REPLACE INTO records VALUES (?1,?2,?3,?4,?5,?6,?7,?8,?9,?10,?11,"
                                  "?12,?13,?14,?15,?16,?17,?18,?19,?20,?21,?22)", -1, &rec, NULL) != SQLITE_OK)
        rc = cache_fail(c);
    for (size_t i = 0; rc == 0 && i < nkeys; i++) {
        sqlite3_reset(msg);
        sqlite3_bind_text(msg, 1, source, -1, SQLITE_STATIC);
        sqlite3_bind_int64(msg, 2, uidvalidity);
        sqlite3_bind_text(msg, 3, keys[i], -1, SQLITE_STATIC);
        if (sqlite3_step(msg) != SQLITE_DONE)
            rc = cache_fail(c);
    }
    const char *last = NULL;
    int idx = 0;
    for (size_t i = 0; rc == 0 && i < records->n; i++) {
        const rb_record *r = &records->v[i];
        idx = last && r->key && !strcmp(last, r->key) ? idx + 1 : 0;
        last = r->key;
        if (cache_put_record(c, rec, source, idx, r) != 0)
            rc = cache_fail(c);
    }
    sqlite3_finalize(msg);
    sqlite3_finalize(rec);
    sqlite3_exec(c->db, rc == 0 ? "COMMIT" : "ROLLBACK", NULL, NULL, NULL);
    return rc;
}

int cache_forget_begin(cache *c, const char *source, char *const *keys, size_t nkeys)
{
    sqlite3_stmt *a = NULL, *b = NULL;
    int rc = 0;
    if (sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL) != SQLITE_OK)
        return cache_fail(c);
    if (sqlite3_prepare_v2(c->db, "DELETE FROM messages WHERE source=?1 AND key=?2", -1, &a, NULL) != SQLITE_OK ||
        sqlite3_prepare_v2(c->db, "DELETE FROM records WHERE source=?1 AND key=?2", -1, &b, NULL) != SQLITE_OK)
        rc = cache_fail(c);
    for (size_t i = 0; rc == 0 && i < nkeys; i++) {
        sqlite3_stmt *both[] = {a, b};
        for (int j = 0; j < 2; j++) {
            sqlite3_reset(both[j]);
            sqlite3_bind_text(both[j], 1, source, -1, SQLITE_STATIC);
            sqlite3_bind_text(both[j], 2, keys[i], -1, SQLITE_STATIC);
            if (sqlite3_step(both[j]) != SQLITE_DONE)
                rc = cache_fail(c);
        }
    }
    sqlite3_finalize(a);
    sqlite3_finalize(b);
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
