#include "station/core/officer_words.hpp"

namespace cccd::station {

std::string identity_field_words(std::string_view field) {
    if (field == "full_name") return "họ tên";
    if (field == "date_of_birth") return "ngày sinh";
    if (field == "sex") return "giới tính";
    if (field == "photo") return "ảnh chân dung";
    return std::string(field);
}

std::string awaiting_approval_words(const std::vector<std::string>& fields) {
    std::string list;
    for (const auto& field : fields) list += (list.empty() ? "" : ", ") + identity_field_words(field);
    return "Hồ sơ thay đổi thông tin nhân thân" + (list.empty() ? std::string() : " (" + list + ")") +
           ": chờ lãnh đạo phê duyệt trước khi cá nhân hoá thẻ";
}

std::string refusal_words(const ServerRefusal& refusal, const std::vector<std::string>& awaiting) {
    if (refusal.code() == "approval_required") return awaiting_approval_words(awaiting);
    if (refusal.code() == "second_person_required")
        return "Cán bộ đã gửi hồ sơ không được tự phê duyệt: cần một lãnh đạo khác phê duyệt";
    if (refusal.code() == "forbidden_role") return "Chỉ lãnh đạo hoặc quản trị viên được làm việc này";
    return refusal.what();
}

std::string decision_refusal_words(const ServerRefusal& refusal) {
    if (refusal.code() == "conflict") return "Hồ sơ này không còn chờ phê duyệt: đã có người quyết định";
    return refusal_words(refusal);
}

}  // namespace cccd::station
