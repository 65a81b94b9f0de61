/* Reason classification with Sisimai's reason names.
 *
 * Precedence (reason_classify; README "How the reason is chosen"), first
 * match wins:
 *  1. delivered: a 2.X.X status, or Action delivered/relayed/expanded.
 *  2. The provider's own wording (provider.c, by remote host or recipient
 *     domain) or the MTA family's verdict (mta/): taken as it is unless it
 *     is a vague one (retry_reasons: onhold, systemerror, securityerror,
 *     expired, networkerror, hostunknown, userunknown, undefined).
 *  3. Order 1 (probe_order): each reason in turn, by its enhanced status
 *     code or its phrases, read with the SMTP command that was refused:
 *     an address status or "rejected" at MAIL FROM is the sender
 *     (rejected), and so is any refusal there with a vague code and no
 *     word that blames the host; "user unknown" is the mailbox at RCPT TO,
 *     a filter after DATA, and a filter too in a bare SMTP reply (a reply
 *     code, no enhanced code, no command: it may have come after DATA);
 *     a 5.1.1 yields to words of norelaying, blocked, mailboxfull,
 *     hasmoved, rejected, notaccept, speeding or toomanyconn; reply code
 *     525 is suspend. A temporary (4.X.X) hostunknown is networkerror.
 *  4. A vague family or provider verdict of step 2 (not onhold/undefined).
 *  5. Order 2 (reason_anotherone): the status's own reason when it is a
 *     certain one and the diagnostic is SMTP's; else the generic phrases of
 *     text_order (so "connection timed out" is expired even under 4.4.2:
 *     MTAs put X.4.Y on either); else the vague status reason; else the
 *     status class (X.6 contenterror, X.7 securityerror), an x-unix
 *     diagnostic (mailererror), a 50X reply code (syntaxerror), Action
 *     delayed (expired), a refused greeting or HELO (blocked).
 *  6. Vacation words; then onhold when there is a diagnostic, else undefined.
 * The reply code alone never names a reason beside 525 and 50X: it decides
 * temporary against permanent (reason_is_hard), with the status. */
#include <config.h>
#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include "internal.h"

/* Phrases per reason, lower case. "a*b" means "a" and later "b" on the
 * same diagnostic. A reason may have several rows; order matters only for
 * reason_from_text(). */
