/* Look-up: the most specific answer for a reply code, an enhanced code and a
 * diagnostic text. Provider hint first, then the exact enhanced code, the
 * reply code, the subject and class fallbacks. */
#include <config.h>
#include <ctype.h>
#include <stdio.h>
#include <string.h>
#include "rebote/bounce.h"
#include "rebote/explain.h"
#include "rebote/smtpcode.h"
#include "rebote/util.h"

static const kb_entry *find_entry(const kb_entry *table, unsigned n, const char *code)
{
    for (unsigned i = 0; code[0] && i < n; i++)
        if (!strcmp(table[i].code, code))
            return &table[i];
    return NULL;
}

/* 2xx-5xx; the second digit goes to 7 for the non-standard 571 seen in the wild. */
static bool reply_valid(const char *s)
{
    return strlen(s) == 3 && s[0] >= '2' && s[0] <= '5' && s[1] >= '0' && s[1] <= '7' &&
           isdigit((unsigned char)s[2]);
}

static bool status_valid(const char *s)
{
    return smtpcode_status_valid(s, strlen(s));
}

static bool hint_matches(const kb_hint *h, const char *lower)
{
    if (h->also && !strstr(lower, h->also))
        return false;
    for (const char *const *p = h->patterns; *p; p++)
        if (strstr(lower, *p))
            return true;
    return false;
}

static const kb_hint *find_hint(const char *diagnostic)
{
    char lower[2048];
    size_t n = 0;
    for (; diagnostic && diagnostic[n] && n + 1 < sizeof lower; n++)
        lower[n] = (char)tolower((unsigned char)diagnostic[n]);
    lower[n] = '\0';
    if (!n)
        return NULL;
    unsigned count;
    const kb_hint *hints = explain_hint_table(&count);
    for (unsigned i = 0; i < count; i++)
        if (hint_matches(&hints[i], lower))
            return &hints[i];
    return NULL;
}

/* The one explanation every view shows (see kb_answer). */
static void explain_resolve(kb_answer *a)
{
    const kb_hint *h = a->hint;
    const kb_entry *e = a->entry;
    if (!e)
        return;
    a->overridden = h && h->meaning;
    a->title = a->overridden ? h->title : e->title;
    a->meaning = a->overridden ? h->meaning : e->meaning;
    a->actions = h ? h->advice : e->actions;
    a->who = h ? h->who : e->who;
}

/* Fills the fallbacks and picks the most specific entry. */
static void explain_choose(kb_answer *a)
{
    unsigned n;
    char key[16];
    const kb_entry *st = explain_status_table(&n);
    if (a->status[0]) {
        snprintf(key, sizeof key, "X%s", a->status + 1);
        a->by_status = find_entry(st, n, key);
    }
    const kb_entry *rt = explain_reply_table(&n);
    a->by_reply = find_entry(rt, n, a->reply);
    const kb_entry *ft = explain_fallback_table(&n);
    if (a->status[0]) {
        snprintf(key, sizeof key, "X.%c.X", a->status[2]);
        if (a->status[3] == '.')
            a->by_subject = find_entry(ft, n, key);
    }
    char cls = a->reply[0] ? a->reply[0] : a->status[0];
    if (!cls && a->hint)
        cls = a->hint->retry == KB_RETRY_AUTO ? '4' : '5';
    snprintf(key, sizeof key, "%c.X.X", cls);
    a->by_class = find_entry(ft, n, key);
    a->temporary = cls == '4';
    if (cls == '2') {   /* a success: the status rows that describe failures (X.0.0) do not apply */
        if (a->by_status && a->by_status->who != KB_WHO_NOBODY)
            a->by_status = NULL;
        a->by_subject = NULL;
    }
    a->disagree = a->reply[0] && a->status[0] && a->reply[0] != a->status[0];
    const kb_entry *pick[] = {a->by_status, a->by_reply, a->by_subject, a->by_class};
    const kb_source from[] = {KB_FROM_STATUS, KB_FROM_REPLY, KB_FROM_SUBJECT, KB_FROM_CLASS};
    a->entry = NULL;
    for (unsigned i = 0; i < 4 && !a->entry; i++) {
        a->entry = pick[i];
        a->source = from[i];
    }
    if (a->hint)
        a->source = KB_FROM_HINT;
    explain_resolve(a);
}

