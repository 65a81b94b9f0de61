/* The config file's text: [account NAME] sections of key = value lines.
 * Apart from account.c so that fuzz/fuzz-config.c can feed it any bytes. */
#include <config.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "account.h"

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
    memset(out, 0, sizeof *out);
    *secret = false;
    while (fgets(line, sizeof line, f)) {
        trim(line);
        if (!line[0] || line[0] == '#' || line[0] == ';')
            continue;
        if (line[0] == '[') {
            char *end = strchr(line, ']');
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
        if (!eq)
            continue;
        *eq = '\0';
        char *k = line, *v = eq + 1;
        trim(k);
        trim(v);
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
    return found ? 0 : -1;
}
