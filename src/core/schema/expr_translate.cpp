#include "core/schema/expr_translate.hpp"

#include <algorithm>
#include <utility>

#include "core/schema/quote.hpp"

namespace minibar {

namespace {

// Thrown inside the translator; becomes ExprOutcome::Refused.
struct Refusal {
  std::string reason;
};

[[noreturn]] void refuse(std::string reason) {
  throw Refusal{std::move(reason)};
}

bool is_digit(char c) {
  return c >= '0' && c <= '9';
}

bool is_ascii_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool is_word_start(char c) {
  return is_ascii_letter(c) || c == '_' || static_cast<unsigned char>(c) >= 0x80;
}

bool is_word_char(char c) {
  return is_word_start(c) || is_digit(c);
}

bool ends_with(const std::string &s, const std::string &suffix) {
  return s.size() >= suffix.size() &&
         s.compare(s.size() - suffix.size(), suffix.size(), suffix) == 0;
}

bool starts_with(const std::string &s, const std::string &prefix) {
  return s.rfind(prefix, 0) == 0;
}

// Length of the valid UTF-8 sequence at s[i] (1..4), 0 when it is not one.
size_t utf8_seq(std::string_view s, size_t i) {
  auto b = [&](size_t k) { return static_cast<unsigned char>(s[k]); };
  unsigned char c = b(i);
  if (c < 0x80) return 1;
  size_t n;
  unsigned lo = 0x80, hi = 0xBF;
  if (c >= 0xC2 && c <= 0xDF) {
    n = 2;
  } else if (c >= 0xE0 && c <= 0xEF) {
    n = 3;
    if (c == 0xE0) lo = 0xA0;  // no overlong forms
    if (c == 0xED) hi = 0x9F;  // no surrogates
  } else if (c >= 0xF0 && c <= 0xF4) {
    n = 4;
    if (c == 0xF0) lo = 0x90;
    if (c == 0xF4) hi = 0x8F;  // at most U+10FFFF
  } else {
    return 0;
  }
  if (i + n > s.size()) return 0;
  if (b(i + 1) < lo || b(i + 1) > hi) return 0;
  for (size_t k = 2; k < n; k++)
    if (b(i + k) < 0x80 || b(i + k) > 0xBF) return 0;
  return n;
}

// ------------------------------------------------------------------ tokens

enum class Tok { End, Word, QuotedIdent, String, Number, Op };

struct Token {
  Tok kind = Tok::End;
  std::string text;      // Word: as written; QuotedIdent: the name; String: the value;
                         // Number: canonical digits; Op: the operator
  bool integer = false;  // Number: no fraction, no exponent
  bool zero = false;     // Number: an integer equal to 0
};

constexpr size_t kMaxTokens = 2048;
constexpr size_t kMaxNumberDigits = 60;

std::string printable(std::string_view text, size_t max_bytes = 40) {
  return note_excerpt(text, max_bytes);
}

class Lexer {
 public:
  Lexer(std::string_view s, Dialect d) : s_(s), mysql_(d == Dialect::Mysql) {}

  std::vector<Token> run() {
    std::vector<Token> out;
    while (true) {
      Token t = next();
      bool end = t.kind == Tok::End;
      out.push_back(std::move(t));
      if (end) break;
      if (out.size() > kMaxTokens) refuse("more than " + std::to_string(kMaxTokens) + " tokens");
    }
    return out;
  }

 private:
  std::string_view s_;
  bool mysql_;
  size_t i_ = 0;

  char at(size_t k) const { return k < s_.size() ? s_[k] : '\0'; }

  Token op(std::string text, size_t len) {
    i_ += len;
    Token t;
    t.kind = Tok::Op;
    t.text = std::move(text);
    return t;
  }

