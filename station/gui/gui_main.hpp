#pragma once
// The Qt 6 front ends: the enrollment station's window and the kiosk's full-screen window.
namespace cccd::station {

int run_gui(int argc, char** argv);
int run_kiosk_gui(int argc, char** argv);

}  // namespace cccd::station
