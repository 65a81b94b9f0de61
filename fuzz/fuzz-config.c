/* libFuzzer harness for the config file parser (src/cli/config.c): any bytes,
 * read as the config, for the default account and for a named one. The parser
 * must end, never read or write outside its buffers, and give NUL-terminated
 * fields and a port in range (0, -1 or 1-65535). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "account.h"

static void fuzz_check(const account *a)
{
    const char *fields[] = {a->name, a->host, a->user, a->tls, a->ca_file, a->password_command, a->mailbox, a->trash};
    const size_t lens[] = {sizeof a->name, sizeof a->host, sizeof a->user, sizeof a->tls,
                           sizeof a->ca_file, sizeof a->password_command, sizeof a->mailbox, sizeof a->trash};
    for (size_t i = 0; i < sizeof lens / sizeof lens[0]; i++)
        if (!memchr(fields[i], '\0', lens[i]))
            abort();
    if (a->port < -1 || a->port > 65535)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static const char *const names[] = {NULL, "box", ""};
    for (size_t i = 0; i < 3; i++) {
        if (!size)
            return 0;
        FILE *f = fmemopen((void *)data, size, "r");
        if (!f)
            return 0;
        account a;
        bool secret;
        account_config_parse(f, names[i], &a, &secret);
        fclose(f);
        fuzz_check(&a);
    }
    return 0;
}
