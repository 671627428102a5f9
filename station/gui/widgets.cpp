#include "station/gui/widgets.hpp"

#include <QApplication>
#include <QStyle>

namespace cccd::station {

void show_verdicts(QListWidget* list, const QList<VerdictLine>& lines) {
    list->clear();
    QStyle* style = QApplication::style();
    for (const auto& line : lines) {
        auto* item = new QListWidgetItem(line.text, list);  // owned by the list
        switch (line.state) {
            case VerdictLine::State::Pass:
                item->setIcon(style->standardIcon(QStyle::SP_DialogApplyButton));
                item->setForeground(QColor(0x1b, 0x6e, 0x34));  // dark green: readable on white, 4.5:1 and more
                break;
            case VerdictLine::State::Fail:
                item->setIcon(style->standardIcon(QStyle::SP_MessageBoxCritical));
                item->setForeground(QColor(0xa1, 0x00, 0x1b));
                break;
            case VerdictLine::State::NotChecked:
                item->setIcon(style->standardIcon(QStyle::SP_MessageBoxWarning));
                item->setForeground(QColor(0x7a, 0x4f, 0x00));
                break;
            case VerdictLine::State::Info: item->setIcon(style->standardIcon(QStyle::SP_MessageBoxInformation)); break;
        }
        item->setData(Qt::UserRole, static_cast<int>(line.state));
        if (!line.detail.isEmpty()) item->setToolTip(line.detail);
    }
}

}  // namespace cccd::station
