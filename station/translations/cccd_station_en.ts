<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="en" sourcelanguage="vi">
<context>
    <name>cccd::station::ApprovalsTab</name>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="23"/>
        <source>Số định danh</source>
        <translation>Personal ID</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="23"/>
        <source>Cán bộ gửi</source>
        <translation>Submitted by</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="23"/>
        <source>Trạm</source>
        <translation>Station</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="23"/>
        <source>Thời điểm</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="23"/>
        <location filename="../gui/approvals_tab.cpp" line="44"/>
        <source>Thông tin thay đổi</source>
        <translation>Changed fields</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="30"/>
        <source>Hồ sơ chờ phê duyệt</source>
        <translation>Enrollments awaiting approval</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="32"/>
        <source>&amp;Làm mới</source>
        <translation>&amp;Refresh</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="40"/>
        <source>Thông tin</source>
        <translation>Field</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="40"/>
        <source>Trong cơ sở dữ liệu dân cư</source>
        <translation>In the population register</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="40"/>
        <source>Hồ sơ gửi duyệt</source>
        <translation>Submitted for approval</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="50"/>
        <source>Ảnh trong cơ sở dữ liệu dân cư</source>
        <translation>Photo in the population register</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="51"/>
        <source>Ảnh trong hồ sơ gửi duyệt</source>
        <translation>Photo submitted for approval</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="67"/>
        <source>lý do từ chối (bắt buộc khi từ chối)</source>
        <translation>reason for rejecting (required to reject)</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="69"/>
        <location filename="../gui/approvals_tab.cpp" line="73"/>
        <source>Lý do từ chối</source>
        <translation>Reason for rejecting</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="70"/>
        <source>&amp;Phê duyệt</source>
        <translation>&amp;Approve</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="71"/>
        <source>&amp;Từ chối</source>
        <translation>Re&amp;ject</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="103"/>
        <source>Đang tải danh sách…</source>
        <translation>Loading the list…</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="125"/>
        <source> (chính cán bộ)</source>
        <translation> (yourself)</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="145"/>
        <source>Chọn một hồ sơ trong danh sách</source>
        <translation>Choose an enrollment in the list</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="146"/>
        <source>Hồ sơ do chính cán bộ gửi: cần một lãnh đạo khác phê duyệt hoặc từ chối</source>
        <translation>You submitted this enrollment: another supervisor must approve or reject it</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="147"/>
        <source>Đối chiếu từng thông tin với giấy tờ của công dân trước khi quyết định</source>
        <translation>Check each change against the citizen&apos;s documents before deciding</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="153"/>
        <source>Nữ</source>
        <translation>Female</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="153"/>
        <source>Nam</source>
        <translation>Male</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="155"/>
        <location filename="../gui/approvals_tab.cpp" line="156"/>
        <source>(ảnh bên dưới)</source>
        <translation>(photo below)</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="164"/>
        <source>(không đọc được ảnh)</source>
        <translation>(cannot read the photo)</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="176"/>
        <source>Nhập lý do từ chối</source>
        <translation>Enter the reason for rejecting</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="183"/>
        <source>Đang gửi phê duyệt…</source>
        <translation>Sending the approval…</translation>
    </message>
    <message>
        <location filename="../gui/approvals_tab.cpp" line="183"/>
        <source>Đang gửi từ chối…</source>
        <translation>Sending the rejection…</translation>
    </message>
</context>
<context>
    <name>cccd::station::CameraDialog</name>
    <message>
        <location filename="../gui/camera_dialog.cpp" line="31"/>
        <source>Chụp ảnh chân dung</source>
        <translation>Take the portrait</translation>
    </message>
    <message>
        <location filename="../gui/camera_dialog.cpp" line="35"/>
        <source>Công dân nhìn thẳng vào camera, không đội mũ, không đeo kính râm; nút Chụp sáng lên khi ảnh đạt mọi yêu cầu.</source>
        <translation>The citizen looks straight into the camera, no hat, no sunglasses; the Take button lights up when the photo meets every requirement.</translation>
    </message>
    <message>
        <location filename="../gui/camera_dialog.cpp" line="40"/>
        <source>Chụp</source>
        <translation>Take</translation>
    </message>
    <message>
        <location filename="../gui/camera_dialog.cpp" line="43"/>
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../gui/camera_dialog.cpp" line="92"/>
        <source>Không tìm thấy camera: chọn ảnh từ tệp</source>
        <translation>No camera found: choose a photo file</translation>
    </message>
    <message>
        <location filename="../gui/camera_dialog.cpp" line="98"/>
        <source>Chưa chụp ảnh</source>
        <translation>No photo taken</translation>
    </message>
</context>
<context>
    <name>cccd::station::DiagnosticsTab</name>
    <message>
        <location filename="../gui/diagnostics_tab.cpp" line="20"/>
        <source>Kiểm tra lại</source>
        <translation>Check again</translation>
    </message>
    <message>
        <location filename="../gui/diagnostics_tab.cpp" line="21"/>
        <source>Xuất gói hỗ trợ</source>
        <translation>Export support bundle</translation>
    </message>
    <message>
        <location filename="../gui/diagnostics_tab.cpp" line="38"/>
        <source>Không ghi được %1</source>
        <translation>Cannot write %1</translation>
    </message>
    <message>
        <location filename="../gui/diagnostics_tab.cpp" line="44"/>
        <source>Gói hỗ trợ: %1</source>
        <translation>Support bundle: %1</translation>
    </message>