static const struct { const char *reason; const char *const *patterns; } text_table[] = {
#define P(...) (const char *const[]){__VA_ARGS__, NULL}
    {"mailboxfull", P("mailbox*full", "over*quota", "quota*exceeded", "disk*quota", "mailbox*quota",
        "maildir*quota", "account is*quota", "mailbox*exceeded*limit", "enough*space",
        "boite du destinataire pleine", "exceeded storage allocation", "full mailbox",
        "mailbox exceeds allowed size", "mailbox size limit exceeded", "would exceed maximum allowed storage",
        "mailfolder is full", "no space left on device", "not sufficient disk space", "quota violation for",
        "too much mail data", "user has too many messages on the server", "space has been used up",
        "452 insufficient disk space", "exceeding receiving limits", "buzón está lleno", "buzon esta lleno",
        "buzón lleno", "postfach ist voll", "boîte aux lettres est pleine")},
    {"mesgtoobig", P("message too big", "message too large", "message is too large",
        "message size exceeds", "message file too big", "message length exceeds",
        "exceeded maximum inbound message size", "max message size exceeded", "message exceeds",
        "exceeds the maximum size", "taille limite du message", "line limit exceeded",
        "size exceeds fixed maximum", "size limit exceeded")},
    {"exceedlimit", P("message header size exceeds limit", "message too large for this recipient",
        "exceeds the maximum number of recipients")},
    {"suspend", P(" is currently suspended", "temporary locked", "temporarily locked", "archived recipient",
        "boite du destinataire archivee", "email account that you tried to reach is disabled",
        "has been suspended", "inactive account", "invalid/inactive user", "is a deactivated mailbox",
        "user is terminated", "mailbox currently suspended", "mailbox disabled", "mailbox is frozen",
        "mailbox unavailable or access denied", "temporarily inactive", "suspend the service",
        "email account that you tried to reach is inactive", "disabled or discontinued",
        "account has been temporarily suspended", "this address no longer accepts mail",
        "mailbox is disabled", "user or domain is disabled", "user suspended", "account is locked",
        "account is blocked", "compte du destinataire est bloque", "account has been disabled",
        "account disabled", "account is disabled", "account suspended")},
    {"hasmoved", P(" has been replaced by ", "address has changed", "mailbox has moved")},
    {"norelaying", P("relay access denied", "relaying denied", "relay denied", "relay not permitted",
        "relaying not allowed", "not allowed to relay", "unable to relay", "relay prohibited",
        "not an open relay", "as a relay", "we don't handle mail for", "not configured to relay",
        "relaying mail to", "that domain isn't in my list of allowed rcpthost",
        "not permitted to relay", "relay not allowed", "no relaying", "insecure mail relay", "message rejected: email address is not verified")},
    {"authfailure", P("spf check", "spf fail", "spf validation", "spf record", "spf:", "spf=fail",
        "spf (sender policy framework)", "dkim check", "dkim fail", "dkim signature", "dkim verification",
        "dkim validation", "dmarc", "sender policy framework", "domain authentication fail",
        "spf settings", "spf policy", "not pass spf", "not pass dkim",
        "unauthenticated email", "does not pass authentication", "authentication checks did not pass",
        "is not allowed to send mail from", "not authorized to send on behalf")},
    {"userunknown", P("user unknown", "unknown user", "no such user", "no such mailbox", "no such recipient",
        "no such address", "no such person", "no such local user", "no mailbox", "no mail box",
        "mailbox not found", "mailbox does not exist", "mailbox not present", "mailbox unavailable",
        "mailbox is unavailable", "mailbox is inactive", "unknown mailbox", "invalid mailbox", "mailbox invalid",
        "invalid recipient", "unknown recipient", "recipient unknown", "recipient not found",
        "recipient does not exist", "recipient not exist", "recipient is not local", "recipient not ok",
        "recipient is not accepted", "address unknown", "invalid address",
        "address invalid", "address does not exist", "address not present", "address doesn't exist",
        "email address could not be found", "address couldn't be found", "not a valid mailbox", "not a valid recipient",
        "not a valid user", "is not a known user", "user does not exist", "user doesn't exist",
        "user not exist", "user not known", "user not active", "user not found", "user missing home directory",
        "unknown local*part", "unknown e*mail address", "no account by that name",
        "account that you tried to reach does not exist", "does not exist at the organization",
        "utilisateur inconnu", "destinataire invalide", "adresse invalide", "invalid user",
        "recipient address rejected: user", "recipient address rejected: access denied",
        "recipient address rejected. (in reply to rcpt to command)", "recipient address rejected: unknown",
        "recipient address rejected.",
        "badrcptto", "badrecipientto", "validrcptto", "not known at this site", "not our customer",
        "not a local address", "invalid or unknown virtual user", "recipient refuses to accept your mail",
        "resolver.adr.recipient", "recipientnotfound", "recipnotfound", "does not exist.",
        "this user doesn't have a * account", "there is no one at this address",
        "no longer valid", "the following recipients was undeliverable", "destination addresses were unknown",
        "non*existent user", "user * does not exist", "user * was not found", "not listed in",
        "nicht gefunden", "invalid final delivery userid", "no valid recipients", "is not a valid",
        "bad recipient", "bad destination mailbox", "mailbox not available", "mailbox unknown",
        "empfänger unbekannt", "empfaenger unbekannt", "adresse inconnue", "usuario desconocido",
        "destinatario inexistente", "destinatario desconocido")},
    /* phrases said only when RCPT TO is refused, whatever the command seen */
    {"rcptonly", P("this user doesn't have a * account", "invalid recipient", "recipient not found",
        "mailbox unavailable", "resolver.adr.recipient", "recipientnotfound", "destinataire invalide",
        "unknown user:", "invalid final delivery userid", "no valid recipients",
        "recipient address rejected: access denied",
        "does not exist at the organization", "address couldn't be found")},
    {"filtered", P("account is protected by", "bounced address", "has restricted sms e-mail",
        "is not accepting any mail", "message filtered", "message rejected due to user rules",
        "not found recipient account", "refuse to receive mail", "only accepting mail from specific",
        "refused due to recipient preferences", "user refuses to receive", "user reject",
        "you have been blocked by the recipient")},
    {"requireptr", P("ip name lookup failed", "must have a ptr record", "bad dns ptr",
        "cannot find your hostname", "no ptr record", "reverse dns failed", "reverse dns required",
        "reverse dns entry", "no reverse dns", "fix reverse dns", "reverse lookup",
        "does not have a ptr record", "forward dns entry does not point", "generic dns ptr",
        "ptr record", "unresolvable relay host name", "cannot resolve your address",
        "mismatches client ip", "not match your ip", "no reverse", "rdns record", "invalid rdns")},
    {"notcompliantrfc", P("rfc 5322", "rfc5322", "rfc 2822", "rfc2822", "rfc 822 compliant",
        "rfcmessagenoncompliant", "duplicate header", "not rfc compliant", "multiple addresses in from",
        "multiple from", "non-compliant", "improperly formatted")},
    {"badreputation", P("ip reputation", "poor reputation", "low reputation", "reputation problems",
        "sender reputation", "due to unexpected volume or user complaints")},
    {"contenterror", P("improperly-formatted binary content", "invalid mime", "mime complexity",
        "unnecessary base64", "improper use of 8-bit", "too many received", "routing loop detected",
        "illegal characters in header", "message header size, or recipient list, exceeds")},
    {"rejected", P("sender rejected", "sender address rejected", "sender verify failed",
        "sender is in my black list", "sender is in my block list", "sender not pre-approved",
        "invalid sender", "domain of sender address", "sender domain must exist",
        "null sender is not allowed", "empty envelope senders", "batv", "backscatter protection",
        "unroutable sender", "not a registered gateway user", "mail from not owned",
        "returned mail not accepted", "this server does not accept mail from", "sender email address rejected",
        "sender address has been blacklisted", "not allowed to post", "non-member", "members-only",
        "third-party dsn", "from: domain is invalid", "fully qualified email address required",
        "sender domain is empty", "emetteur invalide", "sender was rejected", "sender is spammer",
        "administrative prohibition", "can't determine purported responsible address",
        "delivery not authorized, message refused", "access denied (in reply to mail from",
        "recipient addresses rejected : access denied", "your email address has been blacklisted",
        "address that has been blacklisted", "envelope blocked", "bogus mail from",
        "without a valid sender domain", "mail rejected by")},
    {"hostunknown", P("domain does not exist", "domain is not reachable", "domain must exist",
        "host or domain name not found", "host unknown", "host unreachable", "name or service not known",
        "no such domain", "unknown domain", "account or domain may not exist", "unknown host",
        "unroutable address", "unrouteable address", "mail domain mentioned in email address is unknown",
        "domain not found", "domain name not found", "553 * does not exist", "invalid domain",
        "dns lookup failure")},
    {"spamdetected", P(" - spam", "unsolicited", "blacklisted url", "block for spam", "no spam please",
        "spamassassin", "detected as spam", "unsolicited bulk", "content filter rejection",
        "bulk email", "bulk mail", "denied due to spam list", "high probability of spam",
        "classified as spam", "mail content denied", "may consider spam", "spam or virus",
        "message content rejected", "looks like spam", "seems to be a spam", "spamprofiler",
        "rejected as spam", "unacceptable content", "suspected spam", "possible spam",
        "thinks this email is spam", "probable spam", "bulk.advertising", "banned content",
        "rejecting mail content", "spam-like", "spam filter", "spam blocked", "spam check",
        "spam content", "spam detected", "spam email", "spam message", "spam not accepted",
        "spam refused", "spam rejection", "spam score", "spambouncer", "spamming not allowed",
        "spam complaints", "too much spam", "identified as spam", "scored as spam", "appears to be spam",
        "recurrent pattern detection", "we dont accept spam", "similar to spam", "uribl",
        "considered spam", "probably spam", "triggered a spam", "spam contents", "antispam checks",
        "temporarily blocked by our filter", "spam points", "percent probability of being spam",
        "rejected due to spam", "flagged as spam", "spam classification")},
    {"speeding", P("rate limited", "please try again slower", "receiving mail at a rate",
        "too fast", "sending rate", "too many recipients this hour",
        "sent to too many recipients")},
    {"toomanyconn", P("too many connections", "connection limit", "too many concurrent",
        "too many simultaneous", "too many smtp sessions", "too many errors from your ip",
        "trop de connexions", "max emails per hour", "throttling failure", "per-domain connection limit",
        "too many sessions", "numerous attempts", "too many recipients", "connection rate limit",
        "frequency limited")},
    {"blocked", P(" said: 550 blocked", "spamcop.net", "bad sender ip", "banned sending ip", "blacklisted by",
        "blocked using ", "blocked - see http", "dnsbl", "client host rejected: abus detecte",
        "client host rejected: may not be mail exchanger", "client host rejected: was not authenticated",
        "confirm this mail server", "connection dropped", "connection refused by", "connection reset by peer",
        "connection was dropped by remote host", "spamhaus", "currently sending spam", "dynamic/zombied",
        "error: no valid recipients from", "not accepting connections", "extreme bad ip profile",
        "go away", "helo command rejected", "host network not allowed", "hosts with dynamic ip",
        "invalid ip for sending mail", "is in a black list", "no access from mail server",
        "no matches to nameserver query", "not currently accepting mail from your ip", "on our block list",
        "please use the smtp server of your isp", "refused - see http", "multi-blacklist",
        "sender has not passed validation", "rejecting open proxy", "sender ip address rejected",
        "server access forbidden by your ip", "service not available, closing transmission channel",
        "smtp error from remote mail server after initial connection", "domain isn't in my list of allowed rcpthosts",
        "looks suspiciously like spammer", "to submit messages to this e-mail system has been rejected",
        "too many spams from your ip", "unwanted messages have been sent from", "was blocked by ",
        "dynamic ips", "you are not allowed to connect", "you are sending spam", "listed in the rbl",
        "temporary blacklisted", "requires confirmation", "access from ip address * blocked",
        "client host * blocked using", "because the ip is in spamhaus", "barracudacentral.org",
        "refused to talk to me: * blocked", "is blocked by", "mail server at * is blocked",
        "rejected based on blacklist", "temporarily deferred due to user complaints", "listed as abusive",
        "is blacklisted", "has been rejected", "abuseat.org", "refused to talk to me",
        "blocked for abuse", "ip blocked", "your ip address is listed")},
    {"virusdetected", P("virus", "malware", "potentially executable attachment", "infected")},
    {"policyviolation", P("illegal attachment", "not accepting mail with", "members-only list",
        "closed mailing list", "denied by policy", "not accepted for policy reasons",
        "rejected due to security policies", "header are not accepted", "header error",
        "local policy violation", "organizational settings", "message given low priority",
        "rejected due to local policy", "messages with multiple addresses", "rejected for policy reasons",
        "protocol violation", "not subscribed to this group", "rejected by organization policy",
        "content presents a potential", "containing images or other attachments", "mass mailer",
        "without solving a captcha", "policy violation")},
    {"systemerror", P("aliasing/forwarding loop", "can't create user output file", "could not load drd",
        "internal error reading data", "operation now in progress", "interrupted system call",
        "error while being processed", "it would create a mail loop", "local configuration error",
        "local error in processing", "loop was found in the mail exchanger", "loops back to myself",
        "mail system configuration error", "queue file write error", "there is no mdb",
        "remote server is misconfigured", "server configuration error", "service currently unavailable",
        "system config error", "temporary local problem", "timeout waiting for input",
        "transaction failed", "unable to connect * daemon", "unable to contact ldap server")},
    {"networkerror", P("could not connect and send the mail", "dns records for the destination computer",
        "hop count exceeded", "host is unreachable", "host name lookup failure", "host not found, try again",
        "mail forwarding loop for", "malformed name server reply", "malformed or unexpected name server reply",
        "forwarding loop count exceeded", "message looping", "routing loop", "no route to host",
        "too many hops", "unable to resolve route", "unrouteable mail domain", "network error",
        "dns query failed", "had no relevant answers", "temporary failure in name resolution",
        "network is unreachable", "establish an smtp connection")},
    {"systemfull", P("mail system full", "insufficient system storage", "disk full", "system is full",
        "system full", "out of disk space", "insufficient disk space")},
    {"notaccept", P("does not accept mail", "does not accept e-mail", "null mx", "mail receiving disabled",
        "does not accept any mail", "accepts no mail", "host does not accept", "couldn't find a mail exchanger",
        "no mx record")},
    {"expired", P("connection timed out", "could not find a gateway for", "delivery attempts will continue",
        "delivery expired", "delivery time expired", "failed to deliver to domain ", "giving up on",
        "have been failing for a long time", "has been delayed", "it has not been collected after",
        "message expired", "message timed out", "retry time not reached", "server did not respond",
        "in the queue too long", "after multiple retries", "within the allowed queue period",
        "could not be delivered for more than", "could not be delivered for * days", "will be retried",
        "will keep trying", "still undelivered", "could not deliver for", "did not accept our requests to connect",
        "operation timed out", "retry timeout exceeded")},
    {"securityerror", P("account not subscribed to ses", "authentication credentials invalid",
        "authentication failure", "authentication required", "authentication turned on",
        "executable files are not allowed", "you don't authenticate",
        "unauthenticated senders not allowed", "verification failure", "authentication is required",
        "authentication failed; server", "smtp authentication", "must issue a starttls",
        "tls required", "tls is required", "encryption required")},
    {"mailererror", P("x-unix", "command died with status", "command failed", "command output:",
        "command terminated abnormally", "pipe to |", "procmail", "unknown mailer error", "mailer error",
        "exit status")},
    {"syntaxerror", P("syntax error", "command unrecognized", "unrecognized command",
        "command not recognized", "line too long", "bad sequence of commands", "unknown command",
        "parameter not implemented", "command parameter not")},
    {"vacation", P("out of the office", "out of office", "on vacation", "fuera de la oficina")},
#undef P
};

