// Errors raised by the pure C++ core. Each carries a PostgreSQL SQLSTATE so the
// PostgreSQL layer can report it faithfully; the core itself knows nothing of
// PostgreSQL.
#pragma once

#include <stdexcept>
#include <string>

namespace minibar {

namespace sqlstate {
inline constexpr const char *kInvalidText = "22P02";        // invalid_text_representation
inline constexpr const char *kNumericOutOfRange = "22003";  // numeric_value_out_of_range
inline constexpr const char *kDatetimeFormat = "22007";     // invalid_datetime_format
inline constexpr const char *kDatetimeOverflow = "22008";   // datetime_field_overflow
inline constexpr const char *kStringTooLong = "22001";      // string_data_right_truncation
inline constexpr const char *kCharacterNotInRepertoire = "22021";
inline constexpr const char *kUntranslatable = "22P05";         // untranslatable_character
inline constexpr const char *kFdwError = "HV000";               // fdw_error
inline constexpr const char *kFdwColumnNotFound = "HV005";      // fdw_column_name_not_found
inline constexpr const char *kFdwOptionNameNotFound = "HV00J";  // fdw_option_name_not_found
inline constexpr const char *kFdwInvalidOptionName = "HV00D";
inline constexpr const char *kFdwUnableToConnect = "HV00N";  // fdw_unable_to_establish_connection
inline constexpr const char *kFdwTableNotFound = "HV00R";    // fdw_table_not_found
inline constexpr const char *kFdwSchemaNotFound = "HV00Q";   // fdw_schema_not_found
inline constexpr const char *kLockNotAvailable = "55P03";
inline constexpr const char *kQueryCanceled = "57014";
inline constexpr const char *kIoError = "58030";
inline constexpr const char *kInternal = "XX000";
inline constexpr const char *kDataCorrupted = "XX001";
}  // namespace sqlstate

class Error : public std::runtime_error {
 public:
  Error(std::string sqlstate, const std::string &message, std::string detail = {},
        std::string hint = {})
      : std::runtime_error(message),
        sqlstate_(std::move(sqlstate)),
        detail_(std::move(detail)),
        hint_(std::move(hint)) {}

  const std::string &sqlstate() const noexcept { return sqlstate_; }
  const std::string &detail() const noexcept { return detail_; }
  const std::string &hint() const noexcept { return hint_; }

 private:
  std::string sqlstate_;
  std::string detail_;
  std::string hint_;
};

}  // namespace minibar
