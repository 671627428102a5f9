#pragma once
// The one QApplication of the station's GUI tests, on the offscreen platform unless QT_QPA_PLATFORM says
// otherwise (no X server needed). A GoogleTest environment (gui_app.cpp) makes it before the first test
// and destroys it after the last, before static destruction (where Qt's own globals are already gone).
#include <QApplication>

namespace cccd::station {

// The application; every test that makes widgets or measures fonts calls it first.
QApplication& gui_app();

}  // namespace cccd::station