/* A diagnostic, capped, lower-cased and without addresses, with its trigrams. */
#define TEXT_REASONS (sizeof text_table / sizeof text_table[0])
typedef struct {
    char s[FIELD_MAX_BYTES + 1];
    size_t n;
    trigrams tri;
    signed char says[TEXT_REASONS];   /* text_says per reason: -1 not asked yet */
} lowtext;

/* Does the lower-cased text hold the pattern ("a*b": a, then b)? */
static bool text_match(const lowtext *lower, const char *pattern)
{
    if (pattern[0] && pattern[1] && pattern[2] && pattern[0] != '*' && pattern[1] != '*' &&
        pattern[2] != '*' && !trigrams_has(&lower->tri, pattern))
        return false;   /* most patterns end here, before any strlen */
    const char *at = lower->s;
    while (*pattern) {
        const char *star = strchr(pattern, '*');
        size_t n = star ? (size_t)(star - pattern) : strlen(pattern);
        char part[128];
        if (n >= sizeof part || !trigrams_may_hold(&lower->tri, pattern, n))
            return false;
        memcpy(part, pattern, n);
        part[n] = '\0';
        at = strstr(at, part);
        if (!at)
            return false;
        at += n;
        pattern += n + (star ? 1 : 0);
    }
    return true;
}