</context>
<context>
    <name>cccd::station::EnrollTab</name>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="84"/>
        <source>số định danh hoặc họ tên</source>
        <translation>personal ID or name</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="85"/>
        <location filename="../gui/enroll_tab.cpp" line="559"/>
        <source>Tra cứu</source>
        <translation>Look up</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="86"/>
        <source>Dùng hồ sơ đã chọn</source>
        <translation>Use the selected record</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="111"/>
        <source>Số định danh (12 số)</source>
        <translation>Personal ID number (12 digits)</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="111"/>
        <location filename="../gui/enroll_tab.cpp" line="655"/>
        <source>Họ, chữ đệm và tên</source>
        <translation>Full name</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="113"/>
        <source>Dân tộc</source>
        <translation>Ethnicity</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="113"/>
        <source>Tôn giáo</source>
        <translation>Religion</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="114"/>
        <location filename="../gui/enroll_tab.cpp" line="658"/>
        <source>Quê quán</source>
        <translation>Place of origin</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="112"/>
        <source>Ngày sinh (dd/mm/yyyy)</source>
        <translation>Date of birth (dd/mm/yyyy)</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="71"/>
        <source>&amp;Quay lại</source>
        <translation>&amp;Back</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="72"/>
        <location filename="../gui/enroll_tab.cpp" line="574"/>
        <source>&amp;Tiếp tục</source>
        <translation>&amp;Next</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="103"/>
        <source>Tra cứu công dân trong cơ sở dữ liệu dân cư: nhập số định danh (hoặc họ tên) rồi nhấn Enter; chọn người đúng bằng phím mũi tên, Enter để dùng</source>
        <translation>Look the citizen up in the population register: type the personal ID number (or the name) and press Enter; choose the right person with the arrow keys, Enter to take them</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="114"/>
        <location filename="../gui/enroll_tab.cpp" line="659"/>
        <source>Nơi cư trú</source>
        <translation>Place of residence</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="115"/>
        <source>Đặc điểm nhận dạng</source>
        <translation>Identifying features</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="115"/>
        <source>Họ tên cha</source>
        <translation>Father&apos;s name</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="116"/>
        <source>Họ tên mẹ</source>
        <translation>Mother&apos;s name</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="116"/>
        <source>Số CMND cũ (9 số, nếu có)</source>
        <translation>Old ID number (CMND, 9 digits, if any)</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="117"/>
        <source>Số định danh đã hủy (nếu có, cách nhau bởi dấu phẩy)</source>
        <translation>Cancelled personal ID numbers (if any, separated by commas)</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="126"/>
        <source>Lịch…</source>
        <translation>Calendar…</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="137"/>
        <source>Nữ (F)</source>
        <translation>Female (F)</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="138"/>
        <source>Nam (M)</source>
        <translation>Male (M)</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="139"/>
        <location filename="../gui/enroll_tab.cpp" line="657"/>
        <source>Giới tính</source>
        <translation>Sex</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="147"/>
        <location filename="../gui/enroll_tab.cpp" line="660"/>
        <source>Ngày cấp</source>
        <translation>Date of issue</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="149"/>
        <location filename="../gui/enroll_tab.cpp" line="652"/>
        <source>Loại thẻ</source>
        <translation>Card type</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="153"/>
        <location filename="../gui/enroll_tab.cpp" line="661"/>
        <source>Ngày hết hạn</source>
        <translation>Date of expiry</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="159"/>
        <source>12 số</source>
        <translation>12 digits</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="165"/>
        <source>Số định danh người đại diện</source>
        <translation>Representative&apos;s personal ID number</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="166"/>
        <source>Họ tên người đại diện</source>
        <translation>Representative&apos;s full name</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="167"/>
        <source>Quan hệ với người được cấp thẻ</source>
        <translation>Relationship to the card holder</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="171"/>
        <source>Cấp thẻ căn cước</source>
        <translation>Issue of an identity card</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="172"/>
        <source>Cấp đổi thẻ căn cước</source>
        <translation>Renewal of an identity card</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="173"/>
        <source>Cấp lại thẻ căn cước</source>
        <translation>Reissue of an identity card</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="174"/>
        <location filename="../gui/enroll_tab.cpp" line="653"/>
        <source>Thủ tục</source>
        <translation>Procedure</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="182"/>
        <source>Đối chiếu với công dân: hồ sơ trong cơ sở dữ liệu dân cư, sửa những gì đã thay đổi; ngày cấp là hôm nay, ngày hết hạn theo quy định</source>
        <translation>Check with the citizen: the record in the population register, correct what has changed; the date of issue is today, the expiry follows the law</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="559"/>
        <source>Đối chiếu</source>
        <translation>Check</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="560"/>
        <source>Xem lại</source>
        <translation>Review</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="560"/>
        <source>Phiếu thu nhận</source>
        <translation>Receipt</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="560"/>
        <source>Gửi</source>
        <translation>Submit</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="567"/>
        <source>Bước %1/%2</source>
        <translation>Step %1/%2</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="587"/>
        <source>Còn thiếu hoặc chưa đúng:</source>
        <translation>Missing or not right yet:</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="596"/>
        <source>Chưa có ảnh chân dung đạt yêu cầu: chụp ảnh hoặc dùng ảnh mới nhất của máy chụp</source>
        <translation>No portrait that passes the checks yet: take a photo or use the camera&apos;s newest picture</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="604"/>
        <source>Công dân chưa ký phiếu thu nhận: in phiếu, đưa công dân kiểm tra và ký, rồi đánh dấu ô đã ký</source>
        <translation>The citizen has not signed the receipt: print it, let the citizen check and sign it, then tick the box</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="616"/>
        <source>Chưa chọn công dân: tra cứu bằng số định danh hoặc họ tên rồi chọn một người</source>
        <translation>No citizen chosen: look up by personal ID number or name, then choose one person</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="654"/>
        <source>Số định danh</source>
        <translation>Personal ID</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="656"/>
        <source>Ngày sinh</source>
        <translation>Date of birth</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="663"/>
        <source>Người đại diện</source>
        <translation>Legal representative</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="664"/>
        <source>không có (dưới 6 tuổi)</source>
        <translation>none (under 6)</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="664"/>
        <source>đã chụp, đạt mọi yêu cầu</source>
        <translation>taken, passes every check</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="667"/>
        <source>Không thay đổi so với cơ sở dữ liệu dân cư</source>
        <translation>No change from the population register</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="668"/>
        <source>Thay đổi so với cơ sở dữ liệu dân cư: %1</source>
        <translation>Changed from the population register: %1</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="715"/>
        <source>Mã hồ sơ: %1</source>
        <translation>Application code: %1</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="716"/>
        <source>Ngày hẹn trả thẻ: %1 (%2 ngày làm việc)</source>
        <translation>Card to be returned on: %1 (%2 working days)</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="717"/>
        <source>Nơi trả thẻ: %1</source>
        <translation>Returned at: %1</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="718"/>
        <source>Thiếu để in phiếu: %1</source>
        <translation>Missing to print the receipt: %1</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="727"/>
        <location filename="../gui/enroll_tab.cpp" line="737"/>
        <location filename="../gui/enroll_tab.cpp" line="745"/>
        <location filename="../gui/enroll_tab.cpp" line="750"/>
        <source>Chưa in được phiếu: %1</source>
        <translation>The receipt cannot be printed yet: %1</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="735"/>
        <source>Đã lưu phiếu thu nhận và giấy hẹn: %1</source>
        <translation>Receipt and appointment slip saved: %1</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="748"/>
        <source>Đã gửi phiếu thu nhận và giấy hẹn tới máy in</source>
        <translation>Receipt and appointment slip sent to the printer</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="189"/>
        <source>Chụp ảnh…</source>
        <translation>Take photo…</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="190"/>
        <source>Dùng ảnh mới nhất của máy chụp</source>
        <translation>Use the camera&apos;s newest picture</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="192"/>
        <source>Chọn tệp ảnh…</source>
        <translation>Choose a picture file…</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="204"/>
        <source>Ảnh chân dung: chụp bằng camera (ảnh được kiểm tra ngay khi chụp) hoặc dùng ảnh mới nhất của máy chụp</source>
        <translation>Portrait: take it with the camera (checked as it is taken) or use the camera&apos;s newest picture</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="216"/>
        <source>Xem lại cùng công dân: thông tin sẽ ghi vào thẻ</source>
        <translation>Review with the citizen: what will be written on the card</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="223"/>
        <source>&amp;In phiếu thu nhận và giấy hẹn…</source>
        <translation>&amp;Print the receipt and appointment slip…</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="224"/>
        <source>&amp;Lưu phiếu (PDF)</source>
        <translation>Save the receipts (P&amp;DF)</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="229"/>
        <source>Công dân (hoặc người đại diện) đã kiểm tra và &amp;ký phiếu thu nhận</source>
        <translation>The citizen (or the representative) has checked and &amp;signed the receipt</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="238"/>
        <source>Phiếu thu nhận thông tin (CC01) để công dân kiểm tra và ký; giấy hẹn trả kết quả (CC02)</source>
        <translation>The information receipt (CC01) for the citizen to check and sign; the appointment slip (CC02)</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="243"/>
        <location filename="../gui/enroll_tab.cpp" line="574"/>
        <source>Lưu và &amp;gửi hồ sơ</source>
        <translation>Save and s&amp;ubmit</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="248"/>
        <source>Gửi hồ sơ: lưu vào hàng đợi của trạm và gửi máy chủ</source>
        <translation>Submit: saved in the station&apos;s queue and sent to the server</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="312"/>
        <source>Máy chụp chưa lưu ảnh nào: chụp rồi bấm lại</source>
        <translation>The camera has saved no picture yet: take one, then press again</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="455"/>
        <source>Đã điền hồ sơ từ cơ sở dữ liệu dân cư: kiểm tra lại với công dân</source>
        <translation>Filled in from the population register: check it with the citizen</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="542"/>
        <source>Hồ sơ &amp;mới</source>
        <translation>New &amp;application</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="548"/>
        <source>Không thời hạn: cấp từ đủ 58 tuổi trở lên</source>
        <translation>No expiry: issued at 58 or older</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="549"/>
        <source>Đến ngày công dân đủ %1 tuổi (tuổi đổi thẻ theo Luật Căn cước)</source>
        <translation>Until the citizen turns %1 (a renewal age under the Law on Identification)</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="551"/>
        <source>bỏ qua tuổi %1 vì thẻ cấp trong vòng 2 năm trước tuổi đó</source>
        <translation>age %1 skipped: the card is issued within 2 years before it</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="559"/>
        <source>Ảnh</source>
        <translation>Photo</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="303"/>
        <location filename="../gui/enroll_tab.cpp" line="664"/>
        <source>Ảnh chân dung</source>
        <translation>Portrait</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="303"/>
        <source>Ảnh (*.jpg *.jpeg *.png)</source>
        <translation>Images (*.jpg *.jpeg *.png)</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="337"/>
        <source>Không đọc được ảnh %1</source>
        <translation>Cannot read the image %1</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="359"/>
        <source>Ảnh quá nhỏ (%1×%2): cần ít nhất %3×%4 điểm ảnh</source>
        <translation>The image is too small (%1×%2): at least %3×%4 pixels are needed</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="371"/>
        <source>Ảnh không dùng được cho thẻ Căn cước: ảnh chân dung được ghi vào chip để đối chiếu khuôn mặt nên phải đạt mọi yêu cầu (ICAO 9303). Chụp lại hoặc chọn ảnh khác.</source>
        <translation>The photo cannot be used for a Căn cước card: the portrait is written to the chip for face comparison, so it must meet every requirement (ICAO 9303). Take it again or choose another photo.</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="385"/>
        <source>Ảnh vẫn lớn hơn 20 KB sau khi nén: chọn ảnh khác</source>
        <translation>The image is still above 20 KB after compression: choose another</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="389"/>
        <source>Ảnh đạt mọi yêu cầu, đã cắt theo tỉ lệ chân dung: %1 byte</source>
        <translation>The photo meets every requirement, cropped to the portrait ratio: %1 bytes</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="410"/>
        <source>(theo ngày sinh)</source>
        <translation>(from the date of birth)</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="423"/>
        <location filename="../gui/enroll_tab.cpp" line="469"/>
        <source>Ngày sinh sau ngày cấp</source>
        <translation>The date of birth is after the date of issue</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="454"/>
        <source>Đã điền hồ sơ từ cơ sở dữ liệu dân cư: kiểm tra lại với người đại diện</source>
        <translation>Filled in from the population register: check it with the representative</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="464"/>
        <source>Số định danh phải có đúng 12 chữ số</source>
        <translation>The personal ID must have exactly 12 digits</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="466"/>
        <source>Chưa nhập: %1</source>
        <translation>Missing: %1</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="468"/>
        <source>Ngày sinh phải có dạng dd/mm/yyyy</source>
        <translation>The date of birth must be dd/mm/yyyy</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="471"/>
        <source>Số CMND cũ phải có đúng 9 chữ số</source>
        <translation>The old ID number (CMND) must have exactly 9 digits</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="474"/>
        <source>Số định danh không khớp với mã tỉnh, thế kỷ và giới tính, hoặc năm sinh của công dân</source>
        <translation>The personal ID does not agree with the citizen&apos;s province code, century and sex, or year of birth</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="528"/>
        <source>Hồ sơ chưa hợp lệ:</source>
        <translation>The enrollment is not valid yet:</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="536"/>
        <location filename="../gui/enroll_tab.cpp" line="675"/>
        <source>Hồ sơ chưa hợp lệ: %1</source>
        <translation>The enrollment is not valid yet: %1</translation>
    </message>
    <message>
        <location filename="../gui/enroll_tab.cpp" line="539"/>
        <location filename="../gui/enroll_tab.cpp" line="540"/>
        <source>Đang lưu hồ sơ…</source>
        <translation>Saving the enrollment…</translation>
    </message>
