#include "core/schema/quote.hpp"

namespace minibar {

namespace {
std::string quote_doubling(std::string_view text, char quote) {
  std::string out;
  out.reserve(text.size() + 2);
  out.push_back(quote);
  for (char c : text) {
    if (c == quote) out.push_back(quote);
    out.push_back(c);
  }
  out.push_back(quote);
  return out;
}
}  // namespace

std::string sqlite_quote_ident(std::string_view name) {
  return quote_doubling(name, '"');
}

std::string sqlite_quote_literal(std::string_view text) {
  return quote_doubling(text, '\'');
}

std::string mysql_quote_ident(std::string_view name) {
  std::string out = "`";
  for (char c : name) {
    if (c == '`') out += '`';
    out += c;
  }
  out += '`';
  return out;
}

std::string ascii_lower(std::string_view text) {
  std::string out(text);
  for (char &c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

std::string pg_quote_ident(std::string_view name) {
  return quote_doubling(name, '"');
}

std::string pg_quote_literal(std::string_view text) {
  if (text.find('\\') == std::string_view::npos) return quote_doubling(text, '\'');
  std::string out = "E'";
  for (char c : text) {
    if (c == '\'' || c == '\\') out.push_back(c);
    out.push_back(c);
  }
  out.push_back('\'');
  return out;
}

std::string pg_text_array_literal(const std::vector<std::string> &items) {
  std::string out = "{";
  for (size_t i = 0; i < items.size(); i++) {
    out += i ? ",\"" : "\"";
    for (char c : items[i]) {
      if (c == '"' || c == '\\') out += '\\';
      out += c;
    }
    out += '"';
  }
  return out + "}";
}

std::optional<std::string> unquote_sql_literal(const std::string &s, bool backslash_escapes,
                                               bool ctrl_z) {
  if (s.size() < 2 || s.front() != '\'' || s.back() != '\'') return std::nullopt;
  std::string out;
  for (size_t i = 1; i + 1 < s.size(); i++) {
    char c = s[i];
    if (c == '\'') {
      if (i + 2 < s.size() && s[i + 1] == '\'') {
        out += '\'';
        i++;
        continue;
      }
      return std::nullopt;
    }
    if (c == '\\' && backslash_escapes) {
      if (i + 2 >= s.size()) return std::nullopt;
      char n = s[++i];
      if (n == '0') return std::nullopt;  // NUL cannot be in PostgreSQL text
      out += n == 'n' ? '\n' : n == 't' ? '\t' : n == 'r' ? '\r' : n == 'Z' && ctrl_z ? '\x1a' : n;
      continue;
    }
    if (c == '\0') return std::nullopt;
    out += c;
  }
  return out;
}

}  // namespace minibar
