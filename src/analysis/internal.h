/* Internal interfaces of the analysis layer. */
#ifndef REBOTE_ANALYSIS_INTERNAL_H
#define REBOTE_ANALYSIS_INTERNAL_H

#include <ctype.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include "rebote/bounce.h"
#include "rebote/sanitize.h"   /* sanitize_dup, sanitize_into: the one sanitiser */

/* Caps on untrusted input. */
#define TEXT_MAX_BYTES (64 * 1024)   /* flattened body text kept */
#define FIELD_MAX_BYTES 1024          /* any text field of a record */
#define MIME_MAX_DEPTH 16             /* nesting walked */
#define MIME_MAX_PARTS 256            /* leaf parts looked at */
#define DSN_MAX_RCPTS 512

/* Allocation failures met by this thread's analysis: every allocation of
 * the analysis that fails notes it, and analysis_parse compares the count
 * before and after to return ANALYSIS_ENOMEM (a record or text lost to a
 * failed allocation must not pass for a complete analysis). */
void analysis_oom_note(void);
unsigned long analysis_oom_count(void);

/* ---- growable string ---- */
typedef struct {
    char *s;
    size_t n, cap;
} strbuf;

void sb_init(strbuf *b);
void sb_free(strbuf *b);
void sb_add(strbuf *b, const char *s, size_t n);
void sb_adds(strbuf *b, const char *s);
void sb_reset(strbuf *b);

/* ---- string helpers (text.c) ---- */
const char *text_casestr(const char *hay, const char *needle);
const char *text_casestr_n(const char *hay, size_t n, const char *needle);
bool text_prefix_ci(const char *s, const char *prefix);
/* The prefix's length if [s, s+n) starts with it (any case), else 0. The
 * first letter rules out most prefixes before any strlen (inline: scans
 * call it per line and label). */
static inline size_t text_prefix_ci_n(const char *s, size_t n, const char *prefix)
{
    if (!n || tolower((unsigned char)s[0]) != tolower((unsigned char)prefix[0]))
        return 0;
    size_t len = strlen(prefix);
    return len <= n && strncasecmp(s, prefix, len) == 0 ? len : 0;
}
/* Finds the next line of [*p, end): returns its start and length, advances *p. */
bool text_next_line(const char **p, const char *end, const char **line, size_t *len);
/* First e-mail address in [s, s+n): returns its start, sets *alen; NULL if none. */
const char *text_find_address(const char *s, size_t n, size_t *alen);
bool text_is_addr_char(int c);
/* Lower-cased copy of the address in [s, s+n) with <> and quotes trimmed. */
char *text_address_dup(const char *s, size_t n);
/* Copies [s, s+n) into a new string with whitespace runs collapsed to one space. */
char *text_squeeze(const char *s, size_t n);
char *text_dup(const char *s, size_t n);

/* ---- codes (status.c) ---- */
bool status_is_valid(const char *s, size_t n);
/* First valid enhanced code in text (not part of a longer dotted number). */
bool status_find(const char *text, char out[16]);
/* The code a diagnostic is about (all codes of class cls weighed; cls 0: any). */
bool status_pick(const char *text, char cls, char out[16]);
/* The better of the Status: field and the code found in the diagnostic. */
void status_prefer(const char *dsn, const char *found, const char *reply, char out[16]);
/* First SMTP reply code (2xx-5xx) in text, standing as a word. */
bool replycode_find(const char *text, char out[4]);
/* The reply code a diagnostic reports: the first failure code followed by
 * an enhanced code of its class, else the first failure (4xx, 5xx) code,
 * else the first code (a transcript's "250 ok" gives way to "550 ..."). */
bool replycode_pick(const char *text, char out[4]);
/* Enhanced code implied by a reason, for bounces that carry none. */
void status_for_reason(const char *reason, bool temporary, char out[16]);

/* ---- reasons (reason.c) ---- */
typedef struct {
    const char *status;     /* "" if none */
    const char *replycode;  /* "" if none */
    const char *diagnostic; /* "" if none */
    const char *action;
    const char *command;
    const char *hint;       /* reason given by the MTA family, or NULL */
    bool prose;             /* read from a known MTA's prose, not from a DSN */
    bool weak;              /* the diagnostic is only the bounce's prose, no error text */
    const char *diagtype;   /* "smtp", "x-unix", "x-postfix"...; "" or NULL when unknown */
} reason_input;