</context>
<context>
    <name>cccd::station::IssueTab</name>
    <message>
        <location filename="../gui/issue_tab.cpp" line="30"/>
        <source>số định danh của hồ sơ đã gửi</source>
        <translation>personal ID of a sent enrollment</translation>
    </message>
    <message>
        <location filename="../gui/issue_tab.cpp" line="33"/>
        <source>Cá nhân hoá thẻ</source>
        <translation>Personalize card</translation>
    </message>
    <message>
        <location filename="../gui/issue_tab.cpp" line="34"/>
        <source>Huỷ</source>
        <translation>Cancel</translation>
    </message>
    <message>
        <location filename="../gui/issue_tab.cpp" line="44"/>
        <source>Xuất mặt thẻ (PDF)</source>
        <translation>Export card face (PDF)</translation>
    </message>
    <message>
        <location filename="../gui/issue_tab.cpp" line="48"/>
        <source>Đầu đọc</source>
        <translation>Reader</translation>
    </message>
    <message>
        <location filename="../gui/issue_tab.cpp" line="50"/>
        <source>Số định danh</source>
        <translation>Personal ID</translation>
    </message>
    <message>
        <location filename="../gui/issue_tab.cpp" line="32"/>
        <source>Nhập lô thẻ trắng…</source>
        <translation>Import blank card batch…</translation>
    </message>
    <message>
        <location filename="../gui/issue_tab.cpp" line="54"/>
        <source>Thẻ trắng</source>
        <translation>Blank cards</translation>
    </message>
    <message>
        <location filename="../gui/issue_tab.cpp" line="58"/>
        <source>Kết quả kiểm tra</source>
        <translation>Checks</translation>
    </message>
    <message>
        <location filename="../gui/issue_tab.cpp" line="61"/>
        <source>CAN (6 số)</source>
        <translation>CAN (6 digits)</translation>
    </message>
    <message>
        <location filename="../gui/issue_tab.cpp" line="62"/>
        <source>Kiểm tra thẻ</source>
        <translation>Check card</translation>
    </message>
    <message>
        <location filename="../gui/issue_tab.cpp" line="65"/>
        <source>Kiểm tra một thẻ</source>
        <translation>Check a card</translation>
    </message>
    <message>
        <location filename="../gui/issue_tab.cpp" line="67"/>
        <source>Đang đọc và kiểm tra thẻ…</source>
        <translation>Reading and checking the card…</translation>
    </message>
    <message>
        <location filename="../gui/issue_tab.cpp" line="80"/>
        <source>Đang cá nhân hoá — không nhấc thẻ ra</source>
        <translation>Personalizing — do not remove the card</translation>
    </message>
    <message>
        <location filename="../gui/issue_tab.cpp" line="86"/>
        <source>Chưa có khoá của thẻ trắng nào: nhập bảng kê của lô thẻ</source>
        <translation>No blank card keys yet: import the batch manifest</translation>
    </message>
    <message>
        <location filename="../gui/issue_tab.cpp" line="87"/>
        <source>Đang giữ khoá vận chuyển của %1 thẻ trắng</source>
        <translation>Holding the transport keys of %1 blank cards</translation>
    </message>
    <message>
        <location filename="../gui/issue_tab.cpp" line="96"/>
        <source>Bước %1/%2: %3</source>
        <translation>Step %1/%2: %3</translation>
    </message>
    <message>
        <location filename="../gui/issue_tab.cpp" line="148"/>
        <source>Dịch vụ PC/SC (pcscd) không chạy: xem mục Chẩn đoán</source>
        <translation>The PC/SC service (pcscd) is not running: see Diagnostics</translation>
    </message>
    <message>
        <location filename="../gui/issue_tab.cpp" line="163"/>
        <source>Chưa có đầu đọc nào</source>
        <translation>No reader yet</translation>
    </message>
    <message>
        <location filename="../gui/issue_tab.cpp" line="167"/>
        <source>Có thẻ trên đầu đọc</source>
        <translation>A card is on the reader</translation>
    </message>
    <message>
        <location filename="../gui/issue_tab.cpp" line="167"/>
        <source>Chưa có thẻ trên đầu đọc</source>
        <translation>No card on the reader</translation>
    </message>
    <message>
        <location filename="../gui/issue_tab.cpp" line="171"/>
        <source>Bảng kê khoá vận chuyển của lô thẻ trắng</source>
        <translation>Transport key manifest of a blank card batch</translation>
    </message>
    <message>
        <location filename="../gui/issue_tab.cpp" line="172"/>
        <source>Bảng kê lô thẻ (*.txt *.keys);;Mọi tệp (*)</source>
        <translation>Batch manifests (*.txt *.keys);;All files (*)</translation>
    </message>
    <message>
        <location filename="../gui/issue_tab.cpp" line="181"/>
        <source>Chưa có hồ sơ để in mặt thẻ</source>
        <translation>No enrollment to print a card face for</translation>
    </message>
    <message>
        <location filename="../gui/issue_tab.cpp" line="190"/>
        <source>Đã xuất mặt thẻ: %1</source>
        <translation>Card face exported: %1</translation>
    </message>
    <message>
        <location filename="../gui/issue_tab.cpp" line="192"/>
        <source>Không xuất được mặt thẻ: %1</source>
        <translation>Cannot export the card face: %1</translation>
    </message>
