// A MariaDB binlog dump stream on Connector/C's replication API: connects as a
// replica with its own server id, asks for the binlog from a position, with
// checksums as the source writes them and a heartbeat while it is idle, and
// hands out the raw events. Decoding is core/binlog/event's job.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/mysql/client.hpp"

namespace minibar {

struct BinlogPosition {
  std::string file;
  uint64_t pos = 0;
};

class BinlogStream {
 public:
  // Connects and starts the dump at 'from'. The server sends a heartbeat
  // after heartbeat_ms without events, so next() returns at least that often;
  // a silence of three heartbeats (at least 5 s) counts as a lost connection.
  // Throws Error (08001/08006/28000/42501...) naming options.label.
  BinlogStream(const MysqlOptions &options, const BinlogPosition &from, uint32_t server_id,
               int heartbeat_ms);
  ~BinlogStream();
  BinlogStream(const BinlogStream &) = delete;
  BinlogStream &operator=(const BinlogStream &) = delete;

  // The next event's bytes (header, body, checksum), valid until the next
  // call. Throws Error (08006) when the connection fails or the source ends
  // the stream, with the source's message.
  std::string_view next();

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace minibar
