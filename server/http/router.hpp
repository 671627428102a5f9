#pragma once
// Method + path pattern -> handler. Patterns are literal segments and `{name}` segments that match one
// non-empty segment: "/v1/cards/{document_number}/status". No wildcards, no regexes.
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "server/http/message.hpp"

namespace cccd::server::http {

class Router {
public:
    // InvalidArgument for a pattern that does not start with '/', an empty or unnamed `{}` segment,
    // or the same method + pattern twice.
    void add(std::string method, std::string_view pattern, Handler handler);
    // A route that answers without a client certificate even when the server requires one (the JWKS,
    // /healthz, /readyz, /metrics): see HttpsServerOptions and docs/server-http.md.
    void add_public(std::string method, std::string_view pattern, Handler handler);

    struct Match {
        const Handler* handler = nullptr;  // null: no route (see allowed_methods)
        std::string pattern;               // the route's pattern, for the log and metrics ("/v1/cards/{n}")
        std::map<std::string, std::string, std::less<>> path_params;
        std::vector<std::string> allowed_methods;  // the path matched but not the method (405)
        bool is_public = false;                    // the matched route was added with add_public
    };
    // The handler for `method` and `path` (query already removed), with the path parameters.
    Match match(std::string_view method, std::string_view path) const;

    // The label a request's match goes by in the log and the metrics: its pattern, or "(unmatched)".
    static std::string route_label(const Match& found) { return found.handler ? found.pattern : "(unmatched)"; }

    // Every method and pattern added, in order (for documentation checks).
    std::vector<std::pair<std::string, std::string>> routes() const;

    // What the server checks before anything is routed (client certificate, rate limits), knowing the
    // match: a response refuses the request, and neither the handler nor 404/405 is reached.
    using Admission = std::function<std::optional<Response>(const Request&, const Match&)>;

    // match(), `admit`, then 404 not_found, 405 method_not_allowed (with Allow) or the handler's
    // response. HttpError from the handler becomes its JSON error; other exceptions propagate to the
    // server (which logs and counts every answer).
    Response route(Request& request, const Admission& admit = {}) const;
    // The same for a request already matched (the server matches first, to know the route's label).
    Response route(Request& request, Match found, const Admission& admit = {}) const;

private:
    struct Segment {
        std::string text;
        bool is_param = false;
    };
    struct Route {
        std::string method;
        std::string pattern;
        std::vector<Segment> segments;
        Handler handler;
        bool is_public = false;
    };
    void add_route(std::string method, std::string_view pattern, Handler handler, bool is_public);
    static Response dispatch(Request& request, Match found);
    std::vector<Route> routes_;
};

}  // namespace cccd::server::http
