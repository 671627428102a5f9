#pragma once
// cccd-station --headless: the station's workflows without a window, for tests, scripts and batch
// personalization. The same station/core code the window runs on its worker thread.
//
//   cccd-station --headless enroll  --config station.json --officer ID --record rec.json --photo face.jpg
//   cccd-station --headless deliver --config station.json --officer ID
//   cccd-station --headless issue   --config station.json --officer ID --personal-id 079303012345 --transport-key KEYFILE
//   cccd-station --headless queue   --config station.json
//   cccd-station --headless approvals --config station.json --officer ID [--photos DIR]   (supervisor)
//   cccd-station --headless approve --config station.json --officer ID --enrollment E0123456789abcdef
//   cccd-station --headless reject  --config station.json --officer ID --enrollment E0123456789abcdef [--reason TEXT]
//
// The officer's password comes from CCCD_OFFICER_PASSWORD or the file CCCD_OFFICER_PASSWORD_FILE names.
// Exit codes: 0 done; 1 a check failed or the server refused; 2 usage or configuration; 3 the server
// cannot be reached (the enrollment waits in the queue); 4 the card or the reader.
namespace cccd::station {

int run_headless(int argc, char** argv);

}  // namespace cccd::station
