/* cli_eprintf: the one way a message with foreign text reaches stderr.
 * Every %s argument passes the display sanitiser (rebote/sanitize.h), so a
 * server's answer, a file name or a message's text can never put an escape
 * sequence, a control character or a bidi override on the terminal. */
#include <config.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "rebote/sanitize.h"
#include "rebote/util.h"
#include "cli.h"

typedef struct {
    char *s;
    size_t n, cap;
    bool failed;
} eprint_buf;

static void eprint_add(eprint_buf *b, const char *s, size_t n)
{
    if (b->failed)
        return;
    if (b->n + n + 1 > b->cap) {
        size_t cap = (b->n + n + 1) * 2;
        char *p = realloc(b->s, cap);
        if (!p) {
            b->failed = true;
            return;
        }
        b->s = p;
        b->cap = cap;
    }
    memcpy(b->s + b->n, s, n);
    b->n += n;
    b->s[b->n] = '\0';
}

/* spec is one directive cut from our own (checked) format string. */
#pragma GCC diagnostic ignored "-Wformat-nonliteral"

/* snprintf of one conversion (spec, a printf directive without '*') of
 * one argument of type T into b; the argument is taken once. */
#define EPRINT_ONE(b, spec, T, arg)                                     \
    do {                                                                \
        T v_ = (arg);                                                   \
        int len_ = snprintf(NULL, 0, spec, v_);                         \
        char *tmp_ = len_ >= 0 ? malloc((size_t)len_ + 1) : NULL;       \
        if (tmp_) {                                                     \
            snprintf(tmp_, (size_t)len_ + 1, spec, v_);                 \
            eprint_add(b, tmp_, (size_t)len_);                          \
            free(tmp_);                                                 \
        } else                                                          \
            (b)->failed = true;                                         \
    } while (0)

/* The directive at fmt (just after its '%') copied into spec with any '*'
 * replaced by its argument; returns the directive's length in fmt. */
static size_t eprint_spec(const char *fmt, char *spec, size_t size, va_list *ap)
{
    size_t i = 0, o = 0;
    spec[o++] = '%';
    while (fmt[i] && o + 12 < size) {
        char c = fmt[i++];
        if (c == '*') {
            o += (size_t)snprintf(spec + o, size - o, "%d", va_arg(*ap, int));
            continue;
        }
        spec[o++] = c;
        if (strchr("diouxXcspfFeEgGaA%", c))
            break;
    }
    spec[o] = '\0';
    return i;
}

/* One directive's argument, taken by its length modifier and conversion. */
static void eprint_arg(eprint_buf *b, const char *spec, va_list *ap)
{
    size_t n = strlen(spec);
    char conv = spec[n - 1], mod = n >= 2 ? spec[n - 2] : 0;
    bool ll = n >= 3 && mod == 'l' && spec[n - 3] == 'l';
    if (conv == '%') {
        eprint_add(b, "%", 1);
    } else if (conv == 's') {
        char *safe = sanitize_show_dup(va_arg(*ap, const char *));
        EPRINT_ONE(b, spec, const char *, safe ? safe : "");
        free(safe);
    } else if (conv == 'c') {
        char c[2] = {(char)va_arg(*ap, int), 0}, *safe = sanitize_show_dup(c);
        eprint_add(b, safe ? safe : "?", safe ? strlen(safe) : 1);
        free(safe);
    } else if (conv == 'p') {
        EPRINT_ONE(b, spec, void *, va_arg(*ap, void *));
    } else if (strchr("fFeEgGaA", conv)) {
        if (mod == 'L')
            EPRINT_ONE(b, spec, long double, va_arg(*ap, long double));
        else
            EPRINT_ONE(b, spec, double, va_arg(*ap, double));
    } else if (ll) {
        EPRINT_ONE(b, spec, long long, va_arg(*ap, long long));
    } else if (mod == 'l') {
        EPRINT_ONE(b, spec, long, va_arg(*ap, long));
    } else if (mod == 'z') {
        EPRINT_ONE(b, spec, size_t, va_arg(*ap, size_t));
    } else if (mod == 'j') {
        EPRINT_ONE(b, spec, intmax_t, va_arg(*ap, intmax_t));
    } else if (mod == 't') {
        EPRINT_ONE(b, spec, ptrdiff_t, va_arg(*ap, ptrdiff_t));
    } else {
        EPRINT_ONE(b, spec, int, va_arg(*ap, int));   /* int, and hh, h (promoted) */
    }
}

char *cli_vformat(const char *fmt, va_list ap)
{
    eprint_buf b = {0};
    va_list args;
    va_copy(args, ap);
    eprint_add(&b, "", 0);
    while (*fmt) {
        const char *pct = strchr(fmt, '%');
        size_t lit = pct ? (size_t)(pct - fmt) : strlen(fmt);
        eprint_add(&b, fmt, lit);   /* the format is ours (and its translation): as it is */
        fmt += lit;
        if (!*fmt)
            break;
        char spec[64];
        fmt += 1 + eprint_spec(fmt + 1, spec, sizeof spec, &args);
        eprint_arg(&b, spec, &args);
    }
    va_end(args);
    if (b.failed) {
        free(b.s);
        return NULL;
    }
    return b.s;
}

void cli_eprintf(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    char *s = cli_vformat(fmt, ap);
    va_end(ap);
    fputs(s ? s : _("rebote: out of memory\n"), stderr);
    free(s);
}