  Token next() {
    while (i_ < s_.size()) {
      char c = s_[i_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
        i_++;
        continue;
      }
      break;
    }
    if (i_ >= s_.size()) return Token{};
    char c = s_[i_];
    unsigned char uc = static_cast<unsigned char>(c);
    if (uc < 0x20 || uc == 0x7F) refuse("a control character outside a string literal");
    if (c == '\'') return string_literal();
    if (c == '"') {
      if (mysql_)
        refuse("double-quoted text (a string or an identifier, depending on the MySQL sql_mode)");
      return quoted_ident('"', '"', true);
    }
    if (c == '`') return quoted_ident('`', '`', true);
    if (c == '[') {
      if (mysql_) refuse("'[' is not MySQL syntax");
      return quoted_ident('[', ']', false);
    }
    if (is_digit(c) || (c == '.' && is_digit(at(i_ + 1)))) return number();
    if (is_word_start(c)) return word();
    char n = at(i_ + 1);
    switch (c) {
      case '(':
      case ')':
      case ',':
      case '+':
      case '%':
        return op(std::string(1, c), 1);
      case '*':
        if (n == '/') refuse("a comment delimiter '*/'");
        return op("*", 1);
      case '/':
        if (n == '*') refuse("a comment ('/*')");
        return op("/", 1);
      case '-':
        if (n == '-') refuse("'--' (a comment, or two minus signs)");
        if (n == '>') refuse("the JSON operator '->'");
        return op("-", 1);
      case '#':
        refuse(mysql_ ? "a comment ('#')" : "unexpected character '#'");
      case ';':
        refuse("a semicolon");
      case '$':
        refuse("'$' (dollar quoting or a parameter)");
      case '\\':
        refuse("a backslash outside a string literal");
      case '=':
        if (!mysql_ && n == '=') return op("=", 2);
        return op("=", 1);
      case '<':
        if (n == '=' && at(i_ + 2) == '>') refuse("the null-safe equality '<=>'");
        if (n == '=') return op("<=", 2);
        if (n == '>') return op("<>", 2);
        if (n == '<') refuse("the shift operator '<<'");
        return op("<", 1);
      case '>':
        if (n == '=') return op(">=", 2);
        if (n == '>') refuse("the shift operator '>>'");
        return op(">", 1);
      case '!':
        if (n == '=') return op("<>", 2);
        if (mysql_) return op("!", 1);
        refuse("unexpected character '!'");
      case '&':
        if (mysql_ && n == '&') return op("&&", 2);
        refuse("the bit operator '&'");
      case '|':
        refuse("'|' or '||' (bit operator or string concatenation, which differ by dialect)");
      case '.':
        refuse("a qualified name or a stray '.'");
      default:
        break;
    }
    if (uc >= 0x21 && uc <= 0x7E) refuse(std::string("unexpected character '") + c + "'");
    refuse("an unexpected character");
  }

  // '...' in the source dialect -> its value.
  Token string_literal() {
    i_++;  // the opening quote
    std::string v;
    while (true) {
      if (i_ >= s_.size()) refuse("an unterminated string literal");
      char c = s_[i_];
      if (c == '\'') {
        if (at(i_ + 1) == '\'') {
          v += '\'';
          i_ += 2;
          continue;
        }
        i_++;
        break;
      }
      if (c == '\\' && mysql_) {
        if (i_ + 1 >= s_.size()) refuse("an unterminated string literal");
        char e = s_[i_ + 1];
        i_ += 2;
        switch (e) {
          case '0':
            refuse("a NUL character (\\0) in a string literal");
          case 'n':
            v += '\n';
            break;
          case 't':
            v += '\t';
            break;
          case 'r':
            v += '\r';
            break;
          case 'b':
            v += '\b';
            break;
          case 'Z':
            v += '\x1A';
            break;
          case '%':  // kept with the backslash (for LIKE patterns), as MySQL does
          case '_':
            v += '\\';
            v += e;
            break;
          default:
            v += e;  // \' \" \\ and any other character stand for themselves
        }
        continue;
      }
      v += c;
      i_++;
    }
    Token t;
    t.kind = Tok::String;
    t.text = std::move(v);
    return t;
  }

  Token quoted_ident(char open, char close, bool doubling) {
    (void)open;
    i_++;
    std::string name;
    while (true) {
      if (i_ >= s_.size()) refuse("an unterminated quoted identifier");
      char c = s_[i_];
      if (c == close) {
        if (doubling && at(i_ + 1) == close) {
          name += close;
          i_ += 2;
          continue;
        }
        i_++;
        break;
      }
      name += c;
      i_++;
    }
    if (name.empty()) refuse("an empty quoted identifier");
    Token t;
    t.kind = Tok::QuotedIdent;
    t.text = std::move(name);
    return t;
  }

  Token number() {
    size_t start = i_;
    if (s_[i_] == '0' &&
        (at(i_ + 1) == 'x' || at(i_ + 1) == 'X' || at(i_ + 1) == 'b' || at(i_ + 1) == 'B'))
      refuse("a hexadecimal or bit literal");
    std::string whole, frac, exp;
    char exp_sign = '+';
    bool dot = false, has_exp = false;
    while (is_digit(at(i_))) whole += s_[i_++];
    if (at(i_) == '.') {
      dot = true;
      i_++;
      while (is_digit(at(i_))) frac += s_[i_++];
    }
    if (at(i_) == 'e' || at(i_) == 'E') {
      has_exp = true;
      i_++;
      if (at(i_) == '+' || at(i_) == '-') exp_sign = s_[i_++];
      while (is_digit(at(i_))) exp += s_[i_++];
      if (exp.empty()) refuse("a malformed number");
    }
    if (is_word_char(at(i_)) || at(i_) == '.' || at(i_) == '$')
      refuse("a malformed number (" + printable(s_.substr(start, i_ + 1 - start)) + ")");
    size_t nz = whole.find_first_not_of('0');
    whole = nz == std::string::npos ? "0" : whole.substr(nz);
    nz = exp.find_first_not_of('0');
    exp = nz == std::string::npos ? "0" : exp.substr(nz);
    if (whole.size() + frac.size() > kMaxNumberDigits || exp.size() > 4)
      refuse("a number with too many digits");
    Token t;
    t.kind = Tok::Number;
    t.text = whole;
    if (dot) t.text += "." + (frac.empty() ? std::string("0") : frac);
    if (has_exp) t.text += std::string("e") + (exp_sign == '-' ? "-" : "") + exp;
    t.integer = !dot && !has_exp;
    t.zero = t.integer && whole == "0";
    return t;
  }

