#include "core/binlog/ddl.hpp"

#include <utility>

namespace minibar {

namespace {

enum class Tok { Word, Ident, String, Punct };

// Word: a bare identifier or keyword; Ident: a backquoted identifier (text
// unquoted); String: '...' or "..." (text unescaped); Punct: one character.
struct Token {
  Tok kind;
  std::string text;
};

bool is_space(unsigned char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool is_digit(unsigned char c) {
  return c >= '0' && c <= '9';
}

bool is_word_char(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || is_digit(c) || c == '_' || c == '$' ||
         c >= 0x80;
}

char ascii_upper(char c) {
  return c >= 'a' && c <= 'z' ? static_cast<char>(c - 'a' + 'A') : c;
}

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); i++)
    if (ascii_upper(a[i]) != ascii_upper(b[i])) return false;
  return true;
}

std::string upper(std::string_view s) {
  std::string out(s);
  for (char &c : out) c = ascii_upper(c);
  return out;
}

// Text of a quoted token starting at s[i] (the quote), i left past the
// closing quote (or at the end when unterminated). A doubled quote stands for
// one; in strings a backslash escapes the next byte.
std::string read_quoted(std::string_view s, size_t &i, bool backslash) {
  char q = s[i];
  std::string text;
  size_t j = i + 1;
  while (j < s.size()) {
    char c = s[j];
    if (backslash && c == '\\' && j + 1 < s.size()) {
      text += s[j + 1];
      j += 2;
    } else if (c == q) {
      if (j + 1 < s.size() && s[j + 1] == q) {
        text += q;
        j += 2;
      } else {
        j++;
        break;
      }
    } else {
      text += c;
      j++;
    }
  }
  i = j;
  return text;
}

std::vector<Token> tokenize(std::string_view s) {
  std::vector<Token> out;
  const size_t n = s.size();
  size_t i = 0;
  int executable = 0;  // open /*! ... */ comments, whose content is SQL
  while (i < n) {
    unsigned char c = s[i];
    if (is_space(c)) {
      i++;
    } else if (c == '#' || (c == '-' && i + 1 < n && s[i + 1] == '-' &&
                            (i + 2 == n || static_cast<unsigned char>(s[i + 2]) <= ' '))) {
      size_t eol = s.find('\n', i);
      i = eol == std::string_view::npos ? n : eol + 1;
    } else if (c == '/' && i + 1 < n && s[i + 1] == '*') {
      size_t j = i + 2;
      bool exec = false;
      if (j < n && s[j] == '!') {
        exec = true;
        j++;
      } else if (j + 1 < n && s[j] == 'M' && s[j + 1] == '!') {
        exec = true;
        j += 2;
      }
      if (exec) {
        for (int d = 0; d < 6 && j < n && is_digit(s[j]); d++) j++;  // server version
        executable++;
        i = j;
      } else {
        size_t end = s.find("*/", j);
        i = end == std::string_view::npos ? n : end + 2;
      }
    } else if (c == '*' && executable > 0 && i + 1 < n && s[i + 1] == '/') {
      executable--;
      i += 2;
    } else if (c == '\'' || c == '"') {
      out.push_back({Tok::String, read_quoted(s, i, true)});
    } else if (c == '`') {
      out.push_back({Tok::Ident, read_quoted(s, i, false)});
    } else if (is_word_char(c)) {
      size_t j = i;
      while (j < n && is_word_char(s[j])) j++;
      out.push_back({Tok::Word, std::string(s.substr(i, j - i))});
      i = j;
    } else {
      out.push_back({Tok::Punct, std::string(1, static_cast<char>(c))});
      i++;
    }
  }
  return out;
}

class Parser {
 public:
  Parser(const std::vector<Token> &toks, size_t pos) : toks_(toks), pos_(pos) {}

