#include "station/gui/approvals_tab.hpp"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QPixmap>
#include <QShortcut>
#include <QSignalBlocker>
#include <QTableWidget>
#include <QVBoxLayout>

#include <tuple>

#include "station/gui/widgets.hpp"
#include "station/words/outcome_words.hpp"

namespace cccd::station {

ApprovalsTab::ApprovalsTab(StationWorker* worker) : worker_(worker) {
    setObjectName("approvals_tab");
    auto* layout = new QVBoxLayout(this);
    table_ = new QTableWidget(0, 5);
    table_->setObjectName("approvals_table");
    table_->setHorizontalHeaderLabels({tr("Số định danh"), tr("Cán bộ gửi"), tr("Trạm"), tr("Thời điểm"), tr("Thông tin thay đổi")});
    table_->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    table_->setSelectionBehavior(QAbstractItemView::SelectRows);
    table_->setSelectionMode(QAbstractItemView::SingleSelection);
    table_->setTabKeyNavigation(false);  // Tab leaves the list for the details and the buttons
    table_->setAccessibleName(tr("Hồ sơ chờ phê duyệt"));
    table_->setMaximumHeight(170);
    auto* refresh = button("refresh_approvals", tr("&Làm mới"));
    status_ = label("approvals_status");
    auto* top = new QHBoxLayout;
    top->addWidget(refresh);
    top->addWidget(status_, 1);

    changes_ = new QTableWidget(0, 3);
    changes_->setObjectName("approval_changes");
    changes_->setHorizontalHeaderLabels({tr("Thông tin"), tr("Trong cơ sở dữ liệu dân cư"), tr("Hồ sơ gửi duyệt")});
    changes_->horizontalHeader()->setSectionResizeMode(QHeaderView::Stretch);
    changes_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    changes_->setTabKeyNavigation(false);
    changes_->setAccessibleName(tr("Thông tin thay đổi"));
    changes_->setMaximumHeight(130);

    photos_ = new QWidget;
    photos_->setObjectName("approval_photos");
    auto* photos = new QHBoxLayout(photos_);
    for (auto [photo, name, caption] : {std::tuple{&registered_photo_, "registered_photo", tr("Ảnh trong cơ sở dữ liệu dân cư")},
                                        std::tuple{&submitted_photo_, "submitted_photo", tr("Ảnh trong hồ sơ gửi duyệt")}}) {
        auto* column = new QVBoxLayout;
        *photo = label(name);
        (*photo)->setFixedSize(kPhotoWidth / 2 + 10, kPhotoHeight / 2 + 10);
        (*photo)->setFrameShape(QFrame::Box);
        (*photo)->setAlignment(Qt::AlignCenter);
        (*photo)->setAccessibleName(caption);
        column->addWidget(new QLabel(caption));
        column->addWidget(*photo);
        photos->addLayout(column);
    }
    photos->addStretch(1);
    photos_->setVisible(false);

    note_ = label("approval_note");
    decision_status_ = label("decision_status");
    reject_reason_ = line("reject_reason", tr("lý do từ chối (bắt buộc khi từ chối)"));
    reject_reason_->setMaxLength(200);  // the server keeps at most 200 characters
    reject_reason_->setAccessibleName(tr("Lý do từ chối"));
    approve_ = button("approve", tr("&Phê duyệt"));
    reject_ = button("reject", tr("&Từ chối"));
    auto* decisions = new QHBoxLayout;
    decisions->addWidget(new QLabel(tr("Lý do từ chối")));
    decisions->addWidget(reject_reason_, 1);
    decisions->addWidget(approve_);
    decisions->addWidget(reject_);

    layout->addWidget(table_);
    layout->addLayout(top);
    layout->addWidget(changes_);
    layout->addWidget(photos_);
    layout->addWidget(note_);
    layout->addLayout(decisions);
    layout->addWidget(decision_status_);
    layout->addStretch(1);

    connect(refresh, &QPushButton::clicked, this, &ApprovalsTab::reload);
    auto* f5 = new QShortcut(QKeySequence::Refresh, this, [this] { reload(); });
    f5->setContext(Qt::WidgetWithChildrenShortcut);
    connect(table_, &QTableWidget::currentCellChanged, this, [this](int row) { show_approval(row); });
    connect(approve_, &QPushButton::clicked, this, [this] { decide(true); });
    connect(reject_, &QPushButton::clicked, this, [this] { decide(false); });
    connect(worker_, &StationWorker::approvalsListed, this, &ApprovalsTab::show_approvals);
    connect(worker_, &StationWorker::decided, this, [this](bool done, const QString& words) {
        deciding_ = false;
        decision_status_->setText(words);
        if (done) reject_reason_->clear();
    });
    show_approval(-1);
}

void ApprovalsTab::reload() {
    status_->setText(tr("Đang tải danh sách…"));
    on_worker_thread(worker_, [](StationWorker& w) { w.list_approvals(); });
}

void ApprovalsTab::clear() {
    show_approvals({}, {});
    status_->clear();
    decision_status_->clear();
}

void ApprovalsTab::show_approvals(const QList<ApprovalRow>& approvals, const QString& words) {
    const QString selected = table_->currentRow() >= 0 && table_->currentRow() < approvals_.size()
                                 ? approvals_[table_->currentRow()].enrollment_id
                                 : QString();
    approvals_ = approvals;
    const QSignalBlocker quiet(table_);
    table_->setRowCount(static_cast<int>(approvals.size()));
    int keep = approvals.isEmpty() ? -1 : 0;
    for (int r = 0; r < approvals.size(); ++r) {
        const ApprovalRow& a = approvals[r];
        QStringList fields;
        for (const auto& c : a.changes) fields << OutcomeWords::field(c.field);
        const QStringList cells{a.personal_id, a.officer_id + (a.submitted_by_you ? tr(" (chính cán bộ)") : QString()), a.station_id,
                                a.created_at, fields.join(", ")};
        for (int c = 0; c < cells.size(); ++c) table_->setItem(r, c, new QTableWidgetItem(cells[c]));
        if (a.enrollment_id == selected) keep = r;
    }
    table_->setCurrentCell(keep, 0);
    show_approval(keep);
    if (!words.isEmpty()) status_->setText(words);
}

void ApprovalsTab::show_approval(int row) {
    changes_->setRowCount(0);
    registered_photo_->clear();
    submitted_photo_->clear();
    photos_->setVisible(false);
    const bool chosen = row >= 0 && row < approvals_.size();
    const bool own = chosen && approvals_[row].submitted_by_you;
    approve_->setEnabled(chosen && !own && !deciding_);
    reject_->setEnabled(chosen && !own && !deciding_);
    reject_reason_->setEnabled(chosen && !own);
    note_->setText(!chosen ? tr("Chọn một hồ sơ trong danh sách")
                   : own   ? tr("Hồ sơ do chính cán bộ gửi: cần một lãnh đạo khác phê duyệt hoặc từ chối")
                           : tr("Đối chiếu từng thông tin với giấy tờ của công dân trước khi quyết định"));
    if (!chosen) return;
    for (const ApprovalChange& c : approvals_[row].changes) {
        const int r = changes_->rowCount();
        changes_->insertRow(r);
        const bool photo = c.field == "photo";
        const auto sex = [](const QString& v) { return v == "F" ? tr("Nữ") : v == "M" ? tr("Nam") : v; };
        const QStringList cells{OutcomeWords::field(c.field),
                                photo ? tr("(ảnh bên dưới)") : c.field == "sex" ? sex(c.registered) : c.registered,
                                photo ? tr("(ảnh bên dưới)") : c.field == "sex" ? sex(c.submitted) : c.submitted};
        for (int k = 0; k < cells.size(); ++k) changes_->setItem(r, k, new QTableWidgetItem(cells[k]));
        if (photo) {
            for (auto [target, jpeg] : {std::pair{registered_photo_, c.registered_photo}, std::pair{submitted_photo_, c.submitted_photo}}) {
                QPixmap pixmap;
                if (pixmap.loadFromData(jpeg, "JPEG"))
                    target->setPixmap(pixmap.scaled(kPhotoWidth / 2, kPhotoHeight / 2, Qt::KeepAspectRatio, Qt::SmoothTransformation));
                else
                    target->setText(tr("(không đọc được ảnh)"));
            }
            photos_->setVisible(true);
        }
    }
}

void ApprovalsTab::decide(bool approve) {
    const int row = table_->currentRow();
    if (row < 0 || row >= approvals_.size() || approvals_[row].submitted_by_you || deciding_) return;
    const QString reason = reject_reason_->text().trimmed();
    if (!approve && reason.isEmpty()) {
        decision_status_->setText(tr("Nhập lý do từ chối"));
        reject_reason_->setFocus();
        return;
    }
    deciding_ = true;
    approve_->setEnabled(false);
    reject_->setEnabled(false);
    decision_status_->setText(approve ? tr("Đang gửi phê duyệt…") : tr("Đang gửi từ chối…"));
    const QString id = approvals_[row].enrollment_id;
    on_worker_thread(worker_, [id, approve, reason](StationWorker& w) { w.decide(id, approve, approve ? QString() : reason); });
}

}  // namespace cccd::station
