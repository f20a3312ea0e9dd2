#include "test.h"
static const struct test_case none[] = {};
const struct test_suite suite_api = { "api", none, 0 };
const struct test_suite suite_faults = { "faults", none, 0 };
const struct test_suite suite_badinput = { "badinput", none, 0 };
const struct test_suite suite_queues = { "queues", none, 0 };
const struct test_suite suite_bonds = { "bonds", none, 0 };
