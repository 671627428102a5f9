#include "server/http/router.hpp"

#include <algorithm>

#include "base/error.hpp"

namespace cccd::server::http {

namespace {

std::vector<std::string_view> split_path(std::string_view path) {
    std::vector<std::string_view> parts;
    if (path.empty() || path.front() != '/') return parts;
    path.remove_prefix(1);
    while (true) {
        const auto slash = path.find('/');
        parts.push_back(path.substr(0, slash));
        if (slash == std::string_view::npos) break;
        path.remove_prefix(slash + 1);
    }
    return parts;
}

}  // namespace

void Router::add(std::string method, std::string_view pattern, Handler handler) {
    add_route(std::move(method), pattern, std::move(handler), false);
}

void Router::add_public(std::string method, std::string_view pattern, Handler handler) {
    add_route(std::move(method), pattern, std::move(handler), true);
}

void Router::add_route(std::string method, std::string_view pattern, Handler handler, bool is_public) {
    if (pattern.empty() || pattern.front() != '/')
        throw InvalidArgument("route pattern '" + std::string(pattern) + "' must start with '/'");
    if (!handler) throw InvalidArgument("route " + method + " " + std::string(pattern) + " has no handler");
    Route route{std::move(method), std::string(pattern), {}, std::move(handler), is_public};
    for (std::string_view part : split_path(pattern)) {
        Segment segment;
        if (part.size() >= 2 && part.front() == '{' && part.back() == '}') {
            segment.text = std::string(part.substr(1, part.size() - 2));
            segment.is_param = true;
            if (segment.text.empty()) throw InvalidArgument("route pattern '" + route.pattern + "' has an unnamed {}");
        } else {
            if (part.find_first_of("{}") != std::string_view::npos)
                throw InvalidArgument("route pattern '" + route.pattern + "': a {param} must be a whole segment");
            segment.text = std::string(part);
        }
        route.segments.push_back(std::move(segment));
    }
    for (const Route& existing : routes_)
        if (existing.method == route.method && existing.pattern == route.pattern)
            throw InvalidArgument("route " + route.method + " " + route.pattern + " is defined twice");
    routes_.push_back(std::move(route));
}

Router::Match Router::match(std::string_view method, std::string_view path) const {
    Match result;
    const auto parts = split_path(path);
    for (const Route& route : routes_) {
        if (route.segments.size() != parts.size()) continue;
        std::map<std::string, std::string, std::less<>> params;
        bool matches = true;
        for (std::size_t i = 0; i < parts.size() && matches; ++i) {
            const Segment& segment = route.segments[i];
            if (segment.is_param) {
                if (parts[i].empty()) matches = false;
                else params.emplace(segment.text, std::string(parts[i]));
            } else if (segment.text != parts[i]) {
                matches = false;
            }
        }
        if (!matches) continue;
        if (route.method == method) {
            result.handler = &route.handler;
            result.pattern = route.pattern;
            result.path_params = std::move(params);
            result.allowed_methods.clear();
            result.is_public = route.is_public;
            return result;
        }
        if (std::find(result.allowed_methods.begin(), result.allowed_methods.end(), route.method) ==
            result.allowed_methods.end())
            result.allowed_methods.push_back(route.method);
    }
    return result;
}

std::vector<std::pair<std::string, std::string>> Router::routes() const {
    std::vector<std::pair<std::string, std::string>> out;
    for (const auto& r : routes_) out.emplace_back(r.method, r.pattern);
    return out;
}

Response Router::route(Request& request, const Admission& admit) const {
    return route(request, match(request.method, request.path), admit);
}

Response Router::route(Request& request, Match found, const Admission& admit) const {
    std::optional<Response> refusal;
    if (admit) refusal = admit(request, found);
    return refusal ? std::move(*refusal) : dispatch(request, std::move(found));
}

Response Router::dispatch(Request& request, Match found) {
    if (!found.handler) {
        if (found.allowed_methods.empty())
            // The path is not repeated: it is the client's bytes, not necessarily UTF-8 or printable.
            return Response::error(404, "not_found", "there is no resource at this path");
        std::string allow;
        for (const auto& method : found.allowed_methods) allow += (allow.empty() ? "" : ", ") + method;
        Response response = Response::error(405, "method_not_allowed",
                                            "this method is not allowed here; allowed: " + allow);
        response.headers.emplace_back("Allow", allow);
        return response;
    }
    request.path_params = std::move(found.path_params);
    try {
        return (*found.handler)(request);
    } catch (const HttpError& error) {
        return error.response();
    }
}

}  // namespace cccd::server::http
