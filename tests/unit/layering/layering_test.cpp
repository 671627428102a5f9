// The layering rules of docs/architecture.md, checked on the tree and on the CMake link graph:
//  - every #include "..." of a product file names a part its own part may use (directly or through the
//    parts those may use), or its own part;
//  - every link of a product target to another of this project's targets does the same;
//  - what the "never" rules list is not reachable through the link graph from the target they name.
// The rules are read from the ```layers and ```never blocks of docs/architecture.md, so they are written
// once. CCCD_LAYERING_ROOT (environment) points the include check at another checkout.
#include <gtest/gtest.h>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

std::vector<std::string> words(const std::string& line) {
    std::istringstream in(line);
    std::vector<std::string> out;
    for (std::string w; in >> w;) out.push_back(w);
    return out;
}

// The lines of the fenced block that opens with ```<name> in docs/architecture.md, comments dropped.
std::vector<std::string> rule_block(const fs::path& root, const std::string& name) {
    std::ifstream in(root / "docs" / "architecture.md");
    std::vector<std::string> lines;
    bool inside = false;
    for (std::string line; std::getline(in, line);) {
        if (!inside && line == "```" + name) {
            inside = true;
        } else if (inside && line.rfind("```", 0) == 0) {
            break;
        } else if (inside) {
            if (const auto hash = line.find('#'); hash != std::string::npos) line.erase(hash);
            if (line.find_first_not_of(" \t") != std::string::npos) lines.push_back(line);
        }
    }
    return lines;
}

// Every node reachable from `from` in one step or more; `next(node)` points at a node's successors, or is
// null for a node that has none (or is unknown).
template <typename Next>
std::set<std::string> reachable(const std::string& from, Next next) {
    std::set<std::string> seen;
    std::vector<std::string> todo{from};
    while (!todo.empty()) {
        const std::string node = todo.back();
        todo.pop_back();
        if (const auto* successors = next(node)) {
            for (const std::string& s : *successors)
                if (seen.insert(s).second) todo.push_back(s);
        }
    }
    return seen;
}

// The violations the ```pending block lists (each line a substring of the message), known and being
// removed: they do not fail the test, but a listed one that no longer happens does, so the list only shrinks.
class Pending {
public:
    explicit Pending(const fs::path& root) {
        for (const std::string& line : rule_block(root, "pending")) {
            const auto first = line.find_first_not_of(" \t");
            const auto last = line.find_last_not_of(" \t");
            entries_[line.substr(first, last - first + 1)] = false;
        }
    }
    // Fails the test unless `message` is a pending violation.
    void report(const std::string& message) {
        for (auto& [entry, seen] : entries_) {
            if (message.find(entry) != std::string::npos) {
                seen = true;
                return;
            }
        }
        ADD_FAILURE() << message;
    }
    // Call once every violation of one check has been reported: entries for it that were not seen fail.
    void expect_seen(const std::string& check) {
        for (const auto& [entry, seen] : entries_)
            if (!seen && entry.rfind(check, 0) == 0)
                ADD_FAILURE() << "the pending violation '" << entry << "' no longer happens: take it out of docs/architecture.md";
    }

private:
    std::map<std::string, bool> entries_;
};

struct Rules {
    std::map<std::string, std::set<std::string>> uses;  // part -> every part it may use (transitively)

    static Rules read(const fs::path& root) {
        std::map<std::string, std::set<std::string>> direct;
        for (const std::string& line : rule_block(root, "layers")) {
            const auto colon = line.find(':');
            EXPECT_NE(colon, std::string::npos) << "a layers rule is 'part: parts it uses': " << line;
            if (colon == std::string::npos) continue;
            const std::string part = words(line.substr(0, colon)).at(0);
            auto& set = direct[part];
            for (const std::string& used : words(line.substr(colon + 1))) set.insert(used);
        }
        Rules rules;
        for (const auto& [part, _] : direct) {
            const std::set<std::string> seen = reachable(part, [&](const std::string& p) -> const std::set<std::string>* {
                const auto it = direct.find(p);
                if (it != direct.end()) return &it->second;
                ADD_FAILURE() << "part '" << p << "' is used but not declared in the layers rules";
                return nullptr;
            });
            EXPECT_FALSE(seen.contains(part)) << "the layers rules run in a circle through " << part;
            rules.uses[part] = seen;
        }
        return rules;
    }

    // The declared part a path ("card/lds/dg1.hpp", "auth/client") belongs to: its longest prefix.
    std::string part_of(const std::string& path) const {
        std::string best;
        for (const auto& [part, _] : uses) {
            if ((path == part || path.rfind(part + "/", 0) == 0) && part.size() > best.size()) best = part;
        }
        return best;
    }

    bool may_use(const std::string& from, const std::string& to) const {
        return from == to || uses.at(from).contains(to);
    }

    std::set<std::string> top_folders() const {
        std::set<std::string> out;
        for (const auto& [part, _] : uses) out.insert(part.substr(0, part.find('/')));
        return out;
    }
};

fs::path source_root() {
    if (const char* root = std::getenv("CCCD_LAYERING_ROOT")) return root;
    return CCCD_SOURCE_ROOT;
}

bool is_source(const fs::path& p) {
    const std::string ext = p.extension().string();
    return ext == ".cpp" || ext == ".hpp" || ext == ".h";
}