/* Enhanced status code -> the reason it names by itself (RFC 3463 / 5248
 * meanings; 4.x and 5.x differ where a temporary code means something else). */
static const struct { const char *code; const char *reason; } status_table[] = {
    {"2.1.5", "delivered"},
    {"4.1.6", "hasmoved"},      {"4.1.7", "rejected"},     {"4.1.8", "rejected"},
    {"4.1.9", "systemerror"},   {"4.2.1", "blocked"},      {"4.2.2", "mailboxfull"},
    {"4.2.3", "exceedlimit"},   {"4.2.4", "filtered"},     {"4.3.1", "systemfull"},
    {"4.3.2", "notaccept"},     {"4.3.3", "systemerror"},  {"4.3.5", "systemerror"},
    {"4.4.1", "expired"},       {"4.4.2", "networkerror"}, {"4.4.3", "systemerror"},
    {"4.4.4", "networkerror"},  {"4.4.5", "systemfull"},   {"4.4.6", "networkerror"},
    {"4.4.7", "expired"},       {"4.4.8", "networkerror"}, {"4.5.3", "systemerror"},
    {"4.5.5", "systemerror"},   {"4.6.0", "contenterror"}, {"4.6.2", "contenterror"},
    {"4.6.5", "contenterror"},  {"4.7.1", "blocked"},      {"4.7.2", "blocked"},
    {"4.7.5", "securityerror"}, {"4.7.6", "securityerror"}, {"4.7.7", "securityerror"},
    {"4.7.12", "securityerror"}, {"4.7.15", "securityerror"}, {"4.7.16", "mesgtoobig"},
    {"4.7.24", "authfailure"},  {"4.7.25", "requireptr"},  {"4.7.26", "authfailure"},
    {"5.1.0", "userunknown"},   {"5.1.1", "userunknown"},  {"5.1.2", "hostunknown"},
    {"5.1.3", "userunknown"},   {"5.1.4", "filtered"},     {"5.1.6", "hasmoved"},
    {"5.1.7", "rejected"},      {"5.1.8", "rejected"},     {"5.1.9", "systemerror"},
    {"5.1.10", "notaccept"},    {"5.2.0", "filtered"},     {"5.2.1", "filtered"},
    {"5.2.2", "mailboxfull"},   {"5.2.3", "exceedlimit"},  {"5.2.4", "filtered"},
    {"5.3.0", "systemerror"},   {"5.3.1", "systemfull"},   {"5.3.2", "notaccept"},
    {"5.3.3", "systemerror"},   {"5.3.4", "mesgtoobig"},   {"5.3.5", "systemerror"},
    {"5.4.0", "networkerror"},  {"5.4.3", "systemerror"},  {"5.4.4", "hostunknown"},
    {"5.5.2", "syntaxerror"},   {"5.5.3", "toomanyconn"},  {"5.5.4", "systemerror"},
    {"5.5.5", "systemerror"},   {"5.5.6", "syntaxerror"},  {"5.6.0", "contenterror"},
    {"5.6.1", "contenterror"},  {"5.6.2", "contenterror"}, {"5.6.3", "contenterror"},
    {"5.6.5", "contenterror"},  {"5.6.6", "contenterror"}, {"5.6.7", "contenterror"},
    {"5.6.8", "contenterror"},  {"5.6.9", "contenterror"}, {"5.7.0", "securityerror"},
    {"5.7.1", "securityerror"}, {"5.7.2", "securityerror"}, {"5.7.3", "securityerror"},
    {"5.7.4", "securityerror"}, {"5.7.5", "securityerror"}, {"5.7.6", "securityerror"},
    {"5.7.7", "securityerror"}, {"5.7.8", "securityerror"}, {"5.7.9", "securityerror"},
    {"5.7.10", "securityerror"}, {"5.7.11", "securityerror"}, {"5.7.13", "suspend"},
    {"5.7.14", "securityerror"}, {"5.7.15", "securityerror"}, {"5.7.16", "mesgtoobig"},
    {"5.7.17", "hasmoved"},     {"5.7.18", "hasmoved"},    {"5.7.19", "securityerror"},
    {"5.7.20", "authfailure"},  {"5.7.21", "authfailure"}, {"5.7.22", "authfailure"},
    {"5.7.23", "authfailure"},  {"5.7.24", "authfailure"}, {"5.7.25", "requireptr"},
    {"5.7.26", "authfailure"},  {"5.7.27", "notaccept"},   {"5.7.28", "spamdetected"},
    {"5.7.29", "authfailure"},  {"5.7.30", "securityerror"},
};

