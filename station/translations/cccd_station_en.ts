<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="vi">
<context>
    <name>cccd::station::KioskWindow</name>
    <message>
        <location filename="../gui/kiosk_window.cpp" line="30"/>
        <source>Ki-ốt xác thực Căn cước công dân</source>
        <translation>Citizen ID authentication kiosk</translation>
    </message>
    <message>
        <location filename="../gui/kiosk_window.cpp" line="38"/>
        <source>&lt;h1&gt;Đặt thẻ Căn cước công dân lên đầu đọc và nhập số CAN (6 chữ số trên mặt trước)&lt;/h1&gt;</source>
        <translation>&lt;h1&gt;Place your citizen ID card on the reader and enter the CAN (the 6 digits on the front)&lt;/h1&gt;</translation>
    </message>
    <message>
        <location filename="../gui/kiosk_window.cpp" line="47"/>
        <source>Xoá</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../gui/kiosk_window.cpp" line="47"/>
        <source>Xác thực</source>
        <translation>Authenticate</translation>
    </message>
    <message>
        <location filename="../gui/kiosk_window.cpp" line="78"/>
        <source>Họ và tên: %1
Ngày sinh: %2</source>
        <translation>Name: %1
Date of birth: %2</translation>
    </message>
    <message>
        <location filename="../gui/kiosk_window.cpp" line="103"/>
        <source>Số CAN gồm 6 chữ số</source>
        <translation>The CAN has 6 digits</translation>
    </message>
    <message>
        <location filename="../gui/kiosk_window.cpp" line="106"/>
        <source>Đang đọc thẻ — giữ yên thẻ trên đầu đọc…</source>
        <translation>Reading the card — keep it still on the reader…</translation>
    </message>
</context>
<context>
    <name>QObject</name>
    <message>
        <location filename="../gui/camera_dialog.cpp" line="16"/>
        <source>Không tìm thấy camera: chọn ảnh từ tệp</source>
        <translation>No camera found: choose a photo file</translation>
    </message>
    <message>
        <location filename="../gui/camera_dialog.cpp" line="21"/>
        <source>Chụp ảnh chân dung</source>
        <translation>Take the portrait</translation>
    </message>
    <message>
        <location filename="../gui/camera_dialog.cpp" line="25"/>
        <source>Chụp</source>
        <translation>Take</translation>
    </message>
    <message>
        <location filename="../gui/camera_dialog.cpp" line="46"/>
        <source>Chưa chụp ảnh</source>
        <translation>No photo taken</translation>
    </message>
