/* Strict parsing of SMTP reply codes (RFC 5321) and enhanced status codes
 * (RFC 3463): class "." subject "." detail, class 2/4/5, subject 1-3 digits,
 * detail 1-3 digits, no leading zeros beyond a single 0. */
#include <config.h>
#include <ctype.h>
#include <string.h>
#include <strings.h>
#include "rebote/smtpcode.h"
#include "internal.h"

/* Reads 1-3 digits without a superfluous leading zero; returns count or 0. */
static size_t read_number(const char *s, size_t n)
{
    size_t i = 0;
    while (i < n && i < 4 && isdigit((unsigned char)s[i]))
        i++;
    if (i == 0 || i > 3 || (i > 1 && s[0] == '0'))
        return 0;
    return i;
}

bool status_is_valid(const char *s, size_t n)
{
    if (n < 5 || (s[0] != '2' && s[0] != '4' && s[0] != '5') || s[1] != '.')
        return false;
    size_t a = read_number(s + 2, n - 2);
    if (a == 0 || 2 + a >= n || s[2 + a] != '.')
        return false;
    size_t b = read_number(s + 3 + a, n - 3 - a);
    return b != 0 && 3 + a + b == n;
}

static bool dotted_char(int c)
{
    return isdigit(c) || c == '.';
}

bool status_find(const char *text, char out[16])
{
    size_t len = strlen(text);
    for (size_t i = 0; i < len; i++) {
        if (text[i] != '2' && text[i] != '4' && text[i] != '5')
            continue;
        if (i > 0 && (dotted_char((unsigned char)text[i - 1]) || isalpha((unsigned char)text[i - 1])))
            continue;
        size_t j = i;
        while (j < len && dotted_char((unsigned char)text[j]))
            j++;
        size_t n = j - i;
        while (n > 0 && text[i + n - 1] == '.')   /* sentence full stop */
            n--;
        if (n < 15 && status_is_valid(text + i, n) &&
            !(j < len && isalpha((unsigned char)text[j]))) {
            memcpy(out, text + i, n);
            out[n] = '\0';
            return true;
        }
        i = j;
    }
    return false;
}

/* Words after a number that make it a quantity, not a reply code ("after
 * 300 seconds", "exceeds 500 recipients"). */
static bool reply_is_quantity(const char *s)
{
    static const char *const units[] = {"seconds", "sec", "secs", "minutes", "min", "mins",
                                        "hours", "days", "bytes", "kb", "mb", "octets",
                                        "messages", "recipients", "times", "attempts", "retries",
                                        "lines", "characters", "ms", NULL};
    while (*s == ' ')
        s++;
    for (const char *const *u = units; *u; u++) {
        size_t n = strlen(*u);
        if (!strncasecmp(s, *u, n) && !isalpha((unsigned char)s[n]))
            return true;
    }
    return false;
}

/* Is there a valid enhanced code at s, of class cls (0: any)? */
static bool reply_status_at(const char *s, char cls)
{
    size_t n = 0;
    while (dotted_char((unsigned char)s[n]) && n < 15)
        n++;
    while (n && s[n - 1] == '.')
        n--;
    return status_is_valid(s, n) && (!cls || s[0] == cls);
}

/* A reply code standing as a word at text[i] (len: strlen(text)). Besides
 * a space or a line start, "[554 5.4.6" and "(550 5.1.1" count when an
 * enhanced code follows, and "550: User unknown" ends with a colon. */
