/* Reason classification with Sisimai's reason names: text patterns of the
 * diagnostic first (one table, checked in order), then the enhanced status
 * code, then the action. */
#include <config.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* Ordered: the first reason with a matching (lower-case) pattern wins. */
static const struct { const char *reason; const char *const *patterns; } text_table[] = {
#define P(...) (const char *const[]){__VA_ARGS__, NULL}
    {"requireptr", P("ip name lookup failed", "must have a ptr record", "bad dns ptr",
        "cannot find your hostname", "no ptr record", "reverse dns", "reverse lookup",
        "does not have a ptr record", "forward dns entry does not point", "no reverse dns",
        "generic dns ptr", "please get a custom reverse dns", "ptr record", "rdns",
        "unresolvable relay host name", "cannot resolve your address")},
    {"notcompliantrfc", P("rfc 5322", "rfc5322", "rfc 2822", "rfc2822", "not rfc compliant",
        "rfcmessagenoncompliant", "duplicate header", "not compliant", "rfc 822 compliant",
        "multiple from", "non-compliant", "multiple addresses in from")},
    {"authfailure", P("spf", "dkim", "dmarc", "sender policy framework",
        "domain authentication fail", "unauthenticated email", "not pass authentication",
        "is not allowed to send mail from", "authentication checks did not pass")},
    {"badreputation", P("ip reputation", "due to unexpected volume or user complaints", "poor reputation", "low reputation",
        "reputation problems", "very low reputation", "sender reputation")},
    {"speeding", P("rate limited", "please try again slower", "receiving mail at a rate",
        "rate that prevents additional messages", "too fast", "rate limit exceeded",
        "sending rate", "too many recipients this hour", "sent to too many recipients")},
    {"mailboxfull", P("mailbox full", "mailbox is full", "over quota", "overquota",
        "quota exceeded", "exceeded its quota", "exceeding its mailbox quota",
        "exceeding their quota", "over the allowed quota", "disk quota", "mailbox size limit",
        "exceeded storage allocation", "exceed maximum allowed storage", "mailfolder is full",
        "mail quota", "quota violation", "reached disk quota", "does not have enough space",
        "not enough storage space", "exceeded its disk space", "space has been used up",
        "too many messages on the server", "boite du destinataire pleine", "full mailbox",
        "mailbox exceeded", "mailbox has exceeded", "insufficient storage", "storage limit",
        "out of storage", "user is over", "would exceed", "quota full", "mailbox is over",
        "exceeds the quota", "quota for this user", "quota has been exceeded", "exceeds its quota",
        "box is full", "account is full", "full. try again later", "too much mail data",
        "mailbox over")},
    {"toomanyconn", P("too many connections", "connection limit", "maximum connection limit",
        "too many concurrent", "too many simultaneous", "too many smtp sessions",
        "too many errors from your ip", "trop de connexions", "max emails per hour",
        "throttling failure", "exceeds per-domain connection limit", "too many sessions",
        "too many hosts", "numerous attempts", "too many recipients", "connection rate limit", "too many messages", "frequency limited")},
    {"mesgtoobig", P("message too big", "message too large", "message is too large",
        "message size exceeds", "message file too big", "message length exceeds",
        "exceeded maximum inbound message size", "max message size", "size limit",
        "exceeds the maximum size", "taille limite du message", "line limit exceeded",
        "message exceeds")},
    {"exceedlimit", P("message header size exceeds limit",
        "recipient limit", "exceeds the maximum number of recipients")},
    {"virusdetected", P("virus", "malware", "potentially executable attachment",
        "infected")},
    {"spamdetected", P("spam content", "as spam", "spam detected", "spam message", "spam score",
        "spam email", "spam classification", "spamassassin", "likely spam", "is spam", "like spam",
        "spam rejection", "content rejected, ube", "flagged as spam", "spam-like", "spam not accepted",
        "- spam", "spam filter", "spambouncer", "for spam", "spam url", "spamming", "unsolicited", "bulk mail", "bulk email", "uribl",
        "content filter rejection", "high probability of", "our filters rate",
        "message scored", "mail content denied", "blacklisted url", "junk mail",
        "considered junk")},
    {"policyviolation", P("policy", "content presents a potential", "host network not allowed", "prohibited", "not accepted for policy reasons",
        "illegal attachment", "organizational settings", "organization policy",
        "by the content rules", "closed mailing list", "header are not accepted",
        "you're using a mass mailer", "header error")},
    {"hasmoved", P(" has been replaced by ", "address has changed", "has moved")},
    {"suspend", P("account disabled", "has been disabled", "has been suspended",
        "account is disabled", "account is inactive", "account suspended", "mailbox disabled",
        "mailbox is inactive", "mailbox is frozen", "mailbox currently suspended",
        "is a deactivated mailbox", "user is terminated", "temporarily inactive",
        "suspend the service", "disabled or discontinued", "account has been temporarily suspended",
        "account is blocked", "compte du destinataire est bloque", "temporary locked", "temporarily locked",
        "mailbox is disabled", "domain is disabled", "user suspended", "account is locked",
        "inactive account", "account has expired", "account expired", "boite du destinataire archivee",
        "email account that you tried to reach is disabled", "invalid/inactive user",
        "account is unavailable", "mailbox unavailable or access denied",
        "email account that you tried to reach is inactive", "account has been deactivated",
        "mailbox has been blocked due to inactivity", "user account disabled",
        "not currently being accepted for this mailbox")},
    {"norelaying", P("relay access denied", "relaying denied", "relay denied",
        "relay not permitted", "relaying not allowed", "not allowed to relay", "unable to relay",
        "relay prohibited", "not an open relay", "as a relay", "we don't handle mail for",
        "not configured to relay", "relaying mail to", "in my list of allowed rcpthosts",
        "not permitted to relay", "relay not allowed", "no relaying")},
    {"notaccept", P("does not accept mail", "couldn't find a mail exchanger", "does not accept e-mail", "null mx",
        "domain does not receive mail", "mail receiving disabled", "not accepting any mail",
        "does not accept any mail", "accepts no mail", "host does not accept")},
    {"networkerror", P("dns query failed", "name service error", "host name lookup failure",
        "temporary failure in name resolution", "try again later, closing connection")},
    {"hostunknown", P("host or domain name not found", "host unknown", "unknown host",
        "no such domain", "domain does not exist", "domain not found", "domain name not found",
        "unknown domain", "unrouteable address", "unroutable address", "domain must exist",
        "name or service not known", "illegal host/domain", "domain is not reachable",
        "nxdomain", "account or domain may not exist", "hostname lookup failed",
        "no mx record", "no mx or a record", "bad destination system address",
        "domain isn't in my list", "does not exist in dns", "host not found")},
    {"filtered", P("user reject", "refuses to receive", "refused due to recipient preferences",
        "resolver.rst.notauthorized", "this account is protected by", "is not accepting mail",
        "restricted sms e-mail", "refuse to receive mail", "recipient is not accepting",
        "not authorized to send to", "rejected by recipient", "recipient rejected your",
        "refuses to accept your mail", "message filtered", "filtered")},
    {"userunknown", P("user unknown", "unknown user", "no such user", "no such mailbox",
        "no such recipient", "no such address", "no such account", "no such person",
        "no such local user", "mailbox not found", "mailbox does not exist", "mailbox not present",
        "mailbox unavailable", "unknown mailbox", "invalid mailbox", "mailbox invalid",
        "invalid recipient", "unknown recipient", "recipient unknown", "recipient not found",
        "recipient does not exist", "recipient not exist", "recipient is not local",
        "recipient not ok", "address unknown", "unknown address", "invalid address",
        "address invalid", "address does not exist", "address not present",
        "address doesn't exist", "email address could not be found", "not a valid mailbox",
        "not a valid recipient", "not a valid user", "not a known user", "is not a known",
        "user does not exist", "user doesn't exist", "user not exist", "user not known",
        "user not found", "user missing home directory", "unknown local part",
        "unknown e-mail address", "no mailbox", "no mail box", "no account by that name",
        "account does not exist", "account that you tried to reach does not exist",
        "utilisateur inconnu", "destinataire inconnu", "adresse invalide",
        "address rejected: invalid user", "badrcptto", "not known at this site",
        "not our customer", "not in our address list", "invalid or unknown virtual user",
        "recipient address rejected: user", "recipient address rejected: access denied",
        "addressee unknown", "bad recipient", "recipient rejected", "no valid recipients",
        "unknown or invalid", "adresse nicht gefunden", "nicht gefunden",
        "resolver.adr.recipient", "recipnotfound", "recipient_not_found",
        "delivery to the following recipient failed permanently", "does not exist",
        "doesn't have a", "not listed in", "this user doesn't", "invalid user")},
    {"rejected", P("sender rejected", "sender address rejected", "sender verify failed",
        "sender is in my block list", "sender not pre-approved", "invalid sender",
        "domain of sender address", "sender domain must exist", "null sender is not allowed",
        "empty envelope senders", "batv", "backscatter", "unroutable sender",
        "not a registered gateway user", "mail from not owned", "returned mail not accepted",
        "does not accept mail from", "sender email address rejected", "sender address has been blacklisted",
        "you are not allowed to post", "non-member", "members-only", "third-party dsn",
        "from: domain is invalid", "fully qualified email address required",
        "sender domain is empty", "emetteur invalide", "sender denied", "mail rejected by", "sender was rejected",
        "rejected sender", "mail from rejected", "sender unknown", "unknown sender",
        "sender is not allowed", "envelope blocked", "not subscribed")},
    {"blocked", P("blocked using", "blacklist", "blocklist", "block list", "black list",
        "banned", "client host rejected", "listed in", "listed at", "listed by", "is listed",
        "dnsbl", "spamhaus", "barracuda", "spamcop", "sorbs", "rbl", "access denied",
        "access from ip address", "connection refused by", "not accepting mail from",
        "dynamic ip", "dial-up", "dialup", "residential", "ip address rejected",
        "host network not allowed", "mail refused", "your ip", "has been blocked",
        "blocked by", "ip address is", "refused - see", "ofr_", "no access from mail server",
        "connections will not be accepted", "service unavailable, client host", "blocked",
        "not accepting connections",
        "not allowed to send from", "refused to talk to me", "we do not accept mail from",
        "poor sender", "temporarily deferred due to user complaints")},
    {"contenterror", P("improperly-formatted binary content", "invalid mime",
        "mime complexity", "unnecessary base64", "improper use of 8-bit", "too many received",
        "routing loop detected", "content-type", "illegal characters in header")},
    {"securityerror", P("authentication required", "authentication failure",
        "authentication credentials invalid", "must issue a starttls", "starttls",
        "tls required", "tls is required", "smtp authentication", "encryption required", "unauthenticated senders",
        "verification failure", "authentication is required", "not authorized to send",
        "authentication turned on", "executable files are not allowed",
        "you don't authenticate", "insecure mail relay", "account not subscribed to ses")},
    {"systemfull", P("mail system full", "insufficient disk space", "insufficient system storage", "disk full",
        "system is full", "system full", "out of disk space", "no space left")},
    {"expired", P("delivery expired", "delivery time expired", "queue too long",
        "in the queue too long", "message expired", "message timed out", "giving up on",
        "have been failing for a long time", "retry time not reached",
        "was not reachable within the allowed queue period", "could not be delivered for",
        "unable to deliver message after multiple retries", "it has not been collected",
        "server did not respond", "retry timeout exceeded", "expired", "delivery attempts will continue",
        "connection timed out", "could not deliver for", "will be retried", "retry timeout",
        "did not accept our requests to connect", "could not find a gateway",
        "unable to deliver for", "not been delivered for", "still undelivered", "will keep trying")},
    {"networkerror", P("no route to host", "host is unreachable", "network is unreachable",
        "connection timed out", "timed out", "connection refused", "lost connection",
        "connection reset", "name server", "host name lookup failure",
        "temporary failure in name resolution", "dns records for the destination computer",
        "unable to resolve route", "unrouteable mail domain", "mail forwarding loop",
        "forwarding loop", "message looping", "routing loop", "too many hops",
        "hop count exceeded", "could not connect", "couldn't connect", "connect to",
        "not reachable", "malformed name server reply", "dns lookup", "dns error",
        "loops back to myself", "mail loop")},
    {"systemerror", P("system error", "internal error", "configuration error",
        "local error in processing", "temporary local problem", "local problem",
        "interrupted system call", "can't create user output file", "could not load drd",
        "operation now in progress", "service currently unavailable", "system config error",
        "timeout waiting for input", "loop was found", "it would create a mail loop",
        "error while being processed", "transaction failed", "server error",
        "aliasing/forwarding loop", "temporary error", "temporarily unavailable",
        "try again later", "service unavailable", "system not available")},
    {"mailererror", P("x-unix", "command died with status", "command failed",
        "command output:", "command terminated abnormally", "pipe to |", "procmail:",
        "unknown mailer error", "mailer error", "exit status")},
    {"syntaxerror", P("syntax error", "command unrecognized", "unrecognized command",
        "command not recognized", "line too long", "bad sequence of commands",
        "unknown command", "parameter not recognized")},
#undef P
};