bool explain_lookup(const char *reply, const char *status, const char *diagnostic, kb_answer *a)
{
    memset(a, 0, sizeof *a);
    if (reply && reply_valid(reply))
        strcpy(a->reply, reply);
    if (status && status_valid(status))
        snprintf(a->status, sizeof a->status, "%s", status);
    if (diagnostic && !a->reply[0] && !a->status[0]) {
        smtpcode_find_reply(diagnostic, a->reply);
        smtpcode_find_status(diagnostic, a->reply[0], a->status);
    }
    a->hint = find_hint(diagnostic);
    if (!a->reply[0] && !a->status[0] && !a->hint)
        return false;
    explain_choose(a);
    return a->entry != NULL;
}

bool explain_parse(const char *query, char reply[4], char status[16])
{
    reply[0] = status[0] = '\0';
    while (isspace((unsigned char)*query))
        query++;
    size_t n = strlen(query);
    while (n && isspace((unsigned char)query[n - 1]))
        n--;
    if (n == 3 && reply_valid((char[4]){query[0], query[1], query[2], '\0'})) {
        memcpy(reply, query, 3);
        reply[3] = '\0';
        return true;
    }
    if (n < 16 && smtpcode_status_valid(query, n)) {
        memcpy(status, query, n);
        status[n] = '\0';
        return true;
    }
    char buf[2048];
    if (n >= sizeof buf)
        n = sizeof buf - 1;
    memcpy(buf, query, n);
    buf[n] = '\0';
    smtpcode_find_reply(buf, reply);
    smtpcode_find_status(buf, 0, status);   /* any class: a disagreement is worth telling */
    return reply[0] || status[0];
}

static const char *const who_ids[] = {"sender", "ours", "remote", "recipient", "nobody"};
static const char *const who_texts[] = {
    N_("the sender: fix the address, the list or the message"),
    N_("our mail server's administrator: DNS, IP reputation, authentication, configuration"),
    N_("the receiving server's administrator"),
    N_("the recipient: free space or re-enable the mailbox"),
    N_("nobody: this is not an error"),
};

const char *explain_who_id(kb_who who)
{
    return who_ids[who];
}

const char *explain_who_text(kb_who who)
{
    return who_texts[who];
}

const char *explain_hard_text(void)
{
    return N_("the address itself is bad (no such mailbox or domain, the recipient moved): remove it");
}

const char *explain_soft_text(void)
{
    return N_("the message, the sender or the moment failed (blocked, full, too big, try later): the address may be fine");
}