  Token word() {
    size_t start = i_;
    while (i_ < s_.size() && is_word_char(s_[i_])) i_++;
    std::string w(s_.substr(start, i_ - start));
    if (at(i_) == '$') refuse("'$' in an identifier");
    if (at(i_) == '\'') {
      std::string l = ascii_lower(w);
      if (mysql_ && (l == "_utf8mb4" || l == "_utf8mb3" || l == "_utf8"))
        return string_literal();  // a character set introducer MariaDB prints in CHECK_CLAUSE
      if (mysql_ && l.size() > 1 && l[0] == '_')
        refuse("the character set introducer " + printable(w));
      if (l == "x" || l == "b")
        refuse(mysql_ ? "a hexadecimal or bit string literal" : "a blob literal");
      refuse("a prefixed string literal (" + printable(w) + "'...')");
    }
    Token t;
    t.kind = Tok::Word;
    t.text = std::move(w);
    return t;
  }
};

// ------------------------------------------------------------------ values

// The type of a parsed expression; literals have their own, since
// PostgreSQL types them from the other operand.
enum class VT {
  Integer,
  Number,
  Boolean,
  Text,
  Enum,
  Bytes,
  Date,
  Time,
  Interval,
  Timestamp,
  LocalTimestamp,
  Json,
  Other,
  StringLit,
  Null,
};

VT vt_of(ExprType t) {
  switch (t) {
    case ExprType::Integer:
      return VT::Integer;
    case ExprType::Number:
      return VT::Number;
    case ExprType::Boolean:
      return VT::Boolean;
    case ExprType::Text:
      return VT::Text;
    case ExprType::Enum:
      return VT::Enum;
    case ExprType::Bytes:
      return VT::Bytes;
    case ExprType::Date:
      return VT::Date;
    case ExprType::Time:
      return VT::Time;
    case ExprType::Interval:
      return VT::Interval;
    case ExprType::Timestamp:
      return VT::Timestamp;
    case ExprType::LocalTimestamp:
      return VT::LocalTimestamp;
    case ExprType::Json:
      return VT::Json;
    case ExprType::Other:
      return VT::Other;
  }
  return VT::Other;
}

const char *vt_name(VT t) {
  switch (t) {
    case VT::Integer:
      return "integer";
    case VT::Number:
      return "number";
    case VT::Boolean:
      return "boolean";
    case VT::Text:
      return "text";
    case VT::Enum:
      return "enum";
    case VT::Bytes:
      return "binary";
    case VT::Date:
      return "date";
    case VT::Time:
      return "time";
    case VT::Interval:
      return "interval";
    case VT::Timestamp:
      return "timestamp with time zone";
    case VT::LocalTimestamp:
      return "timestamp";
    case VT::Json:
      return "JSON";
    case VT::Other:
      return "other-typed";
    case VT::StringLit:
      return "string literal";
    case VT::Null:
      return "NULL";
  }
  return "other-typed";
}

struct Val {
  std::string sql;
  VT type = VT::Other;
  std::optional<ExprColumn> column;  // a plain column reference
  std::optional<ExprColumn> origin;  // text: the column whose collation it carries
  bool int_literal = false;          // an unsigned integer literal
  bool nonzero_int_literal = false;
  std::string str;  // StringLit: its value
};

bool is_numeric(VT t) {
  return t == VT::Integer || t == VT::Number;
}

// ------------------------------------------------------------------ parser

class Parser {
 public:
  Parser(std::vector<Token> tokens, Dialect d, const ExprColumnResolver &resolve)
      : t_(std::move(tokens)), mysql_(d == Dialect::Mysql), resolve_(resolve) {}