/* Enhanced status code (class stripped) -> reason. */
static const struct { const char *code; const char *reason; } status_table[] = {
    {"1.0", "rejected"},   {"1.1", "userunknown"}, {"1.2", "hostunknown"},
    {"1.3", "userunknown"}, {"1.4", "userunknown"}, {"1.5", "userunknown"},
    {"1.6", "hasmoved"},   {"1.7", "rejected"},   {"1.8", "rejected"},
    {"1.9", "systemerror"}, {"1.10", "userunknown"},
    {"2.0", "filtered"},   {"2.1", "userunknown"},   {"2.2", "mailboxfull"},
    {"2.3", "exceedlimit"}, {"2.4", "systemerror"},
    {"3.0", "systemerror"}, {"3.1", "systemfull"}, {"3.2", "notaccept"},
    {"3.3", "systemerror"}, {"3.4", "mesgtoobig"}, {"3.5", "systemerror"},
    {"4.0", "networkerror"}, {"4.1", "expired"}, {"4.2", "networkerror"},
    {"4.3", "systemerror"}, {"4.4", "hostunknown"}, {"4.5", "networkerror"},
    {"4.6", "networkerror"}, {"4.7", "expired"},
    {"5.0", "syntaxerror"}, {"5.1", "syntaxerror"}, {"5.2", "syntaxerror"},
    {"5.3", "exceedlimit"}, {"5.4", "syntaxerror"}, {"5.5", "syntaxerror"},
    {"5.6", "syntaxerror"},
    {"6.0", "contenterror"}, {"6.1", "contenterror"}, {"6.2", "contenterror"},
    {"6.3", "contenterror"}, {"6.4", "contenterror"}, {"6.5", "contenterror"},
    {"6.6", "contenterror"}, {"6.7", "contenterror"}, {"6.8", "contenterror"},
    {"7.0", "securityerror"}, {"7.1", "securityerror"}, {"7.2", "securityerror"},
    {"7.3", "securityerror"}, {"7.4", "securityerror"}, {"7.5", "securityerror"},
    {"7.6", "securityerror"}, {"7.7", "securityerror"}, {"7.8", "securityerror"},
    {"7.9", "securityerror"}, {"7.10", "securityerror"}, {"7.11", "securityerror"},
    {"7.12", "securityerror"}, {"7.13", "suspend"},    {"7.14", "securityerror"},
    {"7.15", "securityerror"}, {"7.16", "securityerror"}, {"7.17", "hasmoved"},
    {"7.18", "hasmoved"},  {"7.19", "hasmoved"},  {"7.20", "authfailure"},
    {"7.21", "authfailure"}, {"7.22", "authfailure"}, {"7.23", "authfailure"},
    {"7.24", "authfailure"}, {"7.25", "requireptr"}, {"7.26", "authfailure"},
    {"7.27", "notaccept"}, {"7.28", "speeding"},  {"7.29", "authfailure"},
    {"7.30", "securityerror"},
};

