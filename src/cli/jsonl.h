/* JSON Lines written straight to a stream, byte for byte what jansson's
 * json_dumps(JSON_COMPACT) gives for an object of strings, integers and
 * booleans (parse --format=json spent an eighth of its time building and
 * freeing jansson objects). */
#ifndef REBOTE_CLI_JSONL_H
#define REBOTE_CLI_JSONL_H

#include <stdbool.h>
#include <stdio.h>

/* One object being written: jsonl_begin, members, jsonl_end. */
typedef struct {
    FILE *out;
    bool any;   /* a member was written: the next one needs a comma */
} jsonl;

void jsonl_begin(jsonl *j, FILE *out);
/* "key":"value", escaped as jansson escapes; left out, as jansson leaves
 * it out, when value is NULL or not valid UTF-8 (json_string gives NULL). */
void jsonl_string(jsonl *j, const char *key, const char *value);
void jsonl_integer(jsonl *j, const char *key, long long value);
void jsonl_boolean(jsonl *j, const char *key, bool value);
/* The closing brace and a newline. */
void jsonl_end(jsonl *j);
/* Is s valid UTF-8 by jansson's rules (no overlong form, no surrogate,
 * nothing above U+10FFFF)? */
bool jsonl_utf8_valid(const char *s);

#endif
