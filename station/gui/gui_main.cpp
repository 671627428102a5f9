#include "station/gui/gui_main.hpp"

#include <QApplication>
#include <QCommandLineParser>
#include <QTranslator>

#include <cstdlib>
#include <iostream>

#include "station/gui/kiosk_window.hpp"
#include "station/gui/station_window.hpp"
#include "station/gui/ui_script.hpp"

namespace cccd::station {

namespace {

// Vietnamese is the source language; --lang en (or LANG=en...) loads the English translation.
void install_translation(QApplication& app, const QString& lang, QTranslator& translator) {
    const QString chosen = !lang.isEmpty() ? lang : QString::fromLocal8Bit(qgetenv("LANG")).left(2);
    if (chosen == "en" && translator.load(":/i18n/cccd_station_en.qm")) app.installTranslator(&translator);
}

struct Common {
    QString config, script, screenshots, lang;
};

Common parse(QApplication& app, const QString& description, const char* config_variable) {
    QCommandLineParser parser;
    parser.setApplicationDescription(description);
    parser.addHelpOption();
    parser.addOption({"config", "configuration file (JSON)", "file"});
    parser.addOption({"ui-script", "drive the window with this script (GUI tests)", "file"});
    parser.addOption({"screenshots", "where --ui-script saves screenshots", "dir"});
    parser.addOption({"lang", "vi (default) or en", "language"});
    parser.process(app);
    Common c{parser.value("config"), parser.value("ui-script"), parser.value("screenshots"), parser.value("lang")};
    if (c.config.isEmpty()) c.config = QString::fromLocal8Bit(qgetenv(config_variable));
    return c;
}

template <typename Window>
int run_window(QApplication& app, Window& window, const Common& c, bool full_screen) {
    if (full_screen && c.script.isEmpty()) window.showFullScreen();
    else window.show();
    UiScript* script = nullptr;
    if (!c.script.isEmpty()) {
        script = new UiScript(&window, c.script, c.screenshots, &window);
        script->start();
    }
    return app.exec();
}

}  // namespace

int run_gui(int argc, char** argv) {
    QApplication app(argc, argv);
    app.setApplicationName("cccd-station");
    const Common c = parse(app, "cccd-station: the CCCD enrollment station", "CCCD_STATION_CONFIG");
    QTranslator translator;
    install_translation(app, c.lang, translator);
    if (c.config.isEmpty()) {
        std::cerr << "cccd-station: give --config station.json (or CCCD_STATION_CONFIG)\n";
        return 2;
    }
    try {
        StationWindow window(load_station_config(c.config.toStdString()), std::chrono::minutes(10));
        return run_window(app, window, c, false);
    } catch (const std::exception& e) {
        std::cerr << "cccd-station: " << e.what() << "\n";
        return 2;
    }
}

int run_kiosk_gui(int argc, char** argv) {
    QApplication app(argc, argv);
    app.setApplicationName("cccd-kiosk");
    const Common c = parse(app, "cccd-kiosk: the citizen's CCCD kiosk", "CCCD_KIOSK_CONFIG");
    QTranslator translator;
    install_translation(app, c.lang, translator);
    if (c.config.isEmpty()) {
        std::cerr << "cccd-kiosk: give --config kiosk.json (or CCCD_KIOSK_CONFIG)\n";
        return 2;
    }
    try {
        KioskWindow window(load_kiosk_config(c.config.toStdString()));
        return run_window(app, window, c, true);
    } catch (const std::exception& e) {
        std::cerr << "cccd-kiosk: " << e.what() << "\n";
        return 2;
    }
}

}  // namespace cccd::station