  ExprTranslation run() {
    ExprTranslation out;
    if (peek().kind == Tok::End) refuse("an empty expression");
    if (std::optional<ExprTranslation> r = json_valid_check()) return *r;
    Val v = or_expr();
    if (peek().kind != Tok::End) refuse("unexpected " + describe(peek()));
    if (v.type != VT::Boolean) refuse("not a boolean expression");
    out.outcome = ExprOutcome::Translated;
    out.expr = v.sql;
    out.caveats = caveats_;
    return out;
  }

 private:
  std::vector<Token> t_;
  size_t p_ = 0;
  bool mysql_;
  const ExprColumnResolver &resolve_;
  int depth_ = 0;
  std::vector<std::string> caveats_;

  struct Depth {
    explicit Depth(int &d) : d_(d) {
      if (++d_ > kMaxCheckExprDepth)
        refuse("nested deeper than " + std::to_string(kMaxCheckExprDepth) + " levels");
    }
    ~Depth() { --d_; }
    Depth(const Depth &) = delete;
    Depth &operator=(const Depth &) = delete;
    int &d_;
  };

  const Token &peek(size_t k = 0) const {
    size_t i = std::min(p_ + k, t_.size() - 1);  // the last token is End
    return t_[i];
  }
  Token take() {
    Token t = peek();
    if (p_ < t_.size() - 1) p_++;
    return t;
  }
  bool at_word(const char *kw, size_t k = 0) const {
    const Token &t = peek(k);
    return t.kind == Tok::Word && ascii_lower(t.text) == kw;
  }
  bool at_op(const char *o, size_t k = 0) const {
    const Token &t = peek(k);
    return t.kind == Tok::Op && t.text == o;
  }
  void expect_op(const char *o) {
    if (!at_op(o)) refuse(std::string("expected '") + o + "' but found " + describe(peek()));
    take();
  }

  static std::string describe(const Token &t) {
    switch (t.kind) {
      case Tok::End:
        return "the end of the expression";
      case Tok::Word:
        return "'" + printable(t.text) + "'";
      case Tok::QuotedIdent:
        return "the identifier " + pg_quote_ident(printable(t.text));
      case Tok::String:
        return "a string literal";
      case Tok::Number:
        return "the number " + t.text;
      case Tok::Op:
        return "'" + t.text + "'";
    }
    return "a token";
  }

  static Val make(std::string sql, VT type) {
    Val v;
    v.sql = std::move(sql);
    v.type = type;
    return v;
  }

  static void need_bool(const Val &v, const char *what) {
    if (v.type != VT::Boolean && v.type != VT::Null)
      refuse(std::string(what) + " needs boolean operands (got " + vt_name(v.type) + ")");
  }

  static void need_numeric(const Val &v, const std::string &what) {
    if (!is_numeric(v.type) && v.type != VT::Null)
      refuse(what + " needs numbers (got " + vt_name(v.type) + ")");
  }

  // json_valid(col) alone, on a column that is jsonb in PostgreSQL.
  std::optional<ExprTranslation> json_valid_check() {
    if (!at_word("json_valid") || !at_op("(", 1)) return std::nullopt;
    const Token &arg = peek(2);
    if ((arg.kind != Tok::Word && arg.kind != Tok::QuotedIdent) || !at_op(")", 3) ||
        peek(4).kind != Tok::End)
      return std::nullopt;
    std::optional<ExprColumn> c = resolve_(arg.text);
    if (!c || c->type != ExprType::Json) return std::nullopt;
    ExprTranslation out;
    out.outcome = ExprOutcome::Redundant;
    out.reason = "the column is jsonb, which holds only valid JSON";
    if (!mysql_)
      out.reason +=
          " (json_valid(NULL) is 0 in older SQLite versions, so the source may also have refused "
          "NULL: add NOT NULL if that mattered)";
    return out;
  }

  // (l op r), both operands boolean.
  static Val bool_op(const Val &l, const Val &r, const char *op) {
    need_bool(l, op);
    need_bool(r, op);
    return make("(" + l.sql + " " + op + " " + r.sql + ")", VT::Boolean);
  }

  Val or_expr() {
    Val l = and_expr();
    while (at_word("or")) {
      take();
      Val r = and_expr();
      l = bool_op(l, r, "OR");
    }
    return l;
  }

  Val and_expr() {
    Val l = not_expr();
    while (at_word("and") || at_op("&&")) {
      take();
      Val r = not_expr();
      l = bool_op(l, r, "AND");
    }
    return l;
  }

  Val not_expr() {
    if (at_word("not")) {
      Depth d(depth_);
      take();
      Val v = not_expr();
      need_bool(v, "NOT");
      return make("(NOT " + v.sql + ")", VT::Boolean);
    }
    return predicate();
  }

