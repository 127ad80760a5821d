// The matrix at a glance, for the terminal: strategies down, scenarios across.
#include "cachecheck_reports/render.h"

#include <algorithm>

namespace cachecheck::reports {

namespace {

constexpr std::size_t max_width = 100;  // abbreviate scenario headers beyond this
constexpr const char* green = "\x1b[32m";
constexpr const char* red = "\x1b[1;31m";
constexpr const char* reset = "\x1b[0m";

std::string pad(const std::string& s, std::size_t width) {
  return s.size() >= width ? s : s + std::string(width - s.size(), ' ');
}

std::string cell_text(const Cell* c) {
  if (!c) return "-";
  std::string t = c->verdict == "pass"          ? "pass"
                  : c->verdict == "fail"        ? "FAIL"
                  : c->verdict == "unsupported" ? "n/a"
                  : c->verdict == "unknown"     ? "?"
                                                : c->verdict;
  return c->matches() ? t : t + "!";
}

// Appends "a, b, c" wrapped to max_width, continuation lines indented.
void append_wrapped(std::string& out, const std::string& lead, const std::vector<std::string>& items) {
  std::string line = lead;
  for (std::size_t i = 0; i < items.size(); ++i) {
    std::string item = items[i] + (i + 1 < items.size() ? "," : "");
    if (line.size() > lead.size() && line.size() + 1 + item.size() > max_width) {
      out += line + "\n";
      line = std::string(lead.size(), ' ');
    } else if (line.size() > lead.size()) {
      line += ' ';
    }
    line += item;
  }
  out += line + "\n";
}

}  // namespace

std::string terminal_table(const Results& r, bool color) {
  auto m = detail::matrix_of(r);
  auto t = detail::tally(r);
  std::string out;

  if (r.runs.empty()) {
    out += "(no runs)\n";
  } else {
    std::size_t strategy_w = std::string("strategy").size();
    for (auto& s : m.strategies) strategy_w = std::max(strategy_w, s.size());

    auto widths_for = [&](const std::vector<std::string>& headers) {
      std::vector<std::size_t> w;
      for (std::size_t j = 0; j < headers.size(); ++j) {
        std::size_t widest = 5;  // "FAIL!"
        for (auto& s : m.strategies) widest = std::max(widest, cell_text(m.at(s, m.scenarios[j])).size());
        w.push_back(std::max(headers[j].size(), widest));
      }
      return w;
    };
    auto total_width = [&](const std::vector<std::size_t>& w) {
      std::size_t total = strategy_w;
      for (auto x : w) total += 2 + x;
      return total;
    };

    std::vector<std::string> headers = m.scenarios;
    auto widths = widths_for(headers);
    bool abbreviated = false;
    if (total_width(widths) > max_width) {
      headers = detail::abbreviations(m.scenarios);
      widths = widths_for(headers);
      abbreviated = true;
    }

    std::string line = pad("strategy", strategy_w);
    for (std::size_t j = 0; j < headers.size(); ++j) line += "  " + pad(headers[j], widths[j]);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";

    for (auto& s : m.strategies) {
      line = pad(s, strategy_w);
      for (std::size_t j = 0; j < m.scenarios.size(); ++j) {
        const Cell* c = m.at(s, m.scenarios[j]);
        auto text = cell_text(c);
        auto padded = pad(text, widths[j]);
        line += "  ";
        if (color && c) {
          // Colour the word only; the padding stays outside the escape codes.
          line += (c->matches() ? green : red) + text + reset + padded.substr(text.size());
        } else {
          line += padded;
        }
      }
      while (!line.empty() && line.back() == ' ') line.pop_back();
      out += line + "\n";
    }

    out += "\n";
    if (abbreviated) {
      std::vector<std::string> legend;
      for (std::size_t j = 0; j < headers.size(); ++j) legend.push_back(headers[j] + " = " + m.scenarios[j]);
      append_wrapped(out, "scenarios: ", legend);
    }
    if (t.differ > 0) out += "FAIL! / pass! = the verdict differs from the expectation\n";
    if (!detail::unjudged_cells(r).empty()) out += "n/a = unsupported, ? = unknown (why below)\n";
  }

  std::string summary = std::to_string(t.cells) + " cells, " + std::to_string(t.as_expected) + " as expected, " +
                        std::to_string(t.differ) + " differ";
  if (color) summary = (t.differ == 0 ? green : red) + summary + reset;
  out += summary + "\n";
  for (auto& c : r.runs)
    if (!c.matches()) out += "  differs: " + detail::cell_title(c) + " (" + detail::expected_vs_got(c) + ")\n";
  for (auto& [c, why] : detail::unjudged_cells(r)) out += "  " + detail::cell_title(*c) + ": " + why + "\n";
  if (r.interrupted) out += "interrupted: the run stopped before every cell was judged\n";

  if (!r.settings_differ.empty())
    append_wrapped(out, "settings differ from the defaults the expectations assume: ", r.settings_differ);
  return out;
}

}  // namespace cachecheck::reports
