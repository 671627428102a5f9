#include "station/core/outcome.hpp"

#include "card/reader/pcsc.hpp"
#include "card/session/card_session.hpp"
#include "station/core/issuance_client.hpp"
#include "station/core/issue_card.hpp"

namespace cccd::station {

std::string_view to_string(Failure code) noexcept {
    switch (code) {
        case Failure::CardRemoved: return "card_removed";
        case Failure::ServerUnreachable: return "server_unreachable";
        case Failure::ServerBusy: return "server_busy";
        case Failure::SessionExpired: return "session_expired";
        case Failure::ReaderServiceDown: return "reader_service_down";
        case Failure::Cancelled: return "cancelled";
        case Failure::NotLoggedIn: return "not_logged_in";
        case Failure::NotDelivered: return "not_delivered";
        case Failure::SearchTooShort: return "search_too_short";
        case Failure::InvalidInput: return "invalid_input";
        case Failure::WrongCredentials: return "wrong_credentials";
        case Failure::AccessDenied: return "access_denied";
        case Failure::UnknownBlankCard: return "unknown_blank_card";
        case Failure::AwaitingApproval: return "awaiting_approval";
        case Failure::SecondPersonRequired: return "second_person_required";
        case Failure::ForbiddenRole: return "forbidden_role";
        case Failure::AlreadyDecided: return "already_decided";
        case Failure::ServerRefused: return "server_refused";
        case Failure::Failed: return "failed";
        case Failure::Internal: return "internal";
    }
    return "internal";
}

bool retriable(Failure code) noexcept {
    switch (code) {
        case Failure::CardRemoved:
        case Failure::ServerUnreachable:
        case Failure::ServerBusy:
        case Failure::SessionExpired:
        case Failure::ReaderServiceDown:
        case Failure::Cancelled: return true;
        default: return false;
    }
}

Stopped::Stopped(Failure code) : Error("stopped: " + std::string(to_string(code))), code_(code) {}

namespace {

OperationFailure failure(Operation operation, Failure code, std::string detail, std::string server_code = {}) {
    OperationFailure f;
    f.operation = operation;
    f.code = code;
    f.detail = std::move(detail);
    f.server_code = std::move(server_code);
    return f;
}

// A refusal's code, by what the server said and what was asked.
Failure code_of(Operation operation, const ServerRefusal& refusal) {
    if (refusal.needs_login()) return operation == Operation::Login ? Failure::WrongCredentials : Failure::SessionExpired;
    if (refusal.try_later()) return Failure::ServerBusy;
    if (refusal.code() == "approval_required") return Failure::AwaitingApproval;
    if (refusal.code() == "second_person_required") return Failure::SecondPersonRequired;
    if (refusal.code() == "forbidden_role") return Failure::ForbiddenRole;
    if (refusal.code() == "conflict" && operation == Operation::Decide) return Failure::AlreadyDecided;
    return Failure::ServerRefused;
}

}  // namespace

OperationFailure failure_of(Operation operation, const std::exception_ptr& exception) {
    try {
        std::rethrow_exception(exception);
    } catch (const Stopped& e) {
        return failure(operation, e.code(), e.what());
    } catch (const AwaitingApprovalError& e) {
        OperationFailure f = failure(operation, Failure::AwaitingApproval, e.what(), e.code());
        f.fields = e.fields();
        f.request_id = e.request_id();
        return f;
    } catch (const ServerRefusal& e) {
        OperationFailure f = failure(operation, code_of(operation, e), e.what(), e.code());
        f.request_id = e.request_id();
        return f;
    } catch (const net::ClientError& e) {
        return failure(operation, Failure::ServerUnreachable, e.what());
    } catch (const channel::CardRemovedError& e) {
        return failure(operation, Failure::CardRemoved, e.what());
    } catch (const session::AccessDeniedError& e) {
        return failure(operation, Failure::AccessDenied, e.what());
    } catch (const perso::UnknownBlankCardError& e) {
        return failure(operation, Failure::UnknownBlankCard, e.what());
    } catch (const reader::ReaderServiceError& e) {
        return failure(operation, Failure::ReaderServiceDown, e.what());
    } catch (const InvalidArgument& e) {
        return failure(operation, Failure::InvalidInput, e.what());
    } catch (const ParseError& e) {
        // A manifest the officer chose that is not one is their input; elsewhere it is the card's data.
        return failure(operation, operation == Operation::ImportTransportKeys ? Failure::InvalidInput : Failure::Failed, e.what());
    } catch (const Error& e) {
        return failure(operation, Failure::Failed, e.what());
    } catch (const std::exception& e) {
        return failure(operation, Failure::Internal, e.what());
    } catch (...) {
        return failure(operation, Failure::Internal, "an exception that is not a std::exception");
    }
}

}  // namespace cccd::station