  // The collation caveat for = / <> / IN on a MySQL text or ENUM column.
  void collation_caveat(const Val &v) {
    if (!mysql_ || !v.origin || (v.type != VT::Text && v.type != VT::Enum)) return;
    const std::string &coll = v.origin->collation;
    if (coll == "binary" || ends_with(coll, "_bin")) return;
    std::string c = "column " + pg_quote_ident(v.origin->target) +
                    " is compared with PostgreSQL's exact text equality; its MySQL collation " +
                    (coll.empty() ? std::string("(unknown)") : printable(coll, 64)) +
                    " may treat case, accents or trailing spaces as equal";
    if (std::find(caveats_.begin(), caveats_.end(), c) == caveats_.end()) caveats_.push_back(c);
  }

  // a and b may be compared: = <> IN (ordering false) or < <= > >= BETWEEN;
  // caveat: note a MySQL collation that PostgreSQL's equality does not follow.
  void comparable(const Val &a, const Val &b, bool ordering, bool caveat = true) {
    VT x = a.type, y = b.type;
    if (x == VT::Null || y == VT::Null) return;
    auto unsupported = [](VT t) { return t == VT::Bytes || t == VT::Json || t == VT::Other; };
    if (unsupported(x) || unsupported(y))
      refuse(std::string("comparing ") + vt_name(unsupported(x) ? x : y) +
             " values is not translated");
    if (x == VT::StringLit && y == VT::StringLit) refuse("comparing two string literals");
    if (y == VT::StringLit) std::swap(x, y);  // x is the literal, when there is one
    if (x == VT::StringLit) {
      if (y == VT::Timestamp)
        refuse(
            "a timestamp with time zone compared with a string literal (its meaning depends on "
            "the time zone)");
      if (is_numeric(y) || y == VT::Boolean)
        refuse(std::string("comparing ") + vt_name(y) + " with a string literal");
    } else {
      bool same = x == y || (is_numeric(x) && is_numeric(y));
      if (!same || x == VT::Enum)
        refuse(std::string("comparing ") + vt_name(x) + " with " + vt_name(y));
    }
    if (ordering && (y == VT::Text || y == VT::Enum || y == VT::Boolean))
      refuse(std::string("an ordering comparison of ") + vt_name(y) +
             " values (the order depends on collation or type)");
    if (!ordering && caveat) {
      collation_caveat(a);
      collation_caveat(b);
    }
  }

  Val predicate() {
    Val l = additive();
    const Token &t = peek();
    if (t.kind == Tok::Op && (t.text == "=" || t.text == "<>" || t.text == "<" || t.text == "<=" ||
                              t.text == ">" || t.text == ">=")) {
      std::string o = take().text;
      Val r = additive();
      comparable(l, r, o != "=" && o != "<>");
      return make("(" + l.sql + " " + o + " " + r.sql + ")", VT::Boolean);
    }
    if (at_word("is")) {
      take();
      bool neg = false;
      if (at_word("not")) {
        take();
        neg = true;
      }
      if (!at_word("null")) refuse("IS " + std::string(neg ? "NOT " : "") + "other than NULL");
      take();
      return make("(" + l.sql + (neg ? " IS NOT NULL)" : " IS NULL)"), VT::Boolean);
    }
    bool neg = false;
    if (at_word("not") && (at_word("in", 1) || at_word("between", 1) || at_word("like", 1))) {
      take();
      neg = true;
    }
    const char *nt = neg ? " NOT" : "";
    if (at_word("in")) {
      Depth d(depth_);
      take();
      if (!at_op("(")) refuse("IN without a parenthesised list");
      take();
      if (at_op(")")) refuse("an empty IN list");
      std::string items;
      while (true) {
        if (at_word("select")) refuse("a subquery");
        Val item = or_expr();
        comparable(l, item, false);
        items += (items.empty() ? "" : ", ") + item.sql;
        if (at_op(",")) {
          take();
          continue;
        }
        expect_op(")");
        break;
      }
      return make("(" + l.sql + nt + " IN (" + items + "))", VT::Boolean);
    }
    if (at_word("between")) {
      take();
      Val lo = additive();
      if (!at_word("and")) refuse("BETWEEN without AND");
      take();
      Val hi = additive();
      comparable(l, lo, true);
      comparable(l, hi, true);
      return make("(" + l.sql + nt + " BETWEEN " + lo.sql + " AND " + hi.sql + ")", VT::Boolean);
    }
    if (at_word("like")) {
      take();
      if (peek().kind != Tok::String) refuse("LIKE with a pattern that is not a string literal");
      std::string pattern = take().text;
      if (at_word("escape")) refuse("LIKE ... ESCAPE");
      like_allowed(l, pattern);
      return make("(" + l.sql + nt + " LIKE " + pg_quote_literal(pattern) + ")", VT::Boolean);
    }
    if (neg) refuse("NOT in an unexpected place");
    return l;
  }

