#include "station/words/outcome_words.hpp"

#include <QDateTime>
#include <QRegularExpression>
#include <QStringList>

#include "card/perso/personalizer.hpp"
#include "card/session/card_session.hpp"

namespace cccd::station {

namespace {

QString q(const std::string& s) { return QString::fromStdString(s); }

}  // namespace

QString OutcomeWords::profile(const identity::CardProfile& profile) {
    switch (profile.id) {
        case identity::CardProfileId::Cccd2021: return tr("Căn cước công dân (mẫu 2021)");
        case identity::CardProfileId::CanCuoc2024Under6: return tr("Căn cước (dưới 6 tuổi)");
        case identity::CardProfileId::CanCuoc2024: return tr("Căn cước (từ 6 tuổi)");
    }
    return QString::fromUtf8(profile.name_vi.data(), static_cast<qsizetype>(profile.name_vi.size()));
}

QString OutcomeWords::card_kind(const lds::CardKind& kind) {
    QString line;
    if (kind.profile != nullptr) {
        line = tr("Loại thẻ: %1 — thế hệ %2")
                   .arg(profile(*kind.profile), kind.profile->generation == identity::CardGeneration::Cccd2021
                                                    ? tr("2021 (Căn cước công dân)")
                                                    : tr("2024 (Căn cước)"));
    } else {
        line = tr("Loại thẻ: không xác định được từ DG13");
    }
    line += "; " + (kind.has_face ? tr("có DG2 (ảnh khuôn mặt)") : tr("không có DG2 (không có ảnh khuôn mặt)"));
    if (!kind.face_as_profile_says()) line += " — " + tr("KHÔNG đúng với loại thẻ");
    return line;
}

QStringList OutcomeWords::card_fields(const lds::CardKind& kind) {
    QStringList lines;
    for (const auto& f : kind.fields) lines << q(f.label_vi + " / " + f.label_en + ": " + f.value);
    return lines;
}

QString OutcomeWords::kiosk(const KioskOutcome& outcome) {
    switch (outcome.code) {
        case KioskCode::Accepted: return tr("Xác thực thành công");
        case KioskCode::CanMalformed: return tr("Số CAN gồm 6 chữ số in trên mặt trước của thẻ");
        case KioskCode::WrongCan: return tr("Số CAN không đúng: vui lòng kiểm tra 6 chữ số trên mặt trước của thẻ");
        case KioskCode::NoCard: return tr("Chưa thấy thẻ: vui lòng đặt thẻ lên đầu đọc rồi thử lại");
        case KioskCode::CardRemoved: return tr("Thẻ đã bị nhấc ra: vui lòng đặt lại thẻ và giữ yên");
        case KioskCode::CardUnreadable: return tr("Không đọc được thẻ: vui lòng đặt lại thẻ");
        case KioskCode::ServerUnreachable: return tr("Không kết nối được máy chủ: vui lòng thử lại sau");
        case KioskCode::ServerBusy: return tr("Máy chủ đang bận: vui lòng thử lại sau ít phút");
        case KioskCode::ChallengeExpired: return tr("Quá thời gian xác thực: vui lòng đặt lại thẻ và thử lại");
        case KioskCode::CardUnknown: return tr("Thẻ không có trong hệ thống: vui lòng liên hệ cơ quan cấp thẻ");
        case KioskCode::CardNotGenuine: return tr("Thẻ không qua được kiểm tra chống giả: vui lòng báo nhân viên");
        case KioskCode::CardNotIssued: return tr("Thẻ chưa được kích hoạt: vui lòng liên hệ cơ quan cấp thẻ");
        case KioskCode::CardSuspended: return tr("Thẻ đang bị tạm khoá: vui lòng liên hệ cơ quan cấp thẻ");
        case KioskCode::CardRevoked: return tr("Thẻ đã bị thu hồi: vui lòng liên hệ cơ quan cấp thẻ");
        case KioskCode::CardReplaced: return tr("Thẻ này đã được thay bằng thẻ mới: vui lòng dùng thẻ mới");
        case KioskCode::CardLost: return tr("Thẻ đã được báo mất: vui lòng liên hệ cơ quan cấp thẻ");
        case KioskCode::CardExpired: return tr("Thẻ đã hết hạn: vui lòng làm thủ tục cấp đổi thẻ");
        case KioskCode::CitizenNotActive:
            return tr("Thông tin công dân không còn hiệu lực: vui lòng liên hệ cơ quan cấp thẻ");
        case KioskCode::ServerRefused: return tr("Không xác thực được thẻ (%1)").arg(q(outcome.server_code));
        case KioskCode::AnswerInvalid: return tr("Kết quả từ máy chủ không hợp lệ: vui lòng báo nhân viên");
        case KioskCode::ReaderMissing: return tr("Đầu đọc thẻ chưa sẵn sàng: vui lòng báo nhân viên");
        case KioskCode::KioskMisconfigured: return tr("Ki-ốt chưa được cài đặt đúng: vui lòng báo nhân viên");
        case KioskCode::InternalError: return tr("Lỗi chương trình của ki-ốt: vui lòng báo nhân viên");
    }
    return tr("Lỗi chương trình của ki-ốt: vui lòng báo nhân viên");
}

QString OutcomeWords::role(const QString& role) {
    if (role == "enrollment_officer") return tr("cán bộ thu nhận");
    if (role == "supervisor") return tr("lãnh đạo");
    if (role == "administrator") return tr("quản trị viên");
    return role;
}

QString OutcomeWords::queue_state(QueueState state) {
    switch (state) {
        case QueueState::Waiting: return tr("chờ gửi");
        case QueueState::Delivered: return tr("đã gửi");
        case QueueState::Refused: return tr("bị từ chối");
    }
    return tr("chờ gửi");
}

QString OutcomeWords::citizen_status(const std::string& status) {
    if (status == "active") return tr("còn hiệu lực");
    if (status == "deceased") return tr("đã mất");
    return q(status);
}

QString OutcomeWords::local_time(const std::string& iso_utc) {
    const QDateTime time = QDateTime::fromString(q(iso_utc), Qt::ISODate);
    return time.isValid() ? time.toLocalTime().toString("dd/MM/yyyy HH:mm") : q(iso_utc);
}

QString OutcomeWords::check_name(const std::string& name) {
    // Data-group checks carry the number: "DG13 hash", "DG3 in SOD".
    static const QRegularExpression data_group(QStringLiteral("^DG([0-9]{1,2}) (hash|in SOD)$"));
    if (const auto m = data_group.match(q(name)); m.hasMatch()) {
        return m.captured(2) == "hash" ? tr("Mã băm DG%1 khớp với EF.SOD").arg(m.captured(1))
                                       : tr("DG%1 có trong danh sách của EF.SOD").arg(m.captured(1));
    }
    if (name == pa::kCheckSodStructure) return tr("Cấu trúc EF.SOD đúng chuẩn");
    if (name == pa::kCheckSodSignature) return tr("Chữ ký số của EF.SOD");
    if (name == pa::kCheckDsTrusted) return tr("Chứng thư DS do CSCA tin cậy cấp");
    if (name == pa::kCheckDsValidity) return tr("Chứng thư DS còn hiệu lực");
    if (name == pa::kCheckDsNotRevoked) return tr("Chứng thư DS chưa bị thu hồi");
    if (name == session::kCheckChipAuthentication) return tr("Xác thực chip (CA): chip giữ khoá riêng của thẻ");
    if (name == session::kCheckActiveAuthentication) return tr("Xác thực chủ động (AA): chip thật, không phải bản sao");
    if (name == perso::kCheckChipKeyActiveAuthentication) return tr("Khoá AA do chip tạo đúng loại và độ dài");
    if (name == perso::kCheckChipKeyChipAuthentication) return tr("Khoá CA do chip tạo đúng loại và độ dài");
    if (name == perso::kCheckDataMatchesRecord) return tr("Dữ liệu trên thẻ khớp với hồ sơ");
    if (const std::string data_group_prefix = perso::data_matches_check_name(""); name.starts_with(data_group_prefix))
        return tr("Dữ liệu %1 trên thẻ khớp với hồ sơ").arg(q(name.substr(data_group_prefix.size())));
    return tr("Kiểm tra “%1”").arg(q(name));
}

QString OutcomeWords::verdict(pa::Verdict verdict) {
    switch (verdict) {
        case pa::Verdict::Pass: return tr("Đạt");
        case pa::Verdict::Fail: return tr("Không đạt");
        case pa::Verdict::NotChecked: return tr("Chưa kiểm tra");
    }
    return tr("Chưa kiểm tra");
}

QString OutcomeWords::check(const pa::Check& check) { return verdict(check.verdict) + " — " + check_name(check.name); }

QString OutcomeWords::issue_end(bool issued) {
    return issued ? tr("Thẻ đã cấp — trao cho công dân") : tr("Thẻ lỗi — để riêng, không trao");
}

QString OutcomeWords::could_not(Operation operation, const QString& why) {
    switch (operation) {
        case Operation::OpenQueue: return tr("Không mở được hàng đợi hồ sơ: %1").arg(why);
        case Operation::Login: return tr("Không kết nối được máy chủ: %1").arg(why);
        case Operation::Enroll: return tr("Không lưu được hồ sơ: %1").arg(why);
        case Operation::Deliver: return tr("Không gửi được hồ sơ: %1").arg(why);
        case Operation::Issue: return tr("Không cá nhân hoá được: %1").arg(why);
        case Operation::VerifyCard: return tr("Không kiểm tra được thẻ: %1").arg(why);
        case Operation::Search: return tr("Không tra cứu được: %1").arg(why);
        case Operation::ListApprovals: return tr("Không tải được danh sách chờ phê duyệt: %1").arg(why);
        case Operation::Decide: return tr("Không gửi được quyết định: %1").arg(why);
        case Operation::Diagnose: return tr("Không chẩn đoán được: %1").arg(why);
        case Operation::ImportTransportKeys: return tr("Không nhập được bảng kê khoá của lô thẻ trắng: %1").arg(why);
    }
    return why;
}

QString OutcomeWords::failure(const OperationFailure& f) {
    const QString detail = q(f.detail);
    switch (f.code) {
        case Failure::CardRemoved:
            if (f.operation == Operation::Issue) return tr("Thẻ đã bị nhấc ra: đặt lại thẻ và bấm Cá nhân hoá lần nữa");
            if (f.operation == Operation::VerifyCard) return tr("Thẻ đã bị nhấc ra: đặt lại thẻ và kiểm tra lại");
            return could_not(f.operation, detail);
        case Failure::ServerUnreachable: return could_not(f.operation, detail);
        case Failure::ServerBusy: return tr("Máy chủ đang bận, thử lại sau: %1").arg(detail);
        case Failure::SessionExpired: return tr("Phiên đăng nhập đã hết hạn: đăng nhập lại");
        case Failure::ReaderServiceDown: return tr("Dịch vụ PC/SC (pcscd) không chạy: %1").arg(detail);
        case Failure::Cancelled: return tr("Đã huỷ: có thể cá nhân hoá lại chính thẻ này");
        case Failure::NotLoggedIn: return could_not(f.operation, tr("cần đăng nhập trước"));
        case Failure::NotDelivered: return could_not(f.operation, tr("chưa có hồ sơ đã gửi máy chủ cho số định danh này"));
        case Failure::SearchTooShort: return could_not(f.operation, tr("nhập số định danh 12 số, hoặc ít nhất 2 chữ của họ tên"));
        case Failure::InvalidInput:
            return f.operation == Operation::Enroll ? tr("Hồ sơ chưa hợp lệ: %1").arg(detail) : could_not(f.operation, detail);
        case Failure::WrongCredentials: return tr("Sai tên đăng nhập hoặc mật khẩu");
        case Failure::AccessDenied:
            return f.operation == Operation::VerifyCard ? tr("Số CAN không đúng") : could_not(f.operation, detail);
        case Failure::UnknownBlankCard:
            return tr("Thẻ trắng này không thuộc lô nào đã nhập khoá vận chuyển: nhập bảng kê của lô thẻ (Nhập lô thẻ trắng…) "
                      "rồi bấm Cá nhân hoá lần nữa");
        case Failure::AwaitingApproval:
            // Stopped at the SOD step, nothing written: the same card is issued after the approval.
            return f.operation == Operation::Issue ? refusal(f) + "\n" + tr("Thẻ chưa bị ghi: dùng lại chính thẻ này sau khi được phê duyệt")
                                                   : refusal(f);
        case Failure::SecondPersonRequired:
        case Failure::ForbiddenRole:
        case Failure::AlreadyDecided: return refusal(f);
        case Failure::ServerRefused: return tr("Máy chủ từ chối: %1").arg(detail);
        case Failure::Failed: return could_not(f.operation, detail);
        case Failure::Internal: return tr("Lỗi chương trình (báo bộ phận hỗ trợ): %1").arg(detail);
    }
    return could_not(f.operation, detail);
}

QString OutcomeWords::refusal(const OperationFailure& f) {
    switch (f.code) {
        case Failure::AwaitingApproval: return awaiting_approval(f.fields);
        case Failure::SecondPersonRequired:
            return tr("Cán bộ đã gửi hồ sơ không được tự phê duyệt: cần một lãnh đạo khác phê duyệt");
        case Failure::ForbiddenRole: return tr("Chỉ lãnh đạo hoặc quản trị viên được làm việc này");
        case Failure::AlreadyDecided: return tr("Hồ sơ này không còn chờ phê duyệt: đã có người quyết định");
        default: return q(f.detail);
    }
}

QString OutcomeWords::field(const QString& field) {
    if (field == "full_name") return tr("họ tên");
    if (field == "date_of_birth") return tr("ngày sinh");
    if (field == "sex") return tr("giới tính");
    if (field == "photo") return tr("ảnh chân dung");
    return field;
}

QString OutcomeWords::fields(const std::vector<std::string>& fields) {
    QStringList words;
    for (const auto& f : fields) words << field(q(f));
    return words.join(", ");
}

QString OutcomeWords::awaiting_approval(const std::vector<std::string>& fields) {
    return fields.empty() ? tr("Hồ sơ thay đổi thông tin nhân thân: chờ lãnh đạo phê duyệt trước khi cá nhân hoá thẻ")
                          : tr("Hồ sơ thay đổi thông tin nhân thân (%1): chờ lãnh đạo phê duyệt trước khi cá nhân hoá thẻ")
                                .arg(OutcomeWords::fields(fields));
}

}  // namespace cccd::station
