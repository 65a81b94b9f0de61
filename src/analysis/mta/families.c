/* The MTA families, in the order they are tried: most specific first. */
#include <config.h>
#include "../internal.h"

extern const mta_family mta_sendmail, mta_postfix, mta_exim, mta_qmail, mta_courier,
    mta_exchange2003, mta_exchange2007, mta_office365, mta_gmail, mta_yahoo, mta_notes,
    mta_domino, mta_messagingserver, mta_opensmtpd, mta_amazonses, mta_googlegroups, mta_kddi,
    mta_trendmicro, mta_netscape, mta_imail, mta_communigate, mta_mdaemon, mta_hmailserver,
    mta_groupwise, mta_mercury, mta_kerio, mta_fml;

/* The families of issue 14 (netscape ... kerio) come before the wider
 * markers of Exchange and Domino that their texts also hold. */
const mta_family *const mta_families[] = {
    &mta_fml, &mta_googlegroups, &mta_kddi, &mta_trendmicro, &mta_gmail, &mta_amazonses, &mta_office365,
    &mta_hmailserver, &mta_kerio, &mta_mdaemon, &mta_communigate, &mta_imail, &mta_groupwise,
    &mta_mercury, &mta_netscape, &mta_exchange2007,
    &mta_exchange2003, &mta_notes, &mta_domino, &mta_messagingserver, &mta_opensmtpd,
    &mta_courier, &mta_yahoo, &mta_qmail, &mta_exim, &mta_postfix, &mta_sendmail,
    NULL,
};

/* ---- families named by a mark of their own ----
 * Their mail is read by one of the families above (or as a plain DSN); the
 * row only names them, so that the record's agent says who wrote the bounce.
 * A row matches on a header ("Field:substring", "Field:^prefix", on the
 * field's first value), a line of the bounce text, or the reporting host's
 * domain; the first row that matches names every record of the message. */
