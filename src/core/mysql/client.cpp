#include "core/mysql/client.hpp"
#include "core/mysql/setup.hpp"

#include <mysql.h>
#include <poll.h>

#include <cerrno>
#include <chrono>
#include <cstring>

namespace minibar {

namespace {

using Clock = std::chrono::steady_clock;

// How often a wait looks at interrupt_requested.
constexpr int kPollSliceMs = 100;
// How long the server gets to answer after KILL QUERY before the connection
// is abandoned.
constexpr auto kKillGrace = std::chrono::seconds(3);
// Initial buffer for a variable-length column; it grows to the longest value.
constexpr unsigned long kInitialBuffer = 256;

const char *kSessionSetup =
    "SET SESSION time_zone = '+00:00', "
    "SESSION sql_mode = 'STRICT_ALL_TABLES,ERROR_FOR_DIVISION_BY_ZERO,NO_ENGINE_SUBSTITUTION', "
    "SESSION net_write_timeout = 3600, SESSION net_read_timeout = 3600";

int poll_events(int status) {
  int events = 0;
  if (status & MYSQL_WAIT_READ) events |= POLLIN;
  if (status & MYSQL_WAIT_WRITE) events |= POLLOUT;
  if (status & MYSQL_WAIT_EXCEPT) events |= POLLPRI;
  return events;
}

int ready_status(short revents) {
  int status = 0;
  if (revents & (POLLIN | POLLERR | POLLHUP)) status |= MYSQL_WAIT_READ;
  if (revents & (POLLOUT | POLLERR | POLLHUP)) status |= MYSQL_WAIT_WRITE;
  if (revents & POLLPRI) status |= MYSQL_WAIT_EXCEPT;
  return status;
}

std::string errno_message(MYSQL *m) {
  return "MySQL error " + std::to_string(mysql_errno(m)) + ": " + mysql_error(m);
}

MyType column_type(const MYSQL_FIELD &f) {
  return my_type_of_field(static_cast<uint8_t>(f.type), (f.flags & UNSIGNED_FLAG) != 0,
                          (f.flags & ENUM_FLAG) != 0, (f.flags & SET_FLAG) != 0,
                          f.charsetnr == 63);  // 63: the binary charset
}

}  // namespace

const char *mysql_errno_sqlstate(unsigned int e) {
  switch (e) {
    case 1044:         // ER_DBACCESS_DENIED_ERROR
    case 1142:         // ER_TABLEACCESS_DENIED_ERROR
    case 1143:         // ER_COLUMNACCESS_DENIED_ERROR
    case 1227:         // ER_SPECIFIC_ACCESS_DENIED_ERROR
      return "42501";  // insufficient_privilege
    case 1045:         // ER_ACCESS_DENIED_ERROR
    case 1698:         // ER_ACCESS_DENIED_NO_PASSWORD_ERROR
      return "28P01";  // invalid_password
    case 1049:         // ER_BAD_DB_ERROR
      return "3D000";  // invalid_catalog_name
    case 1146:         // ER_NO_SUCH_TABLE
      return sqlstate::kFdwTableNotFound;
    case 1054:  // ER_BAD_FIELD_ERROR
      return sqlstate::kFdwColumnNotFound;
    case 1317:  // ER_QUERY_INTERRUPTED
    case 1969:  // ER_STATEMENT_TIMEOUT
      return sqlstate::kQueryCanceled;
    case 1205:  // ER_LOCK_WAIT_TIMEOUT
      return sqlstate::kLockNotAvailable;
    case 1213:         // ER_LOCK_DEADLOCK
      return "40P01";  // deadlock_detected
    case 2002:         // CR_CONNECTION_ERROR
    case 2003:         // CR_CONN_HOST_ERROR
    case 2005:         // CR_UNKNOWN_HOST
    case 2026:         // CR_SSL_CONNECTION_ERROR
      return "08001";  // sqlclient_unable_to_establish_sqlconnection
    case 2006:         // CR_SERVER_GONE_ERROR
    case 2013:         // CR_SERVER_LOST
    case 2055:         // CR_SERVER_LOST_EXTENDED
      return "08006";  // connection_failure
    default:
      return sqlstate::kFdwError;
  }
}

bool mysql_errno_breaks_connection(unsigned int e) {
  return e == 2006 || e == 2013 || e == 2055 || e == 2002 || e == 2003 || e == 2026 || e == 2014;
}

// ---- connection ----

struct MysqlConnection::Impl {
  MYSQL *m = nullptr;
  MysqlOptions opts;
  bool broken = false;
  bool busy = false;

