#pragma once
// The outcome codes of station/core in the citizen's and the officer's words, through Qt's translation:
// Vietnamese (the source language) or English when the English translation is installed (--lang en).
// The windows and the headless modes say the same through these; nothing in station/core has words.
// Qt Core only (QCoreApplication::translate works without an application object: then it answers the
// Vietnamese source).
#include <QCoreApplication>
#include <QString>
#include <QStringList>

#include <string>
#include <vector>

#include "card/lds/card_kind.hpp"
#include "card/pa/passive_auth.hpp"
#include "identity/card_profile.hpp"
#include "station/core/enrollment_queue.hpp"
#include "station/core/kiosk.hpp"
#include "station/core/outcome.hpp"

namespace cccd::station {

class OutcomeWords {
    Q_DECLARE_TR_FUNCTIONS(OutcomeWords)

public:
    // The kiosk's headline for a tap: "Xác thực thành công", "Số CAN không đúng: ...", ...
    static QString kiosk(const KioskOutcome& outcome);

    // The officer's sentence for an operation that did not succeed: "Thẻ đã bị nhấc ra: đặt lại thẻ và bấm
    // Cá nhân hoá lần nữa", "Không tra cứu được: <detail>", ...
    static QString failure(const OperationFailure& failure);
    // The server's refusal in the officer's words: approval_required (with the fields),
    // second_person_required, forbidden_role, a conflict on a decision; otherwise the server's own message.
    static QString refusal(const OperationFailure& failure);

    // "họ tên", "ngày sinh", "giới tính", "ảnh chân dung"; an unknown field as the server named it.
    static QString field(const QString& field);
    // The same for a list: "họ tên, ảnh chân dung".
    static QString fields(const std::vector<std::string>& fields);
    // "Hồ sơ thay đổi thông tin nhân thân (họ tên, ...): chờ lãnh đạo phê duyệt trước khi cá nhân hoá thẻ";
    // without the list when the fields are not known.
    static QString awaiting_approval(const std::vector<std::string>& fields);

    // The card profile's name for people: "Căn cước (dưới 6 tuổi)", "Căn cước (từ 6 tuổi)",
    // "Căn cước công dân (mẫu 2021)" (identity's name_vi, through the translation).
    static QString profile(const identity::CardProfile& profile);

    // The kind of a card read, one line: "Loại thẻ: Căn cước (dưới 6 tuổi) — thế hệ 2024 (Căn cước); không
    // có DG2 (ảnh khuôn mặt)", saying when DG2 is not what the profile says.
    static QString card_kind(const lds::CardKind& kind);
    // Its DG13 fields, one line each: "Họ và tên / Full name: NGUYỄN VĂN AN" (both labels, as the card prints).
    static QStringList card_fields(const lds::CardKind& kind);

    // An officer's role as the server names it ("enrollment_officer", "supervisor", "administrator"):
    // "cán bộ thu nhận", "lãnh đạo", "quản trị viên"; another as it is.
    static QString role(const QString& role);
    // A queue entry's state: "chờ gửi", "đã gửi", "bị từ chối".
    static QString queue_state(QueueState state);
    // The register's status of a citizen ("active", "deceased"): "còn hiệu lực", "đã mất"; another as it is.
    static QString citizen_status(const std::string& status);
    // A UTC ISO 8601 time ("2026-12-06T08:30:00Z") as the officer reads it: "06/12/2026 15:30" (local time);
    // the text as it is when it is not one.
    static QString local_time(const std::string& iso_utc);

    // A check of personalization's read-back or of the card check, in the officer's words. The core's
    // names ("SOD signature", "DG13 hash", ...) stay the API's (the server keys activation by them); each
    // known name has its Vietnamese line, an unknown one is shown as it is, quoted.
    static QString check_name(const std::string& name);
    // "Đạt", "Không đạt", "Chưa kiểm tra".
    static QString verdict(pa::Verdict verdict);
    // One line: "Đạt — Chữ ký số của EF.SOD".
    static QString check(const pa::Check& check);
    // What the officer does with the card after personalization: "Thẻ đã cấp — trao cho công dân" or
    // "Thẻ lỗi — để riêng, không trao".
    static QString issue_end(bool issued);

private:
    // "Không cá nhân hoá được: %1", "Không tra cứu được: %1", ... with `why`.
    static QString could_not(Operation operation, const QString& why);
};

// The words as UTF-8, for the headless modes' standard output and logs.
inline std::string utf8(const QString& words) { return words.toStdString(); }

}  // namespace cccd::station