typedef struct {
    const char *name;
    const char *const *headers;   /* "Field:substring", "Field:^prefix" */
    const char *const *body;      /* substrings of the bounce text */
    const char *const *lhost;     /* domains of the reporting host (Reporting-MTA) */
    bool all;                     /* every header and one body line must match */
    const char *const *over;      /* the agents it may rename (NULL: any) */
} mta_name_row;

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
/* Families whose marks are wide enough to catch another's report, and no family. */
#define MTA_WIDE L("office365", "rfc3464", "generic")
static const mta_name_row mta_names[] = {
    /* mailers and relays */
    {"dragonfly", NULL, L("This is the DragonFly Mail Agent"), NULL, false, NULL},   /* DragonFly BSD's dma(8) */
    {"activehunter", L("X-AHMAILID:"), L("_Active!Hunter_"), NULL, false, NULL},     /* Active!hunter (Japan) */
    {"amavis", L("From:Content-filter at "), NULL, NULL, false, NULL},               /* amavisd-new notices */
    {"apachejames", NULL, L("\nMessage details:\n  Subject:"), NULL, false, NULL},   /* Apache James' Bounce mailet */
    {"barracuda", L("Subject:^**Message you sent blocked by our bulk email filter**"),
     L("was blocked by our Spam Firewall"), NULL, false, NULL},
    {"mcafee", L("X-NAI-Header:McAfee"), NULL, NULL, false, NULL},                  /* McAfee Email Gateway */
    {"mailfoundry", NULL, L("Delivery failed for the following reason:"), NULL, false, NULL},
    {"mailmarshal", L("Subject:^Undeliverable Mail: "), L("The following recipients were affected:"), NULL, true, NULL},
    {"mfilter", L("X-Mailer:m-FILTER"), L("-------original mail info"), NULL, false, NULL},   /* m-FILTER (Japan) */
    {"powermta", NULL, L("I am sending you this message to inform you on the delivery status"), NULL, false, NULL},
    {"surfcontrol", L("X-Mailer:SurfControl"), NULL, NULL, false, NULL},
    {"v5sendmail", L("Subject:^Returned mail: "), L("----- Unsent message follows -----"), NULL, true, NULL},   /* sendmail 5 */
    /* MTAs that say nothing of their name: Sisimai's "X" formats, by their wording */
    {"x1", L("From:\"Mail Deliver System\""), L("---The following addresses had delivery errors---"), NULL, false, NULL},
    {"x2", NULL, L("Unable to deliver message to the following address(es).",
                   "This Delivery Status Notification is sent from MTA"), NULL, false, NULL},
    {"x3", NULL, L("      This is an automatically generated Delivery Status Notification."), NULL, false, NULL},
    {"x4", NULL, L("Your mail message to the following address(es) could not be delivered"), NULL, false, NULL},
    {"x6", NULL, L("We had trouble delivering your message. Full details follow:"), NULL, false, NULL},
    /* services, by their bounce address, their headers or their reporting hosts */
    {"amazonworkmail", L("X-Mailer:Amazon WorkMail"), NULL, NULL, false, NULL},
    {"receivingses", L("X-SES-Outgoing:"), L("This message could not be delivered."), NULL, true, NULL},   /* SES inbound */
    {"sendgrid", L("Return-Path:apps@sendgrid.net"), L("This is an automatically generated message from SendGrid"),
     NULL, false, NULL},
    {"messagelabs", L("From:@messagelabs.com"), L("This is the mail delivery agent at Symantec Email Security.cloud",
                                                  "This is the mail delivery agent at MessageLabs"), NULL, false, NULL},
    {"mimecast", L("Subject:^[Postmaster] Email Delivery Failure", "X-MC-System:"), NULL, NULL, false, NULL},
    {"mxlogic", L("X-MXL-NoteHash:", "X-MX-Bounce:", "From:mxlogic.net"), NULL, NULL, false, NULL},
    {"facebook", L("From:@mx.facebook.com"), L("This message was created automatically by Facebook."), NULL, false, NULL},
    {"aol", L("From:Postmaster@AOL.com", "From:MAILER-DAEMON@aol.com"), NULL, NULL, false, NULL},
    {"outlook", L("X-Message-Delivery:", "X-Message-Info:", "Subject:Delivery Status Notification"), NULL, NULL, true, NULL},
    {"outlook", L("From:postmaster@hotmail.com", "From:postmaster@mail.hotmail.com"), NULL, L("hotmail.com"), false, NULL},
    {"gsuite", NULL, NULL, L("googlemail.com"), false, NULL},   /* Google's DSNs: Reporting-MTA dns; googlemail.com */
    {"googleworkspace", L("From:mailer-daemon@googlemail.com"), L("** Message not delivered **"), NULL, true, NULL},
    {"gmx", L("From:@mail.gmx.com", "From:@gmx.net", "From:@gmx.de"), NULL, NULL, false, NULL},
    {"einsundeins", L("From:@kundenserver.de", "From:@1and1."), L("postmaster.1and1.com"), NULL, false, NULL},   /* 1&1 IONOS */
    {"mailru", L("From:@corp.mail.ru", "From:mailer-daemon@mail.ru"), L("сервером Mail.Ru"), NULL, false, NULL},
    {"yandex", L("From:mailer-daemon@yandex."), NULL, L("mail.yandex.net"), false, NULL},
    {"zoho", L("From:mailer-daemon@mail.zoho.", "X-Mailer:Zoho Mail"), NULL, NULL, false, NULL},
    {"bigfoot", L("From:@bigfoot.com"), NULL, NULL, false, NULL},
    {"biglobe", L("From:postmaster@biglobe.ne.jp"), NULL, NULL, false, NULL},
    {"ezweb", L("From:Postmaster@ezweb.ne.jp"), NULL, NULL, false, NULL},   /* au's older service */
    {"verizon", L("From:@vtext.com", "From:.vzwpix.com", "From:@vzwpix.com"), NULL, NULL, false, NULL},
    {"yahoo", NULL, L("Sorry, we were unable to deliver your message to the following address."), NULL, false, NULL},
    /* the first line of a relay's own report beats the wide marks of another
     * family (a transcript that names *.protection.outlook.com is no Office 365
     * bounce); it renames only those (MTA_WIDE), not a family that quotes it */
    {"qmail", NULL, L("Hi. This is the qmail-send program at"), NULL, false, MTA_WIDE},
    {"postfix", L("Subject:^Postfix SMTP server: errors from"), L("This is the mail system at host"), NULL, false,
     MTA_WIDE},
    {"sendmail", NULL, L("----- Transcript of session follows -----",
                         "----- The following addresses had permanent fatal errors -----"), NULL, false, MTA_WIDE},
    {NULL, NULL, NULL, NULL, false, NULL},
};

