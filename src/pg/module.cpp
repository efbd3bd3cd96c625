// The shared library's module magic block.
#include "pg/pg.hpp"

extern "C" {
PG_MODULE_MAGIC;
}
