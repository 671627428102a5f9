// The router (no network) and the JSON body helpers.
#include <gtest/gtest.h>

#include <boost/json/parse.hpp>

#include "base/error.hpp"
#include "server/http/json_body.hpp"
#include "server/http/router.hpp"

namespace cccd::server::http {
namespace {

std::string code_of(const Response& response) {
    return std::string(boost::json::parse(response.body).at("error").at("code").as_string());
}

Request make(std::string method, std::string path) {
    Request request;
    request.method = std::move(method);
    request.path = std::move(path);
    return request;
}

TEST(Router, MatchesLiteralsAndParams) {
    Router router;
    router.add("GET", "/v1/cards/{document_number}", [](const Request& r) {
        return Response::text(200, "card " + std::string(*r.path_param("document_number")));
    });
    router.add("GET", "/v1/cards/{document_number}/status", [](const Request& r) {
        return Response::text(200, "status " + std::string(*r.path_param("document_number")));
    });
    router.add("POST", "/v1/cards", [](const Request&) { return Response::text(201, "created"); });
    auto request = make("GET", "/v1/cards/C01234567");
    EXPECT_EQ(router.route(request).body, "card C01234567");
    request = make("GET", "/v1/cards/C01234567/status");
    EXPECT_EQ(router.route(request).body, "status C01234567");
    request = make("POST", "/v1/cards");
    EXPECT_EQ(router.route(request).status, 201u);
}

TEST(Router, NotFoundAndMethodNotAllowed) {
    Router router;
    router.add("GET", "/v1/cards/{id}", [](const Request&) { return Response::text(200, "x"); });
    router.add("PUT", "/v1/cards/{id}", [](const Request&) { return Response::text(200, "x"); });
    auto request = make("GET", "/v1/cards");
    auto response = router.route(request);
    EXPECT_EQ(response.status, 404u);
    EXPECT_EQ(code_of(response), "not_found");
    request = make("GET", "/v1/cards/");  // an empty {id} does not match
    EXPECT_EQ(router.route(request).status, 404u);
    request = make("DELETE", "/v1/cards/7");
    response = router.route(request);
    EXPECT_EQ(response.status, 405u);
    EXPECT_EQ(code_of(response), "method_not_allowed");
    ASSERT_EQ(response.headers.size(), 1u);
    EXPECT_EQ(response.headers[0].second, "GET, PUT");
}

TEST(Router, HttpErrorFromAHandlerBecomesItsJsonError) {
    Router router;
    router.add("POST", "/v1/x", [](const Request&) -> Response {
        throw HttpError(409, "card_exists", "a card is already being issued for this person");
    });
    auto request = make("POST", "/v1/x");
    const auto response = router.route(request);
    EXPECT_EQ(response.status, 409u);
    EXPECT_EQ(response.body, R"({"error":{"code":"card_exists","message":"a card is already being issued for this person"}})");
}

TEST(Router, BadPatternsAndDuplicatesAreRefused) {
    Router router;
    const Handler ok = [](const Request&) { return Response::text(200, ""); };
    EXPECT_THROW(router.add("GET", "v1/x", ok), InvalidArgument);
    EXPECT_THROW(router.add("GET", "/v1/{}", ok), InvalidArgument);
    EXPECT_THROW(router.add("GET", "/v1/a{b}", ok), InvalidArgument);
    router.add("GET", "/v1/x", ok);
    EXPECT_THROW(router.add("GET", "/v1/x", ok), InvalidArgument);
}

TEST(PercentDecode, DecodesAndRefusesBrokenEscapes) {
    EXPECT_EQ(percent_decode("a%20b+c", true), "a b c");
    EXPECT_EQ(percent_decode("a+b", false), "a+b");
    EXPECT_EQ(percent_decode("%4e%4E", false), "NN");
    EXPECT_FALSE(percent_decode("%", true));
    EXPECT_FALSE(percent_decode("%4", true));
    EXPECT_FALSE(percent_decode("%zz", true));
}

template <typename F>
HttpError error_from(F&& f) {
    try {
        f();
    } catch (const HttpError& error) {
        return error;
    }
    ADD_FAILURE() << "no HttpError";
    return HttpError(0, "", "");
}

TEST(JsonBody, ParsesWithinLimits) {
    const auto value = parse_json_body(R"({"a": [1, 2, {"b": null}]})");
    EXPECT_TRUE(value.is_object());
    const auto object = parse_json_object(R"({"personal_id": "079203001234"})");
    EXPECT_EQ(JsonFields(object).required_string("personal_id"), "079203001234");
}

TEST(JsonBody, RefusesInvalidTooLargeTooDeepAndTrailingData) {
    auto error = error_from([] { parse_json_body(R"({"a": })"); });
    EXPECT_EQ(error.status(), 400u);
    EXPECT_EQ(error.code(), "invalid_json");
    EXPECT_NE(error.message().find("at byte"), std::string::npos) << error.message();

    error = error_from([] { parse_json_body(std::string(100, ' ') + "1", JsonLimits{50, 8}); });
    EXPECT_NE(error.message().find("at most 50"), std::string::npos) << error.message();

    error = error_from([] { parse_json_body("[[[[[[[[[[1]]]]]]]]]]", JsonLimits{1024, 5}); });
    EXPECT_NE(error.message().find("deeper than 5"), std::string::npos) << error.message();
    EXPECT_NO_THROW(parse_json_body("[[[[1]]]]", JsonLimits{1024, 5}));

    error = error_from([] { parse_json_body(R"({"a":1} {"b":2})"); });
    EXPECT_EQ(error.code(), "invalid_json");
    error = error_from([] { parse_json_body(""); });
    EXPECT_EQ(error.code(), "invalid_json");
    error = error_from([] { parse_json_object("[1]"); });
    EXPECT_NE(error.message().find("must be an object"), std::string::npos);
}

TEST(JsonFields, ErrorsNameTheField) {
    const auto object = parse_json_object(
        R"({"name": "Nguyễn Văn A", "age": 40, "active": true, "address": {"province": 79}, "tags": "x", "big": -5})");
    const JsonFields fields(object);
    EXPECT_EQ(fields.required_integer("age", 0, 150), 40);
    EXPECT_TRUE(fields.required_bool("active"));
    EXPECT_FALSE(fields.optional_string("missing"));

    auto error = error_from([&] { fields.required_string("missing"); });
    EXPECT_EQ(error.code(), "invalid_field");
    EXPECT_EQ(error.message(), "field 'missing' is required");
    error = error_from([&] { fields.required_string("age"); });
    EXPECT_EQ(error.message(), "field 'age' must be a string");
    error = error_from([&] { fields.required_integer("age", 0, 18); });
    EXPECT_EQ(error.message(), "field 'age' must be between 0 and 18");
    error = error_from([&] { fields.required_object("address").required_string("province"); });
    EXPECT_EQ(error.message(), "field 'address.province' must be a string");
    error = error_from([&] { fields.required_array("tags"); });
    EXPECT_EQ(error.message(), "field 'tags' must be an array");
    error = error_from([&] { fields.required_string("name", 5); });
    EXPECT_NE(error.message().find("longer than 5"), std::string::npos);
    error = error_from([&] { fields.reject_unknown({"name", "age", "active", "address", "tags"}); });
    EXPECT_EQ(error.message(), "field 'big' is not expected here");
    error = error_from([&] { fields.required_bool("name"); });
    EXPECT_EQ(error.message(), "field 'name' must be true or false");
}

}  // namespace
}  // namespace cccd::server::http
