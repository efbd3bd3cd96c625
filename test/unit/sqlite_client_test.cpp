// SqliteDatabase / SqliteStatement against real files: what a damaged file
// reports, and that the error names SQLite's result code.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <cstdio>
#include <fstream>
#include <string>

#include "core/sqlite/client.hpp"

namespace minibar {
namespace {

// A database file in a fresh temporary directory, removed with the object.
class TempDb {
 public:
  TempDb() {
    char tmpl[] = "/tmp/minibar_sqlite_test_XXXXXX";
    const char *dir = mkdtemp(tmpl);
    EXPECT_NE(dir, nullptr);
    dir_ = dir ? dir : "/tmp";
    path_ = dir_ + "/t.db";
  }
  ~TempDb() {
    std::remove(path_.c_str());
    rmdir(dir_.c_str());
  }
  const std::string &path() const { return path_; }

  void exec(const std::string &sql) const {
    sqlite3 *db = nullptr;
    ASSERT_EQ(sqlite3_open(path_.c_str(), &db), SQLITE_OK);
    char *err = nullptr;
    int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
    std::string msg = err ? err : "";
    sqlite3_free(err);
    sqlite3_close(db);
    ASSERT_EQ(rc, SQLITE_OK) << msg;
  }

  // Overwrites page (1-based) with 0xff bytes.
  void smash_page(long page, long page_size) const {
    std::fstream f(path_, std::ios::in | std::ios::out | std::ios::binary);
    ASSERT_TRUE(f.good());
    f.seekp((page - 1) * page_size);
    std::string junk(static_cast<size_t>(page_size), '\xff');
    f.write(junk.data(), static_cast<std::streamsize>(junk.size()));
  }

 private:
  std::string dir_, path_;
};

SqliteDatabase::Options options_for(const std::string &path) {
  SqliteDatabase::Options o;
  o.path = path;
  return o;
}

long pragma_value(const std::string &path, const char *pragma) {
  SqliteDatabase db(options_for(path));
  SqliteStatement st(db, std::string("PRAGMA ") + pragma);
  EXPECT_TRUE(st.step());
  return static_cast<long>(st.cell(0).i);
}

TEST(SqliteClient, DamagedPageMidScanIsDataCorrupted) {
  TempDb f;
  f.exec(
      "CREATE TABLE big (id INTEGER PRIMARY KEY, pad TEXT NOT NULL);"
      "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20000) "
      "INSERT INTO big SELECT i, printf('%.200c', 'x') FROM n;");
  const long pages = pragma_value(f.path(), "page_count");
  const long page_size = pragma_value(f.path(), "page_size");
  ASSERT_GT(pages, 100);
  f.smash_page(pages / 2 + 1, page_size);

  SqliteDatabase db(options_for(f.path()));
  SqliteStatement st(db, "SELECT id, pad FROM big");
  long rows = 0;
  try {
    while (st.step()) rows++;
    FAIL() << "the scan of a damaged file ended without an error after " << rows << " rows";
  } catch (const Error &e) {
    EXPECT_EQ(e.sqlstate(), "XX001") << e.what();
    EXPECT_NE(std::string(e.what()).find("malformed"), std::string::npos) << e.what();
    EXPECT_NE(e.detail().find("SQLITE_CORRUPT"), std::string::npos) << e.detail();
  }
  EXPECT_GT(rows, 1000) << "the damage is in the middle of the table";
  EXPECT_LT(rows, 20000);
}

TEST(SqliteClient, NotADatabaseCannotBeOpened) {
  TempDb f;
  {
    std::ofstream out(f.path(), std::ios::binary);
    out << std::string(8192, 'z');
  }
  try {
    SqliteDatabase db(options_for(f.path()));
    FAIL() << "a file of junk opened as a database";
  } catch (const Error &e) {
    EXPECT_EQ(e.sqlstate(), "HV00N") << e.what();
    EXPECT_NE(e.detail().find("SQLITE_NOTADB"), std::string::npos) << e.detail();
  }
}

}  // namespace
}  // namespace minibar