</context>
<context>
    <name>cccd::station::KioskWindow</name>
    <message>
        <location filename="../gui/kiosk_window.cpp" line="32"/>
        <source>Ki-ốt xác thực thẻ căn cước</source>
        <translation>Identity card authentication kiosk</translation>
    </message>
    <message>
        <location filename="../gui/kiosk_window.cpp" line="50"/>
        <source>Xoá</source>
        <translation>Clear</translation>
    </message>
    <message>
        <location filename="../gui/kiosk_window.cpp" line="50"/>
        <source>Xác thực</source>
        <translation>Authenticate</translation>
    </message>
    <message>
        <location filename="../gui/kiosk_window.cpp" line="91"/>
        <source>Nghe hướng dẫn</source>
        <translation>Hear the instructions</translation>
    </message>
    <message>
        <location filename="../gui/kiosk_window.cpp" line="106"/>
        <source>Họ và tên: %1
Ngày sinh: %2</source>
        <translation>Name: %1
Date of birth: %2</translation>
    </message>
    <message>
        <location filename="../gui/kiosk_window.cpp" line="123"/>
        <source>Đặt thẻ Căn cước hoặc Căn cước công dân lên đầu đọc và nhập số CAN (6 chữ số trên mặt trước)</source>
        <translation>Place your identity card (Căn cước or Căn cước công dân) on the reader and enter the CAN (the 6 digits on the front)</translation>
    </message>
    <message>
        <location filename="../gui/kiosk_window.cpp" line="153"/>
        <source>Số CAN gồm 6 chữ số</source>
        <translation>The CAN has 6 digits</translation>
    </message>
    <message>
        <location filename="../gui/kiosk_window.cpp" line="156"/>
        <source>Đang đọc thẻ — giữ yên thẻ trên đầu đọc…</source>
        <translation>Reading the card — keep it still on the reader…</translation>
    </message>
</context>
<context>
    <name>cccd::station::LoginPage</name>
    <message>
        <location filename="../gui/login_page.cpp" line="11"/>
        <source>tên đăng nhập</source>
        <translation>login name</translation>
    </message>
    <message>
        <location filename="../gui/login_page.cpp" line="14"/>
        <source>Đăng nhập</source>
        <translation>Log in</translation>
    </message>
    <message>
        <location filename="../gui/login_page.cpp" line="16"/>
        <source>&lt;h2&gt;Đăng nhập cán bộ&lt;/h2&gt;</source>
        <translation>&lt;h2&gt;Officer login&lt;/h2&gt;</translation>
    </message>
    <message>
        <location filename="../gui/login_page.cpp" line="17"/>
        <source>Cán bộ</source>
        <translation>Officer</translation>
    </message>
    <message>
        <location filename="../gui/login_page.cpp" line="18"/>
        <source>Mật khẩu</source>
        <translation>Password</translation>
    </message>
    <message>
        <location filename="../gui/login_page.cpp" line="22"/>
        <source>Đang đăng nhập…</source>
        <translation>Logging in…</translation>
    </message>
