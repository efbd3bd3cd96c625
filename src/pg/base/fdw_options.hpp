// Option handling shared by the wrappers' validators: which option belongs on
// which object, with errors that name the right place and list the valid
// options.
#pragma once

#include "pg/pg.hpp"

namespace minibar::pg {

struct OptionSpec {
  const char *name;
  Oid context;  // catalog the option belongs to (ForeignServerRelationId ...)
};

// Errors when def is not an option of `context` for this wrapper; returns its spec.
const OptionSpec *find_option(const DefElem *def, Oid context, const OptionSpec *specs, int nspecs,
                              const char *wrapper);

// The value of option `name` in a DefElem list, or nullptr.
const char *option_value(List *options, const char *name);

// A whole number in [min, max], or an error naming the option.
int parse_int_option(const DefElem *def, int min, int max, const char *what);

}  // namespace minibar::pg
