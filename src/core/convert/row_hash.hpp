// Row checksums for validate_checksums: each row's values, already encoded
// canonically (the PostgreSQL layer uses each target type's binary send
// function), are hashed to 64 bits; a chunk's checksum is its row count and
// the sum of its row hashes modulo 2^64, so it does not depend on row order.
// Pure C++, unit-tested; the encoding is documented in docs/validation.md.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

namespace minibar {

// The hash of one row: feed its values in column order, then read value().
// Each value enters as a tag byte (0 = NULL, 1 = value), its length as 8
// bytes little-endian, then its bytes; so NULL, '' and a shifted boundary
// between two values all hash differently. The 64-bit FNV-1a of that byte
// string is finished with MurmurHash3's fmix64 so every input bit reaches
// every output bit.
class RowHash {
 public:
  void add_null();
  void add(const void *data, size_t len);
  uint64_t value() const;

 private:
  void byte(unsigned char b);
  uint64_t h_ = 14695981039346656037ULL;
};

// A chunk's checksum: row count and the wrapping sum of the row hashes.
struct ChunkSum {
  int64_t rows = 0;
  uint64_t sum = 0;
  void add(uint64_t row_hash) {
    rows++;
    sum += row_hash;
  }
  // The sum as 16 lowercase hex digits.
  std::string hex() const;
  bool operator==(const ChunkSum &o) const { return rows == o.rows && sum == o.sum; }
  bool operator!=(const ChunkSum &o) const { return !(*this == o); }
};

// 16 lowercase hex digits of v.
std::string hex64(uint64_t v);

}  // namespace minibar