/* Reasons a status code says for sure: text does not override them. */
static const char *const status_certain[] = {
    "hostunknown", "mailboxfull", "hasmoved", "mesgtoobig", "authfailure",
    "requireptr", "notaccept", "systemfull", "speeding", "exceedlimit", NULL,
};

static bool in_list(const char *s, const char *const *list)
{
    for (; *list; list++)
        if (strcmp(s, *list) == 0)
            return true;
    return false;
}

const char *reason_from_status(const char *status)
{
    if (!status || !status[0] || !status[1] || strcmp(status + 1, ".0.0") == 0)
        return NULL;
    for (size_t i = 0; i < sizeof status_table / sizeof status_table[0]; i++)
        if (strcmp(status + 2, status_table[i].code) == 0)
            return status_table[i].reason;
    /* a detail the registry does not know (Microsoft's 5.1.351): the subject's first entry */
    for (size_t i = 0; i < sizeof status_table / sizeof status_table[0]; i++)
        if (status_table[i].code[0] == status[2] && status[3] == '.' && status_table[i].code[2] != '0')
            return status_table[i].reason;
    return NULL;
}

/* Lower-case copy with e-mail addresses blanked: "filtered@example.jp" must
 * not read as "filtered". */
static void reason_lower_text(const char *s, size_t n, char *out)
{
    for (size_t i = 0; i <= n; i++)
        out[i] = (char)tolower((unsigned char)s[i]);
    for (char *at = strchr(out, '@'); at; at = strchr(at + 1, '@')) {
        char *a = at, *b = at;
        while (a > out && text_is_addr_char((unsigned char)a[-1]))
            a--;
        while (*b && (text_is_addr_char((unsigned char)*b) || *b == '@'))
            b++;
        memset(a, ' ', (size_t)(b - a));
        at = b - 1;
    }
}

