// core/binlog_event: real events captured from MariaDB 10.11 with
// binlog_format=ROW and binlog_row_metadata=FULL (a table of every type
// family, its update and delete, a DDL statement), decoded byte by byte; and
// malformed input, which must throw, never read out of bounds.
#include "core/binlog/event.hpp"

#include <gtest/gtest.h>

#include <string>

#include "core/error.hpp"

using namespace minibar;

namespace {

// Captured with the source's CRC32 checksums. The tables:
//   t (id INT PRIMARY KEY, ti TINYINT, si SMALLINT, mi MEDIUMINT, bu BIGINT
//      UNSIGNED, d DECIMAL(12,3), t3 TIME(3), t0 TIME, dt6 DATETIME(6),
//      ts TIMESTAMP(2) NULL, y YEAR, b BIT(10), c CHAR(5), bn BINARY(3),
//      vb VARBINARY(8), e ENUM('a','b','c'), st SET('x','y','z'), j JSON,
//      tx TEXT, f FLOAT, dd DOUBLE, dt DATE)
//   u (id INT PRIMARY KEY, b BIT(3), x INT UNSIGNED, y YEAR, z INT UNSIGNED)
//   e (id INT PRIMARY KEY, d1 DECIMAL(30,10), d2 DECIMAL(5,0), t1 TIME(1),
//      t6 TIME(6), dt0 DATETIME, ts TIMESTAMP NULL, en ENUM('p','q'),
//      vc VARCHAR(300))
const char *const kRotate =
    "0000000004020000002c000000000000002000d84800000000000062696e6c6f672e30303030313166649cee";
const char *const kFde =
    "3b29026b0f02000000fc000000000000000000040031302e31312e31392d4d6172696144422d302b64656231327531"
    "2d"
    "6c6f6700000000000000000000000000000000000000000000000013380d000800120004040404120000e400041a08"
    "00"
    "0000080808020000000a0a0a0000000000000a0a0a0000000000000000000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
    "00"
    "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000041304"
    "00"
    "0d0808080a0a0a01b95ec986";
const char *const kGtid =
    "812a026ba2020000002a0000000249000008001931000000000000000000000c000000000000507f9dc0";
const char *const kMapT =
    "812a026b1302000000c1000000cb4a000000001a000000000001000b6d696e696261725f6669780001740016030102"
    "09"
    "08f6131312110d10fefe0ffefefcfc04050a160c03030006020201fe14fe030800f701f80104020408feff3f01020a"
    "00"
    "03052d3f3f2e2d043c026964027469027369026d690262750164027433027430036474360274730179016201630262"
    "6e"
    "0276620165027374016a02747801660264640264740a012d05070301780179017a0607030161016201630801007be3"
    "5e"
    "34";
const char *const kWriteT =
    "812a026b170200000085000000504b000000001a0000000000010016ffff3f0000c001000000fbd4fe00ee85000008"
    "c5"
    "a1d8ccf97ffffb2dfe0b7f3747e12e4b910599b2bb7efa01e24060b62140327c02aa02616202616203786666020508"
    "00"
    "00007b226b223a20317d060068c3a96c6c6f0000c03f00000000000002c05dd00f4ab97971";
const char *const kWriteNullT =
    "812a026b17020000002a000000b84c000000001a0000000000010016ffff3ffeffff020000003f823bfd";
const char *const kUpdateT =
    "812a026b1802000000ea000000ea4e000000001a0000000000010016ffff3fffff3f0000c001000000fbd4fe00ee85"
    "00"
    "0008c5a1d8ccf97ffffb2dfe0b7f3747e12e4b910599b2bb7efa01e24060b62140327c02aa02616202616203786666"
    "02"
    "05080000007b226b223a20317d060068c3a96c6c6f0000c03f00000000000002c05dd00f0000c001000000fbd4fe00"
    "ee"
    "85000008c5a1d8ccf98000000000017f3747e12e4b910599b2bb7efa01e24060b62140327c02aa027a7a0261620378"
    "66"
    "660205080000007b226b223a20317d060068c3a96c6c6f0000c03f00000000000002c05dd00f8028b8a0";
const char *const kDeleteT =
    "812a026b19020000002a0000000450000000001a0000000000010016ffff3ffeffff02000000ebb7908f";
const char *const kXid = "812a026b10020000001f0000006f4b000000007a00000000000000cc576aad";
const char *const kAlter =
    "812a026b020200000071000000be50000000002d000000000000000b00002300000000000101000020540000000006"
    "03"
    "73746404210021002d008180000000000000006d696e696261725f66697800414c544552205441424c452074204144"
    "44"
    "20434f4c554d4e207a20494e54add101bf";
const char *const kMapU =
    "982a026b13020000004c0000005b52000000001b000000000001000b6d696e696261725f6669780001750005031003"
    "0d"
    "030203001e010170040b026964016201780179017a080100a59054da";
const char *const kWriteU =
    "982a026b1702000000300000008b52000000001b00000000000100051fe0010000000500286bee6501286bee9e283c"
    "cb";
const char *const kMapE =
    "a62a026b130200000079000000f055000000001c000000000001000b6d696e696261725f666978000165000903f6f6"
    "13"
    "131211fe0f0c1e0a050001060000f701b004fe0101010002012d041c02696402643102643202743102743603647430"
    "02"
    "747302656e0276630a012d06050201700171080100744ababe";
const char *const kWriteE =
    "a62a026b1702000000c9010000b957000000001c0000000000010009ff0100fe0100000073eb655bcaf204c72dff43"
    "9e"
    "b1f67e79607fffffce7fef7cfffffc8cb242000000000001002c017878787878787878787878787878787878787878"
    "78"
    "7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878"
    "78"
    "7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878"
    "78"
    "7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878"
    "78"
    "7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878"
    "78"
    "7878787878787878787878787878787878787878787878787878787878787878787878787878787878787878787878"
    "78"
    "78787878787878787878787878787878787878787878787878787878787878787878787878787800fe020000008000"
    "00"
    "00000000000000000000018000008000000ab450000f423ffef3ff7efb7fffffff02000018ff030000007fffffffff"
    "ff"
    "ffffffe2329affff80000780000000000000000001c342bcdf";

std::string unhex(const char *hex) {
  std::string out;
  std::string h(hex);
  for (size_t i = 0; i + 1 < h.size(); i += 2)
    out.push_back(static_cast<char>(std::stoi(h.substr(i, 2), nullptr, 16)));
  return out;
}

struct Decoded {
  std::string raw;
  BinlogEvent ev;
};

Decoded event(const char *hex, bool checksum = true) {
  Decoded d;
  d.raw = unhex(hex);
  d.ev = split_binlog_event(d.raw, checksum);
  return d;
}

// A rows event on the table of a table map, and the image its rows are decoded
// into, one at a time from off.
struct RowsOf {
  RowsOf(const char *map_hex, const char *rows_hex)
      : m(parse_table_map(event(map_hex).ev.body)),
        w(event(rows_hex)),
        r(parse_rows_event(w.ev.header.type, w.ev.body)) {}
  RowsOf(const RowsOf &) = delete;  // r points into w
  RowsOf &operator=(const RowsOf &) = delete;
  TableMap m;
  Decoded w;
  RowsEvent r;
  RowImage img;
  size_t off = 0;
};

std::string bytes(const MyCell &c) {
  return std::string(c.bytes);
}

std::string hms(const MyTime &t) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%s%04d-%02d-%02d %02d:%02d:%02d.%06d", t.neg ? "-" : "", t.year,
                t.month, t.day, t.hour, t.minute, t.second, t.micro);
  return buf;
}

