#pragma once
// The server's refusals about identity changes in the officer's words, in Vietnamese (the station's
// language), for the front ends without Qt (the headless mode). The window says the same through
// tr() (StationWorker), so that the English translation covers it.
#include <string>
#include <string_view>
#include <vector>

#include "station/core/issuance_client.hpp"

namespace cccd::station {

// "họ tên", "ngày sinh", "giới tính", "ảnh chân dung"; an unknown field as the server named it.
std::string identity_field_words(std::string_view field);

// "Hồ sơ thay đổi thông tin nhân thân (họ tên, ...): chờ lãnh đạo phê duyệt trước khi cá nhân hoá thẻ";
// without the list when the fields are not known.
std::string awaiting_approval_words(const std::vector<std::string>& fields);

// The officer's words for approval_required (with `awaiting`, the fields the enrollment changes),
// second_person_required and forbidden_role; the server's own message for any other refusal.
std::string refusal_words(const ServerRefusal& refusal, const std::vector<std::string>& awaiting = {});

// The same for the answer to an approval or a rejection: also conflict (somebody decided first).
std::string decision_refusal_words(const ServerRefusal& refusal);

}  // namespace cccd::station
