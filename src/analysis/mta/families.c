/* The MTA families, in the order they are tried: most specific first. */
#include <config.h>
#include "../internal.h"

extern const mta_family mta_sendmail, mta_postfix, mta_exim, mta_qmail, mta_courier,
    mta_exchange2003, mta_exchange2007, mta_office365, mta_gmail, mta_yahoo, mta_notes,
    mta_domino, mta_messagingserver, mta_opensmtpd, mta_amazonses, mta_googlegroups, mta_kddi,
    mta_trendmicro, mta_netscape, mta_imail, mta_communigate, mta_mdaemon, mta_hmailserver,
    mta_groupwise, mta_mercury, mta_kerio;

/* The families of issue 14 (netscape ... kerio) come before the wider
 * markers of Exchange and Domino that their texts also hold. */
const mta_family *const mta_families[] = {
    &mta_googlegroups, &mta_kddi, &mta_trendmicro, &mta_gmail, &mta_amazonses, &mta_office365,
    &mta_hmailserver, &mta_kerio, &mta_mdaemon, &mta_communigate, &mta_imail, &mta_groupwise,
    &mta_mercury, &mta_netscape, &mta_exchange2007,
    &mta_exchange2003, &mta_notes, &mta_domino, &mta_messagingserver, &mta_opensmtpd,
    &mta_courier, &mta_yahoo, &mta_qmail, &mta_exim, &mta_postfix, &mta_sendmail,
    NULL,
};

/* ---- families named by a mark of their own ----
 * Their mail is read by one of the families above (or as a plain DSN); the
 * row only names them, so that the record's agent says who wrote the bounce.
 * A row matches on a header ("Field:substring", "Field:^prefix"), a line of
 * the bounce text or its delivery-status part, or the reporting host's
 * domain; the first row that matches names every record of the message. */
typedef struct {
    const char *name;
    const char *const *headers;   /* as mta_family.headers */
    const char *const *body;      /* substrings of the text or delivery-status part */
    const char *const *lhost;     /* domains of the reporting host (Reporting-MTA) */
} mta_name_row;

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
static const mta_name_row mta_names[] = {
    /* DragonFly BSD's dma(8): "This is the DragonFly Mail Agent v0.13 at host." */
    {"dragonfly", NULL, L("This is the DragonFly Mail Agent"), NULL},
    {NULL, NULL, NULL, NULL},
};

/* The agents of general relays: what they report is the receiver's answer,
 * so a receiver the provider table knows names the record instead. */
static const char *const mta_relays[] = {"postfix", "sendmail", "exim", "rfc3464", "generic", NULL};

static bool mta_host_in(const char *host, const char *const *domains)
{
    size_t hn = host ? strlen(host) : 0;
    for (; domains && *domains; domains++) {
        size_t dn = strlen(*domains);
        if (hn >= dn && !strcasecmp(host + hn - dn, *domains) &&
            (hn == dn || host[hn - dn - 1] == '.'))
            return true;
    }
    return false;
}

static bool mta_body_holds(const msg_view *m, const char *needle)
{
    if (m->text.n && view_find(m, m->text.s, m->text.s + m->text.n, needle))
        return true;
    return m->dsn.n && text_casestr_n(m->dsn.s, m->dsn.n, needle);
}

static const char *mta_name_find(const msg_view *m, const char *lhost)
{
    for (const mta_name_row *r = mta_names; r->name; r++) {
        if (r->headers && mta_detect(&(mta_family){.headers = r->headers}, m))
            return r->name;
        for (const char *const *b = r->body; b && *b; b++)
            if (mta_body_holds(m, *b))
                return r->name;
        if (mta_host_in(lhost, r->lhost))
            return r->name;
    }
    return NULL;
}

static bool mta_is_relay(const char *agent)
{
    for (const char *const *p = mta_relays; *p; p++)
        if (!strcmp(agent, *p))
            return true;
    return false;
}

void mta_name_records(const msg_view *m, rb_records *out)
{
    const char *name = NULL;
    bool looked = false;
    for (size_t i = m->first; i < out->n; i++) {
        rb_record *r = &out->v[i];
        if (r->kind == RB_KIND_AUTOREPLY || r->kind == RB_KIND_CHALLENGE || r->kind == RB_KIND_NONE ||
            !r->agent || !strcmp(r->agent, "arf"))
            continue;
        if (!looked) {
            name = mta_name_find(m, r->lhost);
            looked = true;
        }
        if (name)
            r->agent = name;
        if (mta_is_relay(r->agent)) {
            const char *p = provider_family(r->rhost, r->lhost, r->recipient);
            if (p)
                r->agent = p;
        }
    }
}