size_t col(const TableMap &m, const std::string &name) {
  for (size_t i = 0; i < m.columns.size(); ++i)
    if (m.columns[i].name == name) return i;
  ADD_FAILURE() << "no column " << name;
  return 0;
}

}  // namespace

TEST(BinlogEvent, RotateBeforeFormatDescriptionDetectsItsChecksum) {
  Decoded d = event(kRotate, false);
  EXPECT_EQ(d.ev.header.type, binlog::kRotate);
  EXPECT_TRUE(d.ev.header.flags & binlog::kArtificialFlag);
  RotateInfo r = parse_rotate(d.ev.body);
  EXPECT_EQ(r.file, "binlog.000011");
  EXPECT_EQ(r.position, 18648u);
}

TEST(BinlogEvent, FormatDescriptionSaysCrc32) {
  Decoded d = event(kFde, false);
  EXPECT_EQ(d.ev.header.type, binlog::kFormatDescription);
  EXPECT_TRUE(format_description_has_checksum(d.ev.body));
}

TEST(BinlogEvent, GtidXidAndQuery) {
  Decoded g = event(kGtid);
  GtidInfo gi = parse_gtid(g.ev.body);
  EXPECT_EQ(gi.domain, 0u);
  EXPECT_EQ(g.ev.header.server_id, 2u);
  EXPECT_EQ(gi.sequence, 12569u);
  EXPECT_FALSE(gi.flags & binlog::kGtidStandalone);
  EXPECT_EQ(g.ev.header.log_pos, 18690u);
  EXPECT_EQ(event(kXid).ev.header.type, binlog::kXid);
  Decoded q = event(kAlter);
  QueryInfo qi = parse_query(q.ev.body);
  EXPECT_EQ(qi.schema, "minibar_fix");
  EXPECT_EQ(qi.statement, "ALTER TABLE t ADD COLUMN z INT");
}

