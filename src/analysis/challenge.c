/* Challenge-response and confirmation requests. A whitelist system (TMDA,
 * cPanel's BoxTrapper, qconfirm, Boxbe, Spam Arrest, ...) holds our message
 * until we prove we are human; a mailing list asks us to confirm a
 * subscription. Neither says the delivery failed: they are kind challenge,
 * never bounce. A DSN, an X-Failed-Recipients field or a failure code in
 * the text before the returned original makes the message a bounce, even
 * when its wording asks to verify something. */
#include <config.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

typedef struct {
    const char *field;    /* header field */
    const char *value;    /* substring of its value (any case) */
    const char *agent;
} challenge_header;

/* Fields that name the system. */
static const challenge_header challenge_headers[] = {
    {"X-Delivery-Agent", "TMDA", "tmda"},
    {"Subject", "verify#", "boxtrapper"},           /* BoxTrapper's "verify#<msgid>" */
    {"From", "@boxbe.com", "boxbe"},
    {"Sender", "@boxbe.com", "boxbe"},
    {"From", "spamarrest.com", "spamarrest"},
    {"Reply-To", "spamarrest.com", "spamarrest"},
    {"X-Mailer", "qconfirm", "qconfirm"},
    {NULL, NULL, NULL},
};

typedef struct {
    const char *text;     /* phrase of the request's own text (any case) */
    const char *agent;
} challenge_phrase;

/* Phrases of the requests, looked for before the returned original. */
static const challenge_phrase challenge_phrases[] = {
    {"boxbe", "boxbe"},
    {"spam arrest", "spamarrest"},
    {"boxtrapper", "boxtrapper"},
    {"confirm you are a human", "challenge"},
    {"confirm that you are a human", "challenge"},
    {"verify you are a human", "challenge"},
    {"verify that you are a human", "challenge"},
    {"prove you are a human", "challenge"},
    {"prove that you are a human", "challenge"},
    {"you are a real person", "challenge"},
    {"real live human", "challenge"},
    {"not an automated spam", "challenge"},
    {"challenge-response", "challenge"},
    {"challenge/response", "challenge"},
    {"approved senders list", "challenge"},
    {"approved sender list", "challenge"},
    {"held pending your verification", "challenge"},
    {"awaiting your verification", "challenge"},
    {"to release your message", "challenge"},
    {"confirm your subscription", "mailinglist"},
    {"confirm your request to join", "mailinglist"},
    {"confirmation is required to join", "mailinglist"},
    {"confirm that you would like", "mailinglist"},
    {"subscription confirmation", "mailinglist"},
    {"confirm subscribe to", "mailinglist"},
    {"confirm your membership", "mailinglist"},
    {NULL, NULL},
};

static const char *challenge_by_header(const msg_view *m)
{
    for (const challenge_header *h = challenge_headers; h->field; h++) {
        const char *v = hlist_get(&m->head, h->field);
        if (v && text_casestr(v, h->value))
            return h->agent;
    }
    return NULL;
}

/* A failure code of its own (a class 4 or 5 enhanced code) in [s, e). */
static bool challenge_has_failure_code(const char *s, const char *e)
{
    char code[16];
    size_t n = (size_t)(e - s);
    char *copy = text_dup(s, n < TEXT_MAX_BYTES ? n : TEXT_MAX_BYTES);
    bool found = false;
    for (const char *p = copy; p && *p && status_find(p, code);) {
        if (code[0] == '4' || code[0] == '5') {
            found = true;
            break;
        }
        const char *at = strstr(p, code);
        p = at ? at + strlen(code) : NULL;
    }
    free(copy);
    return found;
}

const char *challenge_detect(const msg_view *m)
{
    if (m->dsn.n || hlist_get(&m->head, "X-Failed-Recipients"))
        return NULL;
    const char *agent = challenge_by_header(m);
    const char *end = scan_original_start(m);
    for (const challenge_phrase *p = challenge_phrases; !agent && p->text && m->text.n; p++)
        if (view_find(m, m->text.s, end, p->text))
            agent = p->agent;
    if (agent && m->text.n && challenge_has_failure_code(m->text.s, end))
        return NULL;
    return agent;
}
