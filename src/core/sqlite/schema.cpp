#include "core/sqlite/schema.hpp"

#include <algorithm>
#include <map>
#include <set>

#include "core/schema/quote.hpp"

namespace minibar {

namespace {

bool ieq(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); i++) {
    char x = a[i], y = b[i];
    if (x >= 'a' && x <= 'z') x = static_cast<char>(x - 'a' + 'A');
    if (y >= 'a' && y <= 'z') y = static_cast<char>(y - 'a' + 'A');
    if (x != y) return false;
  }
  return true;
}

std::string text(const Cell &c) {
  if (c.storage == StorageClass::Null) return {};
  if (c.storage == StorageClass::Integer) return std::to_string(c.i);
  return std::string(c.bytes);
}

bool is_null(const Cell &c) {
  return c.storage == StorageClass::Null;
}

// Runs sql with one text parameter, calling row(stmt) for each row.
template <typename F>
void each_row(SqliteDatabase &db, const std::string &sql, const std::string &param, F &&row) {
  SqliteStatement st(db, sql);
  if (!param.empty() || sql.find('?') != std::string::npos) st.bind(1, SqlValue(param));
  while (st.step()) row(st);
}

// A token of SQLite's SQL, enough to find CHECK clauses.
struct Lexer {
  std::string_view s;
  size_t i = 0;

  void skip_space() {
    while (i < s.size()) {
      char c = s[i];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
        i++;
      } else if (c == '-' && i + 1 < s.size() && s[i + 1] == '-') {
        while (i < s.size() && s[i] != '\n') i++;
      } else if (c == '/' && i + 1 < s.size() && s[i + 1] == '*') {
        size_t end = s.find("*/", i + 2);
        i = end == std::string_view::npos ? s.size() : end + 2;
      } else {
        break;
      }
    }
  }
  // Skips one token; returns it (quoted tokens with their quotes).
  std::string_view next() {
    skip_space();
    if (i >= s.size()) return {};
    size_t start = i;
    char c = s[i];
    if (c == '\'' || c == '"' || c == '`' || c == '[') {
      char close = c == '[' ? ']' : c;
      i++;
      while (i < s.size()) {
        if (s[i] == close) {
          if (close != ']' && i + 1 < s.size() && s[i + 1] == close) {
            i += 2;
            continue;
          }
          i++;
          break;
        }
        i++;
      }
      return s.substr(start, i - start);
    }
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_' ||
        static_cast<unsigned char>(c) >= 0x80) {
      while (i < s.size() && ((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
                              (s[i] >= '0' && s[i] <= '9') || s[i] == '_' || s[i] == '$' ||
                              static_cast<unsigned char>(s[i]) >= 0x80))
        i++;
      return s.substr(start, i - start);
    }
    i++;
    return s.substr(start, 1);
  }
};

std::string unquote_name(std::string_view t) {
  if (t.size() >= 2 && (t.front() == '"' || t.front() == '`' || t.front() == '[')) {
    char close = t.front() == '[' ? ']' : t.front();
    std::string out;
    for (size_t i = 1; i + 1 < t.size(); i++) {
      out += t[i];
      if (t[i] == close && close != ']' && i + 2 < t.size() && t[i + 1] == close) i++;
    }
    return out;
  }
  return std::string(t);
}

std::string action(const std::string &a) {
  std::string u = a;
  for (char &c : u)
    if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
  if (u == "CASCADE" || u == "SET NULL" || u == "SET DEFAULT" || u == "RESTRICT") return u;
  return "NO ACTION";
}

}  // namespace

