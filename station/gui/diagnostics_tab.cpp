#include "station/gui/diagnostics_tab.hpp"

#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QHBoxLayout>
#include <QPlainTextEdit>
#include <QVBoxLayout>

#include "station/gui/widgets.hpp"

namespace cccd::station {

DiagnosticsTab::DiagnosticsTab(StationWorker* worker, const StationConfig& config)
    : worker_(worker), server_(config.server), reader_setting_(config.reader) {
    auto* layout = new QVBoxLayout(this);
    diagnostics_ = new QPlainTextEdit;
    diagnostics_->setObjectName("diagnostics");
    diagnostics_->setReadOnly(true);
    auto* refresh = button("refresh_diagnostics", tr("Kiểm tra lại"));
    auto* bundle = button("export_bundle", tr("Xuất gói hỗ trợ"));
    auto* row = new QHBoxLayout;
    row->addWidget(refresh);
    row->addWidget(bundle);
    layout->addWidget(diagnostics_);
    layout->addLayout(row);
    connect(refresh, &QPushButton::clicked, this, [this] { on_worker_thread(worker_, [](StationWorker& w) { w.diagnose(); }); });
    connect(bundle, &QPushButton::clicked, this, &DiagnosticsTab::export_support_bundle);
    connect(worker_, &StationWorker::diagnostics, diagnostics_, &QPlainTextEdit::setPlainText);
}

// What support needs and nothing personal: the diagnostics (readers, ATRs, errors in words, which
// never carry names or ID numbers), the version and the configuration's non-secret settings.
void DiagnosticsTab::export_support_bundle() {
    const QString path = QDir::tempPath() + "/cccd-station-support-" + QDateTime::currentDateTimeUtc().toString("yyyyMMdd-HHmmss") + ".txt";
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly | QIODevice::Text)) {
        diagnostics_->appendPlainText(tr("Không ghi được %1").arg(path));
        return;
    }
    QString text = "cccd-station support bundle\nserver: " + QString::fromStdString(server_) +
                   "\nreader setting: " + QString::fromStdString(reader_setting_) + "\n\n" + diagnostics_->toPlainText() + "\n";
    file.write(text.toUtf8());
    diagnostics_->appendPlainText(tr("Gói hỗ trợ: %1").arg(path));
}

}  // namespace cccd::station