/* First reason whose pattern matches, skipping the reason named skip. */
static const char *reason_text_match(const char *diagnostic, const char *skip)
{
    if (!diagnostic || !diagnostic[0])
        return NULL;
    size_t n = strlen(diagnostic);
    char stackbuf[FIELD_MAX_BYTES + 1];
    char *lower = n <= FIELD_MAX_BYTES ? stackbuf : malloc(n + 1);
    if (!lower)
        return NULL;
    reason_lower_text(diagnostic, n, lower);
    const char *found = NULL;
    for (size_t i = 0; i < sizeof text_table / sizeof text_table[0] && !found; i++) {
        if (skip && !strcmp(text_table[i].reason, skip))
            continue;
        for (const char *const *p = text_table[i].patterns; *p; p++)
            if (strstr(lower, *p)) {
                found = text_table[i].reason;
                break;
            }
    }
    if (lower != stackbuf)
        free(lower);
    return found;
}

const char *reason_from_text(const char *diagnostic)
{
    return reason_text_match(diagnostic, NULL);
}

/* "User unknown" in the text means userunknown only when the status says
 * so or the recipient was refused at RCPT; refused after DATA, it is a
 * filter; refused at MAIL, the sender was the problem. */
static const char *reason_userunknown(const reason_input *in, const char *by_status)
{
    const char *cmd = in->command ? in->command : "";
    const char *st = in->status ? in->status : "";
    if (by_status && st[0] && st[1] == '.' && st[2] != '1' && st[2] != '2')
        by_status = NULL;   /* a network, protocol or policy status says nothing of the mailbox */
    if (by_status && !strcmp(by_status, "userunknown"))
        return "userunknown";
    if (by_status && !strcmp(by_status, "filtered"))
        return "filtered";
    if (!strcmp(cmd, "RCPT"))
        return "userunknown";
    if (!strcmp(cmd, "MAIL"))
        return reason_text_match(in->diagnostic, "userunknown");
    if (by_status)
        return reason_text_match(in->diagnostic, "userunknown");
    return in->prose ? "userunknown" : "filtered";
}