</context>
<context>
    <name>OutcomeWords</name>
    <message>
        <location filename="../words/outcome_words.cpp" line="17"/>
        <source>Căn cước công dân (mẫu 2021)</source>
        <translation>Citizen identity card (2021)</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="18"/>
        <source>Căn cước (dưới 6 tuổi)</source>
        <translation>Identity card (under 6)</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="19"/>
        <source>Căn cước (từ 6 tuổi)</source>
        <translation>Identity card (6 and over)</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="27"/>
        <source>Loại thẻ: %1 — thế hệ %2</source>
        <translation>Card type: %1 — generation %2</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="29"/>
        <source>2021 (Căn cước công dân)</source>
        <translation>2021 (citizen identity card)</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="30"/>
        <source>2024 (Căn cước)</source>
        <translation>2024 (identity card)</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="32"/>
        <source>Loại thẻ: không xác định được từ DG13</source>
        <translation>Card type: not known from DG13</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="34"/>
        <source>có DG2 (ảnh khuôn mặt)</source>
        <translation>DG2 present (face image)</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="34"/>
        <source>không có DG2 (không có ảnh khuôn mặt)</source>
        <translation>no DG2 (no face image)</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="35"/>
        <source>KHÔNG đúng với loại thẻ</source>
        <translation>NOT as the card type says</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="47"/>
        <source>Xác thực thành công</source>
        <translation>Authentication successful</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="48"/>
        <source>Số CAN gồm 6 chữ số in trên mặt trước của thẻ</source>
        <translation>The CAN is the 6 digits printed on the front of the card</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="49"/>
        <source>Số CAN không đúng: vui lòng kiểm tra 6 chữ số trên mặt trước của thẻ</source>
        <translation>Wrong CAN: please check the 6 digits on the front of the card</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="50"/>
        <source>Chưa thấy thẻ: vui lòng đặt thẻ lên đầu đọc rồi thử lại</source>
        <translation>No card found: please place the card on the reader and try again</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="51"/>
        <source>Thẻ đã bị nhấc ra: vui lòng đặt lại thẻ và giữ yên</source>
        <translation>The card was lifted: please place it again and hold it still</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="52"/>
        <source>Không đọc được thẻ: vui lòng đặt lại thẻ</source>
        <translation>The card could not be read: please place it again</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="53"/>
        <source>Không kết nối được máy chủ: vui lòng thử lại sau</source>
        <translation>Cannot reach the server: please try again later</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="54"/>
        <source>Máy chủ đang bận: vui lòng thử lại sau ít phút</source>
        <translation>The server is busy: please try again in a few minutes</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="55"/>
        <source>Quá thời gian xác thực: vui lòng đặt lại thẻ và thử lại</source>
        <translation>The authentication took too long: please place the card again and retry</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="56"/>
        <source>Thẻ không có trong hệ thống: vui lòng liên hệ cơ quan cấp thẻ</source>
        <translation>This card is not registered: please contact the office that issued it</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="57"/>
        <source>Thẻ không qua được kiểm tra chống giả: vui lòng báo nhân viên</source>
        <translation>The card failed the anti-forgery checks: please ask the staff</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="58"/>
        <source>Thẻ chưa được kích hoạt: vui lòng liên hệ cơ quan cấp thẻ</source>
        <translation>This card has not been activated: please contact the office that issued it</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="59"/>
        <source>Thẻ đang bị tạm khoá: vui lòng liên hệ cơ quan cấp thẻ</source>
        <translation>This card is suspended: please contact the office that issued it</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="60"/>
        <source>Thẻ đã bị thu hồi: vui lòng liên hệ cơ quan cấp thẻ</source>
        <translation>This card has been revoked: please contact the office that issued it</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="61"/>
        <source>Thẻ này đã được thay bằng thẻ mới: vui lòng dùng thẻ mới</source>
        <translation>This card has been replaced by a new one: please use the new card</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="62"/>
        <source>Thẻ đã được báo mất: vui lòng liên hệ cơ quan cấp thẻ</source>
        <translation>This card has been reported lost: please contact the office that issued it</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="63"/>
        <source>Thẻ đã hết hạn: vui lòng làm thủ tục cấp đổi thẻ</source>
        <translation>This card has expired: please apply for a new one</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="65"/>
        <source>Thông tin công dân không còn hiệu lực: vui lòng liên hệ cơ quan cấp thẻ</source>
        <translation>The citizen&apos;s record is no longer active: please contact the office that issued the card</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="66"/>
        <source>Không xác thực được thẻ (%1)</source>
        <translation>The card could not be authenticated (%1)</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="67"/>
        <source>Kết quả từ máy chủ không hợp lệ: vui lòng báo nhân viên</source>
        <translation>The server&apos;s answer is not valid: please ask the staff</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="68"/>
        <source>Đầu đọc thẻ chưa sẵn sàng: vui lòng báo nhân viên</source>
        <translation>The card reader is not ready: please ask the staff</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="69"/>
        <source>Ki-ốt chưa được cài đặt đúng: vui lòng báo nhân viên</source>
        <translation>The kiosk is not set up correctly: please ask the staff</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="70"/>
        <location filename="../words/outcome_words.cpp" line="72"/>
        <source>Lỗi chương trình của ki-ốt: vui lòng báo nhân viên</source>
        <translation>The kiosk&apos;s program failed: please ask the staff</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="76"/>
        <source>cán bộ thu nhận</source>
        <translation>enrollment officer</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="77"/>
        <source>lãnh đạo</source>
        <translation>supervisor</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="78"/>
        <source>quản trị viên</source>
        <translation>administrator</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="84"/>
        <location filename="../words/outcome_words.cpp" line="88"/>
        <source>chờ gửi</source>
        <translation>waiting</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="85"/>
        <source>đã gửi</source>
        <translation>delivered</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="86"/>
        <source>bị từ chối</source>
        <translation>refused</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="92"/>
        <source>còn hiệu lực</source>
        <translation>active</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="93"/>
        <source>đã mất</source>
        <translation>deceased</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="106"/>
        <source>Mã băm DG%1 khớp với EF.SOD</source>
        <translation>DG%1 hash matches EF.SOD</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="107"/>
        <source>DG%1 có trong danh sách của EF.SOD</source>
        <translation>DG%1 is listed in EF.SOD</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="109"/>
        <source>Cấu trúc EF.SOD đúng chuẩn</source>
        <translation>EF.SOD structure is well formed</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="110"/>
        <source>Chữ ký số của EF.SOD</source>
        <translation>EF.SOD digital signature</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="111"/>
        <source>Chứng thư DS do CSCA tin cậy cấp</source>
        <translation>DS certificate issued by a trusted CSCA</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="112"/>
        <source>Chứng thư DS còn hiệu lực</source>
        <translation>DS certificate within its validity</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="113"/>
        <source>Chứng thư DS chưa bị thu hồi</source>
        <translation>DS certificate not revoked</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="114"/>
        <source>Xác thực chip (CA): chip giữ khoá riêng của thẻ</source>
        <translation>Chip Authentication (CA): the chip holds the card&apos;s private key</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="115"/>
        <source>Xác thực chủ động (AA): chip thật, không phải bản sao</source>
        <translation>Active Authentication (AA): a genuine chip, not a copy</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="116"/>
        <source>Khoá AA do chip tạo đúng loại và độ dài</source>
        <translation>AA key generated by the chip has the right type and size</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="117"/>
        <source>Khoá CA do chip tạo đúng loại và độ dài</source>
        <translation>CA key generated by the chip has the right type and size</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="118"/>
        <source>Dữ liệu trên thẻ khớp với hồ sơ</source>
        <translation>Data on the card matches the record</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="120"/>
        <source>Dữ liệu %1 trên thẻ khớp với hồ sơ</source>
        <translation>%1 on the card matches the record</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="121"/>
        <source>Kiểm tra “%1”</source>
        <translation>Check “%1”</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="126"/>
        <source>Đạt</source>
        <translation>Passed</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="127"/>
        <source>Không đạt</source>
        <translation>Failed</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="128"/>
        <location filename="../words/outcome_words.cpp" line="130"/>
        <source>Chưa kiểm tra</source>
        <translation>Not checked</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="136"/>
        <source>Thẻ đã cấp — trao cho công dân</source>
        <translation>Card issued — hand it to the citizen</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="136"/>
        <source>Thẻ lỗi — để riêng, không trao</source>
        <translation>Faulty card — set it aside, do not hand it over</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="141"/>
        <source>Không mở được hàng đợi hồ sơ: %1</source>
        <translation>Cannot open the enrollment queue: %1</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="142"/>
        <source>Không kết nối được máy chủ: %1</source>
        <translation>Cannot reach the server: %1</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="143"/>
        <source>Không lưu được hồ sơ: %1</source>
        <translation>Cannot save the enrollment: %1</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="144"/>
        <source>Không gửi được hồ sơ: %1</source>
        <translation>Cannot send the enrollments: %1</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="145"/>
        <source>Không cá nhân hoá được: %1</source>
        <translation>Cannot personalize: %1</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="146"/>
        <source>Không kiểm tra được thẻ: %1</source>
        <translation>Cannot check the card: %1</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="147"/>
        <source>Không tra cứu được: %1</source>
        <translation>Cannot look up: %1</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="148"/>
        <source>Không tải được danh sách chờ phê duyệt: %1</source>
        <translation>Cannot load the approval list: %1</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="149"/>
        <source>Không gửi được quyết định: %1</source>
        <translation>Cannot send the decision: %1</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="150"/>
        <source>Không chẩn đoán được: %1</source>
        <translation>Cannot run the diagnostics: %1</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="151"/>
        <source>Không nhập được bảng kê khoá của lô thẻ trắng: %1</source>
        <translation>Could not import the blank card batch manifest: %1</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="160"/>
        <source>Thẻ đã bị nhấc ra: đặt lại thẻ và bấm Cá nhân hoá lần nữa</source>
        <translation>The card was removed: put it back and press Personalize again</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="161"/>
        <source>Thẻ đã bị nhấc ra: đặt lại thẻ và kiểm tra lại</source>
        <translation>The card was removed: put it back and check again</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="164"/>
        <source>Máy chủ đang bận, thử lại sau: %1</source>
        <translation>The server is busy, try again later: %1</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="165"/>
        <source>Phiên đăng nhập đã hết hạn: đăng nhập lại</source>
        <translation>The session has expired: log in again</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="166"/>
        <source>Dịch vụ PC/SC (pcscd) không chạy: %1</source>
        <translation>PC/SC service (pcscd) not running: %1</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="167"/>
        <source>Đã huỷ: có thể cá nhân hoá lại chính thẻ này</source>
        <translation>Cancelled: this card can be personalized again</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="168"/>
        <source>cần đăng nhập trước</source>
        <translation>log in first</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="169"/>
        <source>chưa có hồ sơ đã gửi máy chủ cho số định danh này</source>
        <translation>no enrollment of this ID number has reached the server yet</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="170"/>
        <source>nhập số định danh 12 số, hoặc ít nhất 2 chữ của họ tên</source>
        <translation>enter the 12-digit ID number, or at least 2 letters of the name</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="172"/>
        <source>Hồ sơ chưa hợp lệ: %1</source>
        <translation>The enrollment is not valid yet: %1</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="173"/>
        <source>Sai tên đăng nhập hoặc mật khẩu</source>
        <translation>Wrong login name or password</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="175"/>
        <source>Số CAN không đúng</source>
        <translation>The CAN is wrong</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="177"/>
        <source>Thẻ trắng này không thuộc lô nào đã nhập khoá vận chuyển: nhập bảng kê của lô thẻ (Nhập lô thẻ trắng…) rồi bấm Cá nhân hoá lần nữa</source>
        <translation>This blank card is in no batch whose transport keys were imported: import the batch manifest (Import blank card batch…), then press Personalize again</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="181"/>
        <source>Thẻ chưa bị ghi: dùng lại chính thẻ này sau khi được phê duyệt</source>
        <translation>Nothing was written to the card: use this same card once the change is approved</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="186"/>
        <source>Máy chủ từ chối: %1</source>
        <translation>The server refused: %1</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="188"/>
        <source>Lỗi chương trình (báo bộ phận hỗ trợ): %1</source>
        <translation>Program error (tell support): %1</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="197"/>
        <source>Cán bộ đã gửi hồ sơ không được tự phê duyệt: cần một lãnh đạo khác phê duyệt</source>
        <translation>The officer who submitted an enrollment cannot approve it: another supervisor must</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="198"/>
        <source>Chỉ lãnh đạo hoặc quản trị viên được làm việc này</source>
        <translation>Only a supervisor or an administrator may do this</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="199"/>
        <source>Hồ sơ này không còn chờ phê duyệt: đã có người quyết định</source>
        <translation>This enrollment is no longer awaiting approval: somebody has decided</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="205"/>
        <source>họ tên</source>
        <translation>name</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="206"/>
        <source>ngày sinh</source>
        <translation>date of birth</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="207"/>
        <source>giới tính</source>
        <translation>sex</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="208"/>
        <source>ảnh chân dung</source>
        <translation>photo</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="219"/>
        <source>Hồ sơ thay đổi thông tin nhân thân: chờ lãnh đạo phê duyệt trước khi cá nhân hoá thẻ</source>
        <translation>The enrollment changes the citizen&apos;s identity: a supervisor must approve it before the card is personalized</translation>
    </message>
    <message>
        <location filename="../words/outcome_words.cpp" line="220"/>
        <source>Hồ sơ thay đổi thông tin nhân thân (%1): chờ lãnh đạo phê duyệt trước khi cá nhân hoá thẻ</source>
        <translation>The enrollment changes the citizen&apos;s identity (%1): a supervisor must approve it before the card is personalized</translation>
    </message>
