#pragma once
// --ui-script FILE: drives the real window with real input events, for GUI tests and demonstrations.
// The file is a JSON array of steps, run one after the other; each waits (up to "timeout" seconds,
// default 60) until its widget exists, is visible and enabled:
//   {"type": "officer", "text": "canbo01"}     key presses into a line edit (found by object name)
//   {"choose": "sex", "text": "F"}             a combo box entry
//   {"click": "login"}                         a left click in the middle of a button
//   {"tab": "tabs", "index": 2}                a tab of a tab widget (or "text": a visible tab whose title
//                                              contains it)
//   {"tab_hidden": "tabs", "text": "Phê duyệt"}  no visible tab's title contains the words
//   {"select": "table", "contains": "0011"}    the row of a table or list whose text contains the words
//   {"wait": "status", "contains": "Đã"}       until the widget's text contains the words
//   {"screenshot": "02-enroll"}                the window as PNG in --screenshots DIR
//   {"file_exists": "/tmp/card.pdf"}           until the file exists and is not empty
//   {"key": "Return"}                          a key (or chord: "Alt+T", "Shift+Tab") to the focused widget
//   {"keys": "0011"}                           key presses into the focused widget
//   {"copy_file": "/a/face.jpg", "to": "/inbox/IMG_2.jpg"}  another program writes a file (the desk camera
//                                              saving a picture): copied, its time made now
//   {"count": "enrollment 1"}                  from here on, the officer's input is counted under this name
//                                              (each typed character and key a keystroke; each click, tab,
//                                              row chosen a click; a combo box entry two clicks); the
//                                              figures are printed at the end, one line per name:
//                                              "ui-script: count enrollment 1: 14 keystrokes, 3 clicks"
// Typing into a read-only field fails the step: what the officer must not type (the date of issue, the
// expiry) cannot be typed by a script either.
// On a step that does not happen in time: a "failure" screenshot, the reason on stderr, exit code 1.
// After the last step: exit code 0.
#include <QJsonArray>
#include <QObject>
#include <QString>
#include <QTimer>
#include <QWidget>

namespace cccd::station {

class UiScript : public QObject {
    Q_OBJECT
public:
    UiScript(QWidget* window, const QString& script_file, QString screenshot_dir, QObject* parent = nullptr);
    void start();

private:
    void tick();
    bool run_step(const QJsonObject& step, QString& why_not);
    void finish(int code, const QString& message);
    QWidget* find(const QString& name, QString& why_not) const;
    void screenshot(const QString& name);

    QWidget* window_;
    QJsonArray steps_;
    QString screenshot_dir_;
    int index_ = 0;
    qint64 step_started_ms_ = 0;
    QTimer timer_;
    struct Tally {
        QString name;
        int keystrokes = 0, clicks = 0;
    };
    QList<Tally> tallies_;  // the last one counts
    void count(int keystrokes, int clicks);
};

}  // namespace cccd::station
