#include "station/gui/ui_script.hpp"

#include <QAbstractButton>
#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QKeyEvent>
#include <QKeySequence>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMouseEvent>
#include <QPlainTextEdit>
#include <QProgressBar>
#include <QStyle>
#include <QStyleOptionButton>
#include <QTabWidget>
#include <QTableWidget>

#include <iostream>

namespace cccd::station {

namespace {

QString text_of(QWidget* w) {
    if (auto* label = qobject_cast<QLabel*>(w)) return label->text();
    if (auto* edit = qobject_cast<QLineEdit*>(w)) return edit->text();
    if (auto* plain = qobject_cast<QPlainTextEdit*>(w)) return plain->toPlainText();
    if (auto* button = qobject_cast<QAbstractButton*>(w)) return button->text();
    if (auto* combo = qobject_cast<QComboBox*>(w)) {
        QStringList items;
        for (int i = 0; i < combo->count(); ++i) items << combo->itemText(i);
        return items.join('\n');
    }
    if (auto* list = qobject_cast<QListWidget*>(w)) {
        QStringList items;
        for (int i = 0; i < list->count(); ++i) items << list->item(i)->text();
        return items.join('\n');
    }
    if (auto* table = qobject_cast<QTableWidget*>(w)) {
        QStringList cells;
        for (int r = 0; r < table->rowCount(); ++r)
            for (int c = 0; c < table->columnCount(); ++c)
                if (auto* item = table->item(r, c)) cells << item->text();
        return cells.join('\n');
    }
    if (auto* bar = qobject_cast<QProgressBar*>(w)) return QString::number(bar->value());
    if (auto* tabs = qobject_cast<QTabWidget*>(w)) {
        QStringList titles;
        for (int i = 0; i < tabs->count(); ++i)
            if (tabs->isTabVisible(i)) titles << tabs->tabText(i);
        return titles.join('\n');
    }
    return {};
}

// The first visible tab whose title contains `text` (mnemonic ampersands ignored), else -1.
int tab_with(QTabWidget* tabs, const QString& text) {
    for (int i = 0; i < tabs->count(); ++i)
        if (tabs->isTabVisible(i) && QString(tabs->tabText(i)).remove('&').contains(text)) return i;
    return -1;
}

// The first row of a table or list whose text contains `text`, else -1.
int row_with(QWidget* w, const QString& text) {
    if (auto* table = qobject_cast<QTableWidget*>(w)) {
        for (int r = 0; r < table->rowCount(); ++r)
            for (int c = 0; c < table->columnCount(); ++c)
                if (auto* item = table->item(r, c); item != nullptr && item->text().contains(text)) return r;
    }
    if (auto* list = qobject_cast<QListWidget*>(w)) {
        for (int r = 0; r < list->count(); ++r)
            if (list->item(r)->text().contains(text)) return r;
    }
    return -1;
}

void click(QWidget* w) {
    // A check box reacts to its box and label only, not to the whole width its layout gives it.
    QPointF centre = QRectF(w->rect()).center();
    if (qobject_cast<QCheckBox*>(w) != nullptr) {
        QStyleOptionButton option;
        option.initFrom(w);
        option.text = static_cast<QCheckBox*>(w)->text();
        centre = QRectF(w->style()->subElementRect(QStyle::SE_CheckBoxClickRect, &option, w)).center();
    }
    const QPointF global = w->mapToGlobal(centre);
    QMouseEvent press(QEvent::MouseButtonPress, centre, global, Qt::LeftButton, Qt::LeftButton, Qt::NoModifier);
    QMouseEvent release(QEvent::MouseButtonRelease, centre, global, Qt::LeftButton, Qt::NoButton, Qt::NoModifier);
    QApplication::sendEvent(w, &press);
    QApplication::sendEvent(w, &release);
}

// Key presses carrying `text`, one character each, into `w` as it is.
void send_keys(QWidget* w, const QString& text) {
    for (const QChar c : text) {
        QKeyEvent press(QEvent::KeyPress, 0, Qt::NoModifier, QString(c));
        QKeyEvent release(QEvent::KeyRelease, 0, Qt::NoModifier, QString(c));
        QApplication::sendEvent(w, &press);
        QApplication::sendEvent(w, &release);
    }
}

void type(QWidget* w, const QString& text) {
    w->setFocus(Qt::OtherFocusReason);
    if (auto* edit = qobject_cast<QLineEdit*>(w)) edit->clear();
    send_keys(w, text);
}

// What the officer must not type (the date of issue, the expiry) a script cannot type either.
bool read_only(QWidget* w, QString& why_not) {
    auto* edit = qobject_cast<QLineEdit*>(w);
    if (edit == nullptr || !edit->isReadOnly()) return false;
    why_not = w->objectName() + " is read-only: the officer does not type it";
    return true;
}

}  // namespace

UiScript::UiScript(QWidget* window, const QString& script_file, QString screenshot_dir, QObject* parent)
    : QObject(parent), window_(window), screenshot_dir_(std::move(screenshot_dir)) {
    QFile file(script_file);
    if (!file.open(QIODevice::ReadOnly)) {
        std::cerr << "ui-script: cannot read " << script_file.toStdString() << "\n";
        QTimer::singleShot(0, [] { QApplication::exit(2); });
        return;
    }
    const QJsonDocument document = QJsonDocument::fromJson(file.readAll());
    if (!document.isArray()) {
        std::cerr << "ui-script: " << script_file.toStdString() << " is not a JSON array of steps\n";
        QTimer::singleShot(0, [] { QApplication::exit(2); });
        return;
    }
    steps_ = document.array();
    timer_.setInterval(100);
    connect(&timer_, &QTimer::timeout, this, &UiScript::tick);
}

void UiScript::start() {
    if (!screenshot_dir_.isEmpty()) QDir().mkpath(screenshot_dir_);
    step_started_ms_ = QDateTime::currentMSecsSinceEpoch();
    timer_.start();
}

QWidget* UiScript::find(const QString& name, QString& why_not) const {
    for (QWidget* top : QApplication::topLevelWidgets()) {
        QWidget* w = top->objectName() == name ? top : top->findChild<QWidget*>(name);
        if (w == nullptr) continue;
        if (!w->isVisible()) {
            why_not = name + " is not visible";
            return nullptr;
        }
        if (!w->isEnabled()) {
            why_not = name + " is not enabled";
            return nullptr;
        }
        return w;
    }
    why_not = "no widget " + name;
    return nullptr;
}

void UiScript::screenshot(const QString& name) {
    if (screenshot_dir_.isEmpty()) return;
    QWidget* shown = QApplication::activeModalWidget() ? QApplication::activeModalWidget() : window_;
    shown->grab().save(screenshot_dir_ + "/" + name + ".png");
}

bool UiScript::run_step(const QJsonObject& step, QString& why_not) {
    if (step.contains("screenshot")) {
        screenshot(step["screenshot"].toString());
        return true;
    }
    if (step.contains("copy_file")) {
        const QString to = step["to"].toString();
        QFile::remove(to);
        QFile copy(to);
        if (!QFile::copy(step["copy_file"].toString(), to) || !copy.open(QIODevice::ReadWrite) ||
            !copy.setFileTime(QDateTime::currentDateTime(), QFileDevice::FileModificationTime)) {
            why_not = "cannot copy " + step["copy_file"].toString() + " to " + to;
            return false;
        }
        return true;
    }
    if (step.contains("count")) {
        tallies_.push_back({step["count"].toString()});
        return true;
    }
    if (step.contains("key") || step.contains("keys")) {
        // The application's focus, or (no window manager, the window not active) the window's own.
        QWidget* focus = QApplication::focusWidget() != nullptr ? QApplication::focusWidget() : window_->focusWidget();
        if (focus == nullptr) {
            why_not = "no widget has the keyboard focus";
            return false;
        }
        if (step.contains("keys")) {
            if (read_only(focus, why_not)) return false;
            send_keys(focus, step["keys"].toString());
            count(static_cast<int>(step["keys"].toString().size()), 0);
            return true;
        }
        const QKeySequence sequence = QKeySequence::fromString(step["key"].toString(), QKeySequence::PortableText);
        if (sequence.isEmpty()) {
            why_not = "no key " + step["key"].toString();
            return false;
        }
        // To the focused widget, as the keyboard would send it (Return, Tab, arrows; a widget's own keys).
        const QKeyCombination chord = sequence[0];
        QKeyEvent press(QEvent::KeyPress, chord.key(), chord.keyboardModifiers());
        QKeyEvent release(QEvent::KeyRelease, chord.key(), chord.keyboardModifiers());
        QApplication::sendEvent(focus, &press);
        QApplication::sendEvent(focus, &release);
        count(1, 0);
        return true;
    }
    if (step.contains("file_exists")) {
        const QFileInfo info(step["file_exists"].toString());
        if (info.exists() && info.size() > 0) return true;
        why_not = info.filePath() + " does not exist yet";
        return false;
    }
    const QString name = step.contains("type")         ? step["type"].toString()
                         : step.contains("choose")     ? step["choose"].toString()
                         : step.contains("click")      ? step["click"].toString()
                         : step.contains("tab")        ? step["tab"].toString()
                         : step.contains("tab_hidden") ? step["tab_hidden"].toString()
                         : step.contains("select")     ? step["select"].toString()
                         : step["wait"].toString();
    QWidget* w = find(name, why_not);
    if (w == nullptr) return false;
    if (step.contains("tab_hidden")) {
        auto* tabs = qobject_cast<QTabWidget*>(w);
        if (tabs == nullptr || tab_with(tabs, step["text"].toString()) >= 0) {
            why_not = name + " shows a tab " + step["text"].toString();
            return false;
        }
        return true;
    }
    if (step.contains("select")) {
        const int row = row_with(w, step["contains"].toString());
        if (row < 0) {
            why_not = name + " has no row with \"" + step["contains"].toString() + "\"";
            return false;
        }
        // As the arrow keys would: the row becomes the current one.
        w->setFocus(Qt::OtherFocusReason);
        if (auto* table = qobject_cast<QTableWidget*>(w)) table->setCurrentCell(row, 0);
        if (auto* list = qobject_cast<QListWidget*>(w)) list->setCurrentRow(row);
        count(0, 1);
        return true;
    }
    if (step.contains("type")) {
        if (read_only(w, why_not)) return false;
        type(w, step["text"].toString());
        count(static_cast<int>(step["text"].toString().size()), 1);  // a click into the field, then the keys
    } else if (step.contains("choose")) {
        auto* combo = qobject_cast<QComboBox*>(w);
        const int index = combo ? combo->findText(step["text"].toString(), Qt::MatchContains) : -1;
        if (index < 0) {
            why_not = name + " has no entry " + step["text"].toString();
            return false;
        }
        combo->setCurrentIndex(index);
        count(0, 2);  // open the list, pick the entry
    } else if (step.contains("click")) {
        click(w);
        count(0, 1);
    } else if (step.contains("tab")) {
        auto* tabs = qobject_cast<QTabWidget*>(w);
        if (tabs == nullptr) {
            why_not = name + " is not a tab widget";
            return false;
        }
        const int index = step.contains("text") ? tab_with(tabs, step["text"].toString()) : step["index"].toInt();
        if (index < 0) {
            why_not = name + " shows no tab " + step["text"].toString();
            return false;
        }
        tabs->setCurrentIndex(index);
        count(0, 1);
    } else {
        const QString wanted = step["contains"].toString();
        if (!text_of(w).contains(wanted)) {
            why_not = name + " says \"" + text_of(w).left(300) + "\", not \"" + wanted + "\"";
            return false;
        }
    }
    return true;
}

void UiScript::tick() {
    if (index_ >= steps_.size()) {
        finish(0, "ui-script: every step passed");
        return;
    }
    const QJsonObject step = steps_[index_].toObject();
    QString why_not;
    if (run_step(step, why_not)) {
        ++index_;
        step_started_ms_ = QDateTime::currentMSecsSinceEpoch();
        return;
    }
    const double timeout = step.contains("timeout") ? step["timeout"].toDouble() : 60.0;
    if (QDateTime::currentMSecsSinceEpoch() - step_started_ms_ > static_cast<qint64>(timeout * 1000)) {
        screenshot("failure");
        finish(1, "ui-script: step " + QString::number(index_ + 1) + " " +
                      QString::fromUtf8(QJsonDocument(step).toJson(QJsonDocument::Compact)) + " did not happen: " + why_not);
    }
}

void UiScript::count(int keystrokes, int clicks) {
    if (tallies_.isEmpty()) return;
    tallies_.back().keystrokes += keystrokes;
    tallies_.back().clicks += clicks;
}

void UiScript::finish(int code, const QString& message) {
    timer_.stop();
    for (const auto& tally : tallies_)
        std::cout << "ui-script: count " << tally.name.toStdString() << ": " << tally.keystrokes << " keystrokes, " << tally.clicks
                  << " clicks" << std::endl;
    std::cerr << message.toStdString() << std::endl;
    QApplication::exit(code);
}

}  // namespace cccd::station