  // LIKE means the same in PostgreSQL only when case cannot matter.
  void like_allowed(const Val &l, const std::string &pattern) {
    if (!l.column || l.type != VT::Text) refuse("LIKE on something other than a text column");
    if (pattern.find('\\') != std::string::npos)
      refuse("a LIKE pattern with a backslash (escape rules differ)");
    if (mysql_) {
      const std::string &coll = l.column->collation;
      if (!(coll == "binary" || ends_with(coll, "_bin")))
        refuse("LIKE on a column whose MySQL collation (" +
               (coll.empty() ? std::string("unknown") : printable(coll, 64)) +
               ") may ignore case or accents");
    } else {
      for (char c : pattern)
        if (is_ascii_letter(c))
          refuse("a LIKE pattern with letters (SQLite's LIKE ignores ASCII case)");
    }
  }

  Val additive() {
    Val l = multiplicative();
    while (at_op("+") || at_op("-")) {
      std::string o = take().text;
      Val r = multiplicative();
      need_numeric(l, "'" + o + "'");
      need_numeric(r, "'" + o + "'");
      VT type = l.type == VT::Integer && r.type == VT::Integer ? VT::Integer : VT::Number;
      l = make("(" + l.sql + " " + o + " " + r.sql + ")", type);
    }
    return l;
  }

  // a % n, a / n (SQLite), a DIV n, a MOD n: integer a, n a non-zero integer literal.
  Val integer_division(const Val &l, const Val &r, const std::string &what, const char *pg_op) {
    if (l.type != VT::Integer || !r.nonzero_int_literal)
      refuse(what +
             " only as an integer expression by a non-zero integer literal (division by zero "
             "and non-integer operands behave differently)");
    return make("(" + l.sql + " " + pg_op + " " + r.sql + ")", VT::Integer);
  }

  Val multiplicative() {
    Val l = unary();
    while (true) {
      if (at_op("*")) {
        take();
        Val r = unary();
        need_numeric(l, "'*'");
        need_numeric(r, "'*'");
        VT type = l.type == VT::Integer && r.type == VT::Integer ? VT::Integer : VT::Number;
        l = make("(" + l.sql + " * " + r.sql + ")", type);
      } else if (at_op("%") || (mysql_ && at_word("mod"))) {
        take();
        Val r = unary();
        l = integer_division(l, r, "'%' (MOD)", "%");
      } else if (at_op("/")) {
        if (mysql_)
          refuse(
              "'/' (MySQL divides exactly, PostgreSQL truncates integer division; division by "
              "zero differs)");
        take();
        Val r = unary();
        l = integer_division(l, r, "'/'", "/");
      } else if (mysql_ && at_word("div")) {
        take();
        Val r = unary();
        l = integer_division(l, r, "DIV", "/");
      } else {
        return l;
      }
    }
  }

  Val unary() {
    if (at_op("-") || at_op("+") || at_op("!")) {
      Depth d(depth_);
      return unary_op();
    }
    return primary();
  }

  Val unary_op() {
    if (at_op("-")) {
      take();
      Val v = unary();
      need_numeric(v, "unary '-'");
      return make("(-" + v.sql + ")", v.type == VT::Null ? VT::Number : v.type);
    }
    if (at_op("+")) {
      take();
      Val v = unary();
      need_numeric(v, "unary '+'");
      return v;
    }
    if (at_op("!")) {  // MySQL only (the lexer refuses it for SQLite)
      take();
      Val v = unary();
      need_bool(v, "'!'");
      return make("(NOT " + v.sql + ")", VT::Boolean);
    }
    refuse("unexpected " + describe(peek()));
  }

  static bool reserved(const std::string &l) {
    static const char *const words[] = {"and",          "or",
                                        "not",          "is",
                                        "null",         "true",
                                        "false",        "in",
                                        "between",      "like",
                                        "mod",          "div",
                                        "xor",          "escape",
                                        "collate",      "case",
                                        "when",         "then",
                                        "else",         "end",
                                        "exists",       "select",
                                        "cast",         "convert",
                                        "binary",       "interval",
                                        "regexp",       "rlike",
                                        "glob",         "match",
                                        "distinct",     "unknown",
                                        "default",      "row",
                                        "raise",        "current_date",
                                        "current_time", "current_timestamp",
                                        "localtime",    "localtimestamp",
                                        "current_user", "session_user",
                                        "utc_date",     "utc_time",
                                        "utc_timestamp"};
    for (const char *w : words)
      if (l == w) return true;
    return false;
  }

  Val column(const std::string &name) {
    std::optional<ExprColumn> c = resolve_(name);
    if (!c) refuse(pg_quote_ident(printable(name)) + " is not a column of the table");
    Val v = make(pg_quote_ident(c->target), vt_of(c->type));
    v.column = c;
    v.origin = std::move(c);
    return v;
  }

