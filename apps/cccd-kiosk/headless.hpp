#pragma once
// cccd-kiosk --headless --config kiosk.json --can 123456 [--reader R] [--json]: one tap without a
// window; prints who the server says the holder is and the assertion. Exit 0 accepted, 1 refused or a
// card problem told in words, 2 usage or configuration, 4 reader or server failure.
namespace cccd::station {

int run_kiosk_headless(int argc, char** argv);

}  // namespace cccd::station
