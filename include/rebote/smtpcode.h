/* Strict SMTP code parsing, shared by the analysis and knowledge layers. */
#ifndef REBOTE_SMTPCODE_H
#define REBOTE_SMTPCODE_H

#include <stdbool.h>
#include <stddef.h>

/* X.Y.Z with class 2/4/5, subject and detail of 1-3 digits ("5.7.133" yes, "5.1.1.1" no). */
bool smtpcode_status_valid(const char *s, size_t n);
/* The enhanced code a text is about (cls '2'/'4'/'5' restricts the class; 0: any). */
bool smtpcode_find_status(const char *text, char cls, char out[16]);
/* The first SMTP reply code (2xx-5xx) standing as a word in text. */
bool smtpcode_find_reply(const char *text, char out[4]);

#endif