const char *reason_classify(const reason_input *in);
bool reason_is_hard(const char *reason, const char *status, const char *replycode);
/* Reason by text patterns alone; NULL if nothing matches. */
const char *reason_from_text(const char *diagnostic);
const char *reason_from_status(const char *status);

/* ---- provider error codes (provider.c) ---- */
/* Reason named by a big receiver's own error code in the diagnostic, or NULL. */
const char *provider_reason(const char *rhost, const char *recipient, const char *diagnostic);
/* Family of a big receiver named by the host that answered, else the host
 * that reported, else the recipient's domain; NULL if none is known. */
const char *provider_family(const char *rhost, const char *lhost, const char *recipient);

/* ---- parsed message (mime.c) ---- */
/* A header field. Its value is sanitised when it is first read (a message
 * has dozens of fields, Received, DKIM-Signature..., and the analysis reads
 * a few): read it with hlist_get or hlist_value, never through value. */
typedef struct {
    char *name;        /* with the raw value after it, in the list's chunks (hlist_add) */
    char *value;       /* sanitised, at the first read (in the chunks too); NULL before */
    const char *raw;   /* the value as it came, in name's block */
    size_t rawlen;
    size_t nlen;       /* strlen(name): most look-ups end at the length */
} hfield;

/* The names and values of a list live in a few chunks, carved in turn
 * and freed together (a malloc and a free per field were a tenth of the
 * header work). */
typedef struct hchunk {
    struct hchunk *next;
    size_t used, cap;
    char data[];
} hchunk;

typedef struct {
    hfield *v;
    size_t n, cap;
    hchunk *chunks;   /* the newest first */
} hlist;

void hlist_add(hlist *h, const char *name, size_t nlen, const char *value, size_t vlen);
void hlist_free(hlist *h);
const char *hlist_get(const hlist *h, const char *name);
/* The sanitised value of field i ("" when there is no memory for it). */
const char *hlist_value(const hlist *h, size_t i);
/* Parses an RFC 5322 header block (unfolding) into h. */
void hlist_parse(hlist *h, const char *s, size_t n);

/* Which three-byte sequences a (lower-cased) text holds, hashed into a bit
 * set: a needle with a sequence the text lacks is absent, so most searches
 * for markers and phrases end without reading the text. */
#define TRIGRAM_BITS 32768
typedef struct {
    uint64_t w[TRIGRAM_BITS / 64];
} trigrams;

/* A Date value of the common form "[Www, ]D Mon YYYY HH:MM[:SS] +HHMM[ ...]"
 * as Unix time, exactly as GMime's g_mime_utils_header_decode_date gives
 * it; false for any other form (GMime's to read). */
bool text_date_simple(const char *s, long long *t);

void trigrams_build(trigrams *t, const char *lower, size_t n);
/* False when the lower-cased needle surely is not in the text. */
bool trigrams_may_hold(const trigrams *t, const char *needle, size_t n);

/* 15 bits of a hash of three bytes packed into v (TRIGRAM_BITS). */
static inline unsigned trigram_hash(uint32_t v)
{
    return (v * 2654435761u) >> (32 - 15);
}

/* Does the set hold the three bytes at s? */
static inline bool trigrams_has(const trigrams *t, const char *s)
{
    uint32_t v = (uint32_t)(unsigned char)s[0] << 16 | (uint32_t)(unsigned char)s[1] << 8 |
                 (unsigned char)s[2];
    unsigned h = trigram_hash(v);
    return (t->w[h / 64] >> (h % 64)) & 1;
}

/* The addresses of the bounce's own From/To/Reply-To/Sender and of the
 * returned original's From/Return-Path/Sender/Reply-To (scan_is_sender),
 * found once per message instead of at each candidate recipient; valid
 * while the two header lists keep the lengths they had. */
typedef struct {
    bool done;
    size_t head_n, orig_n;
    size_t n;
    struct {
        const char *a;
        size_t n;
    } v[8];
} msg_senders;

