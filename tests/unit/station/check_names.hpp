#pragma once
// Every check name the core can report in personalization's read-back and in the card check: the PA
// checks, the data-group hash checks (listed and unlisted, DG1 to DG16), Chip and Active
// Authentication, the chip's own keys and the data matching the record. The station's words must have a
// line of their own for each; the outcome-word and the no-English tests both go through this one list.
#include <string>
#include <vector>

#include "card/pa/passive_auth.hpp"
#include "card/perso/personalizer.hpp"
#include "card/session/card_session.hpp"

namespace cccd::testing {

inline std::vector<std::string> every_reported_check_name() {
    std::vector<std::string> names{std::string(pa::kCheckSodStructure),
                                   std::string(pa::kCheckSodSignature),
                                   std::string(pa::kCheckDsTrusted),
                                   std::string(pa::kCheckDsValidity),
                                   std::string(pa::kCheckDsNotRevoked),
                                   std::string(session::kCheckChipAuthentication),
                                   std::string(session::kCheckActiveAuthentication),
                                   std::string(perso::kCheckChipKeyActiveAuthentication),
                                   std::string(perso::kCheckChipKeyChipAuthentication),
                                   std::string(perso::kCheckDataMatchesRecord),
                                   perso::data_matches_check_name("DG1"),
                                   perso::data_matches_check_name("DG13")};
    for (int group = 1; group <= 16; ++group) {
        names.push_back(pa::data_group_check_name(group));
        names.push_back(pa::unlisted_data_group_check_name(group));
    }
    return names;
}

}  // namespace cccd::testing