/* Reasons a status may name that the text should look at again. */
static const char *const retry_reasons[] = {
    "undefined", "onhold", "systemerror", "securityerror", "expired", "networkerror",
    "hostunknown", "userunknown", NULL,
};

/* Order 1: reasons decided by the status or the text together. */
static const char *const probe_order[] = {
    "mailboxfull", "mesgtoobig", "exceedlimit", "suspend", "hasmoved", "norelaying",
    "authfailure", "userunknown", "filtered", "requireptr", "notcompliantrfc",
    "badreputation", "contenterror", "rejected", "hostunknown", "spamdetected", "speeding",
    "toomanyconn", "blocked", NULL,
};

/* Order 2: text alone, when the status named nothing certain. */
static const char *const text_order[] = {
    "mailboxfull", "authfailure", "badreputation", "speeding", "spamdetected",
    "virusdetected", "policyviolation", "norelaying", "systemerror", "networkerror",
    "suspend", "contenterror", "systemfull", "notaccept", "expired", "securityerror",
    "mailererror", NULL,
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
    if (!status || !status[0])
        return NULL;
    for (size_t i = 0; i < sizeof status_table / sizeof status_table[0]; i++)
        if (strcmp(status, status_table[i].code) == 0)
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

/* The hashes of the trigrams of every pattern of text_table (of each of
 * its '*'-separated parts; in table order; row_first: where each row's
 * patterns are, tri_first: where each pattern's hashes are), made once: a
 * pattern with a trigram the text lacks is rejected without a call to
 * text_match, as text_match itself would (most end at the first). NULL:
 * no memory, every pattern goes to text_match. */
static uint16_t *pattern_tri;
static size_t *tri_first;   /* pattern k's hashes: [tri_first[k], tri_first[k + 1]) */
static size_t row_first[TEXT_REASONS];

/* Hashes of the trigrams of pattern t's parts into v (NULL: counted only). */
static size_t pattern_trigrams(const char *t, uint16_t *v)
{
    size_t n = 0;
    while (*t) {
        const char *star = strchr(t, '*');
        size_t len = star ? (size_t)(star - t) : strlen(t);
        for (size_t i = 0; i + 3 <= len; i++, n++)
            if (v)
                v[n] = (uint16_t)trigram_hash((uint32_t)(unsigned char)t[i] << 16 |
                                              (uint32_t)(unsigned char)t[i + 1] << 8 | (unsigned char)t[i + 2]);
        t += len + (star ? 1 : 0);
    }
    return n;
}

static void patterns_index(void)
{
    size_t total = 0, hashes = 0;
    for (size_t i = 0; i < TEXT_REASONS; i++)
        for (const char *const *p = text_table[i].patterns; *p; p++, total++)
            hashes += pattern_trigrams(*p, NULL);
    uint16_t *v = malloc((hashes ? hashes : 1) * sizeof *v);   /* kept for the life of the process */
    size_t *first = malloc((total + 1) * sizeof *first);
    if (!v || !first) {
        free(v);
        free(first);
        return;
    }
    size_t k = 0, h = 0;
    for (size_t i = 0; i < TEXT_REASONS; i++) {
        row_first[i] = k;
        for (const char *const *p = text_table[i].patterns; *p; p++) {
            first[k++] = h;
            h += pattern_trigrams(*p, v + h);
        }
    }
    first[k] = h;
    tri_first = first;
    pattern_tri = v;
}

/* Does the text hold every trigram of pattern k? */
static bool pattern_may_match(const lowtext *lower, size_t k)
{
    for (size_t j = tri_first[k]; j < tri_first[k + 1]; j++) {
        unsigned h = pattern_tri[j];
        if (!((lower->tri.w[h / 64] >> (h % 64)) & 1))
            return false;
    }
    return true;
}

/* Does the text hold any pattern of row i of text_table? */
static bool text_row_matches(const lowtext *lower, size_t i)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, patterns_index);
    size_t k = row_first[i];
    for (const char *const *p = text_table[i].patterns; *p; p++, k++) {
        if (pattern_tri && !pattern_may_match(lower, k))
            continue;
        if (text_match(lower, *p))
            return true;
    }
    return false;
}

