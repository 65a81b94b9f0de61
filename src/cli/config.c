/* The config file's text: [account NAME] sections of key = value lines.
 * Apart from account.c so that fuzz/fuzz-config.c can feed it any bytes. */
#include <config.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "account.h"
#include "rebote/util.h"

static void trim(char *s)
{
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1]))
        s[--n] = '\0';
    size_t i = 0;
    while (s[i] && isspace((unsigned char)s[i]))
        i++;
    memmove(s, s + i, n - i + 1);
}

/* The keys of an [account NAME] section. */
static const char *const account_keys[] = {"host", "user", "tls", "ca_file", "password_command", "mailbox", "trash", "port"};

static bool account_key_known(const char *k)
{
    for (size_t i = 0; i < sizeof account_keys / sizeof *account_keys; i++)
        if (!strcmp(k, account_keys[i]))
            return true;
    return false;
}

/* Records the first line that is not understood. */
static void account_bad(account *out, int line, const char *what, const char *key)
{
    if (out->bad_line)
        return;
    out->bad_line = line;
    snprintf(out->bad_what, sizeof out->bad_what, "%s%s%.40s", what, key ? ": " : "", key ? key : "");
}

static void account_set(account *a, const char *k, const char *v)
{
    struct { const char *name; char *field; size_t len; } f[] = {
        {"host", a->host, sizeof a->host}, {"user", a->user, sizeof a->user}, {"tls", a->tls, sizeof a->tls},
        {"ca_file", a->ca_file, sizeof a->ca_file}, {"password_command", a->password_command, sizeof a->password_command},
        {"mailbox", a->mailbox, sizeof a->mailbox}, {"trash", a->trash, sizeof a->trash},
    };
    for (size_t i = 0; i < sizeof f / sizeof f[0]; i++)
        if (!strcmp(k, f[i].name))
            snprintf(f[i].field, f[i].len, "%s", v);
    if (!strcmp(k, "port")) {
        char *end;
        long p = v[0] >= '0' && v[0] <= '9' ? strtol(v, &end, 10) : -1;
        a->port = p >= 1 && p <= 65535 && !*end ? (int)p : -1;
    }
}

int account_config_parse(FILE *f, const char *name, account *out, bool *secret)
{
    char line[2048], def[64] = "", section[64] = "";
    bool found = false;
    int no = 0;
    memset(out, 0, sizeof *out);
    *secret = false;
    while (fgets(line, sizeof line, f)) {
        no++;
        trim(line);
        if (!line[0] || line[0] == '#' || line[0] == ';')
            continue;
        if (line[0] == '[') {
            char *end = strchr(line, ']');
            if (!end || end[1])
                account_bad(out, no, N_("a section heading is [account NAME]"), NULL);
            if (end)
                *end = '\0';
            char *n = line + 1;
            if (!strncmp(n, "account ", 8))
                n += 8;
            snprintf(section, sizeof section, "%.63s", n);
            trim(section);
            continue;
        }
        char *eq = strchr(line, '=');
        if (!eq) {
            account_bad(out, no, N_("not a section heading, a comment or a key = value line"), NULL);
            continue;
        }
        *eq = '\0';
        char *k = line, *v = eq + 1;
        trim(k);
        trim(v);
        if (section[0] ? !account_key_known(k) : strcmp(k, "default") != 0)
            account_bad(out, no, section[0] ? N_("unknown key") : N_("before any [account NAME] only default = NAME may stand"), k);
        if (!section[0] && !strcmp(k, "default"))
            snprintf(def, sizeof def, "%s", v);
        *secret |= !strcmp(k, "password_command") || !strcmp(k, "password");
        const char *want = name ? name : def;
        if (section[0] && !strcmp(section, want)) {
            found = true;
            snprintf(out->name, sizeof out->name, "%s", section);
            account_set(out, k, v);
        }
    }
    if (!found)
        snprintf(out->name, sizeof out->name, "%s", name ? name : def);
    if (out->bad_line)
        return -2;
    return found ? 0 : -1;
}
