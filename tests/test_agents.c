/* Issue 14, class 6: every lhost-NAME / rhost-NAME family of the shared
 * corpus (../shared/corpus/sisimai, or $REBOTE_CORPUS) has a rule, so that
 * the records of its files name it in their agent. The file names say who
 * wrote the bounce (lhost-) or who refused the mail (rhost-); the rules
 * never see them. What the check accepts for a file of family NAME:
 *  - NAME itself (Sisimai's older names of a module count as the new one);
 *  - for the general relays (postfix, sendmail, exim, qmail, amazonses), the
 *    name of a receiver of the corpus (a relay's report of a refusal by
 *    Google is named google);
 *  - the family of another corpus file with the same bytes (one message
 *    filed under two names).
 * Auto-replies are no report of a family and are left out. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <cmocka.h>
#include "corpus-find.h"
#include "rebote/analysis.h"
#include "rebote/local.h"

static const char *corpus;

/* Sisimai's renamed modules: the old name's files are the new one's. */
static const struct { const char *old, *now; } renamed[] = {
    {"exchange", "exchange2003"}, {"interscanmss", "trendmicro"},
    {"mailmarshalsmtp", "mailmarshal"}, {"tencentqq", "tencent"},
};

static const char *const relays[] = {"postfix", "sendmail", "exim", "qmail", "amazonses", NULL};

typedef struct {
    char path[4096];
    char family[64];
    bool rhost;
    char *bytes;        /* line endings made LF */
    size_t n;
} cfile;

typedef struct {
    cfile *v;
    size_t n, cap;
} cfiles;

/* "lhost-dragonfly-07.eml" -> "dragonfly" (renamed modules mapped). */
static bool family_of(const char *name, char *out, size_t len, bool *rhost)
{
    if (strncmp(name, "lhost-", 6) && strncmp(name, "rhost-", 6))
        return false;
    *rhost = name[0] == 'r';
    const char *s = name + 6, *dash = strrchr(s, '-');
    if (!dash || (size_t)(dash - s) >= len)
        return false;
    memcpy(out, s, (size_t)(dash - s));
    out[dash - s] = '\0';
    for (size_t i = 0; i < sizeof renamed / sizeof renamed[0]; i++)
        if (!strcmp(out, renamed[i].old))
            snprintf(out, len, "%s", renamed[i].now);
    return true;
}

static char *read_lf(const char *path, size_t *n)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, len = 0;
    char *buf = malloc(cap);
    int c, prev = 0;
    while (buf && (c = getc(f)) != EOF) {
        if (len + 1 >= cap)
            buf = realloc(buf, cap *= 2);
        if (!buf)
            break;
        if (c == '\n' && prev == '\r') {
            prev = c;
            continue;   /* the CR already gave the LF */
        }
        prev = c;
        buf[len++] = c == '\r' ? '\n' : (char)c;
    }
    fclose(f);
    *n = len;
    return buf;
}

static void collect_dir(cfiles *fs, const char *dir)
{
    char path[4096];
    snprintf(path, sizeof path, "%s/maildir/%s", corpus, dir);
    DIR *dh = opendir(path);
    if (!dh)
        return;
    struct dirent *e;
    while ((e = readdir(dh)) != NULL) {
        cfile f = {0};
        if (!family_of(e->d_name, f.family, sizeof f.family, &f.rhost))
            continue;
        int k = snprintf(f.path, sizeof f.path, "%s/%.200s", path, e->d_name);
        assert_true(k > 0 && (size_t)k < sizeof f.path);
        f.bytes = read_lf(f.path, &f.n);
        assert_non_null(f.bytes);
        if (fs->n == fs->cap) {
            fs->cap = fs->cap ? fs->cap * 2 : 64;
            fs->v = realloc(fs->v, fs->cap * sizeof *fs->v);
            assert_non_null(fs->v);
        }
        fs->v[fs->n++] = f;
    }
    closedir(dh);
}

static bool in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (!strcmp(s, *list))
            return true;
    return false;
}

static bool is_receiver(const cfiles *fs, const char *agent)
{
    for (size_t i = 0; i < fs->n; i++)
        if (fs->v[i].rhost && !strcmp(fs->v[i].family, agent))
            return true;
    return false;
}

static bool same_bytes_as(const cfiles *fs, const cfile *f, const char *agent)
{
    for (size_t i = 0; i < fs->n; i++)
        if (!strcmp(fs->v[i].family, agent) && fs->v[i].n == f->n && !memcmp(fs->v[i].bytes, f->bytes, f->n))
            return true;
    return false;
}

static int collect_cb(const char *path, size_t index, const char *buf, size_t len, void *ctx)
{
    (void)path;
    (void)index;
    analysis_parse(buf, len, ctx);
    return 0;
}

static bool agent_fits(const cfiles *fs, const cfile *f, const char *agent)
{
    if (!strcmp(agent, f->family))
        return true;
    if (in_list(f->family, relays) && is_receiver(fs, agent))
        return true;
    return same_bytes_as(fs, f, agent);
}

/* Every file of every family: each record names the family. */
static void test_corpus_families_named(void **state)
{
    (void)state;
    cfiles fs = {0};
    static const char *const dirs[] = {"bsd", "dos", "mac", "tmp"};
    for (size_t d = 0; d < sizeof dirs / sizeof dirs[0]; d++)
        collect_dir(&fs, dirs[d]);
    size_t files = 0, misses = 0, families = 0;
    for (size_t i = 0; i < fs.n; i++) {
        const cfile *f = &fs.v[i];
        bool first = true;
        for (size_t j = 0; j < i && first; j++)
            first = strcmp(fs.v[j].family, f->family) != 0;
        families += first;
        rb_records rs;
        rb_records_init(&rs);
        assert_int_equal(local_each_message(f->path, collect_cb, &rs), 0);
        size_t named = 0, answers = 0;
        for (size_t r = 0; r < rs.n; r++) {
            const rb_record *x = &rs.v[r];
            answers += x->kind == RB_KIND_AUTOREPLY;
            if (x->kind == RB_KIND_AUTOREPLY || x->kind == RB_KIND_NONE)
                continue;
            named++;
            if (!agent_fits(&fs, f, x->agent ? x->agent : "")) {
                printf("# %s: record %zu names '%s', not %s\n", f->path + strlen(corpus) + 1, r + 1,
                       x->agent ? x->agent : "", f->family);
                misses++;
            }
        }
        if (named == 0 && answers == 0) {
            printf("# %s: no report (family %s)\n", f->path + strlen(corpus) + 1, f->family);
            misses++;
        }
        files++;
        rb_records_free(&rs);
    }
    printf("# %zu files of %zu lhost/rhost families, %zu records name another family\n", files, families, misses);
    for (size_t i = 0; i < fs.n; i++)
        free(fs.v[i].bytes);
    free(fs.v);
    assert_true(families >= 67);   /* 71 names in the corpus, 4 of them older names of another */
    assert_int_equal(misses, 0);
}

int main(void)
{
    int status;
    if (!(corpus = corpus_find("maildir/bsd", &status)))
        return status;
    analysis_init();
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_corpus_families_named),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