  StatementInfo classify() {
    StatementInfo info;
    const Token *first = peek();
    if (!first || first->kind != Tok::Word) return info;
    std::string w = upper(first->text);
    if (w == "BEGIN") {
      if (!is_kw("NOT", 1)) info.kind = StatementKind::Begin;  // not BEGIN NOT ATOMIC
    } else if (w == "START") {
      if (is_kw("TRANSACTION", 1)) info.kind = StatementKind::Begin;
    } else if (w == "COMMIT") {
      info.kind = StatementKind::Commit;
    } else if (w == "ROLLBACK") {
      pos_++;
      accept("WORK");
      if (!is_kw("TO")) info.kind = StatementKind::Rollback;  // not ROLLBACK TO SAVEPOINT
    } else if (w == "XA") {
      if (is_kw("START", 1) || is_kw("BEGIN", 1)) info.kind = StatementKind::Begin;
      if (is_kw("COMMIT", 1)) info.kind = StatementKind::Commit;
      if (is_kw("ROLLBACK", 1)) info.kind = StatementKind::Rollback;
    } else if (w == "CREATE" || w == "ALTER" || w == "DROP" || w == "RENAME" || w == "TRUNCATE") {
      pos_++;
      info.kind = StatementKind::Ddl;
      if (!ddl(w, info)) {
        info.tables.clear();
        info.schemas.clear();
        info.whole_schema = false;
      }
    } else if (w == "OPTIMIZE" || w == "REPAIR" || w == "ANALYZE") {
      pos_++;
      if (!accept("NO_WRITE_TO_BINLOG")) accept("LOCAL");
      if (accept("TABLE") || accept("TABLES")) {  // not MariaDB's ANALYZE SELECT ...
        info.kind = StatementKind::Ddl;
        info.verb = w + " TABLE";
        if (!table_list(info)) info.tables.clear();
      }
    }
    return info;
  }

 private:
  const std::vector<Token> &toks_;
  size_t pos_;

  const Token *peek(size_t ahead = 0) const {
    size_t k = pos_ + ahead;
    return k < toks_.size() ? &toks_[k] : nullptr;
  }
  bool is_kw(const char *kw, size_t ahead = 0) const {
    const Token *t = peek(ahead);
    return t && t->kind == Tok::Word && iequals(t->text, kw);
  }
  bool is_punct(char c, size_t ahead = 0) const {
    const Token *t = peek(ahead);
    return t && t->kind == Tok::Punct && t->text[0] == c;
  }
  bool is_name(size_t ahead = 0) const {
    const Token *t = peek(ahead);
    return t && (t->kind == Tok::Word || t->kind == Tok::Ident);
  }
  bool accept(const char *kw) {
    if (!is_kw(kw)) return false;
    pos_++;
    return true;
  }
  bool accept_punct(char c) {
    if (!is_punct(c)) return false;
    pos_++;
    return true;
  }

  bool ident(std::string &out) {
    if (!is_name()) return false;
    out = toks_[pos_++].text;
    return true;
  }

  // [schema.]name
  bool table_name(DdlTable &out) {
    std::string a;
    if (!ident(a)) return false;
    if (!is_punct('.')) {
      out = {"", a};
      return true;
    }
    pos_++;
    out.schema = a;
    return ident(out.table);
  }

  bool push_table(StatementInfo &info) {
    DdlTable t;
    if (!table_name(t)) return false;
    info.tables.push_back(std::move(t));
    return true;
  }

  // name [, name ...]
  bool table_list(StatementInfo &info) {
    do {
      if (!push_table(info)) return false;
    } while (accept_punct(','));
    return true;
  }

  // [IF [NOT] EXISTS]; false on IF not followed by [NOT] EXISTS.
  bool if_exists() {
    if (!accept("IF")) return true;
    accept("NOT");
    return accept("EXISTS");
  }

  // [WAIT n | NOWAIT]
  void skip_wait() {
    if (accept("WAIT")) {
      if (is_name()) pos_++;
    } else {
      accept("NOWAIT");
    }
  }