  Val primary() {
    const Token &t = peek();
    switch (t.kind) {
      case Tok::End:
        refuse("an unexpected end of the expression");
      case Tok::Number: {
        Token n = take();
        Val v = make(n.text, n.integer ? VT::Integer : VT::Number);
        v.int_literal = n.integer;
        v.nonzero_int_literal = n.integer && !n.zero;
        return v;
      }
      case Tok::String: {
        Token s = take();
        if (peek().kind == Tok::String) refuse("adjacent string literals");
        Val v = make(pg_quote_literal(s.text), VT::StringLit);
        v.str = s.text;
        return v;
      }
      case Tok::QuotedIdent: {
        Token q = take();
        if (at_op("(")) refuse("a call of a quoted (user-defined) function");
        return column(q.text);
      }
      case Tok::Op: {
        if (t.text != "(") refuse("unexpected " + describe(t));
        Depth d(depth_);
        take();
        if (at_word("select")) refuse("a subquery");
        Val v = or_expr();
        if (at_op(",")) refuse("a row constructor '(a, b)'");
        expect_op(")");
        return v;
      }
      case Tok::Word:
        break;
    }
    Token w = take();
    std::string l = ascii_lower(w.text);
    if (l == "null") return make("NULL", VT::Null);
    if (l == "true") return make("TRUE", VT::Boolean);
    if (l == "false") return make("FALSE", VT::Boolean);
    if (at_op("(")) return function(l, w.text);
    if (reserved(l)) refuse("the keyword " + ascii_lower(printable(w.text)) + " is not translated");
    return column(w.text);
  }

  std::vector<Val> arguments() {
    Depth d(depth_);
    expect_op("(");
    std::vector<Val> args;
    if (at_op(")")) {
      take();
      return args;
    }
    while (true) {
      if (at_word("distinct") || at_word("select")) refuse("DISTINCT or a subquery in a call");
      args.push_back(or_expr());
      if (at_op(",")) {
        take();
        continue;
      }
      expect_op(")");
      return args;
    }
  }

  static void arity(const std::vector<Val> &a, size_t n, const std::string &name) {
    if (a.size() != n)
      refuse(name + "() with " + std::to_string(a.size()) + " arguments is not translated");
  }

  static void need_text(const Val &v, const std::string &name) {
    if (v.type != VT::Text && v.type != VT::Null)
      refuse(name + "() of " + std::string(vt_name(v.type)) + " is not translated");
  }

