// Escaping for XML/HTML and Markdown: untrusted text (timeline lines, titles a
// generated history made up) must come out as text, never as markup.
#include "cachecheck_reports/render.h"

#include <algorithm>

namespace cachecheck::reports::detail {

namespace {

// Control characters XML 1.0 does not allow at all, even as references.
bool forbidden_in_xml(unsigned char ch) { return ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r'; }

std::string escape(std::string_view s, bool attr) {
  std::string out;
  out.reserve(s.size() + s.size() / 8);
  for (char ch : s) {
    switch (ch) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      case '\n': out += attr ? "&#10;" : "\n"; break;
      case '\r': out += attr ? "&#13;" : "\r"; break;
      case '\t': out += attr ? "&#9;" : "\t"; break;
      default:
        if (!forbidden_in_xml(static_cast<unsigned char>(ch))) out += ch;
    }
  }
  return out;
}

}  // namespace

std::string escape_xml(std::string_view s) { return escape(s, false); }
std::string escape_xml_attr(std::string_view s) { return escape(s, true); }

std::string md_code(std::string_view s) {
  std::string flat;
  for (char ch : s) flat += (ch == '\n' || ch == '\r') ? ' ' : ch;
  // The fence is one backtick longer than the longest run inside.
  std::size_t longest = 0, run = 0;
  for (char ch : flat) {
    run = ch == '`' ? run + 1 : 0;
    longest = std::max(longest, run);
  }
  std::string fence(longest + 1, '`');
  bool pad = !flat.empty() && (flat.front() == '`' || flat.back() == '`');
  return fence + (pad ? " " : "") + flat + (pad ? " " : "") + fence;
}

std::string md_text(std::string_view s) {
  std::string out;
  for (char ch : s) {
    if (ch == '<')
      out += "&lt;";
    else if (ch == '\n' || ch == '\r')
      out += ' ';
    else
      out += ch;
  }
  return out;
}

std::string md_cell(std::string_view s) {
  std::string out;
  for (char ch : md_text(s)) {
    if (ch == '|')
      out += "\\|";
    else
      out += ch;
  }
  return out;
}

}  // namespace cachecheck::reports::detail