</context>
<context>
    <name>cccd::station::PhotoCheckView</name>
    <message>
        <location filename="../gui/photo_check_view.cpp" line="106"/>
        <source>Kết quả kiểm tra ảnh chân dung</source>
        <translation>Portrait check results</translation>
    </message>
</context>
<context>
    <name>PhotoWords</name>
    <message>
        <location filename="../words/photo_words.cpp" line="16"/>
        <source>Khuôn mặt</source>
        <translation>Face</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="17"/>
        <source>Vị trí ngang</source>
        <translation>Horizontal position</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="18"/>
        <source>Vị trí dọc</source>
        <translation>Vertical position</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="19"/>
        <source>Cỡ đầu</source>
        <translation>Head size</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="20"/>
        <source>Phông nền</source>
        <translation>Background</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="21"/>
        <source>Độ nét</source>
        <translation>Sharpness</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="22"/>
        <source>Độ sáng</source>
        <translation>Brightness</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="32"/>
        <source>Có đúng một khuôn mặt</source>
        <translation>Exactly one face</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="34"/>
        <source>Mặt ở giữa ảnh: tâm mặt ở %1% chiều rộng (cần %2–%3%)</source>
        <translation>Face centred: its midline at %1% of the width (needs %2–%3%)</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="36"/>
        <source>Mắt ở độ cao đúng: %1% chiều cao tính từ cạnh dưới (cần %2–%3%)</source>
        <translation>Eyes at the right height: %1% of the height from the bottom edge (needs %2–%3%)</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="37"/>
        <source>Đầu chiếm %1% chiều cao ảnh (cần %2–%3%)</source>
        <translation>The head fills %1% of the photo&apos;s height (needs %2–%3%)</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="39"/>
        <source>Phông nền đồng đều: độ chênh sáng %1 (tối đa %2)</source>
        <translation>Even background: brightness spread %1 (at most %2)</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="40"/>
        <source>Ảnh rõ nét: độ nét %1 (cần ít nhất %2)</source>
        <translation>Sharp photo: sharpness %1 (needs at least %2)</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="41"/>
        <source>Khuôn mặt đủ sáng: độ sáng %1 (cần %2–%3)</source>
        <translation>Face well lit: brightness %1 (needs %2–%3)</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="44"/>
        <source>%1: chưa đo được (cần đúng một khuôn mặt)</source>
        <translation>%1: not measured (needs exactly one face)</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="46"/>
        <source>Phông nền: không còn phần nền để đo (đầu chiếm gần hết phần trên của ảnh)</source>
        <translation>Background: none left to measure (the head fills almost all of the photo&apos;s upper part)</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="47"/>
        <source>Không thấy khuôn mặt: công dân nhìn thẳng vào camera, không che mặt</source>
        <translation>No face found: the citizen looks straight into the camera, face uncovered</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="48"/>
        <source>Thấy %1 khuôn mặt: trong ảnh chỉ được có một người</source>
        <translation>%1 faces found: only one person may be in the photo</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="50"/>
        <source>Mặt lệch sang trái ảnh: tâm mặt ở %1% chiều rộng, cần %2–%3%</source>
        <translation>Face left of centre: its midline at %1% of the width, needs %2–%3%</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="52"/>
        <source>Mặt lệch sang phải ảnh: tâm mặt ở %1% chiều rộng, cần %2–%3%</source>
        <translation>Face right of centre: its midline at %1% of the width, needs %2–%3%</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="54"/>
        <source>Đầu quá thấp trong ảnh: mắt ở %1% chiều cao tính từ cạnh dưới, cần %2–%3%</source>
        <translation>Head too low in the photo: eyes at %1% of the height from the bottom edge, needs %2–%3%</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="57"/>
        <source>Đầu quá cao trong ảnh: mắt ở %1% chiều cao tính từ cạnh dưới, cần %2–%3%</source>
        <translation>Head too high in the photo: eyes at %1% of the height from the bottom edge, needs %2–%3%</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="59"/>
        <source>Đầu quá nhỏ: chiếm %1% chiều cao ảnh, cần %2–%3% — cho công dân lại gần camera</source>
        <translation>Head too small: %1% of the photo&apos;s height, needs %2–%3% — have the citizen come closer to the camera</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="62"/>
        <source>Đầu quá lớn: chiếm %1% chiều cao ảnh, cần %2–%3% — cho công dân lùi xa camera</source>
        <translation>Head too large: %1% of the photo&apos;s height, needs %2–%3% — have the citizen step back from the camera</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="65"/>
        <source>Phông nền không đồng đều: độ chênh sáng %1, tối đa %2 — dùng phông trơn, không có đồ vật</source>
        <translation>Uneven background: brightness spread %1, at most %2 — use a plain backdrop with nothing on it</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="68"/>
        <source>Ảnh bị mờ: độ nét %1, cần ít nhất %2 — giữ yên và lấy nét lại</source>
        <translation>Blurred photo: sharpness %1, needs at least %2 — hold still and focus again</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="70"/>
        <source>Khuôn mặt quá tối: độ sáng %1, cần %2–%3 — thêm ánh sáng phía trước</source>
        <translation>Face too dark: brightness %1, needs %2–%3 — add light from the front</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="72"/>
        <source>Khuôn mặt quá sáng: độ sáng %1, cần %2–%3 — giảm ánh sáng, tránh đèn chiếu thẳng</source>
        <translation>Face too bright: brightness %1, needs %2–%3 — dim the light, no lamp shining straight at the face</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="82"/>
        <source>Ảnh trống</source>
        <translation>Empty photo</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="83"/>
        <source>Dữ liệu ảnh không khớp với kích thước %1×%2</source>
        <translation>The photo&apos;s data does not match its size %1×%2</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="85"/>
        <source>Ảnh quá nhỏ (%1×%2): mỗi cạnh cần ít nhất %3 điểm ảnh</source>
        <translation>Photo too small (%1×%2): each side needs at least %3 pixels</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="87"/>
        <source>Ảnh quá lớn (%1×%2): tối đa %3 điểm ảnh mỗi cạnh và %4 triệu điểm ảnh</source>
        <translation>Photo too large (%1×%2): at most %3 pixels a side and %4 million pixels</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="89"/>
        <source>Ảnh quá dẹt (%1×%2): không phải ảnh chân dung</source>
        <translation>Photo too narrow (%1×%2): not a portrait</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="91"/>
        <source>Không kiểm tra được ảnh: thiếu bộ nhận diện khuôn mặt (gói opencv-data)</source>
        <translation>The photo cannot be checked: the face detector is missing (package opencv-data)</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="98"/>
        <source>Ảnh đạt mọi yêu cầu của ảnh chân dung</source>
        <translation>The photo meets every portrait requirement</translation>
    </message>
    <message>
        <location filename="../words/photo_words.cpp" line="103"/>
        <source>Ảnh chưa đạt: %1</source>
        <translation>The photo does not pass: %1</translation>
    </message>
