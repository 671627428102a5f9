#pragma once
// Everything the station does that waits on the network or the card, on its own thread: the GUI thread
// only sends requests here (queued calls) and shows what comes back (signals). One worker owns the
// issuance client (and its session token) and the offline queue.
#include <QObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <memory>
#include <optional>
#include <vector>

#include "card/pa/passive_auth.hpp"
#include "identity/enrollment_record.hpp"
#include "station/core/enrollment_queue.hpp"
#include "station/core/issuance_client.hpp"
#include "station/core/outcome.hpp"
#include "station/core/station_config.hpp"
#include "station/core/transport_keys.hpp"

namespace cccd::station {

struct QueueRow {
    QString id, personal_id, state, queued_at, card_number, note;
};

struct FoundCitizen {
    QString personal_id, full_name, date_of_birth, status;
    identity::EnrollmentRecord record;
};

// One identity field an enrollment changes: the register's value beside the submitted one (photos: JPEG).
struct ApprovalChange {
    QString field;  // full_name, date_of_birth, sex, photo
    QString registered, submitted;
    QByteArray registered_photo, submitted_photo;
};

// An enrollment waiting for a second person's approval, as the supervisor's list shows it.
struct ApprovalRow {
    QString enrollment_id, card_number, personal_id, officer_id, station_id, created_at;
    bool submitted_by_you = false;  // the server refuses this officer's decision on it
    QList<ApprovalChange> changes;
};

// One line of a verdict list (personalization's read-back, the card check): its state, shown with an
// icon and a colour (never the colour alone), its words, and the core's detail for a check that did
// not pass (English, for the support bundle and the tooltip). Info: what the card is and holds.
struct VerdictLine {
    enum class State { Pass, Fail, NotChecked, Info };
    State state = State::Info;
    QString text;
    QString detail;
};

// The checks as the verdict list shows them: each in the officer's words with its state, the core's
// reason as the detail of one that did not pass.
QList<VerdictLine> verdict_lines(const std::vector<pa::Check>& checks);

class StationWorker : public QObject {
    Q_OBJECT
public:
    explicit StationWorker(StationConfig config);
    ~StationWorker() override;

    // Each is called on the worker's thread (QMetaObject::invokeMethod from the window).
    void open_queue();
    void login(const QString& officer, const QString& password);
    void logout();
    void enroll(const identity::EnrollmentRecord& record);
    void deliver();
    // The blank card's transport key comes from the imported batch manifests, by its chip serial.
    void issue(const QString& personal_id, const QString& reader);
    // Imports a card maker's batch manifest (once per batch) into the station's encrypted file.
    void import_transport_keys(const QString& manifest);
    // How many blank cards' keys the station holds (transportKeys).
    void count_transport_keys();
    void diagnose();
    // A 12-digit ID looks the citizen up; anything else searches by name.
    void search(const QString& text);
    // Reads the card in the reader with the CAN and checks it (PA against the CSCA, CA, AA).
    void verify_card(const QString& reader, const QString& can);

    // The identity changes waiting for a second person's approval (supervisor or administrator).
    void list_approvals();
    // Approves or rejects one (the reason goes with a rejection), then lists them again.
    void decide(const QString& enrollment_id, bool approve, const QString& reason);

    // From any thread: the running personalization stops at its next step (before LOCK it leaves an
    // unlocked card that can be personalized again; after LOCK it only finishes the verification).
    void cancel() { cancel_requested_ = true; }

Q_SIGNALS:
    void loggedIn(const QString& officer, const QString& role, const QString& station);
    void loginFailed(const QString& why);
    void enrolled(const QString& message);
    void queueChanged(const QList<cccd::station::QueueRow>& rows);
    void deliveryDone(const QString& summary);
    void step(int number, int total, const QString& name);
    void issued(bool ok, const QString& summary, const QList<cccd::station::VerdictLine>& checks, const QString& card_number);
    // The blank cards' keys held, and what the last import did (empty when nothing was imported).
    void transportKeys(int held, const QString& words);
    void diagnostics(const QString& text);
    void problem(const QString& words);
    // The server no longer knows the session (expired, or the officer was disabled): log in again.
    void sessionExpired();
    void found(const QList<cccd::station::FoundCitizen>& citizens, const QString& words);
    void verified(bool passed, const QString& summary, const QList<cccd::station::VerdictLine>& checks);
    void approvalsListed(const QList<cccd::station::ApprovalRow>& approvals, const QString& words);
    void decided(bool done, const QString& words);

private:
    // Runs one operation: whatever stops it becomes a code (failure_of, the one place), is kept for the
    // diagnostics when it is not the server's answer or the officer's doing, and goes to `failed` in the
    // officer's words (OutcomeWords); an expired session also locks the window. Nothing when it succeeded.
    template <typename Work, typename Failed>
    std::optional<OperationFailure> run(Operation operation, Work&& work, Failed&& failed);
    void publish_queue();

    StationConfig config_;
    std::unique_ptr<EnrollmentQueue> queue_;
    std::unique_ptr<TransportKeyStore> transport_keys_;  // the queue's file: opened with it
    std::unique_ptr<IssuanceClient> client_;
    QString officer_;
    QStringList recent_errors_;
    std::atomic<bool> cancel_requested_{false};
};

}  // namespace cccd::station

Q_DECLARE_METATYPE(cccd::station::QueueRow)
Q_DECLARE_METATYPE(cccd::station::VerdictLine)
Q_DECLARE_METATYPE(cccd::station::FoundCitizen)
Q_DECLARE_METATYPE(cccd::station::ApprovalRow)
