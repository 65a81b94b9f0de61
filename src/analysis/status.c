/* Strict parsing of SMTP reply codes (RFC 5321) and enhanced status codes
 * (RFC 3463): class "." subject "." detail, class 2/4/5, subject 1-3 digits,
 * detail 1-3 digits, no leading zeros beyond a single 0. */
#include <config.h>
#include <ctype.h>
#include <string.h>
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

bool replycode_find(const char *text, char out[4])
{
    size_t len = strlen(text);
    for (size_t i = 0; i + 3 <= len; i++) {
        char c = text[i];
        if (c < '2' || c > '5')
            continue;
        if (i > 0 && (isalnum((unsigned char)text[i - 1]) || strchr(".:-#/[(+", text[i - 1])))
            continue;
        if (!isdigit((unsigned char)text[i + 1]) || !isdigit((unsigned char)text[i + 2]))
            continue;
        char next = i + 3 < len ? text[i + 3] : ' ';
        if (isalnum((unsigned char)next) || next == '.' || next == ':' || next == '/' || next == ')')
            continue;
        if (text[i + 1] > '5')
            continue;
        memcpy(out, text + i, 3);
        out[3] = '\0';
        return true;
    }
    return false;
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
