#include "tests/unit/station_gui/gui_app.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace cccd::station {
namespace {

class GuiEnvironment : public ::testing::Environment {
public:
    void SetUp() override {
        if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM")) qputenv("QT_QPA_PLATFORM", "offscreen");
        app_ = std::make_unique<QApplication>(argc_, argv_);
    }
    void TearDown() override { app_.reset(); }
    QApplication& app() { return *app_; }

private:
    int argc_ = 1;
    char name_[24] = "cccd_station_gui_tests";
    char* argv_[2] = {name_, nullptr};
    std::unique_ptr<QApplication> app_;
};

// GoogleTest owns the environment and runs it around all the tests.
GuiEnvironment* const environment = static_cast<GuiEnvironment*>(::testing::AddGlobalTestEnvironment(new GuiEnvironment));

}  // namespace

QApplication& gui_app() { return environment->app(); }

}  // namespace cccd::station
