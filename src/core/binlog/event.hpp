// MariaDB/MySQL binlog events decoded from their raw bytes: the common header,
// the events change data capture needs (format description, rotate, GTID,
// query, XID, heartbeat, table map, row events) and row images decoded into
// the same MyCell values the binary-protocol scan produces, so a change is
// converted to PostgreSQL exactly like a copied row. Pure C++ (no libmariadb:
// its own row decoder mis-reads CHAR/ENUM/SET columns, negative TIME and
// signed small integers in Connector/C 3.3); every read is bounds-checked and
// a malformed event throws Error (XX001), never reads past its buffer.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "core/mysql/value.hpp"

namespace minibar {

namespace binlog {
inline constexpr uint8_t kQuery = 2;
inline constexpr uint8_t kStop = 3;
inline constexpr uint8_t kRotate = 4;
inline constexpr uint8_t kFormatDescription = 15;
inline constexpr uint8_t kXid = 16;
inline constexpr uint8_t kTableMap = 19;
inline constexpr uint8_t kWriteRowsV1 = 23;
inline constexpr uint8_t kUpdateRowsV1 = 24;
inline constexpr uint8_t kDeleteRowsV1 = 25;
inline constexpr uint8_t kHeartbeat = 27;
inline constexpr uint8_t kWriteRowsV2 = 30;
inline constexpr uint8_t kUpdateRowsV2 = 31;
inline constexpr uint8_t kDeleteRowsV2 = 32;
inline constexpr uint8_t kAnnotateRows = 160;
inline constexpr uint8_t kGtid = 162;
inline constexpr uint8_t kQueryCompressed = 165;
inline constexpr uint8_t kWriteRowsCompressedV1 = 166;
inline constexpr uint8_t kDeleteRowsCompressedV1 = 168;
inline constexpr uint16_t kArtificialFlag = 0x20;  // LOG_EVENT_ARTIFICIAL_F
inline constexpr uint8_t kGtidStandalone = 0x01;   // FL_STANDALONE: no COMMIT/XID follows
}  // namespace binlog

struct BinlogHeader {
  uint32_t timestamp = 0;  // seconds since the epoch when the statement began
  uint8_t type = 0;
  uint32_t server_id = 0;
  uint32_t length = 0;   // whole event, header and checksum included
  uint32_t log_pos = 0;  // position of the next event in the binlog file (0: artificial)
  uint16_t flags = 0;
};

struct BinlogEvent {
  BinlogHeader header;
  std::string_view body;  // after the 19-byte header, without the checksum
};

// Splits raw event bytes (as the server sends them, without the leading OK
// byte). checksum: the events carry a CRC32 trailer (verified here). A
// format description event always ends with its checksum algorithm and a
// 4-byte checksum field.
BinlogEvent split_binlog_event(std::string_view raw, bool checksum);

// From a format description event's body: whether events carry CRC32.
bool format_description_has_checksum(std::string_view body);

struct RotateInfo {
  uint64_t position = 0;
  std::string file;
};
RotateInfo parse_rotate(std::string_view body);

struct GtidInfo {
  uint64_t sequence = 0;
  uint32_t domain = 0;
  uint8_t flags = 0;
};
GtidInfo parse_gtid(std::string_view body);

struct QueryInfo {
  std::string_view schema;  // the default database
  std::string_view statement;
};
QueryInfo parse_query(std::string_view body);

// A heartbeat names the binlog file; its header's log_pos is the source's
// current position in it.
std::string_view parse_heartbeat(std::string_view body);

struct BinlogColumn {
  uint8_t type = 0;       // binlog type (MYSQL_TYPE_*)
  uint8_t real_type = 0;  // STRING's real type (ENUM 247, SET 248, STRING 254)
  uint32_t meta = 0;      // decoded metadata: length, precision<<8|scale, fsp, bits...
  bool is_unsigned = false;
  bool nullable = true;
  bool binary = false;  // character data in the binary charset (BINARY/BLOB)
  MyType my_type = MyType::String;
  std::string name;                 // with binlog_row_metadata=FULL
  std::vector<std::string> labels;  // ENUM/SET labels with FULL metadata
};

struct TableMap {
  uint64_t table_id = 0;
  std::string schema;
  std::string table;
  std::vector<BinlogColumn> columns;
  std::vector<uint32_t> primary_key;  // column indexes (FULL metadata)
  bool has_names = false;
};
TableMap parse_table_map(std::string_view body);

enum class RowChange { Insert, Update, Delete };

// A row event's header and its row images, still encoded.
struct RowsEvent {
  RowChange change = RowChange::Insert;
  uint64_t table_id = 0;
  uint16_t flags = 0;
  uint32_t column_count = 0;
  std::string_view present;        // columns present in the (before) image
  std::string_view present_after;  // update: columns present in the after image
  std::string_view rows;
};
// type: one of the row event types.
RowsEvent parse_rows_event(uint8_t type, std::string_view body);
bool is_rows_event(uint8_t type);

// One decoded row image: a MyCell per column of the table (is_null for absent
// columns too, with present false). Views point into the event or into text.
struct RowImage {
  std::vector<MyCell> cells;
  std::vector<bool> present;
  std::vector<std::string> text;  // per column: formatted DECIMAL / SET values
};

// Decodes the row image at rows[*offset] (advancing *offset past it) with the
// columns present per 'present'. Throws Error (XX001) on a malformed image and
// Error (0A000) for a column type it cannot read.
void decode_row_image(const TableMap &map, std::string_view present, std::string_view rows,
                      size_t *offset, RowImage *out);

// "YYYY-MM-DD HH:MM:SS" UTC of a Unix time (for status and messages).
void unix_to_civil(int64_t seconds, MyTime *out);

}  // namespace minibar
