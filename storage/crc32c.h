/*
 * storage/crc32c.h — CRC-32C (Castagnoli), the checksum of log records and checkpoints.
 *
 * Uses the SSE4.2 crc32 instruction when the CPU has it (checked once at run time) and a
 * portable slice-by-8 table otherwise; both give the same result.
 *
 * INTERFACE
 *   crc32c            checksum of a buffer (CRC32C("123456789") = 0xE3069283)
 *   crc32c_extend     continue a checksum over more bytes: crc32c_extend(crc32c(a), b) = crc32c(ab)
 *   crc32c_portable   the table implementation, always (tests compare it with the fast path)
 */
#ifndef SL_CRC32C_H
#define SL_CRC32C_H

#include <stddef.h>
#include <stdint.h>

uint32_t crc32c(const void *p, size_t n);
uint32_t crc32c_extend(uint32_t crc, const void *p, size_t n);
uint32_t crc32c_portable(uint32_t crc, const void *p, size_t n);

#endif
