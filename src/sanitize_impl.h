/* The fast path of the field sanitiser, apart so that its unit test can
 * check it against its definition (tests/test_sanitize.c). */
#ifndef REBOTE_SANITIZE_IMPL_H
#define REBOTE_SANITIZE_IMPL_H

#include <stdbool.h>
#include <stdint.h>

/* Can sanitize_into copy the eight bytes of x (in memory order) as they
 * are? Yes when they are printable ASCII or spaces, no two spaces in a row
 * and no space first after a space (space: the byte before was one). */
static inline bool sanitize_plain8(uint64_t x, bool space)
{
    const uint64_t ones = 0x0101010101010101u, high = ones * 0x80, low7 = ones * 0x7F;
    if (((x - ones * 0x20) & ~x & high) || ((x + ones) | x) & high)
        return false;   /* a byte below 0x20, or from 0x7F */
    uint64_t t = x ^ (ones * 0x20);
    uint64_t sp = ~(((t & low7) + low7) | t | low7);   /* 0x80 in each byte that is a space */
#if __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    return !(sp & (sp >> 8)) && !(space && (sp & 0x80));
#else
    return !(sp & (sp << 8)) && !(space && (sp >> 63));
#endif
}

#endif