/* The rows of text_table by a hash of their reason's first three bytes:
 * chains in table order (row + 1, 0: none), made once. */
#define REASON_SLOTS 64
_Static_assert(TEXT_REASONS < 255, "text_table rows are kept in unsigned char chains");
static unsigned char reason_slot_first[REASON_SLOTS], reason_row_next[TEXT_REASONS];
static pthread_once_t reason_rows_once = PTHREAD_ONCE_INIT;

static unsigned reason_slot(const char *r)
{
    unsigned h = (unsigned char)r[0];
    if (r[0] && r[1])
        h = h * 7 + (unsigned char)r[1] * 3 + (unsigned char)r[2];
    return h % REASON_SLOTS;
}

static void reason_rows_make(void)
{
    for (size_t i = TEXT_REASONS; i-- > 0;) {
        unsigned s = reason_slot(text_table[i].reason);
        reason_row_next[i] = reason_slot_first[s];
        reason_slot_first[s] = (unsigned char)(i + 1);
    }
}

/* Does the (lower-cased) text hold a pattern of this reason? */
static bool text_says(const char *reason, lowtext *lower)
{
    if (!lower->s[0])
        return false;
    pthread_once(&reason_rows_once, reason_rows_make);
    for (unsigned r = reason_slot_first[reason_slot(reason)]; r; r = reason_row_next[r - 1]) {
        size_t i = r - 1;
        if (strcmp(text_table[i].reason, reason) != 0)
            continue;
        if (lower->says[i] < 0)
            lower->says[i] = text_row_matches(lower, i);
        if (lower->says[i])
            return true;
    }
    return false;
}

