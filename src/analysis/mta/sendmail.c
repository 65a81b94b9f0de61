/* Sendmail: "----- The following addresses had permanent fatal errors -----"
 * and a transcript. In the transcript, each host's dialogue ("... while
 * talking to host:", ">>> command", "<<< reply") comes before the summary
 * line of the recipient it failed ("554 <addr>... Remote protocol error"),
 * which sendmail writes in its own words: the dialogue is the diagnostic. */
#include <config.h>
#include <ctype.h>
#include <stdlib.h>
#include <string.h>
#include "../internal.h"

#define L(...) (const char *const[]){__VA_ARGS__, NULL}

/* A ">>> " or "<<< " line of the transcript (after its indentation). */
static bool sendmail_dialogue(const char *s, size_t n)
{
    return n > 4 && (!strncmp(s, ">>> ", 4) || !strncmp(s, "<<< ", 4));
}

/* The command of a ">>> " line, or NULL. */
static const char *sendmail_line_command(const char *t)
{
    static const struct { const char *mark, *cmd; } cmds[] = {
        {">>> MAIL", "MAIL"}, {">>> RCPT", "RCPT"}, {">>> DATA", "DATA"}, {">>> .", "DATA"},
        {">>> EHLO", "EHLO"}, {">>> HELO", "HELO"}, {">>> STARTTLS", "STARTTLS"},
    };
    for (size_t i = 0; i < sizeof cmds / sizeof cmds[0]; i++)
        if (text_prefix_ci(t, cmds[i].mark))
            return cmds[i].cmd;
    return NULL;
}

/* Start of the line before the one at line (text: where the text starts),
 * its indentation skipped into *t and its length into *n; NULL at the top. */
static const char *sendmail_prev_line(const char *text, const char *line, const char **t, size_t *n)
{
    if (line <= text)
        return NULL;
    const char *b = line - 1, *s = b;   /* b: the '\n' ending the previous line */
    while (s > text && s[-1] != '\n')
        s--;
    const char *x = s;
    while (x < b && (*x == ' ' || *x == '\t'))
        x++;
    *t = x;
    *n = (size_t)(b - x);
    return s;
}

/* The command the reply on or after line answered: the nearest ">>> "
 * line above it in the same dialogue; CONN when the dialogue goes back to
 * its "while talking to" line with none (the server's greeting). */
static const char *sendmail_command(const char *text, const char *line)
{
    const char *t;
    size_t n;
    while ((line = sendmail_prev_line(text, line, &t, &n)) != NULL) {
        if (n > 4 && !strncmp(t, ">>> ", 4))
            return sendmail_line_command(t);
        if (n > 4 && !strncmp(t, "<<< ", 4))
            continue;
        return text_casestr_n(t, n, "while talking to") ? "CONN" : NULL;
    }
    return NULL;
}

/* The dialogue lines right before line (up to the host's "while talking
 * to" line, another summary or a blank line), joined; NULL if none. */
static char *sendmail_dialogue_before(const char *text, const char *line)
{
    const char *top = line;
    while (top > text) {
        const char *b = top - 1;   /* the '\n' ending the previous line */
        const char *s = b;
        while (s > text && s[-1] != '\n')
            s--;
        const char *t = s;
        while (t < b && (*t == ' ' || *t == '\t'))
            t++;
        if (!sendmail_dialogue(t, (size_t)(b - t)))
            break;
        top = s;
    }
    return top < line ? text_squeeze(top, (size_t)(line - top)) : NULL;
}

/* "NNN <addr>... text" for the hit's address, before the original. */
static const char *sendmail_summary(const char *s, const char *end, const char *addr)
{
    size_t n = strlen(addr);
    for (const char *p = s; (p = text_casestr_n(p, (size_t)(end - p), addr)) != NULL; p += n) {
        const char *ls = p;
        while (ls > s && ls[-1] != '\n')
            ls--;
        if (p - ls == 5 && isdigit((unsigned char)ls[0]) && ls[3] == ' ' && ls[4] == '<' &&
            (size_t)(end - p) > n + 4 && !strncmp(p + n, ">...", 4))
            return ls;
    }
    return NULL;
}

/* The line where the transcript first names addr, or (for a report of
 * one recipient whose transcript names nobody) the end of the first
 * host's dialogue; NULL when there is no transcript. */
static const char *sendmail_rcpt_line(const msg_view *m, const char *end, const char *addr, bool only)
{
    const char *tr = view_find(m, m->text.s, end, "while talking to");
    if (!tr)
        return NULL;
    const char *p = text_casestr_n(tr, (size_t)(end - tr), addr);
    if (!p && only) {
        p = strchr(tr, '\n');   /* past the "while talking to" line, over its dialogue */
        while (p && p + 1 < end && sendmail_dialogue(p + 1 + strspn(p + 1, " \t"),
                                                     (size_t)(end - p - 1)))
            p = strchr(p + 1, '\n');
        return p && p < end ? p + 1 : NULL;
    }
    while (p && p > m->text.s && p[-1] != '\n')
        p--;
    return p;
}

static void sendmail_prepend(scan_hit *h, const char *talk)
{
    size_t old = h->diagnostic ? strlen(h->diagnostic) : 0, tn = strlen(talk);
    char *d = malloc(tn + old + 2);
    if (!d) {
        analysis_oom_note();
        return;
    }
    memcpy(d, talk, tn);
    d[tn] = ' ';
    memcpy(d + tn + 1, h->diagnostic ? h->diagnostic : "", old + 1);
    free(h->diagnostic);
    h->diagnostic = d;
}

static void sendmail_refine(const msg_view *m, scan_result *r)
{
    const char *end = m->text.s + (r->orig_off ? r->orig_off : m->text.n);
    for (size_t i = 0; i < r->n; i++) {
        scan_hit *h = &r->v[i];
        const char *line = sendmail_rcpt_line(m, end, h->recipient, r->n == 1);
        if (!line)
            continue;
        const char *t = line + strspn(line, " \t");
        const char *cmd = !strncmp(t, ">>> ", 4) ? sendmail_line_command(t) : sendmail_command(m->text.s, line);
        if (cmd && !h->command)
            h->command = text_dup(cmd, strlen(cmd));
        const char *summary = sendmail_summary(line, end, h->recipient);
        char *talk = summary == line && !(h->diagnostic && strstr(h->diagnostic, "<<< "))
                         ? sendmail_dialogue_before(m->text.s, line) : NULL;
        if (talk)
            sendmail_prepend(h, talk);
        free(talk);
    }
}

const mta_family mta_sendmail = {
    .name = "sendmail",
    .headers = L("Subject:see transcript for details", "Subject:Warning: could not send message"),
    .body = L("----- The following addresses had", "----- Transcript of session follows -----"),
    .start = L("----- The following addresses had", "----- Transcript of session follows"),
    .end = L("----- Original message follows", "----- Unsent message follows",
             "------- Received message follows", "----- Message header follows"),
    .delayed = L("Warning: could not send message for past", "Will keep trying until"),
    .refine = sendmail_refine,
};