std::vector<SourceCheck> sqlite_check_constraints(std::string_view sql) {
  std::vector<SourceCheck> out;
  Lexer lx{sql};
  // Find the column/constraint list: the first "(".
  for (std::string_view t = lx.next(); !t.empty() && t != "("; t = lx.next()) {
  }
  int depth = 1;
  std::string pending_name;
  std::string_view prev;
  while (depth > 0) {
    std::string_view t = lx.next();
    if (t.empty()) break;
    if (t == "(") {
      depth++;
    } else if (t == ")") {
      depth--;
    } else if (t == "," && depth == 1) {
      pending_name.clear();
    } else if (ieq(prev, "CONSTRAINT")) {
      pending_name = unquote_name(t);
    } else if (ieq(t, "CHECK")) {
      lx.skip_space();
      if (lx.i < sql.size() && sql[lx.i] == '(') {
        size_t start = ++lx.i;
        int d = 1;
        size_t end = start;
        while (d > 0) {
          std::string_view u = lx.next();
          if (u.empty()) break;
          if (u == "(") d++;
          if (u == ")") {
            d--;
            end = lx.i - 1;
          }
        }
        std::string expr(sql.substr(start, end - start));
        size_t b = expr.find_first_not_of(" \t\r\n");
        size_t e = expr.find_last_not_of(" \t\r\n");
        out.push_back({pending_name, b == std::string::npos ? "" : expr.substr(b, e - b + 1)});
        pending_name.clear();
        prev = ")";
        continue;
      }
    }
    prev = t;
  }
  return out;
}

