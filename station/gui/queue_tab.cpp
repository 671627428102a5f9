#include "station/gui/queue_tab.hpp"

#include <QHeaderView>
#include <QTableWidget>
#include <QVBoxLayout>

#include "station/gui/widgets.hpp"

namespace cccd::station {

QueueTab::QueueTab(StationWorker* worker) : worker_(worker) {
    auto* layout = new QVBoxLayout(this);
    table_ = new QTableWidget(0, 6);
    table_->setObjectName("queue_table");
    table_->setHorizontalHeaderLabels({tr("Số"), tr("Số định danh"), tr("Trạng thái"), tr("Thời điểm"), tr("Số thẻ"), tr("Ghi chú")});
    table_->horizontalHeader()->setStretchLastSection(true);
    table_->setEditTriggers(QAbstractItemView::NoEditTriggers);
    auto* deliver = button("deliver", tr("Gửi hồ sơ đang chờ"));
    delivery_status_ = label("delivery_status");
    layout->addWidget(table_);
    layout->addWidget(deliver);
    layout->addWidget(delivery_status_);
    connect(deliver, &QPushButton::clicked, this, [this] { on_worker_thread(worker_, [](StationWorker& w) { w.deliver(); }); });
    connect(worker_, &StationWorker::queueChanged, this, &QueueTab::show_queue);
    connect(worker_, &StationWorker::deliveryDone, delivery_status_, &QLabel::setText);
}

void QueueTab::show_queue(const QList<QueueRow>& rows) {
    table_->setRowCount(static_cast<int>(rows.size()));
    for (int r = 0; r < rows.size(); ++r) {
        const QueueRow& row = rows[r];
        const QStringList cells{row.id, row.personal_id, row.state, row.queued_at, row.card_number, row.note};
        for (int c = 0; c < cells.size(); ++c) table_->setItem(r, c, new QTableWidgetItem(cells[c]));
    }
}

}  // namespace cccd::station
