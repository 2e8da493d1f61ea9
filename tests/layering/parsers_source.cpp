// As a source of common/parsers, which may use the pure helpers of common
// (units, names, sample types) and nothing with I/O or state: the metric
// store is not there to include.
#include "common/metrics/names.h"
#include "common/metrics/sample.h"
#include "common/parsers/parser.h"
#include "common/units/units.h"

#ifdef GLEANER_VIOLATION
#include "common/metrics/metric_store.h"
#endif

int main() {}