/* The agents of general relays: what they report is the receiver's answer,
 * so a receiver the provider table knows names the record instead. */
static const char *const mta_relays[] = {"postfix", "sendmail", "exim", "qmail", "rfc3464", "generic", "amazonses",
                                         NULL};

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
    return m->text.n && view_find(m, m->text.s, m->text.s + m->text.n, needle);
}

/* The first value of each header field the rows ask about, looked up once
 * per message (the rows name a dozen fields; a message has dozens). */
typedef struct {
    const char *name;
    size_t n;
    const char *value;   /* NULL: the message has no such field */
} mta_head;

typedef struct {
    const msg_view *m;
    mta_head v[24];
    size_t n;
} mta_heads;

static const char *mta_heads_get(mta_heads *hs, const char *name, size_t n)
{
    for (size_t i = 0; i < hs->n; i++)
        if (hs->v[i].n == n && (hs->v[i].name[0] | 0x20) == (name[0] | 0x20) &&
            (hs->v[i].name[n - 1] | 0x20) == (name[n - 1] | 0x20) && !strncasecmp(hs->v[i].name, name, n))
            return hs->v[i].value;
    const char *value = NULL;
    for (size_t i = 0; i < hs->m->head.n && !value; i++) {
        const char *f = hs->m->head.v[i].name;
        if (hs->m->head.v[i].nlen == n && (f[0] | 0x20) == (name[0] | 0x20) && !strncasecmp(f, name, n))
            value = hlist_value(&hs->m->head, i);
    }
    if (hs->n < sizeof hs->v / sizeof hs->v[0])
        hs->v[hs->n++] = (mta_head){name, n, value};
    return value;
}

/* "Field:substring" or "Field:^prefix", case-insensitive, on the field's first value. */
static bool mta_header_holds(mta_heads *hs, const char *rule)
{
    const char *colon = strchr(rule, ':');
    const char *value = colon ? mta_heads_get(hs, rule, (size_t)(colon - rule)) : NULL;
    if (!value)
        return false;
    const char *want = colon + 1;
    return want[0] == '^' ? text_prefix_ci(value, want + 1) : text_casestr(value, want) != NULL;
}

/* One of the headers, one of the body lines or one of the hosts. */
static bool mta_row_any(const mta_name_row *r, mta_heads *hs, const char *lhost)
{
    for (const char *const *h = r->headers; h && *h; h++)
        if (mta_header_holds(hs, *h))
            return true;
    for (const char *const *b = r->body; b && *b; b++)
        if (mta_body_holds(hs->m, *b))
            return true;
    return mta_host_in(lhost, r->lhost);
}

/* Every header, and one of the body lines when the row has some. */
static bool mta_row_all(const mta_name_row *r, mta_heads *hs)
{
    for (const char *const *h = r->headers; h && *h; h++)
        if (!mta_header_holds(hs, *h))
            return false;
    if (!r->body)
        return true;
    for (const char *const *b = r->body; *b; b++)
        if (mta_body_holds(hs->m, *b))
            return true;
    return false;
}

static const mta_name_row *mta_name_find(const msg_view *m, const char *lhost)
{
    mta_heads hs = {.m = m};
    for (const mta_name_row *r = mta_names; r->name; r++)
        if (r->all ? mta_row_all(r, &hs) : mta_row_any(r, &hs, lhost))
            return r;
    return NULL;
}

static bool mta_in(const char *agent, const char *const *list)
{
    for (const char *const *p = list; *p; p++)
        if (!strcmp(agent, *p))
            return true;
    return false;
}

void mta_name_records(const msg_view *m, rb_records *out)
{
    const mta_name_row *row = NULL;
    bool looked = false;
    for (size_t i = m->first; i < out->n; i++) {
        rb_record *r = &out->v[i];
        if (r->kind == RB_KIND_AUTOREPLY || r->kind == RB_KIND_CHALLENGE || r->kind == RB_KIND_NONE ||
            !r->agent || !strcmp(r->agent, "arf"))
            continue;
        if (!looked) {
            row = mta_name_find(m, r->lhost);
            looked = true;
        }
        if (row && (!row->over || mta_in(r->agent, row->over)))
            r->agent = row->name;
        if (mta_in(r->agent, mta_relays)) {
            const char *p = provider_family(r->rhost, r->lhost, r->recipient);
            if (p)
                r->agent = p;
        }
    }
}