TEST(BinlogEvent, TableMapWithFullMetadata) {
  TableMap m = parse_table_map(event(kMapT).ev.body);
  EXPECT_EQ(m.schema, "minibar_fix");
  EXPECT_EQ(m.table, "t");
  ASSERT_EQ(m.columns.size(), 22u);
  EXPECT_TRUE(m.has_names);
  ASSERT_EQ(m.primary_key.size(), 1u);
  EXPECT_EQ(m.primary_key[0], 0u);
  EXPECT_EQ(m.columns[col(m, "id")].my_type, MyType::Int);
  EXPECT_FALSE(m.columns[col(m, "id")].nullable);
  EXPECT_EQ(m.columns[col(m, "bu")].my_type, MyType::UInt);
  EXPECT_EQ(m.columns[col(m, "d")].my_type, MyType::Decimal);
  EXPECT_EQ(m.columns[col(m, "c")].my_type, MyType::String);
  EXPECT_EQ(m.columns[col(m, "bn")].my_type, MyType::Binary);
  EXPECT_EQ(m.columns[col(m, "vb")].my_type, MyType::Binary);
  EXPECT_EQ(m.columns[col(m, "e")].my_type, MyType::Enum);
  EXPECT_EQ(m.columns[col(m, "e")].labels, (std::vector<std::string>{"a", "b", "c"}));
  EXPECT_EQ(m.columns[col(m, "st")].my_type, MyType::Set);
  EXPECT_EQ(m.columns[col(m, "tx")].my_type, MyType::String);
  EXPECT_EQ(m.columns[col(m, "f")].my_type, MyType::Float);
  EXPECT_EQ(m.columns[col(m, "b")].meta, 10u);
}

TEST(BinlogEvent, SignednessCountsYearButNotBit) {
  TableMap m = parse_table_map(event(kMapU).ev.body);
  EXPECT_EQ(m.columns[col(m, "id")].my_type, MyType::Int);
  EXPECT_EQ(m.columns[col(m, "x")].my_type, MyType::UInt);
  EXPECT_EQ(m.columns[col(m, "z")].my_type, MyType::UInt);
  Decoded w = event(kWriteU);
  RowsEvent r = parse_rows_event(w.ev.header.type, w.ev.body);
  RowImage img;
  size_t off = 0;
  decode_row_image(m, r.present, r.rows, &off, &img);
  EXPECT_EQ(img.cells[col(m, "x")].u, 4000000000u);
  EXPECT_EQ(img.cells[col(m, "y")].i, 2001);
  EXPECT_EQ(img.cells[col(m, "z")].u, 4000000001u);
  EXPECT_EQ(bytes(img.cells[col(m, "b")]), "\x05");
  EXPECT_EQ(img.cells[col(m, "b")].bits, 3u);
  EXPECT_EQ(off, r.rows.size());
}