  // The user of DEFINER = user: 'u'@'h', `u`@`h`, u@h.example, CURRENT_USER(),
  // a role.
  void skip_user() {
    if (!peek()) return;
    pos_++;
    if (is_punct('(') && is_punct(')', 1)) pos_ += 2;
    if (!accept_punct('@')) return;
    if (peek()) pos_++;
    while ((is_punct('.') || is_punct('%')) && peek(1) && peek(1)->kind == Tok::Word) pos_ += 2;
  }

  // OR REPLACE, TEMPORARY, UNIQUE, ALGORITHM = x, DEFINER = user, SQL SECURITY
  // x and the like, between the operation and the object kind.
  void skip_modifiers() {
    for (;;) {
      if (is_kw("OR") && is_kw("REPLACE", 1)) {
        pos_ += 2;
      } else if (accept("TEMPORARY") || accept("UNIQUE") || accept("FULLTEXT") ||
                 accept("SPATIAL") || accept("ONLINE") || accept("OFFLINE") || accept("IGNORE") ||
                 accept("AGGREGATE")) {
      } else if (is_kw("ALGORITHM") && is_punct('=', 1)) {
        pos_ += 2;
        if (peek()) pos_++;
      } else if (is_kw("DEFINER") && is_punct('=', 1)) {
        pos_ += 2;
        skip_user();
      } else if (is_kw("SQL") && is_kw("SECURITY", 1)) {
        pos_ += 2;
        if (peek()) pos_++;
      } else {
        return;
      }
    }
  }

  // After CREATE/ALTER/DROP/RENAME/TRUNCATE; sets the verb first, so a false
  // return (not parsed) keeps it while the caller drops the names.
  bool ddl(const std::string &op, StatementInfo &info) {
    if (op != "TRUNCATE" && op != "RENAME") skip_modifiers();
    std::string obj;
    if (const Token *t = peek(); t && t->kind == Tok::Word) obj = upper(t->text);
    if (obj == "SCHEMA") obj = "DATABASE";
    if (obj == "TABLES") obj = "TABLE";
    if (op == "TRUNCATE") {
      if (obj == "TABLE") pos_++;
      info.verb = "TRUNCATE TABLE";
      if (!push_table(info)) return false;
      skip_wait();
      return true;
    }
    info.verb = obj.empty() ? op : op + " " + obj;
    if (obj.empty()) return false;
    pos_++;
    if (obj == "DATABASE") {
      if (!if_exists()) return false;
      info.whole_schema = true;
      std::string name;
      // ALTER DATABASE without a name alters the default database.
      bool unnamed = op == "ALTER" &&
                     (!is_name() || is_kw("CHARACTER") || is_kw("CHARSET") || is_kw("DEFAULT") ||
                      is_kw("COLLATE") || (is_kw("COMMENT") && !is_name(1)));
      if (!unnamed && !ident(name)) return false;
      info.schemas.push_back(name);
      return true;
    }
    if (op == "RENAME") {
      if (obj != "TABLE") return true;  // RENAME USER
      if (!if_exists()) return false;
      do {
        if (!push_table(info)) return false;
        skip_wait();
        if (!accept("TO")) return false;
        if (!push_table(info)) return false;
      } while (accept_punct(','));
      return true;
    }
    if (obj == "INDEX") {
      if (!if_exists()) return false;
      std::string index;
      if (!ident(index)) return false;
      if (op == "CREATE" && accept("USING") && is_name()) pos_++;
      return accept("ON") && push_table(info);
    }
    if (obj == "TRIGGER") {
      if (!if_exists()) return false;
      DdlTable trigger;
      if (!table_name(trigger)) return false;
      if (op != "CREATE") return true;
      while (is_name() && !is_kw("ON")) pos_++;  // BEFORE INSERT, AFTER UPDATE OR DELETE, ...
      return accept("ON") && push_table(info);
    }
    if (obj == "TABLE" || obj == "VIEW" || obj == "SEQUENCE") {
      if (!if_exists()) return false;
      if (op == "DROP") return table_list(info);
      if (!push_table(info)) return false;
      if (op == "ALTER" && obj == "TABLE") return alter_table_specs(info);
      return true;
    }
    return true;  // USER, FUNCTION, PROCEDURE, EVENT, ...: no table named
  }

