// The minibar_mysql foreign data wrapper's callbacks, one file per concern
// (pg/fdw/routine.hpp names them); the handler in pg/fdw/mysql/handler.cpp
// collects them.
#pragma once

#include "pg/fdw/routine.hpp"

MINIBAR_FDW_DECLARE_CALLBACKS(mysql)