static bool reply_at(const char *text, size_t i, size_t len)
{
    char c = text[i];
    if (c < '2' || c > '5' || i + 3 > len)
        return false;
    if (!isdigit((unsigned char)text[i + 1]) || !isdigit((unsigned char)text[i + 2]) ||
        text[i + 1] > '5')
        return false;
    char next = i + 3 < len ? text[i + 3] : ' ';
    char after = i + 4 < len ? text[i + 4] : ' ';
    char prev = i > 0 ? text[i - 1] : ' ';
    bool then_status = i + 4 < len && (next == ' ' || next == '-') && reply_status_at(text + i + 4, c);
    if (isalnum((unsigned char)prev) || strchr(".-#/+", prev))
        return false;
    if ((prev == '[' || prev == '(') && !then_status)
        return false;
    if (prev == ':' && i > 1 && isdigit((unsigned char)text[i - 2]))
        return false;   /* a time, 12:550 */
    if (next == ':' && (prev == ' ' || i == 0) && (after == ' ' || i + 4 >= len))
        return true;    /* "550: 5.2.2 <addr>... Mailbox Full" */
    if (isalnum((unsigned char)next) || next == '.' || next == ':' || next == '/' || next == ')')
        return false;
    return then_status || !reply_is_quantity(text + i + 3);
}

bool replycode_find(const char *text, char out[4])
{
    size_t len = strlen(text);
    for (size_t i = 0; i + 3 <= len; i++)
        if (reply_at(text, i, len)) {
            memcpy(out, text + i, 3);
            out[3] = '\0';
            return true;
        }
    return false;
}

/* How strongly the code at text[i] is the reply the diagnostic reports:
 * 3 a failure code with a (not vague) enhanced code of its class ("550
 * 5.1.1", "550-5.1.1") or after a label that says it is the reply ("said:
 * 550", "<<< 550", sendmail's "554 <addr>... 550 Host unknown", where the
 * first code is its own), 2 a failure code, 1 any other (a transcript's
 * "250 ok"). */
static int reply_weight(const char *text, size_t i)
{
    static const char *const labels[] = {"reason: ", "said: ", "<<< ", "replied: ",
                                         "responded: ", "error: ", ">... ", NULL};
    char c = text[i];
    bool fail = c == '4' || c == '5';
    const char *st = text + i + 4;
    if (fail && (text[i + 3] == ' ' || text[i + 3] == '-') && reply_status_at(st, c) &&
        strncmp(st + 1, ".0.0", 4))
        return 3;
    for (const char *const *l = labels; fail && *l; l++) {
        size_t n = strlen(*l);
        if (i >= n && !strncasecmp(text + i - n, *l, n))
            return 3;   /* "(reason: 550 Unknown user", "said: 550 ..." */
    }
    return fail ? 2 : 1;
}

bool replycode_pick(const char *text, char out[4])
{
    size_t len = strlen(text), best = len;
    int weight = 0;
    for (size_t i = 0; i + 3 <= len && weight < 3; i++) {
        if (!reply_at(text, i, len))
            continue;
        int w = reply_weight(text, i);
        if (w > weight) {
            weight = w;
            best = i;
        }
        i += 2;
    }
    if (!weight)
        return false;
    memcpy(out, text + best, 3);
    out[3] = '\0';
    return true;
}

/* Enhanced code implied by a reason (used only when the bounce carries none). */
static const struct { const char *reason; const char *code; } reason_codes[] = {
    {"userunknown", "5.1.1"},   {"hostunknown", "5.1.2"},  {"hasmoved", "5.1.6"},
    {"rejected", "5.1.8"},      {"filtered", "5.2.1"},     {"suspend", "5.2.1"},
    {"mailboxfull", "5.2.2"},   {"exceedlimit", "5.2.3"},  {"systemfull", "5.3.1"},
    {"notaccept", "5.3.2"},     {"mesgtoobig", "5.3.4"},   {"mailererror", "5.3.0"},
    {"systemerror", "5.3.0"},   {"networkerror", "5.4.0"}, {"expired", "5.4.7"},
    {"toomanyconn", "5.4.6"},   {"syntaxerror", "5.5.2"},  {"contenterror", "5.6.0"},
    {"securityerror", "5.7.0"}, {"blocked", "5.7.1"},      {"norelaying", "5.7.1"},
    {"spamdetected", "5.7.1"},  {"virusdetected", "5.7.1"}, {"policyviolation", "5.7.1"},
    {"authfailure", "5.7.26"},  {"requireptr", "5.7.25"},  {"badreputation", "5.7.1"},
    {"notcompliantrfc", "5.7.1"}, {"speeding", "5.7.1"},   {"vacation", ""},
    {"feedback", ""},           {"delivered", "2.0.0"},    {"onhold", "5.0.0"},
    {"undefined", "5.0.0"},
};