</context>
<context>
    <name>cccd::station::StationWindow</name>
    <message>
        <location filename="../gui/station_window.cpp" line="72"/>
        <source>Trạm cấp Căn cước công dân gắn chip</source>
        <translation>Chip citizen ID enrollment station</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="83"/>
        <source>Đăng xuất</source>
        <translation>Log out</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="90"/>
        <source>Thu nhận hồ sơ</source>
        <translation>Enrollment</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="91"/>
        <source>Hàng đợi</source>
        <translation>Queue</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="92"/>
        <location filename="../gui/station_window.cpp" line="481"/>
        <source>Cá nhân hoá thẻ</source>
        <translation>Personalize card</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="93"/>
        <source>Chẩn đoán</source>
        <translation>Diagnostics</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="98"/>
        <source>Đã đăng xuất</source>
        <translation>Logged out</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="101"/>
        <source>Cán bộ %1 (%2) — trạm %3</source>
        <translation>Officer %1 (%2) — station %3</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="109"/>
        <source>Phiên đăng nhập đã hết hạn: đăng nhập lại (hồ sơ đang chờ vẫn được giữ)</source>
        <translation>The session has expired: log in again (waiting enrollments are kept)</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="130"/>
        <source>Bước %1/%2: %3</source>
        <translation>Step %1/%2: %3</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="162"/>
        <source>Màn hình đã khoá sau thời gian không sử dụng</source>
        <translation>The screen locked after a period without use</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="205"/>
        <source>Dịch vụ PC/SC (pcscd) không chạy: %1</source>
        <translation>PC/SC service (pcscd) not running: %1</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="220"/>
        <source>Chưa có đầu đọc nào</source>
        <translation>No reader yet</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="224"/>
        <source>Có thẻ trên đầu đọc</source>
        <translation>A card is on the reader</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="224"/>
        <source>Chưa có thẻ trên đầu đọc</source>
        <translation>No card on the reader</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="238"/>
        <source>tên đăng nhập</source>
        <translation>login name</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="241"/>
        <source>Đăng nhập</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="243"/>
        <source>&lt;h2&gt;Đăng nhập cán bộ&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Officer login&lt;/h2&gt;</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="244"/>
        <source>Cán bộ</source>
        <translation>Officer</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="245"/>
        <source>Mật khẩu</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="249"/>
        <source>Đang đăng nhập…</source>
        <translation>Logging in…</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="263"/>
        <source>số định danh hoặc họ tên</source>
        <translation>personal ID or name</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="264"/>
        <source>Tra cứu</source>
        <translation>Look up</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="265"/>
        <source>Dùng hồ sơ đã chọn</source>
        <translation>Use the selected record</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="269"/>
        <source>Tra cứu dân cư</source>
        <translation>Population register</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="285"/>
        <source>Số định danh (12 số)</source>
        <translation>Personal ID number (12 digits)</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="285"/>
        <source>Họ, chữ đệm và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="286"/>
        <source>Ngày sinh (YYYY-MM-DD)</source>
        <translation>Date of birth (YYYY-MM-DD)</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="286"/>
        <source>Ngày cấp (YYYY-MM-DD)</source>
        <translation>Date of issue (YYYY-MM-DD)</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="287"/>
        <source>Có giá trị đến (YYYY-MM-DD hoặc none)</source>
        <translation>Valid until (YYYY-MM-DD or none)</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="288"/>
        <source>Dân tộc</source>
        <translation>Ethnicity</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="288"/>
        <source>Tôn giáo</source>
        <translation>Religion</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="289"/>
        <source>Quê quán</source>
        <translation>Place of origin</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="289"/>
        <source>Nơi thường trú</source>
        <translation>Place of residence</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="290"/>
        <source>Đặc điểm nhận dạng</source>
        <translation>Identifying features</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="290"/>
        <source>Họ tên cha</source>
        <translation>Father's name</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="291"/>
        <source>Họ tên mẹ</source>
        <translation>Mother's name</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="300"/>
        <source>Nữ (F)</source>
        <translation>Female (F)</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="301"/>
        <source>Nam (M)</source>
        <translation>Male (M)</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="302"/>
        <source>Giới tính</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="306"/>
        <source>ảnh chân dung JPEG/PNG</source>
        <translation>portrait, JPEG or PNG</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="307"/>
        <source>Chọn ảnh…</source>
        <translation>Choose photo…</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="308"/>
        <source>Nạp ảnh</source>
        <translation>Load photo</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="309"/>
        <source>Chụp ảnh…</source>
        <translation>Take photo…</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="314"/>
        <source>Ảnh</source>
        <translation>Photo</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="315"/>
        <source>Lưu và gửi hồ sơ</source>
        <translation>Save and send the enrollment</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="332"/>
        <source>Ảnh chân dung</source>
        <translation>Portrait</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="332"/>
        <source>Ảnh (*.jpg *.jpeg *.png)</source>
        <translation>Images (*.jpg *.jpeg *.png)</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="342"/>
        <source>Không đọc được ảnh %1</source>
        <translation>Cannot read the image %1</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="355"/>
        <source>(ảnh chụp từ camera)</source>
        <translation>(photo from the camera)</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="362"/>
        <source>Ảnh quá nhỏ (%1×%2): cần ít nhất %3×%4 điểm ảnh</source>
        <translation>The image is too small (%1×%2): at least %3×%4 pixels are needed</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="388"/>
        <source>Ảnh vẫn lớn hơn 20 KB sau khi nén: chọn ảnh khác</source>
        <translation>The image is still above 20 KB after compression: choose another</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="393"/>
        <source>Ảnh đã cắt theo tỉ lệ chân dung: %1 byte</source>
        <translation>Photo cropped to the portrait ratio: %1 bytes</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="405"/>
        <source>Đã điền hồ sơ từ cơ sở dữ liệu dân cư: kiểm tra lại với công dân, thêm ảnh</source>
        <translation>Filled in from the population register: check it with the citizen, add the photo</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="414"/>
        <source>Số định danh phải có đúng 12 chữ số</source>
        <translation>The personal ID must have exactly 12 digits</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="416"/>
        <source>Chưa nhập: %1</source>
        <translation>Missing: %1</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="417"/>
        <source>Ngày sinh phải có dạng YYYY-MM-DD</source>
        <translation>The date of birth must be YYYY-MM-DD</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="418"/>
        <source>Ngày cấp phải có dạng YYYY-MM-DD</source>
        <translation>The date of issue must be YYYY-MM-DD</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="419"/>
        <source>Ngày hết hạn phải có dạng YYYY-MM-DD hoặc none</source>
        <translation>The date of expiry must be YYYY-MM-DD or none</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="422"/>
        <source>Số định danh không khớp với mã tỉnh, thế kỷ và giới tính, hoặc năm sinh của công dân</source>
        <translation>The personal ID does not agree with the citizen's province code, century and sex, or year of birth</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="423"/>
        <location filename="../gui/station_window.cpp" line="434"/>
        <source>Chưa có ảnh chân dung</source>
        <translation>No portrait yet</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="430"/>
        <source>Hồ sơ chưa hợp lệ:</source>
        <translation>The enrollment is not valid yet:</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="446"/>
        <source>Hồ sơ chưa hợp lệ: %1</source>
        <translation>The enrollment is not valid yet: %1</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="449"/>
        <source>Đang lưu hồ sơ…</source>
        <translation>Saving the enrollment…</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="460"/>
        <source>Số</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="460"/>
        <location filename="../gui/station_window.cpp" line="499"/>
        <source>Số định danh</source>
        <translation>Personal ID</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="460"/>
        <source>Trạng thái</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="460"/>
        <source>Thời điểm</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="460"/>
        <source>Số thẻ</source>
        <translation>Card number</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="460"/>
        <source>Ghi chú</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="463"/>
        <source>Gửi hồ sơ đang chờ</source>
        <translation>Send waiting enrollments</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="479"/>
        <source>số định danh của hồ sơ đã gửi</source>
        <translation>personal ID of a sent enrollment</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="480"/>
        <source>tệp khoá vận chuyển của thẻ trắng</source>
        <translation>the blank card's transport key file</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="482"/>
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="492"/>
        <source>tệp PDF mặt thẻ cho máy in thẻ</source>
        <translation>card face PDF for the card printer</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="493"/>
        <source>Xuất mặt thẻ (PDF)</source>
        <translation>Export card face (PDF)</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="497"/>
        <source>Đầu đọc</source>
        <translation>Reader</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="500"/>
        <source>Khoá vận chuyển</source>
        <translation>Transport key</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="504"/>
        <source>Kết quả kiểm tra</source>
        <translation>Checks</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="507"/>
        <source>CAN (6 số)</source>
        <translation>CAN (6 digits)</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="508"/>
        <source>Kiểm tra thẻ</source>
        <translation>Check card</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="511"/>
        <source>Kiểm tra một thẻ</source>
        <translation>Check a card</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="513"/>
        <source>Đang đọc và kiểm tra thẻ…</source>
        <translation>Reading and checking the card…</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="527"/>
        <source>Đang cá nhân hoá — không nhấc thẻ ra</source>
        <translation>Personalizing — do not remove the card</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="538"/>
        <source>Chưa có hồ sơ để in mặt thẻ</source>
        <translation>No enrollment to print a card face for</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="550"/>
        <source>Đã xuất mặt thẻ: %1</source>
        <translation>Card face exported: %1</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="552"/>
        <source>Không xuất được mặt thẻ: %1</source>
        <translation>Cannot export the card face: %1</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="562"/>
        <source>Kiểm tra lại</source>
        <translation>Check again</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="563"/>
        <source>Xuất gói hỗ trợ</source>
        <translation>Export support bundle</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="580"/>
        <source>Không ghi được %1</source>
        <translation>Cannot write %1</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="586"/>
        <source>Gói hỗ trợ: %1</source>
        <translation>Support bundle: %1</translation>
    </message>
