// cccd-station: the enrollment station. With --headless the workflows run from the command line
// (apps/cccd-station/headless.hpp); otherwise the window opens (station/gui).
#include <cstring>

#include "apps/cccd-station/headless.hpp"

#ifdef CCCD_STATION_GUI
#include "station/gui/gui_main.hpp"
#endif

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--headless") == 0) return cccd::station::run_headless(argc, argv);
#ifdef CCCD_STATION_GUI
    return cccd::station::run_gui(argc, argv);
#else
    return cccd::station::run_headless(argc, argv);
#endif
}
