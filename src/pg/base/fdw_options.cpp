#include "pg/base/fdw_options.hpp"

namespace minibar::pg {

namespace {

const char *context_name(Oid context) {
  switch (context) {
    case ForeignDataWrapperRelationId:
      return "foreign-data wrapper";
    case ForeignServerRelationId:
      return "server";
    case UserMappingRelationId:
      return "user mapping";
    case ForeignTableRelationId:
      return "foreign table";
    case AttributeRelationId:
      return "foreign table column";
    default:
      return "object";
  }
}

// The options valid for `context`, as "a, b" (or "(none)").
char *valid_options(Oid context, const OptionSpec *specs, int nspecs) {
  StringInfoData buf;
  initStringInfo(&buf);
  for (int i = 0; i < nspecs; i++) {
    if (specs[i].context != context) continue;
    appendStringInfo(&buf, "%s%s", buf.len ? ", " : "", specs[i].name);
  }
  return buf.len ? buf.data : pstrdup("(none)");
}

}  // namespace

const OptionSpec *find_option(const DefElem *def, Oid context, const OptionSpec *specs, int nspecs,
                              const char *wrapper) {
  const OptionSpec *spec = nullptr;
  const OptionSpec *elsewhere = nullptr;
  for (int i = 0; i < nspecs; i++) {
    if (strcmp(specs[i].name, def->defname) != 0) continue;
    if (specs[i].context == context)
      spec = &specs[i];
    else
      elsewhere = &specs[i];
  }
  if (spec) return spec;
  if (elsewhere)
    ereport(ERROR, (errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
                    errmsg("option \"%s\" belongs on a %s, not on a %s", def->defname,
                           context_name(elsewhere->context), context_name(context)),
                    errhint("Valid options for a %s %s: %s.", wrapper, context_name(context),
                            valid_options(context, specs, nspecs))));
  ereport(ERROR, (errcode(ERRCODE_FDW_INVALID_OPTION_NAME),
                  errmsg("invalid option \"%s\" for a %s %s", def->defname, wrapper,
                         context_name(context)),
                  errhint("Valid options for a %s %s: %s.", wrapper, context_name(context),
                          valid_options(context, specs, nspecs))));
  pg_unreachable();
}

const char *option_value(List *options, const char *name) {
  ListCell *cell;
  foreach (cell, options) {
    auto *def = static_cast<DefElem *>(lfirst(cell));
    if (strcmp(def->defname, name) == 0) return defGetString(def);
  }
  return nullptr;
}

int parse_int_option(const DefElem *def, int min, int max, const char *what) {
  const char *value = defGetString(const_cast<DefElem *>(def));
  char *end = nullptr;
  errno = 0;
  long v = strtol(value, &end, 10);
  if (errno != 0 || end == value || *end != '\0' || v < min || v > max)
    ereport(ERROR, (errcode(ERRCODE_FDW_INVALID_ATTRIBUTE_VALUE),
                    errmsg("invalid value for option \"%s\": \"%s\"", def->defname, value),
                    errhint("%s is %s, from %d to %d.", def->defname, what, min, max)));
  return static_cast<int>(v);
}

}  // namespace minibar::pg
