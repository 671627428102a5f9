#pragma once
// What the station's tabs share: widgets made with the object names the GUI tests find them by
// (--ui-script), the portrait's size, and a call onto the worker's thread.
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMetaObject>
#include <QPushButton>
#include <QString>

#include "station/gui/station_worker.hpp"

namespace cccd::station {

// The ICAO portrait: 35 x 45 mm; stored at 300 x 386 and at most 20 KB, as the card holds it.
inline constexpr int kPhotoWidth = 300, kPhotoHeight = 386, kMinSourceWidth = 240, kMaxJpegBytes = 20 * 1024;

inline QLineEdit* line(const QString& name, const QString& placeholder = {}) {
    auto* edit = new QLineEdit;
    edit->setObjectName(name);
    edit->setPlaceholderText(placeholder);
    return edit;
}

inline QPushButton* button(const QString& name, const QString& text) {
    auto* b = new QPushButton(text);
    b->setObjectName(name);
    return b;
}

inline QLabel* label(const QString& name) {
    auto* l = new QLabel;
    l->setObjectName(name);
    l->setWordWrap(true);
    return l;
}

// A verdict list: each line with its state's icon and colour and its words (the state is in the words
// too: "Đạt — ...", never the colour alone); a check's detail as its tooltip.
void show_verdicts(QListWidget* list, const QList<VerdictLine>& lines);

// `work(worker)` on the worker's thread, after what is already queued there; the GUI thread goes on.
template <typename Work>
void on_worker_thread(StationWorker* worker, Work work) {
    QMetaObject::invokeMethod(worker, [worker, work] { work(*worker); }, Qt::QueuedConnection);
}

}  // namespace cccd::station