</context>
<context>
    <name>cccd::station::QueueTab</name>
    <message>
        <location filename="../gui/queue_tab.cpp" line="15"/>
        <source>Số</source>
        <translation>No.</translation>
    </message>
    <message>
        <location filename="../gui/queue_tab.cpp" line="15"/>
        <source>Số định danh</source>
        <translation>Personal ID</translation>
    </message>
    <message>
        <location filename="../gui/queue_tab.cpp" line="15"/>
        <source>Trạng thái</source>
        <translation>State</translation>
    </message>
    <message>
        <location filename="../gui/queue_tab.cpp" line="15"/>
        <source>Thời điểm</source>
        <translation>Time</translation>
    </message>
    <message>
        <location filename="../gui/queue_tab.cpp" line="15"/>
        <source>Số thẻ</source>
        <translation>Card number</translation>
    </message>
    <message>
        <location filename="../gui/queue_tab.cpp" line="15"/>
        <source>Ghi chú</source>
        <translation>Note</translation>
    </message>
    <message>
        <location filename="../gui/queue_tab.cpp" line="18"/>
        <source>Gửi hồ sơ đang chờ</source>
        <translation>Send waiting enrollments</translation>
    </message>
</context>
<context>
    <name>Receipts</name>
    <message>
        <location filename="../gui/receipts.cpp" line="50"/>
        <source>%1, ngày %2 tháng %3 năm %4</source>
        <translation>%1, %2/%3/%4</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="55"/>
        <source>Cấp thẻ căn cước</source>
        <translation>Issue of an identity card</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="56"/>
        <source>Cấp đổi thẻ căn cước</source>
        <translation>Renewal of an identity card</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="57"/>
        <source>Cấp lại thẻ căn cước</source>
        <translation>Reissue of an identity card</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="64"/>
        <source>Qua dịch vụ bưu chính, đến địa chỉ: %1</source>
        <translation>By post, to: %1</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="65"/>
        <source>Nhận trực tiếp tại: %1</source>
        <translation>In person at: %1</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="201"/>
        <source>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</source>
        <translation>SOCIALIST REPUBLIC OF VIET NAM</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="203"/>
        <source>Độc lập - Tự do - Hạnh phúc</source>
        <translation>Independence - Freedom - Happiness</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="215"/>
        <source>(Ký, ghi rõ họ tên)</source>
        <translation>(Signature and full name)</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="231"/>
        <source>Mẫu CC01 ban hành kèm theo Thông tư số 17/2024/TT-BCA ngày 15/5/2024</source>
        <translation>Form CC01 of Circular 17/2024/TT-BCA of 15/5/2024</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="233"/>
        <source>PHIẾU THU NHẬN THÔNG TIN CĂN CƯỚC</source>
        <translation>IDENTITY INFORMATION RECEIPT</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="240"/>
        <location filename="../gui/receipts.cpp" line="369"/>
        <source>Mã hồ sơ:</source>
        <translation>Application code:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="241"/>
        <source>Ngày tiếp nhận:</source>
        <translation>Received on:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="242"/>
        <source>Nơi tiếp nhận:</source>
        <translation>Received at:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="245"/>
        <source>Cán bộ thu nhận:</source>
        <translation>Receiving officer:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="246"/>
        <source>Loại thẻ:</source>
        <translation>Card:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="247"/>
        <source>Có giá trị đến:</source>
        <translation>Valid until:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="258"/>
        <source>Không thu nhận ảnh (dưới 6 tuổi)</source>
        <translation>No photo taken (under 6)</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="260"/>
        <source>Ảnh chân dung</source>
        <translation>Portrait photo</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="281"/>
        <source>I. THÔNG TIN NGƯỜI ĐƯỢC CẤP THẺ</source>
        <translation>I. THE CARDHOLDER</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="282"/>
        <source>1. Họ, chữ đệm và tên khai sinh:</source>
        <translation>1. Full name at birth:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="283"/>
        <source>2. Số định danh cá nhân:</source>
        <translation>2. Personal identification number:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="284"/>
        <source>3. Giới tính:</source>
        <translation>3. Sex:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="285"/>
        <source>4. Ngày, tháng, năm sinh:</source>
        <translation>4. Date of birth:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="286"/>
        <source>5. Quốc tịch:</source>
        <translation>5. Nationality:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="287"/>
        <source>6. Dân tộc:</source>
        <translation>6. Ethnicity:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="287"/>
        <source>7. Tôn giáo:</source>
        <translation>7. Religion:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="289"/>
        <source>8. Quê quán:</source>
        <translation>8. Place of origin:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="290"/>
        <source>9. Nơi đăng ký khai sinh:</source>
        <translation>9. Place of birth registration:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="291"/>
        <source>10. Nơi cư trú:</source>
        <translation>10. Place of residence:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="292"/>
        <source>11. Đặc điểm nhân dạng:</source>
        <translation>11. Identifying features:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="293"/>
        <source>12. Họ, chữ đệm và tên của cha:</source>
        <translation>12. Father&apos;s full name:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="294"/>
        <source>13. Họ, chữ đệm và tên của mẹ:</source>
        <translation>13. Mother&apos;s full name:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="295"/>
        <source>14. Họ, chữ đệm và tên của vợ (chồng):</source>
        <translation>14. Spouse&apos;s full name:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="296"/>
        <source>15. Số CMND (9 số):</source>
        <translation>15. Old ID number (9 digits):</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="297"/>
        <source>16. Số định danh cá nhân đã bị hủy:</source>
        <translation>16. Cancelled personal ID numbers:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="301"/>
        <source>II. NGƯỜI ĐẠI DIỆN HỢP PHÁP</source>
        <translation>II. LEGAL REPRESENTATIVE</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="302"/>
        <location filename="../gui/receipts.cpp" line="370"/>
        <source>Họ, chữ đệm và tên:</source>
        <translation>Full name:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="303"/>
        <location filename="../gui/receipts.cpp" line="371"/>
        <source>Số định danh cá nhân:</source>
        <translation>Personal identification number:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="304"/>
        <source>Quan hệ với người được cấp thẻ:</source>
        <translation>Relationship to the cardholder:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="307"/>
        <source>III. THẺ ĐỀ NGHỊ CẤP VÀ NƠI TRẢ THẺ</source>
        <translation>III. THE CARD APPLIED FOR AND ITS RETURN</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="308"/>
        <source>II. THẺ ĐỀ NGHỊ CẤP VÀ NƠI TRẢ THẺ</source>
        <translation>II. THE CARD APPLIED FOR AND ITS RETURN</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="312"/>
        <location filename="../gui/receipts.cpp" line="381"/>
        <source>Thủ tục:</source>
        <translation>Procedure:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="324"/>
        <source>Hình thức nhận thẻ:</source>
        <translation>Card returned:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="325"/>
        <location filename="../gui/receipts.cpp" line="384"/>
        <source>Ngày hẹn trả kết quả:</source>
        <translation>Appointment date:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="329"/>
        <source>Tôi đã kiểm tra các thông tin trên phiếu này và xác nhận các thông tin đó là đúng.</source>
        <translation>I have checked the information on this receipt and confirm that it is correct.</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="340"/>
        <source>CÁN BỘ THU NHẬN</source>
        <translation>RECEIVING OFFICER</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="342"/>
        <source>NGƯỜI ĐẠI DIỆN HỢP PHÁP</source>
        <translation>LEGAL REPRESENTATIVE</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="343"/>
        <source>NGƯỜI ĐỀ NGHỊ CẤP THẺ</source>
        <translation>APPLICANT</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="356"/>
        <source>Mẫu CC02 ban hành kèm theo Thông tư số 17/2024/TT-BCA ngày 15/5/2024</source>
        <translation>Form CC02 of Circular 17/2024/TT-BCA of 15/5/2024</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="359"/>
        <source>GIẤY HẸN TRẢ KẾT QUẢ GIẢI QUYẾT THỦ TỤC VỀ CĂN CƯỚC</source>
        <translation>APPOINTMENT TO COLLECT THE RESULT OF AN IDENTITY PROCEDURE</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="372"/>
        <source>Ngày, tháng, năm sinh:</source>
        <translation>Date of birth:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="374"/>
        <source>Nơi cư trú:</source>
        <translation>Place of residence:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="377"/>
        <source>Người đại diện hợp pháp:</source>
        <translation>Legal representative:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="378"/>
        <source>%1 (%2), số định danh %3</source>
        <translation>%1 (%2), personal ID number %3</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="382"/>
        <source>Ngày tiếp nhận hồ sơ:</source>
        <translation>Application received on:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="385"/>
        <source>Hình thức nhận kết quả:</source>
        <translation>Result returned:</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="388"/>
        <source>Khi đến nhận thẻ, mang theo giấy hẹn này.</source>
        <translation>Bring this slip when you collect the card.</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="397"/>
        <source>CÁN BỘ TIẾP NHẬN</source>
        <translation>RECEIVING OFFICER</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="461"/>
        <source>Thiếu mã hồ sơ</source>
        <translation>The application code is missing</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="462"/>
        <source>Thiếu cơ quan tiếp nhận</source>
        <translation>The receiving office is missing</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="463"/>
        <source>Thiếu địa danh nơi lập phiếu</source>
        <translation>The place of signing is missing</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="464"/>
        <source>Thiếu họ tên cán bộ thu nhận</source>
        <translation>The receiving officer&apos;s name is missing</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="465"/>
        <source>Thiếu ngày tiếp nhận hồ sơ</source>
        <translation>The date the application was received is missing</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="466"/>
        <source>Thiếu ngày hẹn trả kết quả</source>
        <translation>The appointment date is missing</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="468"/>
        <source>Ngày hẹn trả kết quả trước ngày tiếp nhận hồ sơ</source>
        <translation>The appointment date is before the date the application was received</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="469"/>
        <source>Thiếu nơi trả thẻ</source>
        <translation>The place where the card is handed over is missing</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="470"/>
        <source>Thiếu địa chỉ nhận thẻ qua bưu chính</source>
        <translation>The postal address for the card is missing</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="524"/>
        <source>Phiếu thu nhận và giấy hẹn</source>
        <translation>Receipt and appointment slip</translation>
    </message>
    <message>
        <location filename="../gui/receipts.cpp" line="526"/>
        <source>In phiếu thu nhận (CC01) và giấy hẹn (CC02)</source>
        <translation>Print the receipt (CC01) and the appointment slip (CC02)</translation>
    </message>
