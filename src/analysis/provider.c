/* Error codes of big receivers that name the reason better than any SMTP
 * code: Cox (AUP#CXBL...), Spectrum/Charter (AUP#1000-1580), Orange and
 * La Poste (OFR_/LPN nnn), Mimecast phrases. Published by each provider for
 * senders; one table per provider. */
#include <config.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

typedef struct {
    const char *code;     /* code or phrase (lower case) */
    const char *reason;
} code_reason;

/* Cox: the code after "AUP#"; a trailing '*' matches a prefix. */
static const code_reason cox_codes[] = {
    {"cxbl", "blocked"},      {"cxdns", "requireptr"},   {"cxsndr", "authfailure"},
    {"cxsmtp", "rejected"},   {"cxcnct", "toomanyconn"}, {"cxmxrt", "toomanyconn"},
    {"cdrbl", "blocked"},     {"cxthrt", "securityerror"}, {"cxmj", "securityerror"},
    {"ipbl*", "blocked"},     {"urlbl*", "spamdetected"}, {NULL, NULL},
};

/* Spectrum: AUP#I1234 / AUP#O1234 / AUP#In-1234, ranges of four digits. */
static const struct { int from, to; const char *reason; } spectrum_codes[] = {
    {1000, 1000, "blocked"},      {1010, 1010, "rejected"},     {1020, 1080, "rejected"},
    {1090, 1090, "systemerror"},  {1100, 1150, "requireptr"},   {1160, 1190, "policyviolation"},
    {1200, 1250, "blocked"},      {1260, 1260, "networkerror"}, {1300, 1340, "toomanyconn"},
    {1350, 1490, "speeding"},     {1500, 1500, "rejected"},     {1520, 1520, "rejected"},
    {1530, 1530, "mesgtoobig"},   {1540, 1550, "speeding"},     {1560, 1560, "policyviolation"},
    {1580, 1580, "speeding"},
};

/* Orange / La Poste: the number ending an OFR_/LPN label. */
static const code_reason orange_codes[] = {
    {"101", "blocked"},     {"102", "blocked"},     {"103", "blocked"},     {"104", "toomanyconn"},
    {"305", "securityerror"}, {"401", "authfailure"}, {"402", "securityerror"}, {"403", "rejected"},
    {"405", "rejected"},    {"415", "rejected"},    {"416", "userunknown"}, {"417", "mailboxfull"},
    {"420", "suspend"},     {"421", "rejected"},    {"426", "suspend"},     {"505", "systemerror"},
    {"506", "spamdetected"}, {"510", "blocked"},    {"514", "mesgtoobig"},  {"517", "authfailure"},
    {"630", "policyviolation"}, {"999", "blocked"}, {NULL, NULL},
};

static const code_reason mimecast_phrases[] = {
    {"host network not allowed", "policyviolation"}, {"host network, not allowed", "policyviolation"},
    {"anti-spoofing policy", "policyviolation"}, {"content examination policy", "policyviolation"},
    {"envelope blocked - user", "rejected"}, {"block policy for", "rejected"},
    {"administrative prohibition envelope blocked", "rejected"},
    {"ip temporarily blacklisted", "blocked"}, {"sender address blocked", "blocked"},
    {"local ct ip reputation", "badreputation"}, {"spf sender invalid", "authfailure"},
    {"dkim sender invalid", "authfailure"}, {"dmarc sender invalid", "authfailure"},
    {"maximum email size exceeded", "mesgtoobig"}, {"open relay not allowed", "norelaying"},
    {"rejected due to security policies", "virusdetected"}, {"exceeding outbound thread limit", "toomanyconn"},
    {NULL, NULL},
};

static bool provider_is(const char *rhost, const char *rcpt, const char *lower, const char *const *marks)
{
    for (; *marks; marks++)
        if (text_casestr(rhost, *marks) || text_casestr(rcpt, *marks) || strstr(lower, *marks))
            return true;
    return false;
}

/* The token after "aup#", lower case, without a "in-"/"out-" prefix. */
static void provider_aup(const char *lower, char *out, size_t len)
{
    const char *p = strstr(lower, "aup#");
    size_t n = 0;
    out[0] = '\0';
    if (!p)
        return;
    p += 4;
    while (p[n] && n + 1 < len && (isalnum((unsigned char)p[n]) || p[n] == '-'))
        n++;
    memcpy(out, p, n);
    out[n] = '\0';
}

static const char *provider_cox(const char *lower)
{
    char code[32];
    provider_aup(lower, code, sizeof code);
    for (const code_reason *c = cox_codes; code[0] && c->code; c++) {
        size_t n = strlen(c->code);
        if (c->code[n - 1] == '*' ? !strncmp(code, c->code, n - 1) : !strcmp(code, c->code))
            return c->reason;
    }
    return NULL;
}

static const char *provider_spectrum(const char *lower)
{
    char code[32];
    provider_aup(lower, code, sizeof code);
    const char *d = code;
    while (*d && !isdigit((unsigned char)*d))
        d++;
    if (strlen(d) < 4)
        return NULL;
    int num = atoi(d);
    for (size_t i = 0; i < sizeof spectrum_codes / sizeof spectrum_codes[0]; i++)
        if (num >= spectrum_codes[i].from && num <= spectrum_codes[i].to)
            return spectrum_codes[i].reason;
    return NULL;
}

