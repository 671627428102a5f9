#include "station/gui/gui_main.hpp"

#include <QApplication>
#include <QCommandLineParser>
#include <QTranslator>

#include <cstdlib>
#include <memory>
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

// The program's QApplication, its options, then the window `make` builds from the configuration file.
template <typename Make>
int run_program(int argc, char** argv, const char* name, const QString& description, const char* config_variable,
                bool full_screen, Make make) {
    QApplication app(argc, argv);
    app.setApplicationName(name);
    const Common c = parse(app, description, config_variable);
    QTranslator translator;
    install_translation(app, c.lang, translator);
    if (c.config.isEmpty()) {
        std::cerr << name << ": give --config FILE (or " << config_variable << ")\n";
        return 2;
    }
    try {
        auto window = make(c.config.toStdString());
        return run_window(app, *window, c, full_screen);
    } catch (const std::exception& e) {
        std::cerr << name << ": " << e.what() << "\n";
        return 2;
    }
}

}  // namespace

int run_gui(int argc, char** argv) {
    return run_program(argc, argv, "cccd-station", "cccd-station: the CCCD enrollment station", "CCCD_STATION_CONFIG", false,
                       [](const std::string& file) {
                           return std::make_unique<StationWindow>(load_station_config(file), std::chrono::minutes(10));
                       });
}

int run_kiosk_gui(int argc, char** argv) {
    return run_program(argc, argv, "cccd-kiosk", "cccd-kiosk: the citizen's CCCD kiosk", "CCCD_KIOSK_CONFIG", true,
                       [](const std::string& file) { return std::make_unique<KioskWindow>(load_kiosk_config(file)); });
}

}  // namespace cccd::station
