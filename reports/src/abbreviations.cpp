// Short column headers for scenario names, unique within one table.
#include "cachecheck_reports/render.h"

#include <cctype>
#include <map>

namespace cachecheck::reports::detail {

namespace {

std::vector<std::string> words_of(const std::string& name) {
  std::vector<std::string> words;
  std::string w;
  for (char ch : name) {
    if (ch == '-' || ch == '_' || ch == ' ' || ch == '.') {
      if (!w.empty()) words.push_back(w);
      w.clear();
    } else {
      w += ch;
    }
  }
  if (!w.empty()) words.push_back(w);
  return words;
}

std::string upper(std::string s) {
  for (auto& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  return s;
}

// The first word lengthened by `level` letters, then the initials of the rest.
std::string abbreviate(const std::vector<std::string>& words, std::size_t level) {
  if (words.empty()) return "?";
  std::string out = words[0].substr(0, 1 + level);
  for (std::size_t i = 1; i < words.size(); ++i) out += words[i].substr(0, 1);
  return upper(out);
}

}  // namespace

std::vector<std::string> abbreviations(const std::vector<std::string>& names) {
  std::vector<std::vector<std::string>> words;
  for (auto& n : names) words.push_back(words_of(n));
  std::vector<std::size_t> level(names.size(), 0);
  std::vector<std::string> out(names.size());
  for (int round = 0; round < 32; ++round) {
    for (std::size_t i = 0; i < names.size(); ++i) out[i] = abbreviate(words[i], level[i]);
    std::map<std::string, std::vector<std::size_t>> by_abbr;
    for (std::size_t i = 0; i < out.size(); ++i) by_abbr[out[i]].push_back(i);
    bool clash = false;
    for (auto& [abbr, idx] : by_abbr) {
      if (idx.size() < 2) continue;
      clash = true;
      for (auto i : idx) ++level[i];
    }
    if (!clash) return out;
  }
  // Still clashing (names that differ only past their first word's end): number them.
  std::map<std::string, int> seen;
  for (auto& a : out) {
    int n = ++seen[a];
    if (n > 1) a += std::to_string(n);
  }
  return out;
}

}  // namespace cachecheck::reports::detail
