#include "core/binlog/event.hpp"

#include <array>
#include <cstdio>
#include <cstring>

#include "core/error.hpp"

namespace minibar {

namespace {

constexpr size_t kHeaderSize = 19;

using namespace my_field;  // the column type codes of table maps

constexpr uint32_t kBinaryCollation = 63;

[[noreturn]] void malformed(const std::string &what) {
  throw Error(sqlstate::kDataCorrupted, "malformed binlog event: " + what);
}

// A bounds-checked little/big-endian reader over an event's bytes.
class Reader {
 public:
  Reader(std::string_view data, size_t pos = 0) : data_(data), pos_(pos) {}
  size_t pos() const { return pos_; }
  size_t left() const { return pos_ <= data_.size() ? data_.size() - pos_ : 0; }
  bool done() const { return pos_ >= data_.size(); }
  const unsigned char *need(size_t n, const char *what) {
    if (n > left()) malformed(std::string("truncated ") + what);
    auto *p = reinterpret_cast<const unsigned char *>(data_.data() + pos_);
    pos_ += n;
    return p;
  }
  uint64_t le(size_t n, const char *what) {
    const unsigned char *p = need(n, what);
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v |= static_cast<uint64_t>(p[i]) << (8 * i);
    return v;
  }
  uint64_t be(size_t n, const char *what) {
    const unsigned char *p = need(n, what);
    uint64_t v = 0;
    for (size_t i = 0; i < n; ++i) v = (v << 8) | p[i];
    return v;
  }
  std::string_view bytes(size_t n, const char *what) {
    need(n, what);
    return data_.substr(pos_ - n, n);
  }
  std::string_view rest() {
    std::string_view r = data_.substr(pos_ <= data_.size() ? pos_ : data_.size());
    pos_ = data_.size();
    return r;
  }
  // A length-encoded integer (the client protocol's packed form).
  uint64_t packed(const char *what) {
    unsigned char first = *need(1, what);
    if (first < 251) return first;
    if (first == 252) return le(2, what);
    if (first == 253) return le(3, what);
    if (first == 254) return le(8, what);
    malformed(std::string("bad packed integer in ") + what);
  }

