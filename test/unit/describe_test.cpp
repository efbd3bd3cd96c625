// core/convert/describe: how remote values are shown in messages.
#include "core/convert/describe.hpp"

#include <gtest/gtest.h>

#include "core/convert/cell_convert.hpp"
#include "core/mysql/value.hpp"

namespace minibar {
namespace {

TEST(DescribeCell, EachStorageClass) {
  Cell c;
  EXPECT_EQ(describe_cell(c), "NULL");
  c.storage = StorageClass::Integer;
  c.i = -42;
  EXPECT_EQ(describe_cell(c), "-42");
  c.storage = StorageClass::Float;
  c.d = 0.1;
  EXPECT_EQ(describe_cell(c), "0.1");
  c.storage = StorageClass::Text;
  c.bytes = "a\nb";
  EXPECT_EQ(describe_cell(c), "'a\\x0ab'");
  c.storage = StorageClass::Blob;
  c.bytes = std::string_view("\x01\xff", 2);
  EXPECT_EQ(describe_cell(c), "X'01FF'");
}

TEST(DescribeMyCell, DoublesShortestExactNotSixDigits) {
  MyCell c;
  c.is_null = false;
  c.type = MyType::Double;
  c.d = 1.0 / 3.0;
  EXPECT_EQ(describe_mycell(c), "0.3333333333333333");
  c.d = 1e-7;
  EXPECT_EQ(describe_mycell(c), "1e-07");
}

TEST(DescribeMyCell, DatesNumbersTextBytes) {
  MyCell c;
  EXPECT_EQ(describe_mycell(c), "NULL");
  c.is_null = false;
  c.type = MyType::UInt;
  c.u = 18446744073709551615ULL;
  EXPECT_EQ(describe_mycell(c), "18446744073709551615");
  c.type = MyType::DateTime;
  c.t.year = 2024;
  c.t.month = 3;
  c.t.day = 31;
  c.t.hour = 2;
  c.t.minute = 30;
  EXPECT_EQ(describe_mycell(c), "'2024-03-31 02:30:00.000000'");
  c.type = MyType::Date;
  EXPECT_EQ(describe_mycell(c), "'2024-03-31'");
  c.type = MyType::String;
  c.bytes = "it's";
  EXPECT_EQ(describe_mycell(c), "'it's'");
  c.type = MyType::Binary;
  c.bytes = "\x10";
  EXPECT_EQ(describe_mycell(c), "X'10'");
}

}  // namespace
}  // namespace minibar