</context>
<context>
    <name>cccd::station::StationWorker</name>
    <message>
        <location filename="../gui/station_worker.cpp" line="42"/>
        <source>Không mở được hàng đợi hồ sơ: %1</source>
        <translation>Cannot open the enrollment queue: %1</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="65"/>
        <source>Sai tên đăng nhập hoặc mật khẩu</source>
        <translation>Wrong login name or password</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="66"/>
        <location filename="../gui/station_worker.cpp" line="143"/>
        <location filename="../gui/station_worker.cpp" line="197"/>
        <source>Máy chủ từ chối: %1</source>
        <translation>The server refused: %1</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="70"/>
        <source>Không kết nối được máy chủ: %1</source>
        <translation>Cannot reach the server: %1</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="84"/>
        <source>Đã lưu hồ sơ %1 vào hàng đợi</source>
        <translation>Enrollment %1 saved in the queue</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="88"/>
        <source>Hồ sơ chưa hợp lệ: %1</source>
        <translation>The enrollment is not valid yet: %1</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="90"/>
        <source>Không lưu được hồ sơ: %1</source>
        <translation>Cannot save the enrollment: %1</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="98"/>
        <source>Đã gửi %1, bị từ chối %2, còn chờ %3</source>
        <translation>Sent %1, refused %2, waiting %3</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="100"/>
        <source>phiên đăng nhập đã hết hạn</source>
        <translation>the session has expired</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="100"/>
        <source>máy chủ chưa kết nối được</source>
        <translation>the server cannot be reached yet</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="135"/>
        <source>Đã cấp thẻ %1, CAN %2</source>
        <translation>Card %1 issued, CAN %2</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="136"/>
        <source>CHƯA CẤP: kiểm tra đọc lại không đạt — không giao thẻ này</source>
        <translation>NOT ISSUED: the read-back failed — do not hand out this card</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="139"/>
        <source>Đã huỷ: có thể cá nhân hoá lại chính thẻ này</source>
        <translation>Cancelled: this card can be personalized again</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="141"/>
        <source>Thẻ đã bị nhấc ra: đặt lại thẻ và bấm Cá nhân hoá lần nữa</source>
        <translation>The card was removed: put it back and press Personalize again</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="147"/>
        <source>Không cá nhân hoá được: %1</source>
        <translation>Cannot personalize: %1</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="155"/>
        <source>Dịch vụ PC/SC (pcscd): đang chạy</source>
        <translation>PC/SC service (pcscd): running</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="157"/>
        <source>Đầu đọc: %1</source>
        <translation>Readers: %1</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="162"/>
        <source> — có thẻ, ATR %1</source>
        <translation> — card present, ATR %1</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="164"/>
        <source> — không có thẻ</source>
        <translation> — no card</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="169"/>
        <source>Dịch vụ PC/SC (pcscd): không kết nối được (%1)</source>
        <translation>PC/SC service (pcscd): cannot connect (%1)</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="171"/>
        <source>Máy chủ: %1</source>
        <translation>Server: %1</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="172"/>
        <source>Lỗi gần đây:</source>
        <translation>Recent errors:</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="194"/>
        <source>Không có công dân nào khớp trong cơ sở dữ liệu dân cư</source>
        <translation>No citizen in the population register matches</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="195"/>
        <source>Tìm thấy %1 công dân</source>
        <translation>Found %1 citizens</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="201"/>
        <source>Không tra cứu được: %1</source>
        <translation>Cannot look up: %1</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="227"/>
        <source>THẺ KHÔNG HỢP LỆ: xem các kiểm tra không đạt</source>
        <translation>CARD NOT VALID: see the failed checks</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="228"/>
        <source>Thẻ hợp lệ; có mục chưa kiểm tra được (xem danh sách)</source>
        <translation>The card is valid; some checks could not be made (see the list)</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="229"/>
        <source>Thẻ hợp lệ: mọi kiểm tra đều đạt</source>
        <translation>The card is valid: every check passed</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="232"/>
        <source>Số CAN không đúng</source>
        <translation>The CAN is wrong</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="234"/>
        <source>Thẻ đã bị nhấc ra: đặt lại thẻ và kiểm tra lại</source>
        <translation>The card was removed: put it back and check again</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="237"/>
        <source>Không kiểm tra được thẻ: %1</source>
        <translation>Cannot check the card: %1</translation>
    </message>
</context>
</TS>
