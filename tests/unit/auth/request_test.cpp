// Bounded input: parse_verification_request refuses oversized, malformed, unknown and missing fields.
#include <gtest/gtest.h>

#include <boost/json.hpp>

#include "auth/errors.hpp"
#include "auth/request.hpp"
#include "base/encoding.hpp"

namespace cccd::auth {
namespace {

namespace json = boost::json;
using cccd::base64_encode;

json::object valid_body() {
    json::object files;
    files["EF.SOD"] = base64_encode(Bytes(1000, 0x77));
    files["DG1"] = base64_encode(Bytes(95, 0x61));
    files["DG14"] = base64_encode(Bytes(300, 0x6e));
    files["DG15"] = base64_encode(Bytes(100, 0x6f));
    json::object body;
    body["challenge_id"] = "AAAAAAAAAAAAAAAAAAAAAA";
    body["document_number"] = "303012345";
    body["files"] = files;
    body["active_auth_signature"] = base64_encode(Bytes(64, 0x01));
    return body;
}

AuthError refusal(const std::string& text) {
    try {
        parse_verification_request(text);
    } catch (const AuthFailure& failure) {
        return failure.code();
    }
    ADD_FAILURE() << "accepted: " << text.substr(0, 200);
    return AuthError::CitizenNotActive;
}

AuthError refusal(const json::object& body) { return refusal(json::serialize(body)); }

TEST(VerificationRequestJson, ParsesAValidBody) {
    json::object body = valid_body();
    body["files"].as_object()["DG13"] = base64_encode(Bytes(500, 0x6d));
    body["chip_authentication"] = json::object{{"public_key", base64_encode(Bytes(90, 0x30))}};
    const VerificationRequest r = parse_verification_request(json::serialize(body));
    EXPECT_EQ(r.challenge_id, "AAAAAAAAAAAAAAAAAAAAAA");
    EXPECT_EQ(r.document_number, "303012345");
    EXPECT_EQ(r.ef_sod, Bytes(1000, 0x77));
    EXPECT_EQ(r.dg1.size(), 95u);
    EXPECT_FALSE(r.dg2);
    ASSERT_TRUE(r.dg13);
    EXPECT_EQ(r.dg13->size(), 500u);
    ASSERT_TRUE(r.chip_auth_public_key);
    EXPECT_EQ(r.chip_auth_public_key->size(), 90u);
}

TEST(VerificationRequestJson, RefusesMalformedAndOversizedJson) {
    EXPECT_EQ(refusal(""), AuthError::InputInvalid);
    EXPECT_EQ(refusal("{"), AuthError::InputInvalid);
    EXPECT_EQ(refusal("[]"), AuthError::InputInvalid);
    EXPECT_EQ(refusal(json::serialize(valid_body()).substr(0, 100)), AuthError::InputInvalid);
    EXPECT_EQ(refusal(std::string(200, '[') + std::string(200, ']')), AuthError::InputInvalid);  // too deep
    EXPECT_EQ(refusal(std::string(RequestLimits::kMaxRequestJsonBytes + 1, ' ')), AuthError::InputInvalid);
    json::object huge = valid_body();
    huge["files"].as_object()["DG2"] = std::string(RequestLimits::kMaxRequestJsonBytes, 'A');
    EXPECT_EQ(refusal(huge), AuthError::InputInvalid);
}

TEST(VerificationRequestJson, RefusesEveryFieldOverItsLimit) {
    const std::pair<const char*, std::size_t> limits[] = {
        {"EF.SOD", RequestLimits::kMaxSod}, {"DG1", RequestLimits::kMaxDg1},   {"DG2", RequestLimits::kMaxDg2},
        {"DG13", RequestLimits::kMaxDg13},  {"DG14", RequestLimits::kMaxDg14}, {"DG15", RequestLimits::kMaxDg15},
    };
    for (const auto& [name, limit] : limits) {
        json::object body = valid_body();
        body["files"].as_object()[name] = base64_encode(Bytes(limit, 0x01));
        EXPECT_NO_THROW(parse_verification_request(json::serialize(body))) << name << " at its limit";
        body["files"].as_object()[name] = base64_encode(Bytes(limit + 1, 0x01));
        EXPECT_EQ(refusal(body), AuthError::InputInvalid) << name;
    }
    json::object body = valid_body();
    body["active_auth_signature"] = base64_encode(Bytes(RequestLimits::kMaxSignature + 1, 0x01));
    EXPECT_EQ(refusal(body), AuthError::InputInvalid);
    body = valid_body();
    body["chip_authentication"] = json::object{{"public_key", base64_encode(Bytes(RequestLimits::kMaxChipAuthKey + 1, 1))}};
    EXPECT_EQ(refusal(body), AuthError::InputInvalid);
    body = valid_body();
    body["challenge_id"] = std::string(65, 'A');
    EXPECT_EQ(refusal(body), AuthError::InputInvalid);
}

TEST(VerificationRequestJson, RefusesUnknownMissingAndMistypedFields) {
    json::object body = valid_body();
    body["admin"] = true;
    EXPECT_EQ(refusal(body), AuthError::InputInvalid);
    body = valid_body();
    body["files"].as_object()["DG3"] = base64_encode(Bytes(10, 1));  // fingerprints are never accepted
    EXPECT_EQ(refusal(body), AuthError::InputInvalid);
    body = valid_body();
    body["chip_authentication"] = json::object{{"public_key", base64_encode(Bytes(10, 1))}, {"verified", true}};
    EXPECT_EQ(refusal(body), AuthError::InputInvalid);
    for (const char* field : {"challenge_id", "document_number", "files", "active_auth_signature"}) {
        body = valid_body();
        body.erase(field);
        EXPECT_EQ(refusal(body), AuthError::InputInvalid) << field;
    }
    for (const char* file : {"EF.SOD", "DG1", "DG14", "DG15"}) {
        body = valid_body();
        body["files"].as_object().erase(file);
        EXPECT_EQ(refusal(body), AuthError::InputInvalid) << file;
    }
    body = valid_body();
    body["document_number"] = 303012345;
    EXPECT_EQ(refusal(body), AuthError::InputInvalid);
    body = valid_body();
    body["document_number"] = "30301234X";
    EXPECT_EQ(refusal(body), AuthError::InputInvalid);
    body = valid_body();
    body["challenge_id"] = "short";
    EXPECT_EQ(refusal(body), AuthError::InputInvalid);
    body = valid_body();
    body["files"].as_object()["DG1"] = "not base64!";
    EXPECT_EQ(refusal(body), AuthError::InputInvalid);
    body = valid_body();
    body["files"].as_object()["DG1"] = "";
    EXPECT_EQ(refusal(body), AuthError::InputInvalid);
}

TEST(VerificationRequestJson, ParsesTheLeanFormWithDg15Only) {
    json::object body = valid_body();
    const std::string dg15 = std::string(body["files"].as_object()["DG15"].as_string());
    body["files"] = json::object{{"DG15", dg15}};
    const VerificationRequest r = parse_verification_request(json::serialize(body));
    EXPECT_TRUE(r.is_lean());
    EXPECT_TRUE(r.dg1.empty());
    EXPECT_TRUE(r.dg14.empty());
    EXPECT_EQ(r.dg15, base64_decode(dg15));
    EXPECT_EQ(lean_form(r), r);
}

TEST(VerificationRequestJson, TheLeanFormCarriesNoDataGroupButDg15) {
    const json::object full = valid_body();
    for (const char* file : {"DG1", "DG2", "DG13", "DG14"}) {
        json::object body = full;
        json::object files{{"DG15", full.at("files").as_object().at("DG15")}};
        files[file] = base64_encode(Bytes(20, 0x31));
        body["files"] = files;
        EXPECT_EQ(refusal(body), AuthError::InputInvalid) << file;
    }
    json::object empty = full;
    empty["files"] = json::object{};
    EXPECT_EQ(refusal(empty), AuthError::InputInvalid);
}

TEST(VerificationRequest, LeanFormKeepsWhatPicksAndChecksTheCard) {
    VerificationRequest full = parse_verification_request(json::serialize(valid_body()));
    full.chip_auth_public_key = Bytes(90, 0x30);
    const VerificationRequest lean = lean_form(full);
    EXPECT_TRUE(lean.is_lean());
    EXPECT_EQ(lean.challenge_id, full.challenge_id);
    EXPECT_EQ(lean.document_number, full.document_number);
    EXPECT_EQ(lean.dg15, full.dg15);
    EXPECT_EQ(lean.active_auth_signature, full.active_auth_signature);
    EXPECT_EQ(lean.chip_auth_public_key, full.chip_auth_public_key);
    EXPECT_TRUE(lean.dg1.empty() && lean.dg14.empty() && !lean.dg2 && !lean.dg13);
    EXPECT_NO_THROW(check_verification_request(lean));
}

}  // namespace
}  // namespace cccd::auth