SourceSchema read_sqlite_schema(SqliteDatabase &db, const std::vector<std::string> &only,
                                bool views) {
  SourceSchema schema;
  schema.dialect = Dialect::Sqlite;
  std::set<std::string> wanted(only.begin(), only.end());
  std::map<std::string, std::string> table_sql;
  std::set<std::string> view_names;
  each_row(
      db,
      "SELECT type, name, tbl_name, sql FROM sqlite_schema WHERE name NOT LIKE 'sqlite\\_%' "
      "ESCAPE '\\' ORDER BY name",
      "", [&](SqliteStatement &st) {
        std::string type = text(st.cell(0)), name = text(st.cell(1));
        if (type == "table") {
          if (wanted.empty() || wanted.count(name)) table_sql[name] = text(st.cell(3));
        } else if (type == "view" && (wanted.empty() ? views : wanted.count(name) > 0)) {
          view_names.insert(name);
          table_sql[name] = std::string();  // never read: a view's text is not parsed
        } else if (wanted.empty() && type == "view") {
          schema.others.push_back({"view", name, "views are not migrated; recreate it by hand"});
        } else if (wanted.empty() && type == "trigger") {
          schema.others.push_back(
              {"trigger", name,
               "on " + text(st.cell(2)) + "; triggers are not migrated, rewrite it in PL/pgSQL"});
        }
      });
  for (const std::string &t : wanted)
    if (!table_sql.count(t))
      throw Error(sqlstate::kFdwTableNotFound, db.options().label + ": SQLite table " +
                                                   sqlite_quote_ident(t) + " does not exist");

  for (const auto &[name, create_sql] : table_sql) {
    if (view_names.count(name)) {
      // A view: its columns as SQLite types them (the declared type of a
      // column it takes from a table, none for an expression); no keys.
      SourceTable t;
      t.name = name;
      t.view = true;
      try {
        each_row(db, "SELECT name, type FROM pragma_table_xinfo(?)", name,
                 [&](SqliteStatement &st) {
                   SourceColumn c;
                   c.name = text(st.cell(0));
                   c.declared = text(st.cell(1));
                   t.columns.push_back(std::move(c));
                 });
      } catch (const Error &e) {
        // A table or column the view uses is gone: SQLite cannot run it.
        if (e.sqlstate() == sqlstate::kQueryCanceled) throw;
        if (!wanted.empty())
          throw Error(sqlstate::kFdwError,
                      db.options().label + ": SQLite view " + sqlite_quote_ident(name) +
                          " cannot be copied: the source cannot read it (" + e.what() + ")");
        schema.others.push_back(
            {"view", name,
             std::string("not materialized: the source cannot read it (") + e.what() + ")"});
        continue;
      }
      schema.tables.push_back(std::move(t));
      continue;
    }
    // Virtual tables (FTS, R*Tree) have no columns of their own to copy faithfully.
    if (create_sql.rfind("CREATE VIRTUAL", 0) == 0) {
      if (wanted.empty())
        schema.others.push_back({"virtual table", name, "virtual tables are not migrated"});
      continue;
    }
    SourceTable t;
    t.name = name;
    std::vector<std::pair<int, std::string>> pk;
    each_row(db,
             "SELECT name, type, \"notnull\", dflt_value, pk, hidden FROM pragma_table_xinfo(?)",
             name, [&](SqliteStatement &st) {
               int hidden = static_cast<int>(st.cell(5).i);
               if (hidden == 1) return;  // a virtual table's hidden column
               SourceColumn c;
               c.name = text(st.cell(0));
               c.declared = text(st.cell(1));
               c.nullable = st.cell(2).i == 0;
               if (!is_null(st.cell(3))) c.default_value = text(st.cell(3));
               c.generated = hidden == 2 || hidden == 3;
               if (st.cell(4).i > 0) pk.emplace_back(static_cast<int>(st.cell(4).i), c.name);
               t.columns.push_back(std::move(c));
             });
    std::sort(pk.begin(), pk.end());
    // Indexes: origin 'pk' (a non-rowid primary key), 'u' (UNIQUE), 'c' (CREATE INDEX).
    bool pk_has_index = false;
    std::vector<SourceIndex> others;
    std::vector<std::pair<std::string, std::string>> list;  // name, origin
    std::map<std::string, std::pair<bool, bool>> flags;     // unique, partial
    each_row(db, "SELECT name, \"unique\", origin, partial FROM pragma_index_list(?)", name,
             [&](SqliteStatement &st) {
               list.emplace_back(text(st.cell(0)), text(st.cell(2)));
               flags[text(st.cell(0))] = {st.cell(1).i != 0, st.cell(3).i != 0};
             });
    std::sort(list.begin(), list.end());
    for (const auto &[iname, origin] : list) {
      if (origin == "pk") {
        pk_has_index = true;
        continue;
      }
      SourceIndex idx;
      idx.name = iname;
      idx.unique = flags[iname].first;
      idx.partial = flags[iname].second;
      each_row(db,
               "SELECT cid, name, \"desc\" FROM pragma_index_xinfo(?) WHERE key = 1 ORDER BY seqno",
               iname, [&](SqliteStatement &st) {
                 IndexColumn ic;
                 if (st.cell(0).i == -2) idx.expression = true;
                 ic.column = st.cell(0).i == -1 ? "rowid" : text(st.cell(1));
                 ic.descending = st.cell(2).i != 0;
                 idx.columns.push_back(std::move(ic));
               });
      if (idx.expression || idx.partial)
        each_row(db, "SELECT sql FROM sqlite_schema WHERE type = 'index' AND name = ?", iname,
                 [&](SqliteStatement &st) { idx.definition = text(st.cell(0)); });
      others.push_back(std::move(idx));
    }
    if (!pk.empty()) {
      SourceIndex p;
      p.name = "PRIMARY";
      p.primary = p.unique = true;
      for (const auto &[pos, col] : pk) p.columns.push_back({col, 0, false});
      t.indexes.push_back(std::move(p));
      // INTEGER PRIMARY KEY without an index of its own is the rowid: auto-increment.
      if (pk.size() == 1 && !pk_has_index)
        for (SourceColumn &c : t.columns)
          if (c.name == pk[0].second && ieq(c.declared, "INTEGER")) c.auto_increment = true;
    }
    for (SourceIndex &i : others) t.indexes.push_back(std::move(i));

    each_row(db,
             "SELECT id, \"table\", \"from\", \"to\", on_update, on_delete FROM "
             "pragma_foreign_key_list(?) ORDER BY id, seq",
             name, [&](SqliteStatement &st) {
               std::string id = "fk" + std::to_string(st.cell(0).i);
               if (t.foreign_keys.empty() || t.foreign_keys.back().name != id) {
                 SourceForeignKey fk;
                 fk.name = id;  // SQLite keeps no name
                 fk.ref_table = text(st.cell(1));
                 fk.on_update = action(text(st.cell(4)));
                 fk.on_delete = action(text(st.cell(5)));
                 t.foreign_keys.push_back(std::move(fk));
               }
               t.foreign_keys.back().columns.push_back(text(st.cell(2)));
               t.foreign_keys.back().ref_columns.push_back(text(st.cell(3)));
             });
    for (SourceForeignKey &fk : t.foreign_keys) {
      fk.name.clear();
      bool none = std::all_of(fk.ref_columns.begin(), fk.ref_columns.end(),
                              [](const std::string &s) { return s.empty(); });
      if (none) fk.ref_columns.clear();
    }
    t.checks = sqlite_check_constraints(create_sql);
    schema.tables.push_back(std::move(t));
  }
  return schema;
}

}  // namespace minibar