/* The top-level fields by name, made at the first family match
 * (mta_detect asks for a dozen names, each through all the fields): a
 * chain per slot of a hash of the name's length and first letter, in
 * field order. Valid while head keeps its length. */
#define HEAD_SLOTS 256
#define HEAD_INDEXED 512   /* fields indexed; a longer header is searched field by field */
typedef struct {
    bool done;
    size_t n;                      /* head.n when it was made */
    uint16_t first[HEAD_SLOTS];    /* field + 1, 0: none */
    uint16_t next[HEAD_INDEXED];   /* field + 1 of the next in the slot, 0: none */
} head_index;

typedef struct {
    hlist head;        /* top-level header fields, decoded to UTF-8 */
    hlist orig;        /* header fields of the returned original message */
    strbuf text;       /* body text parts (not of the original), UTF-8, LF */
    strbuf dsn;        /* message/(global-)delivery-status bodies */
    strbuf feedback;   /* message/feedback-report body */
    strbuf origtext;   /* inline text of a message/rfc822 part when it has no headers */
    char *lower;       /* text, lower-cased, for fast searches (view_lower) */
    trigrams tri;      /* the trigrams of lower (when lower is set) */
    bool is_report;    /* multipart/report */
    char report_type[32];
    size_t first;      /* index in the output of the message's first record */
    msg_senders senders_kept;
    msg_senders *senders;   /* &senders_kept (msg_view_init): filled through a const view; NULL: none kept */
    head_index index_kept;
    head_index *index;      /* &index_kept (msg_view_init), as senders */
} msg_view;

void msg_view_init(msg_view *m);
/* Builds m->lower once the text is final. */
void view_lower(msg_view *m);
/* Case-insensitive search of needle in [from, end) of m->text (memmem on
 * the lower-cased copy); NULL when absent. */
const char *view_find(const msg_view *m, const char *from, const char *end, const char *needle);
void msg_view_free(msg_view *m);
/* false when the input holds no message */
bool mime_parse(const char *buf, size_t len, msg_view *m);
/* Registers the content types GMime reads differently for us (once, after g_mime_init). */
void mime_setup(void);
/* Tests and the fuzzer's differential mode: every body to GMime's parser. */
extern bool mime_gmime_only;

/* ---- multipart.c: a multipart body read by GMime's rules without GMime ---- */
typedef enum { MIME_ENC_IDENTITY, MIME_ENC_QP, MIME_ENC_BASE64 } mime_enc;
typedef struct {
    const char *type, *sub;   /* media type; NULL: a multipart's prologue, text */
    const char *charset;      /* or NULL */
    const char *data;         /* the content, still encoded, in the input */
    size_t len;
    mime_enc enc;
} mime_event;
#define MIME_FAST_EVENTS 64
typedef struct {
    mime_event ev[MIME_FAST_EVENTS];   /* leaves and prologues, in order */
    int n;
    size_t used;
    char arena[2048];                  /* the strings of the content types */
} mime_fast;
typedef struct {
    const char *type, *sub, *charset, *boundary, *report_type;
} mime_ctype;
/* A Content-Type value of the simple form (strings kept in f's arena);
 * false for any other, which only GMime reads. */
bool mime_ctype_parse(const char *raw, size_t n, mime_ctype *ct, mime_fast *f);
/* A Content-Transfer-Encoding value (NULL: none) of the encodings read
 * without GMime, by GMime's names; false for any other. */
bool mime_encoding_parse(const char *s, size_t n, mime_enc *enc);
/* The leaves of a multipart body (LF line ends) of content type top into
 * f; false when GMime must read it. */
bool mime_multipart_walk(const char *body, size_t n, const mime_ctype *top, mime_fast *f);

/* ---- DSN fields (dsn.c) ---- */
typedef struct {
    char *recipient, *action, *status, *diagnostic, *diagtype, *rhost, *date;
    char *finalrecipient;   /* the Final-Recipient when recipient is the Original one */
} dsn_rcpt;

typedef struct {
    char *lhost, *arrival;
    dsn_rcpt *v;
    size_t n, cap;
} dsn_report;

void dsn_parse(const char *s, size_t n, dsn_report *out);
void dsn_free(dsn_report *r);
/* The comment of a Status value ("4.0.0 (host name lookup failure)") into
 * out, "" when it has none: RFC 3464 lets a DSN say why there. */