TEST(BinlogEvent, InsertOfEveryTypeFamily) {
  RowsOf rows(kMapT, kWriteT);
  [[maybe_unused]] auto &[m, w, r, img, off] = rows;
  EXPECT_EQ(r.change, RowChange::Insert);
  EXPECT_EQ(r.table_id, m.table_id);
  decode_row_image(m, r.present, r.rows, &off, &img);
  EXPECT_EQ(off, r.rows.size());
  auto c = [&](const char *name) -> const MyCell & { return img.cells[col(m, name)]; };
  EXPECT_EQ(c("id").i, 1);
  EXPECT_EQ(c("ti").i, -5);
  EXPECT_EQ(c("si").i, -300);
  EXPECT_EQ(c("mi").i, -8000000);
  EXPECT_EQ(c("bu").u, 18000000000000000000u);
  EXPECT_EQ(bytes(c("d")), "-1234.500");
  EXPECT_EQ(hms(c("t3").t), "-0000-00-00 12:34:56.789000");
  EXPECT_EQ(hms(c("t0").t), "-0000-00-00 838:59:59.000000");
  EXPECT_EQ(hms(c("dt6").t), "2024-02-29 23:59:58.123456");
  EXPECT_EQ(hms(c("ts").t), "2021-06-01 12:00:00.500000");  // UTC
  EXPECT_EQ(c("y").i, 2024);
  EXPECT_EQ(bytes(c("b")), "\x02\xaa");
  EXPECT_EQ(c("b").bits, 10u);
  EXPECT_EQ(bytes(c("c")), "ab");
  EXPECT_EQ(bytes(c("bn")), "ab");
  EXPECT_EQ(bytes(c("e")), "b");
  EXPECT_EQ(bytes(c("st")), "x,z");
  EXPECT_EQ(bytes(c("j")), "{\"k\": 1}");
  EXPECT_EQ(bytes(c("tx")), "h\xc3\xa9llo");
  EXPECT_EQ(c("f").d, 1.5);
  EXPECT_EQ(c("dd").d, -2.25);
  EXPECT_EQ(hms(c("dt").t), "2024-02-29 00:00:00.000000");
  for (size_t i = 0; i < img.cells.size(); ++i) {
    EXPECT_TRUE(img.present[i]);
    EXPECT_FALSE(img.cells[i].is_null) << m.columns[i].name;
    EXPECT_EQ(img.cells[i].type, m.columns[i].my_type);
  }
}

TEST(BinlogEvent, NullsUpdateAndDelete) {
  RowsOf rows(kMapT, kWriteNullT);
  [[maybe_unused]] auto &[m, w, r, img, off] = rows;
  decode_row_image(m, r.present, r.rows, &off, &img);
  EXPECT_EQ(img.cells[0].i, 2);
  for (size_t i = 1; i < img.cells.size(); ++i) EXPECT_TRUE(img.cells[i].is_null);

  Decoded u = event(kUpdateT);
  RowsEvent ur = parse_rows_event(u.ev.header.type, u.ev.body);
  EXPECT_EQ(ur.change, RowChange::Update);
  RowImage before, after;
  off = 0;
  decode_row_image(m, ur.present, ur.rows, &off, &before);
  decode_row_image(m, ur.present_after, ur.rows, &off, &after);
  EXPECT_EQ(off, ur.rows.size());
  EXPECT_EQ(bytes(before.cells[col(m, "c")]), "ab");
  EXPECT_EQ(bytes(after.cells[col(m, "c")]), "zz");
  EXPECT_EQ(bytes(after.cells[col(m, "d")]), "0.001");
  EXPECT_EQ(after.cells[col(m, "id")].i, 1);

  Decoded d = event(kDeleteT);
  RowsEvent dr = parse_rows_event(d.ev.header.type, d.ev.body);
  EXPECT_EQ(dr.change, RowChange::Delete);
  off = 0;
  decode_row_image(m, dr.present, dr.rows, &off, &img);
  EXPECT_EQ(img.cells[0].i, 2);
}