  Val function(const std::string &l, const std::string &written) {
    std::string name = printable(written);
    if (l == "json_valid")
      refuse("json_valid() other than alone on a column that is jsonb in PostgreSQL");
    std::vector<Val> a = arguments();
    if (l == "char_length" || l == "character_length" || (!mysql_ && l == "length")) {
      arity(a, 1, name);
      if (!mysql_ && a[0].column && a[0].type == VT::Bytes)
        return make("octet_length(" + a[0].sql + ")", VT::Integer);
      need_text(a[0], name);
      return make("char_length(" + a[0].sql + ")", VT::Integer);
    }
    if (mysql_ && (l == "length" || l == "octet_length")) {
      // MySQL LENGTH counts bytes in the column's character set; PostgreSQL's
      // octet_length counts UTF-8 bytes: the same only for UTF-8 / ASCII columns.
      arity(a, 1, name);
      const Val &v = a[0];
      bool utf8 =
          v.column && v.type == VT::Text &&
          (starts_with(v.column->collation, "utf8") || starts_with(v.column->collation, "ascii_"));
      bool bytes = v.column && v.type == VT::Bytes;
      if (!utf8 && !bytes)
        refuse(name +
               "() counts bytes in the column's MySQL character set; translated only for a "
               "UTF-8 or binary column");
      return make("octet_length(" + v.sql + ")", VT::Integer);
    }
    if (l == "abs") {
      arity(a, 1, name);
      need_numeric(a[0], name + "()");
      return make("abs(" + a[0].sql + ")", a[0].type == VT::Null ? VT::Number : a[0].type);
    }
    if (l == "coalesce" || l == "ifnull") {
      if (l == "ifnull") arity(a, 2, name);
      if (a.size() < 2) refuse(name + "() with fewer than two arguments");
      VT type = VT::Null;
      const Val *first = nullptr;
      for (const Val &v : a) {
        if (v.type == VT::Null) continue;
        if (first) comparable(*first, v, false, false);
        if (!first || first->type == VT::StringLit) first = &v;
      }
      if (first) type = first->type;
      if (type == VT::Null) refuse(name + "() of NULLs only");
      std::string sql = "coalesce(";
      for (size_t i = 0; i < a.size(); i++) sql += (i ? ", " : "") + a[i].sql;
      Val out = make(sql + ")", type);
      out.origin = first->origin;
      return out;
    }
    if (l == "trim" || l == "ltrim" || l == "rtrim") {
      // One argument: spaces only, in all three dialects.
      arity(a, 1, name);
      need_text(a[0], name);
      Val out = make(std::string(l == "trim" ? "btrim" : l) + "(" + a[0].sql + ")", VT::Text);
      out.origin = a[0].origin;
      return out;
    }
    if (l == "lower" || l == "upper" || l == "lcase" || l == "ucase") {
      if (mysql_)
        refuse(name +
               "() follows the MySQL collation's case rules, which PostgreSQL's locale may not "
               "share");
      // SQLite's lower()/upper() change ASCII letters only, as PostgreSQL's do under "C".
      arity(a, 1, name);
      need_text(a[0], name);
      if (l != "lower" && l != "upper") refuse("the function " + name + "() is not translated");
      return make(l + "(" + a[0].sql + " COLLATE \"C\")", VT::Text);
    }
    refuse("the function " + name + "() is not translated");
  }
};

}  // namespace

ExprTranslation translate_check(std::string_view source, Dialect dialect,
                                const ExprColumnResolver &resolve) {
  try {
    if (source.size() > kMaxCheckExprBytes)
      refuse("longer than " + std::to_string(kMaxCheckExprBytes) + " bytes");
    for (size_t i = 0; i < source.size();) {
      if (source[i] == '\0') refuse("a NUL byte");
      size_t n = utf8_seq(source, i);
      if (n == 0) refuse("not valid UTF-8");
      i += n;
    }
    std::vector<Token> tokens = Lexer(source, dialect).run();
    return Parser(std::move(tokens), dialect, resolve).run();
  } catch (const Refusal &r) {
    ExprTranslation out;
    out.outcome = ExprOutcome::Refused;
    out.reason = r.reason;
    return out;
  }
}

ExprType expr_type_of_pg_type(const std::string &pg_type, bool is_enum) {
  if (is_enum) return ExprType::Enum;
  std::string t = ascii_lower(pg_type);
  size_t b = t.find_first_not_of(" \t\r\n");
  if (b == std::string::npos) return ExprType::Other;
  t = t.substr(b, t.find_last_not_of(" \t\r\n") - b + 1);
  if (!t.empty() && t.back() == ']') return ExprType::Other;  // arrays
  // The name without a type modifier: "numeric(10,2)" -> "numeric",
  // "time(3) without time zone" -> "time without time zone".
  std::string name;
  for (size_t i = 0; i < t.size(); i++) {
    if (t[i] == '(') {
      size_t close = t.find(')', i);
      if (close == std::string::npos) return ExprType::Other;
      i = close;
      continue;
    }
    name += t[i];
  }
  std::string n;
  for (char c : name)
    if (c != ' ' || (!n.empty() && n.back() != ' ')) n += c;
  while (!n.empty() && n.back() == ' ') n.pop_back();
  if (n == "smallint" || n == "integer" || n == "bigint" || n == "int" || n == "int2" ||
      n == "int4" || n == "int8")
    return ExprType::Integer;
  if (n == "numeric" || n == "decimal" || n == "real" || n == "double precision" || n == "float4" ||
      n == "float8" || n == "float")
    return ExprType::Number;
  if (n == "boolean" || n == "bool") return ExprType::Boolean;
  if (n == "text" || n == "character varying" || n == "varchar" || n == "character" ||
      n == "char" || n == "bpchar")
    return ExprType::Text;
  if (n == "bytea") return ExprType::Bytes;
  if (n == "date") return ExprType::Date;
  if (n == "time" || n == "time without time zone") return ExprType::Time;
  if (n == "interval") return ExprType::Interval;
  if (n == "timestamp with time zone" || n == "timestamptz") return ExprType::Timestamp;
  if (n == "timestamp" || n == "timestamp without time zone") return ExprType::LocalTimestamp;
  if (n == "jsonb" || n == "json") return ExprType::Json;
  return ExprType::Other;
}

std::string note_excerpt(std::string_view text, size_t max_bytes) {
  std::string out;
  bool cut = false;
  for (size_t i = 0; i < text.size();) {
    size_t n = utf8_seq(text, i);
    size_t width = n == 0 ? 1 : n;
    if (out.size() + width > max_bytes) {
      cut = true;
      break;
    }
    unsigned char c = static_cast<unsigned char>(text[i]);
    if (n == 0)
      out += '?';
    else if (n == 1 && (c < 0x20 || c == 0x7F))
      out += ' ';
    else
      out.append(text.substr(i, n));
    i += width;
  }
  if (cut) out += "...";
  return out;
}

}  // namespace minibar