const char *dsn_status_note(const char *status, char *out, size_t outlen);
/* Strips a "smtp;" style type from a Diagnostic-Code value; returns the text. */
const char *dsn_strip_type(const char *value, char *type, size_t tlen);

/* ---- recipients found in text (scan.c, mta/) ---- */
typedef struct {
    char *recipient;
    char *diagnostic;
    char *rhost;
    char *command;
    const char *reason;   /* hint from the family, or NULL */
    char status[16];
} scan_hit;

typedef struct {
    scan_hit *v;
    size_t n, cap;
    char *lhost;
    char *section;        /* the recipient section's text, for hits that say nothing */
    size_t orig_off;      /* offset in the text where the returned original starts, 0 if none */
    bool delayed;         /* the text says delivery is only delayed */
} scan_result;

void scan_result_free(scan_result *r);
scan_hit *scan_result_add(scan_result *r, const char *addr, size_t alen);

/* A phrase of a family's own messages and the reason it means. */
typedef struct {
    const char *text;     /* case-insensitive substring of the diagnostic */
    const char *reason;
} mta_hint;

/* A family of MTA: how to recognise its bounces and where its text sits. */
typedef struct mta_family {
    const char *name;
    /* Header matches: "Field:substring" or "Field:^prefix" (case-insensitive),
     * any one matches. */
    const char *const *headers;
    /* Body substrings that identify the family, any one matches. */
    const char *const *body;
    /* Line substrings where the recipient section starts (NULL: body start). */
    const char *const *start;
    /* Line substrings where the returned original starts. */
    const char *const *end;
    /* Lines after which the diagnostic for all recipients stands. */
    const char *const *diag;
    /* Body substrings that say delivery is only delayed. */
    const char *const *delayed;
    /* Phrases of the family's own messages, checked before the general table. */
    const mta_hint *hints;
    /* Reason of every bounce of this family when nothing more specific is known. */
    const char *reason;
    /* Optional: extra work after the generic scan (reason hints, rhost). */
    void (*refine)(const msg_view *m, scan_result *r);
} mta_family;

extern const mta_family *const mta_families[];
/* Gives the records [m->first, out->n) of m the name of the family whose own
 * mark m bears (families.c), and those of a general relay the name of the
 * receiver that refused the mail (provider_family). */
void mta_name_records(const msg_view *m, rb_records *out);
bool mta_detect(const mta_family *f, const msg_view *m);
/* Generic scan of the text section of a bounce. */
void scan_text(const msg_view *m, const mta_family *f, scan_result *out);
/* Scans a body that no family claimed; strict about what it accepts. */
void scan_generic(const msg_view *m, scan_result *out);
/* Delay markers and the shared diagnostic of a family, after the scan. */
void scan_apply_family(const msg_view *m, const mta_family *f, scan_result *r);
bool scan_looks_like_bounce(const msg_view *m);
/* The subject is a bounce's ("Undeliverable: ..."), or the sender is
 * (mailer-daemon, postmaster...) and the body says a delivery failed. */
bool scan_bounce_by_header(const msg_view *m);
/* The bounce's own From/To/Reply-To/Sender, or the returned original's sender. */
bool scan_is_sender(const msg_view *m, const char *addr, size_t alen);
/* A header line of the returned original: the recipient section is over. */
bool scan_is_original(const char *line, size_t len);
/* Prose without recipient lines: addresses of the text before the returned
 * original that stand near a failure phrase or code, each with the lines
 * around it as its diagnostic (nearby.c). */
void scan_nearby(const msg_view *m, scan_result *out);
/* Does [s, s+n) hold a phrase that says a delivery failed? */
bool scan_says_failure(const char *s, size_t n);
/* Where the returned original starts in m->text (a generic marker line),
 * or the text's end. */
const char *scan_original_start(const msg_view *m);

/* ---- challenge-response and confirmation requests (challenge.c) ---- */
/* The system that asks us to confirm (an agent name), or NULL when the
 * message is no such request. */
const char *challenge_detect(const msg_view *m);
/* Does the hit carry a code or words that name a reason? */
bool scan_hit_says_why(const scan_hit *h);

#endif
