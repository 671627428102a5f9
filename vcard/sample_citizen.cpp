#include "vcard/sample_citizen.hpp"

namespace cccd::vcard {

identity::EnrollmentRecord sample_citizen_record(ByteView photo_jpeg) {
    identity::EnrollmentRecord r;
    auto& p = r.person;
    p.personal_id = "079303012345";
    p.full_name = "TRẦN THỊ MỸ DUYÊN";
    p.date_of_birth = "14/05/2003";
    p.sex = "Nữ";
    p.nationality = "Việt Nam";
    p.ethnicity = "Kinh";
    p.religion = "Không";
    p.place_of_origin = "Phường Bến Nghé, Quận 1, Thành phố Hồ Chí Minh";
    p.place_of_residence = "Số 12 Đường Lê Lợi, Phường Bến Thành, Quận 1, Thành phố Hồ Chí Minh";
    p.identifying_features = "Sẹo chấm C:2cm trên đuôi mắt phải";
    p.date_of_issue = "01/07/2021";
    p.date_of_expiry = "14/05/2028";
    p.father_name = "TRẦN VĂN HÙNG";
    p.mother_name = "LÊ THỊ HOA";
    p.card_serial = "0000000000000042";
    r.sex = 'F';
    r.date_of_birth = "2003-05-14";
    r.date_of_expiry = "2028-05-14";
    r.photo_jpeg.assign(photo_jpeg.begin(), photo_jpeg.end());
    return r;
}

}  // namespace cccd::vcard
