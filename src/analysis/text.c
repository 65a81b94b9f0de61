/* Small string helpers shared by the analysis modules. */
#include <config.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

void sb_init(strbuf *b) { memset(b, 0, sizeof *b); }
void sb_free(strbuf *b) { free(b->s); sb_init(b); }
void sb_reset(strbuf *b) { b->n = 0; if (b->s) b->s[0] = '\0'; }

void sb_add(strbuf *b, const char *s, size_t n)
{
    if (b->n + n + 1 > b->cap) {
        size_t cap = b->cap ? b->cap : 256;
        while (cap < b->n + n + 1)
            cap *= 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            analysis_oom_note();
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

void sb_adds(strbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

#ifdef __SSE2__
#include <emmintrin.h>
/* text_casestr_n for a needle of two bytes or more: sixteen starts at a
 * time hold both its first and its second byte (either case, as
 * strncasecmp compares them), and only those are compared in full. */
static const char *casestr_sse2(const char *hay, size_t n, const char *needle, size_t m)
{
    const __m128i l0 = _mm_set1_epi8((char)tolower((unsigned char)needle[0]));
    const __m128i u0 = _mm_set1_epi8((char)toupper((unsigned char)needle[0]));
    const __m128i l1 = _mm_set1_epi8((char)tolower((unsigned char)needle[1]));
    const __m128i u1 = _mm_set1_epi8((char)toupper((unsigned char)needle[1]));
    size_t last = n - m, i = 0;   /* the last start */
    for (; i + 17 <= n && i <= last; i += 16) {
        __m128i a = _mm_loadu_si128((const __m128i *)(const void *)(hay + i));
        __m128i b = _mm_loadu_si128((const __m128i *)(const void *)(hay + i + 1));
        __m128i first = _mm_or_si128(_mm_cmpeq_epi8(a, l0), _mm_cmpeq_epi8(a, u0));
        __m128i second = _mm_or_si128(_mm_cmpeq_epi8(b, l1), _mm_cmpeq_epi8(b, u1));
        unsigned bits = (unsigned)_mm_movemask_epi8(_mm_and_si128(first, second));
        for (; bits; bits &= bits - 1) {
            size_t k = i + (size_t)__builtin_ctz(bits);
            if (k > last)
                return NULL;
            if (m == 2 || strncasecmp(hay + k + 2, needle + 2, m - 2) == 0)
                return hay + k;
        }
    }
    int lo = tolower((unsigned char)needle[0]), up = toupper((unsigned char)needle[0]);
    for (; i <= last; i++)   /* the starts too near the end for sixteen bytes */
        if (((unsigned char)hay[i] == lo || (unsigned char)hay[i] == up) &&
            strncasecmp(hay + i + 1, needle + 1, m - 1) == 0)
            return hay + i;
    return NULL;
}
#endif

const char *text_casestr_n(const char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    if (m == 0)
        return hay;
    if (m > n)
        return NULL;
#ifdef __SSE2__
    if (m >= 2)
        return casestr_sse2(hay, n, needle, m);
#endif
    int lo = tolower((unsigned char)needle[0]), up = toupper((unsigned char)needle[0]);
    const char *p = hay, *last = hay + (n - m) + 1;   /* one past the last start */
    while (p < last) {
        /* the earliest candidate first character, in either case (memchr is fast) */
        const char *a = memchr(p, lo, (size_t)(last - p));
        const char *b = lo != up ? memchr(p, up, (size_t)((a ? a : last) - p)) : NULL;
        const char *c = b ? b : a;
        if (!c)
            return NULL;
        if (m == 1 || (tolower((unsigned char)c[1]) == tolower((unsigned char)needle[1]) &&
                       strncasecmp(c + 1, needle + 1, m - 1) == 0))
            return c;
        p = c + 1;
    }
    return NULL;
}

const char *text_casestr(const char *hay, const char *needle)
{
    return hay ? text_casestr_n(hay, strlen(hay), needle) : NULL;
}

bool text_prefix_ci(const char *s, const char *prefix)
{
    if (prefix[0] && tolower((unsigned char)s[0]) != tolower((unsigned char)prefix[0]))
        return false;   /* the first letter rules out most prefixes, before any strlen */
    return strncasecmp(s, prefix, strlen(prefix)) == 0;
}

bool text_next_line(const char **p, const char *end, const char **line, size_t *len)
{
    if (*p >= end)
        return false;
    const char *nl = memchr(*p, '\n', (size_t)(end - *p));
    *line = *p;
    *len = (size_t)((nl ? nl : end) - *p);
    *p = nl ? nl + 1 : end;
    return true;
}

/* ASCII as bit sets (bit c of [c / 64]): letters, digits and
 * !#$%&'*+-/=?^_`{|}~. for a local part; letters, digits and -._ for a
 * domain. Tested per byte of every address found, a table instead of
 * isalnum and strchr. */
static const uint64_t addr_ascii[2] = {0xa3ffecfa00000000u, 0x7fffffffc7fffffeu};
static const uint64_t domain_ascii[2] = {0x03ff600000000000u, 0x07fffffe87fffffeu};

bool text_is_addr_char(int c)
{
    if (c >= 0x80)
        return true;
    return c >= 0 && (addr_ascii[c >> 6] >> (c & 63) & 1);
}

/* Bytes from 0x80 as isalnum says in the locale (none in UTF-8 ones). */
static inline bool is_domain_char(int c)
{
    if (c >= 0x80)
        return isalnum(c);
    return c >= 0 && (domain_ascii[c >> 6] >> (c & 63) & 1);
}

const char *text_find_address(const char *s, size_t n, size_t *alen)
{
    if (n < 3)
        return NULL;
    for (size_t i = 1; i + 1 < n; i++) {
        const char *at = memchr(s + i, '@', n - 1 - i);   /* the next '@' with a byte after it */
        if (!at)
            return NULL;
        i = (size_t)(at - s);
        size_t a = i, b = i + 1;
        while (a > 0 && text_is_addr_char((unsigned char)s[a - 1]))
            a--;
        while (b < n && is_domain_char((unsigned char)s[b]))
            b++;
        while (b > i + 1 && (s[b - 1] == '.' || s[b - 1] == '-'))
            b--;
        while (a < i && s[a] == '.')
            a++;
        if (a == i && i >= 2 && s[i - 1] == '"') {   /* "quoted local part"@domain */
            size_t q = i - 1;
            while (q > 0 && i - q < 64 && s[q - 1] != '"' && s[q - 1] != '\n' && s[q - 1] != '@')
                q--;
            if (q > 0 && s[q - 1] == '"')
                a = q - 1;
        }
        if (a == i || b == i + 1 || !memchr(s + i + 1, '.', b - i - 1)) {
            /* allow user@localhost-like domains only when bracketed */
            if (a == i || b == i + 1 || !(a > 0 && s[a - 1] == '<'))
                continue;
        }
        *alen = b - a;
        return s + a;
    }
    return NULL;
}

char *text_dup(const char *s, size_t n)
{
    char *p = malloc(n + 1);
    if (!p)
        return NULL;
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *text_address_dup(const char *s, size_t n)
{
    while (n && (*s == '<' || *s == '\'' || isspace((unsigned char)*s) ||
                 (*s == '"' && !memmem(s + 1, n - 1, "\"@", 2))))
        s++, n--;
    while (n && strchr(">\"' \t.:;,", s[n - 1]))
        n--;
    char *p = text_dup(s, n);
    if (!p)
        return NULL;
    for (char *q = p; *q; q++)
        *q = (char)tolower((unsigned char)*q);
    return p;
}

char *text_squeeze(const char *s, size_t n)
{
    return sanitize_dup(s, n, FIELD_MAX_BYTES);
}

static inline void trigram_set(trigrams *t, uint32_t v)
{
    unsigned h = trigram_hash(v);
    t->w[h / 64] |= (uint64_t)1 << (h % 64);
}

/* The three bytes ending at each position roll through v: one shift and
 * one byte a position instead of three loads. */
void trigrams_build(trigrams *t, const char *lower, size_t n)
{
    memset(t, 0, sizeof *t);
    if (n < 3)
        return;
    const unsigned char *s = (const unsigned char *)lower;
    uint32_t v = (uint32_t)s[0] << 8 | s[1];
    for (size_t i = 2; i < n; i++) {
        v = (v << 8 | s[i]) & 0xFFFFFF;
        trigram_set(t, v);
    }
}

bool trigrams_may_hold(const trigrams *t, const char *needle, size_t n)
{
    for (size_t i = 0; i + 3 <= n; i++)
        if (!trigrams_has(t, needle + i))
            return false;
    return true;
}

/* ASCII letters only, as tolower() in the C locale: the same in every locale. */
static inline char lower_ascii(char c)
{
    return (char)(c | ((unsigned char)(c - 'A') < 26) << 5);   /* branch-free: the loop vectorises */
}

/* lower_ascii over n bytes, eight at a time: in each byte below 0x80 that
 * lies in 'A'..'Z', bit 0x20 is set (bytes from 0x80 stay as they are). */
static void view_fold(char *restrict lower, const char *restrict text, size_t n)
{
    const uint64_t ones = 0x0101010101010101u;
    size_t i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t x;
        memcpy(&x, text + i, 8);
        uint64_t low7 = x & (0x7F * ones);
        uint64_t above_z = low7 + (0x25 * ones);    /* 0x80 set where the byte > 'Z' */
        uint64_t from_a = low7 + (0x3F * ones);     /* 0x80 set where the byte >= 'A' */
        uint64_t upper = ~x & (from_a ^ above_z) & (0x80 * ones);
        x |= upper >> 2;
        memcpy(lower + i, &x, 8);
    }
    for (; i < n; i++)
        lower[i] = lower_ascii(text[i]);
}

void view_lower(msg_view *m)
{
    free(m->lower);
    char *lower = m->lower = malloc(m->text.n + 1);
    if (!lower)
        return;
    view_fold(lower, m->text.s, m->text.n);
    lower[m->text.n] = '\0';
    trigrams_build(&m->tri, lower, m->text.n);
}

const char *view_find(const msg_view *m, const char *from, const char *end, const char *needle)
{
    char low[256];
    bool inside = m->lower && from >= m->text.s && end <= m->text.s + m->text.n && from <= end;
    if (inside && needle[0] && needle[1] && needle[2]) {   /* most needles end here */
        char first[3] = {lower_ascii(needle[0]), lower_ascii(needle[1]), lower_ascii(needle[2])};
        if (!trigrams_has(&m->tri, first))
            return NULL;
    }
    size_t n = strlen(needle);
    if (!inside || n >= sizeof low)
        return text_casestr_n(from, (size_t)(end - from), needle);
    for (size_t i = 0; i < n; i++) {   /* lowered and looked up as it goes: most end early */
        low[i] = lower_ascii(needle[i]);
        if (i >= 2 && !trigrams_has(&m->tri, low + i - 2))
            return NULL;
    }
    size_t off = (size_t)(from - m->text.s);
    const char *hit = memmem(m->lower + off, (size_t)(end - from), low, n);
    return hit ? m->text.s + (hit - m->lower) : NULL;
}

/* ---- dates ---- */

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian; Howard Hinnant's
 * days_from_civil). */
static long long date_days(int y, int m, int d)
{
    y -= m <= 2;
    long long era = (y >= 0 ? y : y - 399) / 400;
    long long yoe = y - era * 400;
    long long doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    long long doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

static bool date_digits(const char **p, int n, int *v)
{
    *v = 0;
    for (int i = 0; i < n; i++, (*p)++) {
        if (**p < '0' || **p > '9')
            return false;
        *v = *v * 10 + (**p - '0');
    }
    return true;
}

bool text_date_simple(const char *s, long long *t)
{
    static const char days[] = "SunMonTueWedThuFriSat", months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";
    static const int mdays[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    const char *p = s;
    if (isalpha((unsigned char)p[0])) {   /* "Www, " */
        size_t k = 0;
        while (k < 7 && strncasecmp(p, days + 3 * k, 3) != 0)
            k++;
        if (k == 7 || p[3] != ',' || p[4] != ' ')
            return false;
        p += 5;
    }
    int day, month = 0, year, hh, mi, ss = 0, zh, zm;
    if (!date_digits(&p, p[0] && p[1] == ' ' ? 1 : 2, &day) || *p++ != ' ')
        return false;
    while (month < 12 && strncasecmp(p, months + 3 * month, 3) != 0)
        month++;
    if (month == 12 || p[3] != ' ')
        return false;
    p += 4;
    month++;
    if (!date_digits(&p, 4, &year) || *p++ != ' ' || !date_digits(&p, 2, &hh) || *p++ != ':' ||
        !date_digits(&p, 2, &mi))
        return false;
    if (*p == ':' && (p++, !date_digits(&p, 2, &ss)))
        return false;
    if (*p++ != ' ' || (*p != '+' && *p != '-'))
        return false;
    int sign = *p++ == '-' ? -1 : 1;
    if (!date_digits(&p, 2, &zh) || !date_digits(&p, 2, &zm) || (*p && *p != ' '))
        return false;
    bool leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0);
    if (year < 1970 || day < 1 || day > mdays[month - 1] || (month == 2 && day == 29 && !leap) || hh > 23 ||
        mi > 59 || ss > 59 || zh > 23 || zm > 59)
        return false;   /* GMime has rules of its own for these */
    *t = date_days(year, month, day) * 86400 + hh * 3600 + mi * 60 + ss - sign * (zh * 3600 + zm * 60);
    return true;
}
