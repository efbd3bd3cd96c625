#include "core/convert/row_hash.hpp"

namespace minibar {

namespace {

constexpr uint64_t kFnvPrime = 1099511628211ULL;

// MurmurHash3's 64-bit finalizer.
uint64_t fmix64(uint64_t k) {
  k ^= k >> 33;
  k *= 0xff51afd7ed558ccdULL;
  k ^= k >> 33;
  k *= 0xc4ceb9fe1a85ec53ULL;
  k ^= k >> 33;
  return k;
}

}  // namespace

void RowHash::byte(unsigned char b) {
  h_ ^= b;
  h_ *= kFnvPrime;
}

void RowHash::add_null() {
  byte(0);
}

void RowHash::add(const void *data, size_t len) {
  byte(1);
  uint64_t n = len;
  for (int i = 0; i < 8; i++) byte(static_cast<unsigned char>((n >> (8 * i)) & 0xff));
  const auto *p = static_cast<const unsigned char *>(data);
  for (size_t i = 0; i < len; i++) byte(p[i]);
}

uint64_t RowHash::value() const {
  return fmix64(h_);
}

std::string hex64(uint64_t v) {
  static const char digits[] = "0123456789abcdef";
  std::string out(16, '0');
  for (int i = 15; i >= 0; i--) {
    out[static_cast<size_t>(i)] = digits[v & 0xf];
    v >>= 4;
  }
  return out;
}

std::string ChunkSum::hex() const {
  return hex64(sum);
}

}  // namespace minibar