static void reason_prepare(const char *diagnostic, lowtext *lower)
{
    size_t n = diagnostic ? strlen(diagnostic) : 0;
    if (n > FIELD_MAX_BYTES)
        n = FIELD_MAX_BYTES;
    if (n)
        memcpy(lower->s, diagnostic, n);
    lower->s[n] = '\0';
    lower->n = n;
    reason_lower_text(lower->s, n, lower->s);
    trigrams_build(&lower->tri, lower->s, n);
    memset(lower->says, -1, sizeof lower->says);
}

const char *reason_from_text(const char *diagnostic)
{
    if (!diagnostic || !diagnostic[0])
        return NULL;
    lowtext lt, *lower = &lt;
    reason_prepare(diagnostic, lower);
    for (size_t i = 0; i < sizeof text_table / sizeof text_table[0]; i++)
        if (text_row_matches(lower, i))
            return text_table[i].reason;
    return NULL;
}

static bool command_before_data(const char *cmd)
{
    static const char *const before[] = {"CONN", "EHLO", "HELO", "STARTTLS", "AUTH", "MAIL", "RCPT", NULL};
    return cmd && cmd[0] && in_list(cmd, before);
}

/* Words that blame the sending host or the message, not the sender's
 * address (a refusal at MAIL FROM may be either). */
static bool reason_names_client(lowtext *lower)
{
    static const char *const client[] = {"blocked", "spamdetected", "speeding", "toomanyconn", "requireptr",
                                         "badreputation", "authfailure", "norelaying", "hostunknown",
                                         "networkerror", "systemerror", "mesgtoobig", "exceedlimit",
                                         "policyviolation", "virusdetected", "securityerror", NULL};
    for (const char *const *c = client; *c; c++)
        if (text_says(*c, lower))
            return true;
    return false;
}

/* The sender was refused: by status, or by words at MAIL FROM, after DATA,
 * or when the status itself is vague. */
static bool reason_probe_rejected(const reason_input *in, const char *by_status, lowtext *lower)
{
    const char *cmd = in->command ? in->command : "";
    if (by_status && !strcmp(by_status, "rejected"))
        return true;
    if (!strcmp(cmd, "MAIL") && in->status && in->status[1] == '.' && in->status[2] == '1' &&
        !text_says("blocked", lower))
        return true;   /* an address status at MAIL FROM is about the sender */
    if (!strcmp(cmd, "MAIL") && in->status && in->status[0] && (!by_status || in_list(by_status, retry_reasons)) &&
        !reason_names_client(lower))
        return true;   /* refused at MAIL FROM with a vague code and no word of the client: the sender */
    if (strstr(lower->s, "recipient address rejected") || strstr(lower->s, "sender ip address rejected") ||
        strstr(lower->s, "5.1.0 address rejected"))
        return false;
    if (!text_says("rejected", lower))
        return false;
    if (!strcmp(cmd, "MAIL"))
        return true;
    if (!strcmp(cmd, "DATA"))
        return !by_status || strcmp(by_status, "userunknown") != 0;
    return !by_status || !strcmp(by_status, "securityerror") || !strcmp(by_status, "systemerror");
}

/* One reason of order 1: its status, or its words (with the rules that keep
 * a mailbox problem apart from a filter). */
