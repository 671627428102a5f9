#include "auth/request.hpp"

#include <boost/json.hpp>

#include <initializer_list>

#include "auth/challenge.hpp"
#include "auth/errors.hpp"
#include "base/encoding.hpp"

namespace cccd::auth {
namespace json = boost::json;
namespace {

[[noreturn]] void invalid(const std::string& reason) { throw AuthFailure(AuthError::InputInvalid, reason); }

void reject_unknown(const json::object& object, std::initializer_list<std::string_view> allowed, std::string_view where) {
    for (const auto& member : object) {
        bool known = false;
        for (auto name : allowed) known = known || member.key() == name;
        // The name itself is not echoed: it is the caller's text, of any length.
        if (!known) invalid("unknown field in " + std::string(where));
    }
}

const json::value* member(const json::object& object, std::string_view name) {
    auto it = object.find(name);
    return it == object.end() ? nullptr : &it->value();
}

std::string string_field(const json::object& object, std::string_view name, std::size_t max_length) {
    const json::value* v = member(object, name);
    if (v == nullptr) invalid(std::string(name) + " is missing");
    if (!v->is_string()) invalid(std::string(name) + " must be a string");
    const json::string& s = v->get_string();
    if (s.size() > max_length) invalid(std::string(name) + " is too long");
    return std::string(s.data(), s.size());
}

std::optional<Bytes> base64_field(const json::object& object, std::string_view name, std::size_t max_bytes,
                                  bool required) {
    const json::value* v = member(object, name);
    if (v == nullptr) {
        if (required) invalid(std::string(name) + " is missing");
        return std::nullopt;
    }
    if (!v->is_string()) invalid(std::string(name) + " must be a base64 string");
    const json::string& s = v->get_string();
    // Checked on the text first, so an oversized value is never decoded.
    if (s.size() > (max_bytes + 2) / 3 * 4) invalid(std::string(name) + " is larger than " + std::to_string(max_bytes) + " bytes");
    try {
        Bytes bytes = base64_decode(std::string_view(s.data(), s.size()));
        if (bytes.empty()) invalid(std::string(name) + " is empty");
        return bytes;
    } catch (const InvalidArgument&) {
        invalid(std::string(name) + " is not valid base64");
    }
}

void check_size(const Bytes& bytes, std::size_t max, std::string_view name) {
    if (bytes.empty()) invalid(std::string(name) + " is empty");
    if (bytes.size() > max) invalid(std::string(name) + " is larger than " + std::to_string(max) + " bytes");
}

}  // namespace

void check_verification_request(const VerificationRequest& r) {
    using L = RequestLimits;
    if (!is_valid_challenge_id(r.challenge_id)) invalid("challenge_id is not a challenge id");
    if (r.document_number.size() != 9 ||
        r.document_number.find_first_not_of("0123456789") != std::string::npos) {
        invalid("document_number must be 9 digits");
    }
    if (r.is_lean()) {
        // Nothing could check a data group without its EF.SOD.
        if (!r.dg1.empty() || r.dg2 || r.dg13 || !r.dg14.empty()) {
            invalid("without EF.SOD, DG15 is the only file a presentation may carry");
        }
    } else {
        check_size(r.ef_sod, L::kMaxSod, "EF.SOD");
        check_size(r.dg1, L::kMaxDg1, "DG1");
        if (r.dg2) check_size(*r.dg2, L::kMaxDg2, "DG2");
        if (r.dg13) check_size(*r.dg13, L::kMaxDg13, "DG13");
        check_size(r.dg14, L::kMaxDg14, "DG14");
    }
    check_size(r.dg15, L::kMaxDg15, "DG15");
    check_size(r.active_auth_signature, L::kMaxSignature, "active_auth_signature");
    if (r.chip_auth_public_key) check_size(*r.chip_auth_public_key, L::kMaxChipAuthKey, "chip_authentication.public_key");
}

VerificationRequest parse_verification_request(std::string_view text) {
    using L = RequestLimits;
    if (text.size() > L::kMaxRequestJsonBytes) invalid("the request is larger than " + std::to_string(L::kMaxRequestJsonBytes) + " bytes");
    json::parse_options options;
    options.max_depth = 4;  // the deepest legitimate member is files.DG1 / chip_authentication.public_key
    std::error_code ec;
    json::value root = json::parse(text, ec, {}, options);
    if (ec) invalid("the request is not well-formed JSON");
    if (!root.is_object()) invalid("the request must be a JSON object");
    const json::object& body = root.get_object();
    reject_unknown(body, {"challenge_id", "document_number", "files", "active_auth_signature", "chip_authentication"},
                   "the request");

    VerificationRequest r;
    r.challenge_id = string_field(body, "challenge_id", 64);
    r.document_number = string_field(body, "document_number", 16);

    const json::value* files = member(body, "files");
    if (files == nullptr || !files->is_object()) invalid("files must be an object");
    const json::object& f = files->get_object();
    reject_unknown(f, {"EF.SOD", "DG1", "DG2", "DG13", "DG14", "DG15"}, "files");
    if (member(f, "EF.SOD") != nullptr) {
        r.ef_sod = *base64_field(f, "EF.SOD", L::kMaxSod, true);
        r.dg1 = *base64_field(f, "DG1", L::kMaxDg1, true);
        r.dg2 = base64_field(f, "DG2", L::kMaxDg2, false);
        r.dg13 = base64_field(f, "DG13", L::kMaxDg13, false);
        r.dg14 = *base64_field(f, "DG14", L::kMaxDg14, true);
    } else {
        // The lean form: nothing could check a data group without its EF.SOD.
        if (f.size() != 1 || member(f, "DG15") == nullptr) {
            invalid("without EF.SOD, DG15 is the only file a presentation may carry");
        }
    }
    r.dg15 = *base64_field(f, "DG15", L::kMaxDg15, true);
    r.active_auth_signature = *base64_field(body, "active_auth_signature", L::kMaxSignature, true);

    if (const json::value* ca = member(body, "chip_authentication")) {
        if (!ca->is_object()) invalid("chip_authentication must be an object");
        reject_unknown(ca->get_object(), {"public_key"}, "chip_authentication");
        r.chip_auth_public_key = base64_field(ca->get_object(), "public_key", L::kMaxChipAuthKey, true);
    }
    check_verification_request(r);
    return r;
}

std::string verification_request_json(const VerificationRequest& r) {
    json::object files;
    if (!r.is_lean()) {
        files["EF.SOD"] = base64_encode(r.ef_sod);
        files["DG1"] = base64_encode(r.dg1);
        files["DG14"] = base64_encode(r.dg14);
        if (r.dg2) files["DG2"] = base64_encode(*r.dg2);
        if (r.dg13) files["DG13"] = base64_encode(*r.dg13);
    }
    files["DG15"] = base64_encode(r.dg15);
    json::object body;
    body["challenge_id"] = r.challenge_id;
    body["document_number"] = r.document_number;
    body["files"] = std::move(files);
    body["active_auth_signature"] = base64_encode(r.active_auth_signature);
    if (r.chip_auth_public_key) {
        body["chip_authentication"] = json::object{{"public_key", base64_encode(*r.chip_auth_public_key)}};
    }
    return json::serialize(body);
}

VerificationRequest lean_form(const VerificationRequest& full) {
    VerificationRequest lean;
    lean.challenge_id = full.challenge_id;
    lean.document_number = full.document_number;
    lean.dg15 = full.dg15;
    lean.active_auth_signature = full.active_auth_signature;
    lean.chip_auth_public_key = full.chip_auth_public_key;
    return lean;
}

}  // namespace cccd::auth
