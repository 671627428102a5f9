// cccd-kiosk: where citizens tap their card. With --headless one tap runs from the command line;
// otherwise the full-screen window opens (station/gui).
#include <cstring>

#include "apps/cccd-kiosk/headless.hpp"

#ifdef CCCD_STATION_GUI
#include "station/gui/gui_main.hpp"
#endif

int main(int argc, char** argv) {
    for (int i = 1; i < argc; ++i)
        if (std::strcmp(argv[i], "--headless") == 0) return cccd::station::run_kiosk_headless(argc, argv);
#ifdef CCCD_STATION_GUI
    return cccd::station::run_kiosk_gui(argc, argv);
#else
    return cccd::station::run_kiosk_headless(argc, argv);
#endif
}