static bool reason_probe(const char *reason, const reason_input *in, const char *by_status,
                         lowtext *lower)
{
    const char *cmd = in->command ? in->command : "";
    if (in->hint && !strcmp(in->hint, reason))
        return true;   /* the MTA family said so */
    if (!strcmp(reason, "userunknown")) {
        if (!strcmp(cmd, "MAIL"))
            return false;   /* refused at MAIL FROM: the sender, not the mailbox */
        if (by_status && !strcmp(by_status, "userunknown")) {
            static const char *const others[] = {"norelaying", "blocked", "mailboxfull", "hasmoved",
                                                 "rejected", "notaccept", "speeding", "toomanyconn",
                                                 NULL};
            for (const char *const *o = others; *o; o++)
                if (text_says(*o, lower))
                    return false;
            return true;
        }
        if (strcmp(cmd, "RCPT") != 0 && (!in->status || !in->status[0]) && in->replycode && in->replycode[0])
            return false;   /* a bare reply ("said: 550 User unknown"): it may have come after DATA */
        if (text_says("rcptonly", lower))
            return true;
        return (!strcmp(cmd, "RCPT") || (in->prose && strcmp(cmd, "DATA") != 0)) &&
               text_says("userunknown", lower);
    }
    if (!strcmp(reason, "filtered")) {
        bool says = text_says("filtered", lower) || text_says("userunknown", lower);
        if (by_status && !strcmp(by_status, "filtered"))
            return says;
        return !command_before_data(cmd) && says;
    }
    if (!strcmp(reason, "hostunknown")) {
        if (by_status && !strcmp(by_status, "hostunknown"))
            return !text_says("networkerror", lower);
        return text_says("hostunknown", lower);
    }
    if (!strcmp(reason, "suspend") && in->replycode && !strcmp(in->replycode, "525"))
        return true;
    if (!strcmp(reason, "spamdetected")) {
        if (!in->status || !in->status[0])
            return false;
        if (by_status && !strcmp(by_status, "spamdetected"))
            return true;
        return !command_before_data(cmd) && text_says("spamdetected", lower);
    }
    if (!strcmp(reason, "rejected"))
        return reason_probe_rejected(in, by_status, lower);
    if (!strcmp(reason, "mesgtoobig") && by_status && !strcmp(by_status, "exceedlimit"))
        return false;   /* 5.2.3: the recipient's own limit */
    if (!strcmp(reason, "contenterror"))
        return text_says(reason, lower);   /* X.6.Z alone waits for the words of other reasons */
    if (by_status && !strcmp(by_status, reason))
        return true;
    return text_says(reason, lower);
}

/* When order 1 found nothing: the status's own reason, or words in order 2. */
static const char *reason_anotherone(const reason_input *in, const char *by_status,
                                     lowtext *lower)
{
    const char *status = in->status ? in->status : "";
    const char *action = in->action ? in->action : "";
    const char *dtype = in->diagtype ? in->diagtype : "";
    bool smtp = !dtype[0] || !strcasecmp(dtype, "smtp");
    if (by_status && !in_list(by_status, retry_reasons) && smtp)
        return by_status;
    for (const char *const *r = text_order; *r; r++)
        if (text_says(*r, lower))
            return *r;
    if (by_status)
        return by_status;
    if (status[0] && !strncmp(status + 1, ".6", 2))
        return "contenterror";
    if (status[0] && !strncmp(status + 1, ".7", 2))
        return "securityerror";
    if (in->diagtype && !strncasecmp(in->diagtype, "x-unix", 6))
        return "mailererror";
    if (text_says("syntaxerror", lower) || (in->replycode && in->replycode[0] == '5' &&
                                            in->replycode[1] == '0'))
        return "syntaxerror";
    if (text_prefix_ci(action, "delayed") || text_prefix_ci(action, "expired"))
        return "expired";
    if (in->command && (!strcmp(in->command, "HELO") || !strcmp(in->command, "EHLO") ||
                        !strcmp(in->command, "CONN")))
        return "blocked";   /* refused at the greeting or HELO: the client host */
    return NULL;
}

const char *reason_classify(const reason_input *in)
{
    const char *status = in->status ? in->status : "";
    const char *action = in->action ? in->action : "";
    if (status[0] == '2' || text_prefix_ci(action, "delivered") ||
        text_prefix_ci(action, "relayed") || text_prefix_ci(action, "expanded"))
        return "delivered";
    if (in->hint && !in_list(in->hint, retry_reasons))
        return in->hint;
    lowtext lt, *lower = &lt;
    reason_prepare(in->diagnostic, lower);
    const char *by_status = reason_from_status(status);
    const char *found = NULL;
    const char *dtype = in->diagtype ? in->diagtype : "";
    bool smtp = strncasecmp(dtype, "x-unix", 6) != 0;
    for (const char *const *r = probe_order; smtp && *r && !found; r++)
        if (reason_probe(*r, in, by_status, lower))
            found = *r;
    if (found && !strcmp(found, "hostunknown") && status[0] == '4')
        found = "networkerror";   /* a temporary DNS failure */
    if (!found && in->hint && strcmp(in->hint, "onhold") && strcmp(in->hint, "undefined"))
        found = in->hint;
    if (!found)
        found = reason_anotherone(in, by_status, lower);
    if (!found && text_says("vacation", lower))
        found = "vacation";
    if (!found)
        found = lower->s[0] && !in->weak ? "onhold" : "undefined";
    return found;
}

bool reason_is_hard(const char *reason, const char *status, const char *replycode)
{
    bool temporary = (status && status[0] == '4') || (replycode && replycode[0] == '4');
    if (temporary)
        return false;
    return !strcmp(reason, "userunknown") || !strcmp(reason, "hostunknown") ||
           !strcmp(reason, "hasmoved") || !strcmp(reason, "notaccept");
}