TEST(BinlogEvent, DecimalTimeDatetimeAndEnumEdges) {
  RowsOf rows(kMapE, kWriteE);
  [[maybe_unused]] auto &[m, w, r, img, off] = rows;
  auto c = [&](const char *name) -> const MyCell & { return img.cells[col(m, name)]; };
  // Decodes the next row and checks its decimals, times, datetime and timestamp.
  auto next_row = [&](const char *d1, const char *d2, const char *t1, const char *t6,
                      const char *dt0, const char *ts) {
    decode_row_image(m, r.present, r.rows, &off, &img);
    EXPECT_EQ(bytes(c("d1")), d1);
    EXPECT_EQ(bytes(c("d2")), d2);
    EXPECT_EQ(hms(c("t1").t), t1);
    EXPECT_EQ(hms(c("t6").t), t6);
    EXPECT_EQ(hms(c("dt0").t), dt0);
    EXPECT_EQ(hms(c("ts").t), ts);
  };
  next_row("-12345678901234567890.0123456789", "-99999", "-0000-00-00 00:00:00.500000",
           "-0000-00-00 01:02:03.000004", "1000-01-01 00:00:00.000000",
           "1970-01-01 00:00:01.000000");
  EXPECT_FALSE(c("en").is_null);
  EXPECT_EQ(bytes(c("en")), "");  // the '' error value
  EXPECT_EQ(bytes(c("vc")), std::string(300, 'x'));
  next_row("0.0000000001", "0", "0000-00-00 00:00:00.100000", "0000-00-00 837:00:00.999999",
           "9999-12-31 23:59:59.000000", "2038-01-19 03:14:07.000000");
  EXPECT_EQ(bytes(c("vc")), "");
  decode_row_image(m, r.present, r.rows, &off, &img);
  EXPECT_EQ(bytes(c("d1")), "-0.5000000000");
  EXPECT_EQ(bytes(c("d2")), "7");
  EXPECT_TRUE(c("t1").is_null);
  EXPECT_TRUE(is_zero_date(c("dt0")));
  EXPECT_TRUE(is_zero_date(c("ts")));
  EXPECT_TRUE(c("vc").is_null);
  EXPECT_EQ(off, r.rows.size());
}

TEST(BinlogEvent, ChecksumMismatchIsCorruption) {
  std::string raw = unhex(kWriteT);
  raw[30] = static_cast<char>(raw[30] ^ 1);
  try {
    split_binlog_event(raw, true);
    FAIL() << "no error";
  } catch (const Error &e) {
    EXPECT_EQ(e.sqlstate(), sqlstate::kDataCorrupted);
  }
}

TEST(BinlogEvent, EveryTruncationThrowsNeverOverreads) {
  TableMap m = parse_table_map(event(kMapT).ev.body);
  for (const char *hex : {kMapT, kWriteT, kUpdateT, kAlter, kGtid, kRotate}) {
    std::string raw = unhex(hex);
    for (size_t n = 0; n < raw.size(); ++n) {
      // A cut-short body (checksum not verified): every parser must throw or
      // stop within the bytes it was given.
      std::string cut = raw.substr(0, n);
      try {
        BinlogEvent ev = split_binlog_event(cut, false);
        (void)ev;
      } catch (const Error &) {
      }
      std::string_view body = std::string_view(raw).substr(19, n > 19 ? n - 19 : 0);
      uint8_t type = static_cast<uint8_t>(raw[4]);
      try {
        if (type == binlog::kTableMap) parse_table_map(body);
        if (type == binlog::kQuery) parse_query(body);
        if (type == binlog::kGtid) parse_gtid(body);
        if (type == binlog::kRotate) parse_rotate(body);
        if (is_rows_event(type)) {
          RowsEvent r = parse_rows_event(type, body);
          RowImage img;
          size_t off = 0;
          while (off < r.rows.size()) decode_row_image(m, r.present, r.rows, &off, &img);
        }
      } catch (const Error &) {
      }
    }
  }
}

TEST(BinlogEvent, UnixToCivil) {
  MyTime t;
  unix_to_civil(0, &t);
  EXPECT_EQ(hms(t), "1970-01-01 00:00:00.000000");
  unix_to_civil(951782400, &t);  // leap day 2000
  EXPECT_EQ(hms(t), "2000-02-29 00:00:00.000000");
  unix_to_civil(4294967295LL, &t);
  EXPECT_EQ(hms(t), "2106-02-07 06:28:15.000000");
}