  ~Impl() {
    if (m) mysql_close(m);  // sends COM_QUIT; never blocks long on a dead peer
  }

  bool interrupted() const { return opts.interrupt_requested && opts.interrupt_requested(); }

  // Waits until libmariadb's non-blocking call completes. 'cont' resumes the
  // call with the ready events and returns the new status. On interrupt, the
  // remote query is killed (when 'kill_on_interrupt'), and the wait goes on
  // until the server answers; the caller sees the error the call returns.
  template <typename Cont>
  void wait(int status, Cont cont, bool kill_on_interrupt, bool *was_interrupted);

  [[noreturn]] void fail(const std::string &context);
};

template <typename Cont>
void MysqlConnection::Impl::wait(int status, Cont cont, bool kill_on_interrupt,
                                 bool *was_interrupted) {
  bool killed = false;
  Clock::time_point kill_deadline;
  while (status) {
    Clock::time_point start = Clock::now();
    int timeout_ms =
        (status & MYSQL_WAIT_TIMEOUT) ? static_cast<int>(mysql_get_timeout_value_ms(m)) : -1;
    while (true) {
      struct pollfd p;
      p.fd = mysql_get_socket(m);
      p.events = static_cast<short>(poll_events(status));
      p.revents = 0;
      int slice = kPollSliceMs;
      if (timeout_ms >= 0) {
        auto elapsed = std::chrono::duration_cast<std::chrono::milliseconds>(Clock::now() - start);
        int left = timeout_ms - static_cast<int>(elapsed.count());
        if (left <= 0) {
          status = cont(MYSQL_WAIT_TIMEOUT);
          break;
        }
        if (left < slice) slice = left;
      }
      if (p.fd < 0) {
        broken = true;
        throw Error("08006", opts.label + ": the connection to the MySQL server has no socket");
      }
      int r = poll(&p, 1, slice);
      if (r < 0 && errno != EINTR) {
        broken = true;
        throw Error("08006",
                    opts.label + ": waiting for the MySQL server failed: " + std::strerror(errno));
      }
      if (r > 0) {
        status = cont(ready_status(p.revents));
        break;
      }
      if (!killed && interrupted()) {
        if (was_interrupted) *was_interrupted = true;
        if (!kill_on_interrupt) {
          broken = true;  // abandon: a half-made connection is no use
          throw MysqlInterrupted(opts.label + ": connection attempt canceled");
        }
        try {
          MysqlConnection::kill_query_of(opts, mysql_thread_id(m));
        } catch (const Error &) {
          broken = true;
          throw MysqlInterrupted(opts.label +
                                 ": query canceled; KILL QUERY could not be sent, "
                                 "the connection is closed");
        }
        killed = true;
        kill_deadline = Clock::now() + kKillGrace;
      }
      if (killed && Clock::now() > kill_deadline) {
        broken = true;
        throw MysqlInterrupted(opts.label +
                               ": query canceled; the server did not stop it in time, the "
                               "connection is closed");
      }
    }
  }
}

void MysqlConnection::Impl::fail(const std::string &context) {
  unsigned int e = mysql_errno(m);
  if (mysql_errno_breaks_connection(e)) broken = true;
  std::string msg = opts.label + ": " + context + ": " + errno_message(m);
  if (e == 1317 && interrupted()) throw MysqlInterrupted(msg);
  std::string hint;
  if (e == 2006 || e == 2013)
    hint = "The MySQL server closed the connection or went away; the next query reconnects.";
  throw Error(mysql_errno_sqlstate(e), msg, "", hint);
}

MysqlConnection::MysqlConnection(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
MysqlConnection::~MysqlConnection() = default;

void mysql_apply_options(MYSQL *m, const MysqlOptions &o, bool nonblocking) {
  if (nonblocking) mysql_options(m, MYSQL_OPT_NONBLOCK, nullptr);
  unsigned int timeout = static_cast<unsigned int>(o.connect_timeout > 0 ? o.connect_timeout : 10);
  mysql_options(m, MYSQL_OPT_CONNECT_TIMEOUT, &timeout);
  mysql_options(m, MYSQL_SET_CHARSET_NAME, "utf8mb4");
  unsigned int local_infile = 0;
  mysql_options(m, MYSQL_OPT_LOCAL_INFILE, &local_infile);
  unsigned int protocol = o.socket.empty() ? MYSQL_PROTOCOL_TCP : MYSQL_PROTOCOL_SOCKET;
  mysql_options(m, MYSQL_OPT_PROTOCOL, &protocol);
  if (o.password_auth_only)
    mysql_options(m, MARIADB_OPT_RESTRICTED_AUTH,
                  "mysql_native_password,client_ed25519,caching_sha2_password,sha256_password");
  if (o.ssl_mode != SslMode::Disable) {
    mysql_ssl_set(m, o.ssl_key.empty() ? nullptr : o.ssl_key.c_str(),
                  o.ssl_cert.empty() ? nullptr : o.ssl_cert.c_str(),
                  o.ssl_ca.empty() ? nullptr : o.ssl_ca.c_str(), nullptr, nullptr);
    my_bool enforce = 1;
    mysql_options(m, MYSQL_OPT_SSL_ENFORCE, &enforce);
    my_bool verify = o.ssl_mode == SslMode::VerifyFull ? 1 : 0;
    mysql_options(m, MYSQL_OPT_SSL_VERIFY_SERVER_CERT, &verify);
  }
}

namespace {

const char *opt_cstr(const std::string &s) {
  return s.empty() ? nullptr : s.c_str();
}

}  // namespace

std::unique_ptr<MysqlConnection> MysqlConnection::connect(const MysqlOptions &options) {
  auto impl = std::make_unique<Impl>();
  impl->opts = options;
  impl->m = mysql_init(nullptr);
  if (!impl->m) throw std::bad_alloc();
  MYSQL *m = impl->m;
  mysql_apply_options(m, options, true);
  MYSQL *ret = nullptr;
  const char *host = options.socket.empty() ? options.host.c_str() : "localhost";
  int status = mysql_real_connect_start(
      &ret, m, host, options.username.c_str(), options.password.c_str(), opt_cstr(options.dbname),
      static_cast<unsigned int>(options.port), opt_cstr(options.socket), 0);
  impl->wait(
      status, [&](int ready) { return mysql_real_connect_cont(&ret, m, ready); }, false, nullptr);
  if (!ret) {
    unsigned int e = mysql_errno(m);
    std::string where =
        options.socket.empty() ? options.host + ":" + std::to_string(options.port) : options.socket;
    std::string hint;
    if (e == 1045 || e == 1698)
      hint = "Check the username and password of the user mapping.";
    else if (e == 1049)
      hint = "Check the dbname option of the server or foreign table.";
    else if (e == 2002 || e == 2003)
      hint = "Is the MySQL server running and reachable at " + where + "?";
    throw Error(
        mysql_errno_sqlstate(e),
        options.label + ": could not connect to MySQL at " + where + ": " + errno_message(m), "",
        hint);
  }
  // Connector/C lets MYSQL_OPT_SSL_ENFORCE fall back to plain text when the
  // server has no TLS (verification on does fail): check for ourselves.
  if (options.ssl_mode != SslMode::Disable && !mysql_get_ssl_cipher(m))
    throw Error("08001",
                options.label + ": the MySQL server did not agree to TLS, which ssl_mode requires",
                "", "Enable TLS on the MySQL server, or set ssl_mode 'disable'.");
  auto conn = std::unique_ptr<MysqlConnection>(new MysqlConnection(std::move(impl)));
  conn->execute(kSessionSetup);
  return conn;
}

void MysqlConnection::kill_query_of(const MysqlOptions &options, uint64_t thread_id) {
  MYSQL *k = mysql_init(nullptr);
  if (!k) throw std::bad_alloc();
  MysqlOptions o = options;
  o.connect_timeout = 3;
  mysql_apply_options(k, o, false);
  unsigned int rw_timeout = 3;
  mysql_options(k, MYSQL_OPT_READ_TIMEOUT, &rw_timeout);
  mysql_options(k, MYSQL_OPT_WRITE_TIMEOUT, &rw_timeout);
  const char *host = o.socket.empty() ? o.host.c_str() : "localhost";
  bool ok = mysql_real_connect(k, host, o.username.c_str(), o.password.c_str(), nullptr,
                               static_cast<unsigned int>(o.port), opt_cstr(o.socket), 0) != nullptr;
  if (ok) {
    std::string sql = "KILL QUERY " + std::to_string(thread_id);
    // 1094 (unknown thread): the query and its connection are already gone.
    ok = mysql_real_query(k, sql.data(), sql.size()) == 0 || mysql_errno(k) == 1094;
  }
  std::string msg = ok ? "" : errno_message(k);
  mysql_close(k);
  if (!ok) throw Error(sqlstate::kFdwError, options.label + ": KILL QUERY failed: " + msg);
}

const MysqlOptions &MysqlConnection::options() const {
  return impl_->opts;
}
uint64_t MysqlConnection::thread_id() const {
  return mysql_thread_id(impl_->m);
}
std::string MysqlConnection::server_version() const {
  const char *v = mysql_get_server_info(impl_->m);
  return v ? v : "";
}
bool MysqlConnection::broken() const {
  return impl_->broken;
}
std::string MysqlConnection::tls_cipher() const {
  const char *c = mysql_get_ssl_cipher(impl_->m);
  return c ? c : "";
}
bool MysqlConnection::busy() const {
  return impl_->busy;
}

bool MysqlConnection::ping() {
  if (impl_->broken || impl_->busy) return !impl_->broken;
  int ret = 0;
  MYSQL *m = impl_->m;
  int status = mysql_ping_start(&ret, m);
  impl_->wait(
      status, [&](int ready) { return mysql_ping_cont(&ret, m, ready); }, true, nullptr);
  if (ret != 0) impl_->broken = true;
  return ret == 0;
}

void MysqlConnection::fail(const std::string &context) {
  impl_->fail(context);
}

namespace {

void run_query(MysqlConnection::Impl &impl, const std::string &sql) {
  MYSQL *m = impl.m;
  int ret = 0;
  int status = mysql_real_query_start(&ret, m, sql.data(), sql.size());
  impl.wait(
      status, [&](int ready) { return mysql_real_query_cont(&ret, m, ready); }, true, nullptr);
  if (ret != 0) impl.fail("query failed");
}

}  // namespace

void MysqlConnection::execute(const std::string &sql) {
  if (impl_->busy) throw Error(sqlstate::kInternal, impl_->opts.label + ": connection is busy");
  run_query(*impl_, sql);
  // Discard any result set the statement produced.
  MYSQL_RES *res = mysql_use_result(impl_->m);
  if (res) mysql_free_result(res);
}

std::vector<MysqlRow> MysqlConnection::query(const std::string &sql) {
  if (impl_->busy) throw Error(sqlstate::kInternal, impl_->opts.label + ": connection is busy");
  run_query(*impl_, sql);
  MYSQL *m = impl_->m;
  MYSQL_RES *res = nullptr;
  int status = mysql_store_result_start(&res, m);
  impl_->wait(
      status, [&](int ready) { return mysql_store_result_cont(&res, m, ready); }, true, nullptr);
  std::vector<MysqlRow> rows;
  if (!res) {
    if (mysql_errno(m)) impl_->fail("reading the result failed");
    return rows;
  }
  unsigned int n = mysql_num_fields(res);
  while (MYSQL_ROW row = mysql_fetch_row(res)) {  // buffered: no network I/O
    unsigned long *lengths = mysql_fetch_lengths(res);
    MysqlRow out(n);
    for (unsigned int i = 0; i < n; i++)
      if (row[i] && lengths) out[i] = std::string(row[i], lengths[i]);
    rows.push_back(std::move(out));
  }
  mysql_free_result(res);
  return rows;
}

std::string MysqlConnection::quote_literal(const std::string &text) {
  std::string out(text.size() * 2 + 3, '\0');
  out[0] = '\'';
  unsigned long n = mysql_real_escape_string(impl_->m, &out[1], text.data(), text.size());
  out.resize(n + 1);
  out.push_back('\'');
  return out;
}

void MysqlConnection::kill_query() {
  kill_query_of(impl_->opts, thread_id());
}

// ---- prepared statement ----

struct ResultSlot {
  MYSQL_BIND bind;
  unsigned long length = 0;
  my_bool is_null = 0;
  my_bool error = 0;
  int64_t i = 0;
  float f = 0;
  double d = 0;
  MYSQL_TIME t;
  std::vector<char> buf;  // variable-length values
};

struct MysqlStatement::Impl {
  MysqlConnection &conn;
  MysqlConnection::Impl &ci;
  std::string sql;
  MYSQL_STMT *stmt = nullptr;
  std::vector<MysqlColumn> columns;
  std::vector<ResultSlot> slots;
  std::vector<MYSQL_BIND> binds;
  std::vector<MyCell> cells;
  bool active = false;  // a result is being read
  bool cursor = false;  // rows come through a server-side cursor

  Impl(MysqlConnection &c) : conn(c), ci(*c.impl_) {}

  [[noreturn]] void fail(const std::string &context) {
    unsigned int e = mysql_stmt_errno(stmt);
    std::string text = mysql_stmt_error(stmt);
    if (e == 0) {
      // A lost connection during a streamed fetch is recorded on the
      // connection only (libmariadb 3.3).
      e = mysql_errno(ci.m);
      text = mysql_error(ci.m);
    }
    if (e == 0) {
      e = 2013;  // no error recorded anywhere: treat the connection as lost
      text = "unknown error; the connection is dropped";
    }
    if (mysql_errno_breaks_connection(e)) ci.broken = true;
    std::string msg =
        ci.opts.label + ": " + context + ": MySQL error " + std::to_string(e) + ": " + text;
    if (e == 1317 && ci.interrupted()) throw MysqlInterrupted(msg);
    std::string hint;
    if (e == 2006 || e == 2013)
      hint = "The MySQL server closed the connection or went away; the next query reconnects.";
    throw Error(mysql_errno_sqlstate(e), msg, "Remote query: " + sql, hint);
  }

  void bind_results();
  void fill_cells();
  void end_result();
};

void MysqlStatement::Impl::bind_results() {
  MYSQL_RES *meta = mysql_stmt_result_metadata(stmt);
  if (!meta) return;  // no result set
  unsigned int n = mysql_num_fields(meta);
  MYSQL_FIELD *fields = mysql_fetch_fields(meta);
  columns.assign(n, MysqlColumn());
  slots = std::vector<ResultSlot>(n);
  binds.assign(n, MYSQL_BIND());
  cells.assign(n, MyCell());
  for (unsigned int i = 0; i < n; i++) {
    const MYSQL_FIELD &f = fields[i];
    MysqlColumn &c = columns[i];
    c.name.assign(f.name ? f.name : "", f.name ? f.name_length : 0);
    c.type = column_type(f);
    c.length = static_cast<uint32_t>(f.length);
    c.is_unsigned = (f.flags & UNSIGNED_FLAG) != 0;
    cells[i].type = c.type;
    cells[i].bits = c.type == MyType::Bit ? c.length : 0;
    ResultSlot &s = slots[i];
    MYSQL_BIND &b = binds[i];
    std::memset(&b, 0, sizeof b);
    b.length = &s.length;
    b.is_null = &s.is_null;
    b.error = &s.error;
    switch (c.type) {
      case MyType::Int:
      case MyType::UInt:
      case MyType::Year:
        b.buffer_type = MYSQL_TYPE_LONGLONG;
        b.buffer = &s.i;
        b.is_unsigned = c.type == MyType::UInt;
        break;
      case MyType::Float:
        b.buffer_type = MYSQL_TYPE_FLOAT;
        b.buffer = &s.f;
        break;
      case MyType::Double:
        b.buffer_type = MYSQL_TYPE_DOUBLE;
        b.buffer = &s.d;
        break;
      case MyType::Date:
      case MyType::DateTime:
      case MyType::Timestamp:
      case MyType::Time:
        b.buffer_type = c.type == MyType::Time        ? MYSQL_TYPE_TIME
                        : c.type == MyType::Date      ? MYSQL_TYPE_DATE
                        : c.type == MyType::Timestamp ? MYSQL_TYPE_TIMESTAMP
                                                      : MYSQL_TYPE_DATETIME;
        b.buffer = &s.t;
        break;
      default:
        s.buf.resize(kInitialBuffer);
        b.buffer_type = MYSQL_TYPE_BLOB;  // raw bytes, whatever the column
        b.buffer = s.buf.data();
        b.buffer_length = kInitialBuffer;
    }
  }
  mysql_free_result(meta);
  if (mysql_stmt_bind_result(stmt, binds.data())) fail("binding the result columns failed");
}

void MysqlStatement::Impl::fill_cells() {
  bool rebind = false;
  for (size_t i = 0; i < slots.size(); i++) {
    ResultSlot &s = slots[i];
    MyCell &c = cells[i];
    c.is_null = s.is_null != 0;
    if (c.is_null) continue;
    switch (c.type) {
      case MyType::Int:
      case MyType::Year:
        c.i = s.i;
        break;
      case MyType::UInt:
        c.u = static_cast<uint64_t>(s.i);
        break;
      case MyType::Float:
        c.d = static_cast<double>(s.f);
        break;
      case MyType::Double:
        c.d = s.d;
        break;
      case MyType::Date:
      case MyType::DateTime:
      case MyType::Timestamp:
      case MyType::Time:
        c.t.year = static_cast<int32_t>(s.t.year);
        c.t.month = static_cast<int32_t>(s.t.month);
        c.t.day = static_cast<int32_t>(s.t.day);
        c.t.hour = static_cast<int32_t>(s.t.hour);
        c.t.minute = static_cast<int32_t>(s.t.minute);
        c.t.second = static_cast<int32_t>(s.t.second);
        c.t.micro = static_cast<int32_t>(s.t.second_part);
        c.t.neg = s.t.neg != 0;
        if (c.type == MyType::Time && s.t.day) c.t.hour += static_cast<int32_t>(s.t.day) * 24;
        break;
      default:
        if (s.length > s.buf.size()) {
          // Longer than the buffer: grow it and fetch the whole value again.
          s.buf.resize(s.length);
          MYSQL_BIND &b = binds[i];
          b.buffer = s.buf.data();
          b.buffer_length = s.length;
          if (mysql_stmt_fetch_column(stmt, &b, static_cast<unsigned int>(i), 0))
            fail("fetching a long value failed");
          rebind = true;
        }
        c.bytes = std::string_view(s.buf.data(), s.length);
    }
  }
  if (rebind && mysql_stmt_bind_result(stmt, binds.data()))
    fail("binding the result columns failed");
}

void MysqlStatement::Impl::end_result() {
  if (!active) return;
  active = false;
  ci.busy = false;
  if (ci.broken) return;
  bool interrupted_before = ci.interrupted();
  try {
    if (cursor) {
      // Nothing in flight: resetting the statement closes the server's cursor.
      my_bool rr = 0;
      int status = mysql_stmt_reset_start(&rr, stmt);
      ci.wait(
          status, [&](int ready) { return mysql_stmt_reset_cont(&rr, stmt, ready); }, false,
          nullptr);
      if (rr) ci.broken = true;
      return;
    }
    // Rows remain on the wire: stop the query, then read what is in flight.
    conn.kill_query();
    int ret = 0;
    while (true) {
      int status = mysql_stmt_fetch_start(&ret, stmt);
      ci.wait(
          status, [&](int ready) { return mysql_stmt_fetch_cont(&ret, stmt, ready); },
          !interrupted_before, nullptr);
      if (ret == 1 || ret == MYSQL_NO_DATA) break;
    }
    my_bool fr = 0;
    int status = mysql_stmt_free_result_start(&fr, stmt);
    ci.wait(
        status, [&](int ready) { return mysql_stmt_free_result_cont(&fr, stmt, ready); }, false,
        nullptr);
  } catch (...) {
    ci.broken = true;  // cannot tell where the protocol stands: drop the connection
  }
}

MysqlStatement::MysqlStatement(MysqlConnection &conn, const std::string &sql, int fetch_size)
    : impl_(std::make_unique<Impl>(conn)) {
  Impl &s = *impl_;
  if (s.ci.busy) throw Error(sqlstate::kInternal, s.ci.opts.label + ": connection is busy");
  s.sql = sql;
  s.stmt = mysql_stmt_init(s.ci.m);
  if (!s.stmt) throw std::bad_alloc();
  int ret = 0;
  int status = mysql_stmt_prepare_start(&ret, s.stmt, sql.data(), sql.size());
  s.ci.wait(
      status, [&](int ready) { return mysql_stmt_prepare_cont(&ret, s.stmt, ready); }, true,
      nullptr);
  if (ret != 0) s.fail("preparing the remote query failed");
  if (fetch_size > 0) {
    unsigned long cursor = CURSOR_TYPE_READ_ONLY;
    unsigned long prefetch = static_cast<unsigned long>(fetch_size);
    if (mysql_stmt_attr_set(s.stmt, STMT_ATTR_CURSOR_TYPE, &cursor) ||
        mysql_stmt_attr_set(s.stmt, STMT_ATTR_PREFETCH_ROWS, &prefetch))
      s.fail("setting up a server-side cursor failed");
    s.cursor = true;
  }
  s.bind_results();
}

MysqlStatement::~MysqlStatement() {
  Impl &s = *impl_;
  s.end_result();
  if (s.stmt) {
    if (s.ci.broken) {
      // mysql_stmt_close would talk to a dead or desynchronized server.
      s.stmt->mysql = nullptr;
    }
    my_bool ret = 0;
    if (s.stmt->mysql) {
      int status = mysql_stmt_close_start(&ret, s.stmt);
      try {
        s.ci.wait(
            status, [&](int ready) { return mysql_stmt_close_cont(&ret, s.stmt, ready); }, false,
            nullptr);
      } catch (...) {
        s.ci.broken = true;
      }
    } else {
      mysql_stmt_close(s.stmt);
    }
  }
}

int MysqlStatement::param_count() const {
  return static_cast<int>(mysql_stmt_param_count(impl_->stmt));
}

const std::vector<MysqlColumn> &MysqlStatement::columns() const {
  return impl_->columns;
}
const std::string &MysqlStatement::sql() const {
  return impl_->sql;
}

void MysqlStatement::execute(const std::vector<SqlValue> &params) {
  Impl &s = *impl_;
  s.end_result();
  size_t n = params.size();
  if (static_cast<int>(n) != param_count())
    throw Error(sqlstate::kInternal, s.ci.opts.label + ": parameter count mismatch");
  std::vector<MYSQL_BIND> pb(n);
  std::vector<my_bool> nulls(n);
  std::vector<unsigned long> lengths(n);
  for (size_t i = 0; i < n; i++) {
    MYSQL_BIND &b = pb[i];
    std::memset(&b, 0, sizeof b);
    const SqlValue &v = params[i];
    nulls[i] = 0;
    b.is_null = &nulls[i];
    b.length = &lengths[i];
    if (std::holds_alternative<std::monostate>(v)) {
      b.buffer_type = MYSQL_TYPE_NULL;
      nulls[i] = 1;
    } else if (auto *iv = std::get_if<int64_t>(&v)) {
      b.buffer_type = MYSQL_TYPE_LONGLONG;
      b.buffer = const_cast<int64_t *>(iv);
    } else if (auto *dv = std::get_if<double>(&v)) {
      b.buffer_type = MYSQL_TYPE_DOUBLE;
      b.buffer = const_cast<double *>(dv);
    } else if (auto *sv = std::get_if<std::string>(&v)) {
      b.buffer_type = MYSQL_TYPE_STRING;
      b.buffer = const_cast<char *>(sv->data());
      lengths[i] = sv->size();
    } else if (auto *bv = std::get_if<Blob>(&v)) {
      b.buffer_type = MYSQL_TYPE_BLOB;
      b.buffer = const_cast<char *>(bv->bytes.data());
      lengths[i] = bv->bytes.size();
    } else if (auto *nv = std::get_if<Decimal>(&v)) {
      b.buffer_type = MYSQL_TYPE_NEWDECIMAL;
      b.buffer = const_cast<char *>(nv->text.data());
      lengths[i] = nv->text.size();
    }
    b.buffer_length = lengths[i];
  }
  if (n && mysql_stmt_bind_param(s.stmt, pb.data())) s.fail("binding parameters failed");
  int ret = 0;
  int status = mysql_stmt_execute_start(&ret, s.stmt);
  s.ci.wait(
      status, [&](int ready) { return mysql_stmt_execute_cont(&ret, s.stmt, ready); }, true,
      nullptr);
  if (ret != 0) s.fail("remote query failed");
  if (!s.columns.empty()) {
    s.active = true;
    s.ci.busy = true;
  }
}

bool MysqlStatement::fetch() {
  Impl &s = *impl_;
  if (!s.active) return false;
  int ret = 0;
  int status = mysql_stmt_fetch_start(&ret, s.stmt);
  if (status)
    s.ci.wait(
        status, [&](int ready) { return mysql_stmt_fetch_cont(&ret, s.stmt, ready); }, true,
        nullptr);
  if (ret == MYSQL_NO_DATA) {
    s.active = false;
    s.ci.busy = false;
    return false;
  }
  if (ret == 1) {
    s.active = false;
    s.ci.busy = false;
    s.fail("reading a row failed");
  }
  s.fill_cells();  // ret is 0 or MYSQL_DATA_TRUNCATED: long values are fetched again
  return true;
}

const MyCell &MysqlStatement::cell(size_t i) const {
  return impl_->cells.at(i);
}

void MysqlStatement::finish() {
  impl_->end_result();
}

}  // namespace minibar