static const char *provider_orange(const char *lower)
{
    static const char *const labels[] = {"lpnaaa", "lpn", "ofr", "ouk", NULL};
    for (const char *const *l = labels; *l; l++) {
        const char *at = NULL;
        for (const char *p = strstr(lower, *l); p; p = strstr(p + 1, *l))
            at = p;   /* the last label */
        if (!at)
            continue;
        const char *end = at;
        while (*end && !isspace((unsigned char)*end) && *end != '[' && *end != ')')
            end++;
        if (end - at < 3)
            continue;
        for (const code_reason *c = orange_codes; c->code; c++)
            if (!strncmp(end - 3, c->code, 3))
                return c->reason;
        return NULL;
    }
    return NULL;
}

static const char *provider_phrases(const code_reason *table, const char *lower)
{
    for (const code_reason *c = table; c->code; c++)
        if (strstr(lower, c->code))
            return c->reason;
    return NULL;
}

const char *provider_reason(const char *rhost, const char *recipient, const char *diagnostic)
{
    static const char *const cox[] = {"cox.net", "cox.com", "cloudfilter.net", NULL};
    static const char *const spectrum[] = {"charter.net", "spectrum.net", "rr.com", NULL};
    static const char *const orange[] = {"orange.fr", "wanadoo.fr", "laposte.net", NULL};
    static const char *const mimecast[] = {"mimecast", NULL};
    char lower[FIELD_MAX_BYTES + 1];
    size_t n = diagnostic ? strlen(diagnostic) : 0;
    if (n == 0)
        return NULL;
    if (n > FIELD_MAX_BYTES)
        n = FIELD_MAX_BYTES;
    for (size_t i = 0; i < n; i++)
        lower[i] = (char)tolower((unsigned char)diagnostic[i]);
    lower[n] = '\0';
    rhost = rhost ? rhost : "";
    recipient = recipient ? recipient : "";
    if (provider_is(rhost, recipient, lower, cox))
        return provider_cox(lower);
    if (provider_is(rhost, recipient, lower, spectrum))
        return provider_spectrum(lower);
    if (provider_is(rhost, recipient, lower, orange))
        return provider_orange(lower);
    if (provider_is(rhost, recipient, lower, mimecast))
        return provider_phrases(mimecast_phrases, lower);
    return NULL;
}

/* ---- receivers by name ----
 * A big receiver named by the domain of its mail hosts: the host that
 * answered (rhost), else the host that wrote the bounce (lhost); else by the
 * mail domains it alone serves (the recipient's). Suffixes match at a dot.
 * Host names are those the providers publish as their MX and outbound hosts. */
typedef struct {
    const char *name;
    const char *const *hosts;     /* domains of its MX and relay hosts */
    const char *const *domains;   /* recipient domains only it serves */
} provider_row;

#define L(...) (const char *const[]){__VA_ARGS__, NULL}
static const provider_row provider_rows[] = {
    {"google", L("l.google.com"), NULL},   /* aspmx, gmail-smtp-in, gmr-smtp-in */
    {"microsoft", L("prod.outlook.com", "protection.outlook.com", "onmicrosoft.com", "exchangelabs.com"),
     L("onmicrosoft.com")},
    {"outlook", L("hotmail.com"), NULL},
    {"yahooinc", L("yahoodns.net"), NULL},
    {"aol", L("mx.aol.com", "mail.aol.com"), NULL},
    {"apple", L("mail.icloud.com", "apple.com", "me.com", "privaterelay.appleid.com"), NULL},
    {"cox", L("cox.net", "cox.com"), L("cox.net")},
    {"spectrum", L("charter.net", "spectrum.net"), L("charter.net", "spectrum.net")},
    {"facebook", L("facebook.com"), L("facebook.com")},
    {"franceptt", L("laposte.net", "orange.fr", "wanadoo.fr"), L("laposte.net", "orange.fr", "wanadoo.fr")},
    {"godaddy", L("smtp.secureserver.net", "mailstore1.secureserver.net"), NULL},
    {"kddi", L("ezweb.ne.jp", "msmx.au.com"), NULL},
    {"nttdocomo", L("mfsmax.docomo.ne.jp"), NULL},
    {"messagelabs", L("messagelabs.com"), NULL},
    {"mimecast", L("mimecast.com"), NULL},
    {"tencent", L("qq.com"), NULL},
    {"zoho", L("zoho.com"), NULL},
    {NULL, NULL, NULL},
};

static bool provider_host_in(const char *host, const char *const *domains)
{
    size_t hn = host ? strlen(host) : 0;
    while (hn && host[hn - 1] == '.')
        hn--;   /* "mx.example.net." */
    for (; domains && *domains; domains++) {
        size_t dn = strlen(*domains);
        if (hn >= dn && !strncasecmp(host + hn - dn, *domains, dn) &&
            (hn == dn || host[hn - dn - 1] == '.'))
            return true;
    }
    return false;
}

const char *provider_family(const char *rhost, const char *lhost, const char *recipient)
{
    const char *at = recipient ? strrchr(recipient, '@') : NULL;
    for (const provider_row *p = provider_rows; p->name; p++)
        if (provider_host_in(rhost, p->hosts))
            return p->name;
    for (const provider_row *p = provider_rows; p->name; p++)
        if (provider_host_in(lhost, p->hosts))
            return p->name;
    for (const provider_row *p = provider_rows; at && p->name; p++)
        if (provider_host_in(at + 1, p->domains))
            return p->name;
    return NULL;
}
