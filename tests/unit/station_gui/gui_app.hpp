#pragma once
// One QApplication for the station's GUI tests, on the offscreen platform unless QT_QPA_PLATFORM says
// otherwise (no X server needed).
#include <QApplication>

namespace cccd::station {

inline QApplication& gui_app() {
    static int argc = 1;
    static char name[] = "cccd_station_gui_tests";
    static char* argv[] = {name, nullptr};
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
    static QApplication app(argc, argv);
    return app;
}

}  // namespace cccd::station