void status_for_reason(const char *reason, bool temporary, char out[16])
{
    out[0] = '\0';
    for (size_t i = 0; i < sizeof reason_codes / sizeof reason_codes[0]; i++) {
        if (strcmp(reason, reason_codes[i].reason) != 0)
            continue;
        strcpy(out, reason_codes[i].code);
        if (temporary && out[0] == '5')
            out[0] = '4';
        return;
    }
}

/* True when code has ".0" as its subject or detail ("X.0.Z" or "X.Y.0"). */
static bool status_has_zero(const char *c)
{
    return strstr(c, ".0") != NULL;
}

/* Which of two codes says more: the Status: field (dsn) or the code in the
 * diagnostic (found); reply is the SMTP reply code, or "". Vague codes (X.0.0,
 * 4.4.7 "expired", 4.7.0, 5.3.Z, X.5.Z protocol codes) give way to the other. */
void status_prefer(const char *dsn, const char *found, const char *reply, char out[16])
{
    const char *pick = dsn;
    if (!dsn[0] || !found[0])
        pick = dsn[0] ? dsn : found;
    else if (reply[0] && dsn[0] != found[0] && (reply[0] == dsn[0] || reply[0] == found[0]))
        pick = reply[0] == dsn[0] ? dsn : found;
    else if (!strcmp(dsn, found))
        pick = dsn;
    else if (!strcmp(dsn + 1, ".0.0"))
        pick = strcmp(found + 1, ".0.0") ? found : dsn;
    else if (status_has_zero(dsn) && !status_has_zero(found))
        pick = found;
    else if (!strcmp(found + 1, ".0.0"))
        pick = dsn;
    else if (!strcmp(dsn, "4.4.7") || !strcmp(dsn, "4.7.0") || !strncmp(dsn, "5.3.", 4) ||
             !strncmp(dsn + 1, ".5.1", 4) || !strncmp(dsn + 1, ".5.2", 4) ||
             !strncmp(dsn + 1, ".5.4", 4) || !strncmp(dsn + 1, ".5.5", 4))
        pick = found;
    else if (!strcmp(dsn, "5.1.1"))
        pick = (status_has_zero(found) || !strncmp(found, "5.5.", 4)) ? dsn : found;
    else if (!strcmp(dsn, "5.1.3") && !strncmp(found, "5.7.", 4))
        pick = found;
    memmove(out, pick, strlen(pick) + 1);
}

/* The code a diagnostic is about: every valid code of the reply's class, the
 * vague X.0.0 and 4.4.7 only when nothing else is there, folded with
 * status_prefer. */
bool status_pick(const char *text, char cls, char out[16])
{
    char vague[16] = "", code[16];
    out[0] = '\0';
    for (const char *p = text; *p && status_find(p, code);) {
        const char *at = strstr(p, code);
        p = at ? at + strlen(code) : p + strlen(p);
        if (cls && (cls == '2' || cls == '4' || cls == '5') && code[0] != cls)
            continue;
        if (!strcmp(code + 1, ".0.0") || !strcmp(code, "4.4.7")) {
            if (!vague[0])
                strcpy(vague, code);
            continue;
        }
        if (!out[0])
            strcpy(out, code);
        else
            status_prefer(out, code, "", out);
    }
    if (vague[0])
        status_prefer(out, vague, "", out);
    return out[0] != '\0';
}

bool smtpcode_status_valid(const char *s, size_t n)
{
    return status_is_valid(s, n);
}

bool smtpcode_find_status(const char *text, char cls, char out[16])
{
    return status_pick(text, cls, out);
}

bool smtpcode_find_reply(const char *text, char out[4])
{
    return replycode_find(text, out);
}