</context>
<context>
    <name>cccd::station::StationWindow</name>
    <message>
        <location filename="../gui/station_window.cpp" line="22"/>
        <source>Trạm cấp Căn cước công dân gắn chip</source>
        <translation>Chip citizen ID enrollment station</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="44"/>
        <source>Đăng xuất</source>
        <translation>Log out</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="36"/>
        <source>Thu nhận hồ sơ</source>
        <translation>Enrollment</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="37"/>
        <source>Hàng đợi</source>
        <translation>Queue</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="38"/>
        <source>Cá nhân hoá thẻ</source>
        <translation>Personalize card</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="39"/>
        <source>Chẩn đoán</source>
        <translation>Diagnostics</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="40"/>
        <source>Phê duyệt</source>
        <translation>Approvals</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="58"/>
        <source>Đã đăng xuất</source>
        <translation>Logged out</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="85"/>
        <source>Cán bộ %1 (%2) — trạm %3</source>
        <translation>Officer %1 (%2) — station %3</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="61"/>
        <source>Phiên đăng nhập đã hết hạn: đăng nhập lại (hồ sơ đang chờ vẫn được giữ)</source>
        <translation>The session has expired: log in again (waiting enrollments are kept)</translation>
    </message>
    <message>
        <location filename="../gui/station_window.cpp" line="66"/>
        <source>Màn hình đã khoá sau thời gian không sử dụng</source>
        <translation>The screen locked after a period without use</translation>
    </message>
</context>
<context>
    <name>cccd::station::StationWorker</name>
    <message>
        <location filename="../gui/station_worker.cpp" line="84"/>
        <source>chờ lãnh đạo phê duyệt: %1</source>
        <translation>awaiting a supervisor&apos;s approval: %1</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="120"/>
        <source>Đã lưu hồ sơ %1 vào hàng đợi</source>
        <translation>Enrollment %1 saved in the queue</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="135"/>
        <source>Đã gửi %1, bị từ chối %2, còn chờ %3</source>
        <translation>Sent %1, refused %2, waiting %3</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="137"/>
        <source>%1 hồ sơ thay đổi thông tin nhân thân chờ lãnh đạo phê duyệt</source>
        <translation>%1 identity change(s) awaiting a supervisor&apos;s approval</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="139"/>
        <source>phiên đăng nhập đã hết hạn</source>
        <translation>the session has expired</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="139"/>
        <source>máy chủ chưa kết nối được</source>
        <translation>the server cannot be reached yet</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="155"/>
        <source>Lô %1: đã nhập khoá của %2 thẻ trắng mới, %3 thẻ đã có từ trước</source>
        <translation>Batch %1: keys of %2 new blank cards imported, %3 already held</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="213"/>
        <source>Thẻ số %1, CAN %2</source>
        <translation>Card number %1, CAN %2</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="214"/>
        <source>Kiểm tra đọc lại không đạt (xem danh sách)</source>
        <translation>The read-back check failed (see the list)</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="238"/>
        <source>Không có hồ sơ nào chờ phê duyệt</source>
        <translation>No enrollment is awaiting approval</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="239"/>
        <source>%1 hồ sơ chờ phê duyệt</source>
        <translation>%1 awaiting approval</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="260"/>
        <source>Đã phê duyệt hồ sơ %1: thẻ %2 có thể được cá nhân hoá</source>
        <translation>Enrollment %1 approved: card %2 may now be personalized</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="261"/>
        <source>Đã từ chối hồ sơ %1: thẻ %2 bị thu hồi</source>
        <translation>Enrollment %1 rejected: card %2 is revoked</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="275"/>
        <source>Dịch vụ PC/SC (pcscd): đang chạy</source>
        <translation>PC/SC service (pcscd): running</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="277"/>
        <source>Đầu đọc: %1</source>
        <translation>Readers: %1</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="282"/>
        <source> — có thẻ, ATR %1</source>
        <translation> — card present, ATR %1</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="284"/>
        <source> — không có thẻ</source>
        <translation> — no card</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="289"/>
        <source>Dịch vụ PC/SC (pcscd): không kết nối được (%1)</source>
        <translation>PC/SC service (pcscd): cannot connect (%1)</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="291"/>
        <source>Máy chủ: %1</source>
        <translation>Server: %1</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="292"/>
        <source>Lỗi gần đây:</source>
        <translation>Recent errors:</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="320"/>
        <source>Không có công dân nào khớp trong cơ sở dữ liệu dân cư</source>
        <translation>No citizen in the population register matches</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="321"/>
        <source>Tìm thấy %1 công dân</source>
        <translation>Found %1 citizens</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="351"/>
        <source>THẺ KHÔNG HỢP LỆ: xem các kiểm tra không đạt</source>
        <translation>CARD NOT VALID: see the failed checks</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="352"/>
        <source>Thẻ hợp lệ; có mục chưa kiểm tra được (xem danh sách)</source>
        <translation>The card is valid; some checks could not be made (see the list)</translation>
    </message>
    <message>
        <location filename="../gui/station_worker.cpp" line="353"/>
        <source>Thẻ hợp lệ: mọi kiểm tra đều đạt</source>
        <translation>The card is valid: every check passed</translation>
    </message>
</context>
</TS>