const char *reason_classify(const reason_input *in)
{
    const char *status = in->status ? in->status : "";
    const char *action = in->action ? in->action : "";
    if (status[0] == '2' || text_prefix_ci(action, "delivered") ||
        text_prefix_ci(action, "relayed") || text_prefix_ci(action, "expanded"))
        return "delivered";
    if (in->hint)
        return in->hint;
    const char *by_status = reason_from_status(status);
    if (by_status && in_list(by_status, status_certain))
        return by_status;
    const char *by_text = reason_from_text(in->diagnostic);
    if (by_text && !strcmp(by_text, "userunknown"))
        by_text = reason_userunknown(in, by_status);
    if (by_text && !strcmp(by_text, "hostunknown") && (status[0] == '4'))
        return "networkerror";   /* a temporary DNS failure */
    if (by_text)
        return by_text;
    if (by_status)
        return by_status;
    if (text_prefix_ci(action, "delayed"))
        return "expired";
    if (in->command && (!strcasecmp(in->command, "HELO") || !strcasecmp(in->command, "EHLO")))
        return "blocked";
    if (in->diagnostic && in->diagnostic[0])
        return "onhold";
    return "undefined";
}

bool reason_is_hard(const char *reason, const char *status, const char *replycode)
{
    bool temporary = (status && status[0] == '4') || (replycode && replycode[0] == '4');
    if (temporary)
        return false;
    return !strcmp(reason, "userunknown") || !strcmp(reason, "hostunknown") ||
           !strcmp(reason, "hasmoved") || !strcmp(reason, "notaccept");
}
