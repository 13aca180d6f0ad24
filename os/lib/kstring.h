/* The C string functions the kernel uses. On the host (unit tests) they come
 * from libc; in the guest build from kstring.c. */
#ifndef OS_LIB_KSTRING_H
#define OS_LIB_KSTRING_H

#include <stddef.h>

#if __STDC_HOSTED__
#include <string.h>
#else
void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
#endif

#endif
