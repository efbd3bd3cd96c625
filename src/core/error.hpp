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
// Used by the migration, validation, preflight and sync code.
inline constexpr const char *kDataException = "22000";          // data_exception
inline constexpr const char *kInvalidParameterValue = "22023";  // invalid_parameter_value
inline constexpr const char *kNotNullViolation = "23502";       // not_null_violation
inline constexpr const char *kForeignKeyViolation = "23503";    // foreign_key_violation
inline constexpr const char *kCheckViolation = "23514";         // check_violation
inline constexpr const char *kActiveSqlTransaction = "25001";   // active_sql_transaction
inline constexpr const char *kDependentObjectsStillExist =
    "2BP01";                                                    // dependent_objects_still_exist
inline constexpr const char *kFeatureNotSupported = "0A000";    // feature_not_supported
inline constexpr const char *kInsufficientPrivilege = "42501";  // insufficient_privilege
inline constexpr const char *kDuplicateColumn = "42701";        // duplicate_column
inline constexpr const char *kUndefinedColumn = "42703";        // undefined_column
inline constexpr const char *kUndefinedObject = "42704";        // undefined_object
inline constexpr const char *kDuplicateObject = "42710";        // duplicate_object
inline constexpr const char *kDatatypeMismatch = "42804";       // datatype_mismatch
inline constexpr const char *kUndefinedTable = "42P01";         // undefined_table
inline constexpr const char *kDuplicateTable = "42P07";         // duplicate_table
inline constexpr const char *kInsufficientResources = "53000";  // insufficient_resources
inline constexpr const char *kOutOfMemory = "53200";            // out_of_memory
inline constexpr const char *kProgramLimitExceeded = "54000";   // program_limit_exceeded
inline constexpr const char *kObjectNotInPrerequisiteState =
    "55000";                                            // object_not_in_prerequisite_state
inline constexpr const char *kObjectInUse = "55006";    // object_in_use
inline constexpr const char *kAdminShutdown = "57P01";  // admin_shutdown
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