const char *explain_kind_advice(int kind)
{
    static const struct { rb_kind kind; const char *steps; } kinds[] = {
        {RB_KIND_AUTOREPLY, N_("Nothing to do: the message was delivered; do not count it as a bounce.")},
        {RB_KIND_FEEDBACK, N_("Remove the complainer from the list the message was sent to: they did not want it.\n"
                              "Check the campaign the complaint names: who asked for it, and whether unsubscribing is easy.\n"
                              "If many complaints come from one source IP, look for a compromised account sending from it.")},
        {RB_KIND_DELAY, N_("Nothing to do yet: a failure report follows if the retries give up.")},
        {RB_KIND_NONE, N_("Not a bounce: read it, leave it, or delete it on purpose.")},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if ((int)kinds[i].kind == kind)
            return kinds[i].steps;
    return "";
}

const char *explain_gave_up_text(void)
{
    return N_("the sending server gave up. Check its retry schedule and queue lifetime, and that it retries "
              "from the same IP address (greylists remember it).");
}

const char *explain_kind_text(int kind)
{
    static const struct { rb_kind kind; const char *text; } kinds[] = {
        {RB_KIND_AUTOREPLY, N_("Auto-reply, not a failure: nothing to do")},
        {RB_KIND_FEEDBACK, N_("Abuse or feedback report (ARF): someone marked our mail as spam")},
        {RB_KIND_DELAY, N_("Delayed: the sending server is still retrying")},
        {RB_KIND_DELIVERED, N_("Delivered: a success notice")},
        {RB_KIND_CHALLENGE, N_("Confirmation request (challenge-response or list), not a failure")},
        {RB_KIND_BOUNCE, N_("Failed, no code given")},
        {RB_KIND_NONE, N_("Not a delivery report")},
    };
    for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
        if ((int)kinds[i].kind == kind)
            return kinds[i].text;
    return "";
}

/* A permanent reply is not retried by the sending server, whatever the
 * entry says of the condition: "later" becomes "after fixing the cause"
 * (550 5.4.1 is not "let your server retry"). */
static kb_retry answer_retry(const kb_answer *a)
{
    kb_retry r = a->hint ? a->hint->retry : a->entry->retry;
    return r == KB_RETRY_AUTO && !a->temporary ? KB_RETRY_AFTER_FIX : r;
}

const char *explain_retry_id(const kb_answer *a)
{
    if (a->entry && a->entry->who == KB_WHO_NOBODY && !a->hint)
        return "none";
    if (a->temporary)
        return "automatic";
    static const char *const ids[] = {"no", "later", "after-fix"};
    return ids[answer_retry(a)];
}

const char *explain_retry_text(const kb_answer *a)
{
    if (a->entry && a->entry->who == KB_WHO_NOBODY && !a->hint)
        return N_("Not needed: this is not a failure.");
    if (a->temporary)
        return N_("Temporary: the sending server retries by itself for a few days; act only if it lasts.");
    switch (answer_retry(a)) {
    case KB_RETRY_NO:
        return N_("No: sending the same message again will fail the same way.");
    case KB_RETRY_AUTO:
        return N_("Later: it may succeed once the condition clears.");
    default:
        return N_("Only after fixing the cause: see what to do.");
    }
}

/* The first steps that only tell to wait for the sending server's retries:
 * right for a temporary reply, wrong for a permanent one (it gave up). */
static const char *const explain_wait_steps[] = {"Let your server retry.", "Retry later.", "Let your server retry later."};

const char *explain_actions_text(const kb_answer *a)
{
    const char *t = _(a->actions);
    if (a->temporary || a->hint || answer_retry(a) != KB_RETRY_AFTER_FIX)
        return t;
    for (size_t i = 0; i < sizeof explain_wait_steps / sizeof *explain_wait_steps; i++) {
        size_t n = strlen(explain_wait_steps[i]);
        if (!strncmp(a->actions, explain_wait_steps[i], n) && a->actions[n] == '\n') {
            const char *nl = strchr(t, '\n');   /* the translation keeps the steps' lines */
            return nl ? nl + 1 : t;
        }
    }
    return t;
}

/* ---- what a reason name means ---- */
static const struct {
    const char *name, *text;
} explain_reasons[] = {
    {"userunknown", N_("mailbox does not exist")}, {"hostunknown", N_("domain does not exist")},
    {"mailboxfull", N_("mailbox full")}, {"mesgtoobig", N_("message too big")},
    {"exceedlimit", N_("over a size limit")}, {"blocked", N_("sender or IP blocked")},
    {"spamdetected", N_("taken for spam")}, {"policyviolation", N_("refused by policy")},
    {"rejected", N_("sender refused")}, {"expired", N_("delivery time expired")},
    {"filtered", N_("filtered by the receiver")}, {"suspend", N_("account suspended")},
    {"hasmoved", N_("recipient has moved")}, {"norelaying", N_("relaying denied")},
    {"securityerror", N_("security or authentication error")}, {"systemerror", N_("receiving system error")},
    {"networkerror", N_("network or DNS error")}, {"toomanyconn", N_("too many connections")},
    {"contenterror", N_("content refused")}, {"virusdetected", N_("virus detected")},
    {"authfailure", N_("SPF, DKIM or DMARC failed")}, {"badreputation", N_("bad sender reputation")},
    {"requireptr", N_("no reverse DNS (PTR) for the IP")}, {"notcompliantrfc", N_("message not RFC-compliant")},
    {"speeding", N_("sending too fast")}, {"syntaxerror", N_("SMTP syntax error")},
    {"mailererror", N_("mailer program error")}, {"notaccept", N_("domain accepts no mail")},
    {"systemfull", N_("receiving system full")}, {"onhold", N_("on hold, cause unclear")},
    {"feedback", N_("feedback report")}, {"vacation", N_("auto-reply")}, {"delivered", N_("delivered")},
    {"undefined", N_("cause not recognised")},
};

const char *explain_reason_text(const char *reason)
{
    for (size_t i = 0; reason && i < sizeof explain_reasons / sizeof explain_reasons[0]; i++)
        if (!strcmp(explain_reasons[i].name, reason))
            return _(explain_reasons[i].text);
    return NULL;
}