 private:
  std::string_view data_;
  size_t pos_;
};

uint32_t crc32(std::string_view data) {
  static const std::array<uint32_t, 256> table = [] {
    std::array<uint32_t, 256> t{};
    for (uint32_t i = 0; i < 256; ++i) {
      uint32_t c = i;
      for (int k = 0; k < 8; ++k) c = (c & 1) ? 0xEDB88320u ^ (c >> 1) : c >> 1;
      t[i] = c;
    }
    return t;
  }();
  uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : data) c = table[(c ^ b) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFFu;
}

bool bit_set(std::string_view bitmap, size_t i) {
  return i / 8 < bitmap.size() && (static_cast<unsigned char>(bitmap[i / 8]) >> (i % 8)) & 1;
}

bool is_numeric(uint8_t type) {
  switch (type) {  // by code
    case kDecimalOld:
    case kTiny:
    case kShort:
    case kLong:
    case kFloat:
    case kDouble:
    case kLongLong:
    case kInt24:
    case kYear:  // MariaDB lists YEAR (unsigned) among the numeric columns, BIT not
    case kNewDecimal:
      return true;
    default:
      return false;
  }
}

bool is_character(const BinlogColumn &c) {
  switch (c.type) {
    case kString:
      return c.real_type == kString;
    case kVarchar:
    case kVarString:
    case kBlob:
    case kTinyBlob:
    case kMediumBlob:
    case kLongBlob:
      return true;
    default:
      return false;
  }
}

// Reads a column's table-map metadata (its size depends on the type).
void read_meta(Reader &r, BinlogColumn &c) {
  c.real_type = c.type;
  switch (c.type) {
    case kFloat:
    case kDouble:
    case kBlob:
    case kTinyBlob:
    case kMediumBlob:
    case kLongBlob:
    case kGeometry:
    case kJson:
    case kTimestamp2:
    case kDateTime2:
    case kTime2:
      c.meta = static_cast<uint32_t>(r.le(1, "column metadata"));
      break;
    case kVarchar:
    case kVarString:
      c.meta = static_cast<uint32_t>(r.le(2, "column metadata"));
      break;
    case kBit: {
      uint32_t bits = static_cast<uint32_t>(r.le(1, "column metadata"));
      uint32_t bytes = static_cast<uint32_t>(r.le(1, "column metadata"));
      c.meta = bytes * 8 + bits;  // declared width in bits
      break;
    }
    case kNewDecimal: {
      uint32_t precision = static_cast<uint32_t>(r.le(1, "column metadata"));
      uint32_t scale = static_cast<uint32_t>(r.le(1, "column metadata"));
      c.meta = precision << 8 | scale;
      break;
    }
    case kString:
    case kEnum:
    case kSet: {
      uint32_t b0 = static_cast<uint32_t>(r.le(1, "column metadata"));
      uint32_t b1 = static_cast<uint32_t>(r.le(1, "column metadata"));
      if ((b0 & 0x30) != 0x30) {
        // Lengths above 255 fold two bits into the type byte.
        c.meta = b1 | (((b0 & 0x30) ^ 0x30) << 4);
        c.real_type = static_cast<uint8_t>(b0 | 0x30);
      } else {
        c.meta = b1;
        c.real_type = static_cast<uint8_t>(b0);
      }
      break;
    }
    default:
      c.meta = 0;
  }
}

MyType my_type_of(const BinlogColumn &c) {
  return my_type_of_field(c.type, c.is_unsigned, c.type == kString && c.real_type == kEnum,
                          c.type == kString && c.real_type == kSet, c.binary);
}

// Optional metadata (binlog_row_metadata=MINIMAL/FULL): type, length, value.
void read_optional_metadata(Reader &r, TableMap &map) {
  size_t ncols = map.columns.size();
  std::vector<size_t> char_cols, enum_cols, set_cols, numeric_cols;
  for (size_t i = 0; i < ncols; ++i) {
    const BinlogColumn &c = map.columns[i];
    if (is_numeric(c.type)) numeric_cols.push_back(i);
    if (is_character(c)) char_cols.push_back(i);
    if (c.real_type == kEnum || c.type == kEnum) enum_cols.push_back(i);
    if (c.real_type == kSet || c.type == kSet) set_cols.push_back(i);
  }
  auto set_collation = [&](size_t char_index, uint64_t collation) {
    if (char_index < char_cols.size())
      map.columns[char_cols[char_index]].binary = collation == kBinaryCollation;
  };
  auto read_labels = [&](Reader &v, const std::vector<size_t> &cols) {
    for (size_t k = 0; !v.done(); ++k) {
      uint64_t n = v.packed("enum/set labels");
      std::vector<std::string> labels;
      for (uint64_t j = 0; j < n; ++j) {
        uint64_t len = v.packed("enum/set label");
        labels.emplace_back(v.bytes(len, "enum/set label"));
      }
      if (k < cols.size()) map.columns[cols[k]].labels = std::move(labels);
    }
  };
  while (!r.done()) {
    uint8_t type = static_cast<uint8_t>(r.le(1, "optional metadata"));
    uint64_t len = r.packed("optional metadata");
    Reader v(r.bytes(len, "optional metadata"));
    switch (type) {
      case 1: {  // SIGNEDNESS: one bit per numeric column, most significant first
        std::string_view bits = v.rest();
        for (size_t k = 0; k < numeric_cols.size() && k / 8 < bits.size(); ++k)
          map.columns[numeric_cols[k]].is_unsigned =
              (static_cast<unsigned char>(bits[k / 8]) >> (7 - k % 8)) & 1;
        break;
      }
      case 2: {  // DEFAULT_CHARSET: default collation, then (char column index, collation)
        uint64_t def = v.packed("default charset");
        for (size_t k = 0; k < char_cols.size(); ++k) set_collation(k, def);
        while (!v.done()) {
          uint64_t index = v.packed("charset column");
          uint64_t collation = v.packed("charset collation");
          set_collation(index, collation);
        }
        break;
      }
      case 3:  // COLUMN_CHARSET: a collation per character column
        for (size_t k = 0; !v.done(); ++k) set_collation(k, v.packed("column charset"));
        break;
      case 4: {  // COLUMN_NAME
        for (size_t k = 0; !v.done(); ++k) {
          uint64_t n = v.packed("column name");
          std::string_view name = v.bytes(n, "column name");
          if (k < ncols) map.columns[k].name = std::string(name);
        }
        map.has_names = true;
        break;
      }
      case 5:  // SET_STR_VALUE
        read_labels(v, set_cols);
        break;
      case 6:  // ENUM_STR_VALUE
        read_labels(v, enum_cols);
        break;
      case 8:  // SIMPLE_PRIMARY_KEY
        while (!v.done()) map.primary_key.push_back(static_cast<uint32_t>(v.packed("primary key")));
        break;
      case 9:  // PRIMARY_KEY_WITH_PREFIX: (column, prefix length) pairs
        while (!v.done()) {
          map.primary_key.push_back(static_cast<uint32_t>(v.packed("primary key")));
          v.packed("primary key prefix");
        }
        break;
      default:  // geometry types, enum/set charsets, visibility...: not needed
        break;
    }
  }
}

// DECIMAL's binary form (precision, scale) as decimal text.
void decode_decimal(Reader &r, uint32_t precision, uint32_t scale, std::string &out) {
  static const int kDigitBytes[10] = {0, 1, 1, 2, 2, 3, 3, 4, 4, 4};
  if (precision == 0 || scale > precision || precision > 81) malformed("DECIMAL metadata");
  uint32_t intg = precision - scale;
  uint32_t intg0 = intg / 9, intg0x = intg % 9, frac0 = scale / 9, frac0x = scale % 9;
  size_t size = intg0 * 4 + kDigitBytes[intg0x] + frac0 * 4 + kDigitBytes[frac0x];
  const unsigned char *raw = r.need(size, "DECIMAL value");
  std::string buf(reinterpret_cast<const char *>(raw), size);
  bool negative = !(static_cast<unsigned char>(buf[0]) & 0x80);
  buf[0] = static_cast<char>(buf[0] ^ 0x80);
  if (negative)
    for (char &ch : buf) ch = static_cast<char>(~ch);
  Reader d(buf);
  std::string digits;
  auto group = [&](size_t nbytes, int width) {
    uint64_t v = d.be(nbytes, "DECIMAL value");
    char tmp[16];
    int n = std::snprintf(tmp, sizeof tmp, "%0*llu", width, static_cast<unsigned long long>(v));
    if (n <= 0 || n > width) malformed("DECIMAL digits");
    digits.append(tmp, static_cast<size_t>(n));
  };
  if (kDigitBytes[intg0x])
    group(static_cast<size_t>(kDigitBytes[intg0x]), static_cast<int>(intg0x));
  for (uint32_t i = 0; i < intg0; ++i) group(4, 9);
  size_t int_len = digits.size();
  for (uint32_t i = 0; i < frac0; ++i) group(4, 9);
  if (kDigitBytes[frac0x])
    group(static_cast<size_t>(kDigitBytes[frac0x]), static_cast<int>(frac0x));
  size_t first = 0;
  while (first + 1 < int_len && digits[first] == '0') ++first;
  out.clear();
  if (negative) out.push_back('-');
  if (int_len == 0)
    out.push_back('0');
  else
    out.append(digits, first, int_len - first);
  if (scale) {
    out.push_back('.');
    out.append(digits, int_len, std::string::npos);
  }
  if (out == "-0" || (negative && out.find_first_not_of("-0.") == std::string::npos))
    out.erase(0, 1);  // no negative zero
}

// Fractional seconds of the *2 temporal types: (fsp + 1) / 2 big-endian bytes.
int32_t read_fraction(Reader &r, uint32_t fsp) {
  switch (fsp) {
    case 0:
      return 0;
    case 1:
    case 2:
      return static_cast<int32_t>(r.be(1, "fraction")) * 10000;
    case 3:
    case 4:
      return static_cast<int32_t>(r.be(2, "fraction")) * 100;
    case 5:
    case 6:
      return static_cast<int32_t>(r.be(3, "fraction"));
    default:
      malformed("fractional seconds precision");
  }
}

void decode_time2(Reader &r, uint32_t fsp, MyTime &t) {
  // MySQL's packed TIME: (hh:mm:ss << 24) + microseconds, stored with an offset.
  int64_t packed = 0;
  switch (fsp) {
    case 0:
      packed = (static_cast<int64_t>(r.be(3, "TIME")) - 0x800000) * (int64_t{1} << 24);
      break;
    case 1:
    case 2: {
      int64_t intpart = static_cast<int64_t>(r.be(3, "TIME")) - 0x800000;
      int64_t frac = static_cast<int64_t>(r.be(1, "TIME"));
      if (intpart < 0 && frac) {
        intpart++;
        frac -= 0x100;
      }
      packed = intpart * (int64_t{1} << 24) + frac * 10000;
      break;
    }
    case 3:
    case 4: {
      int64_t intpart = static_cast<int64_t>(r.be(3, "TIME")) - 0x800000;
      int64_t frac = static_cast<int64_t>(r.be(2, "TIME"));
      if (intpart < 0 && frac) {
        intpart++;
        frac -= 0x10000;
      }
      packed = intpart * (int64_t{1} << 24) + frac * 100;
      break;
    }
    case 5:
    case 6:
      packed = static_cast<int64_t>(r.be(6, "TIME")) - 0x800000000000LL;
      break;
    default:
      malformed("TIME precision");
  }
  t = MyTime{};
  if (packed < 0) {
    t.neg = true;
    packed = -packed;
  }
  int64_t hms = packed >> 24;
  t.micro = static_cast<int32_t>(packed % (int64_t{1} << 24));
  t.hour = static_cast<int32_t>((hms >> 12) % (1 << 10));
  t.minute = static_cast<int32_t>((hms >> 6) % (1 << 6));
  t.second = static_cast<int32_t>(hms % (1 << 6));
}

void decode_datetime2(Reader &r, uint32_t fsp, MyTime &t) {
  int64_t intpart = static_cast<int64_t>(r.be(5, "DATETIME")) - 0x8000000000LL;
  t = MyTime{};
  t.micro = read_fraction(r, fsp);
  if (intpart < 0) malformed("negative DATETIME");
  int64_t ymd = intpart >> 17, hms = intpart % (1 << 17);
  int64_t ym = ymd >> 5;
  t.day = static_cast<int32_t>(ymd % (1 << 5));
  t.month = static_cast<int32_t>(ym % 13);
  t.year = static_cast<int32_t>(ym / 13);
  t.second = static_cast<int32_t>(hms % (1 << 6));
  t.minute = static_cast<int32_t>((hms >> 6) % (1 << 6));
  t.hour = static_cast<int32_t>(hms >> 12);
}

uint32_t length_bytes_for(uint32_t max_length) {
  return max_length < 256 ? 1 : 2;
}

void decode_cell(Reader &r, const BinlogColumn &c, MyCell &cell, std::string &text) {
  cell.is_null = false;
  switch (c.type) {
    case kTiny:
    case kShort:
    case kInt24:
    case kLong:
    case kLongLong: {
      size_t n = c.type == kTiny    ? 1
                 : c.type == kShort ? 2
                 : c.type == kInt24 ? 3
                 : c.type == kLong  ? 4
                                    : 8;
      uint64_t v = r.le(n, "integer");
      if (c.is_unsigned) {
        cell.u = v;
      } else {
        if (n < 8 && (v >> (8 * n - 1)) & 1) v |= ~uint64_t{0} << (8 * n);  // sign-extend
        cell.i = static_cast<int64_t>(v);
      }
      break;
    }
    case kYear: {
      uint64_t v = r.le(1, "YEAR");
      cell.i = v ? static_cast<int64_t>(1900 + v) : 0;
      break;
    }
    case kFloat: {
      uint32_t bits = static_cast<uint32_t>(r.le(4, "FLOAT"));
      float f;
      std::memcpy(&f, &bits, sizeof f);
      cell.d = f;
      break;
    }
    case kDouble: {
      uint64_t bits = r.le(8, "DOUBLE");
      std::memcpy(&cell.d, &bits, sizeof cell.d);
      break;
    }
    case kNewDecimal:
      decode_decimal(r, c.meta >> 8, c.meta & 0xFF, text);
      cell.bytes = text;
      break;
    case kDate:
    case kNewDate: {
      uint64_t v = r.le(3, "DATE");
      cell.t = MyTime{};
      cell.t.day = static_cast<int32_t>(v & 31);
      cell.t.month = static_cast<int32_t>((v >> 5) & 15);
      cell.t.year = static_cast<int32_t>(v >> 9);
      break;
    }
    case kDateTime2:
      decode_datetime2(r, c.meta, cell.t);
      break;
    case kDateTime: {  // the pre-5.6 form: YYYYMMDDhhmmss as an integer
      uint64_t v = r.le(8, "DATETIME");
      uint64_t d = v / 1000000, t = v % 1000000;
      cell.t = MyTime{};
      cell.t.year = static_cast<int32_t>(d / 10000);
      cell.t.month = static_cast<int32_t>(d / 100 % 100);
      cell.t.day = static_cast<int32_t>(d % 100);
      cell.t.hour = static_cast<int32_t>(t / 10000);
      cell.t.minute = static_cast<int32_t>(t / 100 % 100);
      cell.t.second = static_cast<int32_t>(t % 100);
      break;
    }
    case kTimestamp2:
    case kTimestamp: {
      int64_t seconds = c.type == kTimestamp2 ? static_cast<int64_t>(r.be(4, "TIMESTAMP"))
                                              : static_cast<int64_t>(r.le(4, "TIMESTAMP"));
      int32_t micro = c.type == kTimestamp2 ? read_fraction(r, c.meta) : 0;
      cell.t = MyTime{};
      if (seconds != 0 || micro != 0) {  // 0 is the zero TIMESTAMP
        unix_to_civil(seconds, &cell.t);
        cell.t.micro = micro;
      }
      break;
    }
    case kTime2:
      decode_time2(r, c.meta, cell.t);
      break;
    case kTime: {  // the pre-5.6 form: [-]HHMMSS as a 3-byte integer
      uint64_t raw = r.le(3, "TIME");
      int64_t v = static_cast<int64_t>(raw);
      if (raw & 0x800000) v -= 0x1000000;
      cell.t = MyTime{};
      if (v < 0) {
        cell.t.neg = true;
        v = -v;
      }
      cell.t.hour = static_cast<int32_t>(v / 10000);
      cell.t.minute = static_cast<int32_t>(v / 100 % 100);
      cell.t.second = static_cast<int32_t>(v % 100);
      break;
    }
    case kBit: {
      uint32_t bits = c.meta;
      cell.bits = bits;
      cell.bytes = r.bytes((bits + 7) / 8, "BIT");
      break;
    }
    case kVarchar:
    case kVarString: {
      uint64_t len = r.le(length_bytes_for(c.meta), "VARCHAR length");
      cell.bytes = r.bytes(len, "VARCHAR");
      break;
    }
    case kString:
    case kEnum:
    case kSet:
      if (c.real_type == kEnum) {
        if (c.meta != 1 && c.meta != 2) malformed("ENUM size");
        uint64_t index = r.le(c.meta, "ENUM");
        if (index == 0) {
          cell.bytes = std::string_view();  // MySQL's '' error value
        } else if (index <= c.labels.size()) {
          cell.bytes = c.labels[index - 1];
        } else {
          throw Error("0A000",
                      "ENUM column " + c.name + " has value index " + std::to_string(index) +
                          " but the binlog lists " + std::to_string(c.labels.size()) + " labels",
                      {}, "The source needs binlog_row_metadata=FULL.");
        }
      } else if (c.real_type == kSet) {
        if (c.meta == 0 || c.meta > 8) malformed("SET size");
        uint64_t mask = r.le(c.meta, "SET");
        text.clear();
        for (size_t k = 0; k < 64 && mask; ++k, mask >>= 1) {
          if (!(mask & 1)) continue;
          if (k >= c.labels.size())
            throw Error("0A000", "SET column " + c.name + " has a member the binlog does not list",
                        {}, "The source needs binlog_row_metadata=FULL.");
          if (!text.empty()) text.push_back(',');
          text += c.labels[k];
        }
        cell.bytes = text;
      } else {
        uint64_t len = r.le(length_bytes_for(c.meta), "CHAR length");
        cell.bytes = r.bytes(len, "CHAR");
      }
      break;
    case kBlob:
    case kTinyBlob:
    case kMediumBlob:
    case kLongBlob:
    case kGeometry:
    case kJson: {
      if (c.meta < 1 || c.meta > 4) malformed("BLOB length size");
      uint64_t len = r.le(c.meta, "BLOB length");
      cell.bytes = r.bytes(len, "BLOB");
      break;
    }
    default:
      throw Error("0A000", "binlog column " + c.name + " has type " + std::to_string(c.type) +
                               ", which change data capture cannot read");
  }
}

}  // namespace

BinlogEvent split_binlog_event(std::string_view raw, bool checksum) {
  Reader r(raw);
  BinlogEvent ev;
  ev.header.timestamp = static_cast<uint32_t>(r.le(4, "event header"));
  ev.header.type = static_cast<uint8_t>(r.le(1, "event header"));
  ev.header.server_id = static_cast<uint32_t>(r.le(4, "event header"));
  ev.header.length = static_cast<uint32_t>(r.le(4, "event header"));
  ev.header.log_pos = static_cast<uint32_t>(r.le(4, "event header"));
  ev.header.flags = static_cast<uint16_t>(r.le(2, "event header"));
  if (ev.header.length != raw.size() || raw.size() < kHeaderSize)
    malformed("event length " + std::to_string(ev.header.length) + " but " +
              std::to_string(raw.size()) + " bytes received");
  // A format description always carries its checksum field; others only with
  // CRC32. The rotate event that opens a dump comes before the format
  // description says whether events are checksummed: it has one when its
  // last four bytes are the CRC32 of the rest.
  bool trailer = checksum || ev.header.type == binlog::kFormatDescription;
  if (!trailer && ev.header.type == binlog::kRotate && raw.size() >= kHeaderSize + 12 &&
      crc32(raw.substr(0, raw.size() - 4)) ==
          static_cast<uint32_t>(Reader(raw, raw.size() - 4).le(4, "checksum")))
    trailer = true;
  size_t end = raw.size();
  if (trailer) {
    if (end < kHeaderSize + 4) malformed("event too short for its checksum");
    end -= 4;
    bool verify =
        checksum && !(ev.header.type == binlog::kFormatDescription &&
                      !format_description_has_checksum(raw.substr(kHeaderSize, end - kHeaderSize)));
    if (verify && ev.header.type != binlog::kHeartbeat) {
      uint32_t stored = static_cast<uint32_t>(Reader(raw, end).le(4, "checksum"));
      if (crc32(raw.substr(0, end)) != stored)
        malformed("checksum mismatch in event type " + std::to_string(ev.header.type));
    }
  }
  ev.body = raw.substr(kHeaderSize, end - kHeaderSize);
  return ev;
}

bool format_description_has_checksum(std::string_view body) {
  // binlog version (2), server version (50), create time (4), header length
  // (1), post-header lengths..., checksum algorithm (1). body excludes the
  // 4-byte checksum field.
  if (body.size() < 58) malformed("format description too short");
  if (static_cast<unsigned char>(body[56]) != kHeaderSize)
    throw Error("0A000", "binlog event header length " +
                             std::to_string(static_cast<unsigned char>(body[56])) +
                             " is not supported (expected 19)");
  return static_cast<unsigned char>(body.back()) == 1;  // 1: CRC32
}

RotateInfo parse_rotate(std::string_view body) {
  Reader r(body);
  RotateInfo info;
  info.position = r.le(8, "rotate");
  info.file = std::string(r.rest());
  return info;
}

GtidInfo parse_gtid(std::string_view body) {
  Reader r(body);
  GtidInfo g;
  g.sequence = r.le(8, "GTID");
  g.domain = static_cast<uint32_t>(r.le(4, "GTID"));
  g.flags = static_cast<uint8_t>(r.le(1, "GTID"));
  return g;
}

QueryInfo parse_query(std::string_view body) {
  Reader r(body);
  r.le(4, "query thread id");
  r.le(4, "query time");
  size_t db_len = r.le(1, "query schema length");
  r.le(2, "query error code");
  size_t status_len = r.le(2, "query status length");
  r.bytes(status_len, "query status");
  QueryInfo q;
  q.schema = r.bytes(db_len, "query schema");
  r.bytes(1, "query schema terminator");
  q.statement = r.rest();
  return q;
}

std::string_view parse_heartbeat(std::string_view body) {
  return body;
}

TableMap parse_table_map(std::string_view body) {
  Reader r(body);
  TableMap map;
  map.table_id = r.le(6, "table map");
  r.le(2, "table map flags");
  size_t len = r.le(1, "table map schema");
  map.schema = std::string(r.bytes(len, "table map schema"));
  r.bytes(1, "table map schema terminator");
  len = r.le(1, "table map table");
  map.table = std::string(r.bytes(len, "table map table"));
  r.bytes(1, "table map table terminator");
  uint64_t ncols = r.packed("table map column count");
  if (ncols > 4096) malformed("table map column count");
  map.columns.resize(ncols);
  std::string_view types = r.bytes(ncols, "table map column types");
  for (size_t i = 0; i < ncols; ++i) map.columns[i].type = static_cast<uint8_t>(types[i]);
  uint64_t meta_len = r.packed("table map metadata length");
  Reader meta(r.bytes(meta_len, "table map metadata"));
  for (BinlogColumn &c : map.columns) read_meta(meta, c);
  std::string_view nulls = r.bytes((ncols + 7) / 8, "table map null bitmap");
  for (size_t i = 0; i < ncols; ++i) map.columns[i].nullable = bit_set(nulls, i);
  Reader optional(r.rest());
  read_optional_metadata(optional, map);
  for (BinlogColumn &c : map.columns) c.my_type = my_type_of(c);
  return map;
}

bool is_rows_event(uint8_t type) {
  return (type >= binlog::kWriteRowsV1 && type <= binlog::kDeleteRowsV1) ||
         (type >= binlog::kWriteRowsV2 && type <= binlog::kDeleteRowsV2);
}

RowsEvent parse_rows_event(uint8_t type, std::string_view body) {
  if (!is_rows_event(type))
    throw Error("0A000",
                "binlog event type " + std::to_string(type) +
                    " is not a supported row event (compressed binlogs are not supported)");
  Reader r(body);
  RowsEvent ev;
  bool v2 = type >= binlog::kWriteRowsV2;
  uint8_t base = v2 ? binlog::kWriteRowsV2 : binlog::kWriteRowsV1;
  ev.change = type == base       ? RowChange::Insert
              : type == base + 1 ? RowChange::Update
                                 : RowChange::Delete;
  ev.table_id = r.le(6, "rows event");
  ev.flags = static_cast<uint16_t>(r.le(2, "rows event"));
  if (v2) {
    size_t extra = r.le(2, "rows event extra data");
    if (extra < 2) malformed("rows event extra data length");
    r.bytes(extra - 2, "rows event extra data");
  }
  uint64_t ncols = r.packed("rows event column count");
  if (ncols > 4096) malformed("rows event column count");
  ev.column_count = static_cast<uint32_t>(ncols);
  ev.present = r.bytes((ncols + 7) / 8, "rows event column bitmap");
  if (ev.change == RowChange::Update)
    ev.present_after = r.bytes((ncols + 7) / 8, "rows event column bitmap");
  ev.rows = r.rest();
  return ev;
}

void decode_row_image(const TableMap &map, std::string_view present, std::string_view rows,
                      size_t *offset, RowImage *out) {
  size_t ncols = map.columns.size();
  out->cells.assign(ncols, MyCell{});
  out->present.assign(ncols, false);
  out->text.resize(ncols);
  size_t npresent = 0;
  for (size_t i = 0; i < ncols; ++i) npresent += bit_set(present, i);
  Reader r(rows, *offset);
  std::string_view nulls = r.bytes((npresent + 7) / 8, "row null bitmap");
  size_t k = 0;
  for (size_t i = 0; i < ncols; ++i) {
    if (!bit_set(present, i)) continue;
    const BinlogColumn &c = map.columns[i];
    MyCell &cell = out->cells[i];
    cell = MyCell{};
    cell.type = c.my_type;
    out->present[i] = true;
    bool is_null = bit_set(nulls, k++);
    if (is_null) continue;
    decode_cell(r, c, cell, out->text[i]);
  }
  *offset = r.pos();
}

void unix_to_civil(int64_t seconds, MyTime *out) {
  int64_t days = seconds >= 0 ? seconds / 86400 : -((-seconds + 86399) / 86400);
  int64_t secs = seconds - days * 86400;
  // Howard Hinnant's civil_from_days.
  int64_t z = days + 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t y = yoe + era * 400;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  int64_t d = doy - (153 * mp + 2) / 5 + 1;
  int64_t m = mp < 10 ? mp + 3 : mp - 9;
  *out = MyTime{};
  out->year = static_cast<int32_t>(y + (m <= 2));
  out->month = static_cast<int32_t>(m);
  out->day = static_cast<int32_t>(d);
  out->hour = static_cast<int32_t>(secs / 3600);
  out->minute = static_cast<int32_t>(secs / 60 % 60);
  out->second = static_cast<int32_t>(secs % 60);
}

}  // namespace minibar