  // The rest of ALTER TABLE t: the other tables named by RENAME [TO|AS] t2,
  // EXCHANGE PARTITION p WITH TABLE t2, CONVERT PARTITION p TO TABLE t2 and
  // CONVERT TABLE t2 TO PARTITION p, each at the start of an alter
  // specification (after the name or a comma outside parentheses).
  bool alter_table_specs(StatementInfo &info) {
    skip_wait();
    bool spec_start = true;
    int depth = 0;
    while (const Token *t = peek()) {
      if (t->kind == Tok::Punct) {
        char c = t->text[0];
        pos_++;
        if (c == '(') depth++;
        if (c == ')' && depth > 0) depth--;
        spec_start = c == ',' && depth == 0;
        continue;
      }
      if (spec_start && depth == 0 && t->kind == Tok::Word) {
        if (accept("RENAME")) {
          if (accept("COLUMN") || accept("INDEX") || accept("KEY")) {
            spec_start = false;
            continue;
          }
          if (!accept("TO")) accept("AS");
          if (!push_table(info)) return false;
          spec_start = false;
          continue;
        }
        if (is_kw("EXCHANGE") && is_kw("PARTITION", 1)) {
          pos_ += 2;
          std::string partition;
          if (!ident(partition) || !accept("WITH") || !accept("TABLE")) return false;
          if (!push_table(info)) return false;
          spec_start = false;
          continue;
        }
        if (is_kw("CONVERT") && is_kw("PARTITION", 1)) {
          pos_ += 2;
          std::string partition;
          if (!ident(partition) || !accept("TO") || !accept("TABLE")) return false;
          if (!push_table(info)) return false;
          spec_start = false;
          continue;
        }
        if (is_kw("CONVERT") && is_kw("TABLE", 1)) {
          pos_ += 2;
          if (!push_table(info)) return false;
          spec_start = false;
          continue;
        }
      }
      pos_++;
      spec_start = false;
    }
    return true;
  }
};

}  // namespace

StatementInfo classify_statement(std::string_view sql) {
  std::vector<Token> toks = tokenize(sql);
  size_t start = 0;
  // MariaDB's SET STATEMENT var = value [, ...] FOR statement
  auto word = [&](size_t k, const char *kw) {
    return k < toks.size() && toks[k].kind == Tok::Word && iequals(toks[k].text, kw);
  };
  if (word(0, "SET") && word(1, "STATEMENT")) {
    int depth = 0;
    for (size_t k = 2; k < toks.size() && start == 0; k++) {
      if (toks[k].kind == Tok::Punct && toks[k].text[0] == '(') depth++;
      if (toks[k].kind == Tok::Punct && toks[k].text[0] == ')' && depth > 0) depth--;
      if (depth == 0 && word(k, "FOR")) start = k + 1;
    }
    if (start == 0) return StatementInfo{};
  }
  return Parser(toks, start).classify();
}

bool statement_touches(const StatementInfo &info, std::string_view default_db,
                       std::string_view schema, std::string_view table) {
  auto in_schema = [&](const std::string &s) {
    return iequals(s.empty() ? default_db : std::string_view(s), schema);
  };
  if (info.whole_schema)
    for (const std::string &s : info.schemas)
      if (in_schema(s)) return true;
  for (const DdlTable &t : info.tables)
    if (in_schema(t.schema) && iequals(t.table, table)) return true;
  return false;
}

}  // namespace minibar