TEST(Layering, EveryIncludeNamesALayerBelowOrItsOwn) {
    const fs::path root = source_root();
    const Rules rules = Rules::read(root);
    ASSERT_FALSE(rules.uses.empty()) << "no ```layers block in docs/architecture.md";
    Pending pending(root);
    std::size_t files = 0;
    for (const std::string& top : rules.top_folders()) {
        if (!fs::is_directory(root / top)) continue;
        for (const auto& entry : fs::recursive_directory_iterator(root / top)) {
            if (!entry.is_regular_file() || !is_source(entry.path())) continue;
            const std::string file = fs::relative(entry.path(), root).generic_string();
            const std::string own = rules.part_of(file);
            if (own.empty()) {
                ADD_FAILURE() << file << " is in no part of the layers rules";
                continue;
            }
            ++files;
            std::ifstream in(entry.path());
            for (std::string line; std::getline(in, line);) {
                if (line.rfind("#include \"", 0) != 0) continue;
                const std::string target = line.substr(10, line.find('"', 10) - 10);
                if (target.find('/') == std::string::npos) continue;  // beside the file itself
                const std::string used = rules.part_of(target);
                if (used.empty()) {
                    pending.report("include " + file + " -> " + target + ": in no layer a product part may use");
                } else if (!rules.may_use(own, used)) {
                    pending.report("include " + file + " -> " + target + ": " + own + " may not use " + used);
                }
            }
        }
    }
    EXPECT_GT(files, 100u);
    pending.expect_seen("include ");
}

struct Target {
    std::string part;
    std::vector<std::string> deps;
};

std::map<std::string, Target> link_graph(const Rules& rules) {
    std::ifstream in(CCCD_LINK_GRAPH);
    EXPECT_TRUE(in) << "no link graph at " << CCCD_LINK_GRAPH << " (written when CMake configures)";
    const fs::path root = fs::weakly_canonical(CCCD_SOURCE_ROOT);
    std::map<std::string, Target> graph;
    for (std::string line; std::getline(in, line);) {
        std::vector<std::string> fields;
        std::size_t start = 0;
        for (int i = 0; i < 3; ++i) {
            const auto bar = line.find('|', start);
            fields.push_back(line.substr(start, bar - start));
            start = bar + 1;
        }
        fields.push_back(line.substr(start));
        Target t;
        if (fields[2] == "<generated>") {
            t.part = "<generated>";  // Qt's resources and the like: part of whatever links them
        } else {
            const std::string dir = fs::relative(fs::weakly_canonical(fields[2]), root).generic_string();
            t.part = rules.part_of(dir);
        }
        std::istringstream deps(fields[3]);
        for (std::string d; std::getline(deps, d, ';');)
            if (!d.empty()) t.deps.push_back(d);
        graph[fields[0]] = t;
    }
    return graph;
}

TEST(Layering, EveryLinkNamesALayerBelowOrItsOwn) {
    const Rules rules = Rules::read(CCCD_SOURCE_ROOT);
    const auto graph = link_graph(rules);
    ASSERT_GT(graph.size(), 20u);
    Pending pending(CCCD_SOURCE_ROOT);
    for (const auto& [name, target] : graph) {
        if (target.part.empty() || target.part == "<generated>") continue;  // tests, fixtures, benchmarks
        for (const std::string& dep : target.deps) {
            const auto it = graph.find(dep);
            if (it == graph.end() || it->second.part == "<generated>") continue;  // a system library, generated code
            if (it->second.part.empty()) {
                pending.report("link " + name + " -> " + dep + ": test code");
            } else if (!rules.may_use(target.part, it->second.part)) {
                pending.report("link " + name + " -> " + dep + ": " + target.part + " may not use " + it->second.part);
            }
        }
    }
    pending.expect_seen("link ");
}

std::string lower(std::string s) {
    std::transform(s.begin(), s.end(), s.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    return s;
}

// What `from` reaches through the link graph: this project's targets and system libraries.
std::set<std::string> linked_from(const std::map<std::string, Target>& graph, const std::string& from) {
    return reachable(from, [&](const std::string& t) -> const std::vector<std::string>* {
        const auto it = graph.find(t);
        return it == graph.end() ? nullptr : &it->second.deps;
    });
}

TEST(Layering, WhatATargetMustNeverReach) {
    const Rules rules = Rules::read(CCCD_SOURCE_ROOT);
    const auto graph = link_graph(rules);
    const auto never = rule_block(CCCD_SOURCE_ROOT, "never");
    ASSERT_FALSE(never.empty()) << "no ```never block in docs/architecture.md";
    for (const std::string& line : never) {
        const auto w = words(line);
        ASSERT_GE(w.size(), 2u) << "a never rule is 'target what...': " << line;
        ASSERT_TRUE(graph.contains(w[0])) << "the never rules name " << w[0] << ", which is no target";
        const auto reached = linked_from(graph, w[0]);
        for (std::size_t i = 1; i < w.size(); ++i) {
            const std::string& banned = w[i];
            for (const std::string& r : reached) {
                const auto it = graph.find(r);
                const bool hit = banned.back() == '/'
                                     ? it != graph.end() && (it->second.part + "/").rfind(banned, 0) == 0
                                     : it == graph.end() && lower(r).find(lower(banned)) != std::string::npos;
                EXPECT_FALSE(hit) << w[0] << " reaches " << r << " through its links, and must never reach " << banned;
            }
        }
    }
}

}  // namespace
