// As a source of a plugin (the df plugin's), which uses the plugin
// interface and common but never daemon/: the daemon's configuration is
// not there to include.
#include "common/metrics/sample.h"
#include "plugins/command_run.h"
#include "plugins/plugin_api.h"

#ifdef GLEANER_VIOLATION
#include "daemon/config/daemon_config.h"
#endif

int main() {}
