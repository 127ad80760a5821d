// The small Markdown subset bench.md and gate.md are written in, as HTML for
// report.html: headings, paragraphs, bullet lists, pipe tables (with their
// alignment), block quotes, `code` and **bold**. Everything is escaped first.
#include "cachecheck_reports/render.h"

#include <sstream>
#include <vector>

namespace cachecheck::reports::detail {

namespace {

// `code` and **bold** of one escaped line.
std::string inline_html(const std::string& line) {
  std::string out;
  bool bold = false;
  for (std::size_t i = 0; i < line.size();) {
    if (line[i] == '`') {
      std::size_t fence = line.find_first_not_of('`', i) - i;
      auto end = line.find(std::string(fence, '`'), i + fence);
      if (end == std::string::npos) {
        out += line.substr(i);
        break;
      }
      out += "<code>" + escape_xml(line.substr(i + fence, end - i - fence)) + "</code>";
      i = end + fence;
    } else if (line.compare(i, 2, "**") == 0) {
      out += bold ? "</strong>" : "<strong>";
      bold = !bold;
      i += 2;
    } else {
      std::size_t next = line.find_first_of("`*", i + 1);
      if (line[i] == '*') next = i + 1;
      std::string text = line.substr(i, next == std::string::npos ? std::string::npos : next - i);
      for (std::size_t at; (at = text.find("&lt;")) != std::string::npos;) text.replace(at, 4, 1, '<');  // md_text's
      out += escape_xml(text);
      i = next == std::string::npos ? line.size() : next;
    }
  }
  if (bold) out += "</strong>";
  return out;
}

std::vector<std::string> cells_of(const std::string& row) {
  std::vector<std::string> cells;
  std::string cell;
  for (std::size_t i = 1; i < row.size(); ++i) {  // skip the leading '|'
    if (row[i] == '\\' && i + 1 < row.size() && row[i + 1] == '|') {
      cell += '|';
      ++i;
    } else if (row[i] == '|') {
      cells.push_back(cell);
      cell.clear();
    } else {
      cell += row[i];
    }
  }
  for (auto& c : cells) {
    auto b = c.find_first_not_of(' '), e = c.find_last_not_of(' ');
    c = b == std::string::npos ? "" : c.substr(b, e - b + 1);
  }
  return cells;
}

}  // namespace

std::string markdown_to_html(const std::string& md) {
  std::istringstream in(md);
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  std::string out;
  for (std::size_t i = 0; i < lines.size();) {
    const std::string& l = lines[i];
    if (l.empty()) {
      ++i;
    } else if (l[0] == '#') {
      std::size_t level = l.find_first_not_of('#');
      std::string h = "h";
      h += std::to_string(std::min<std::size_t>(level, 6));
      out += "<" + h + ">" + inline_html(l.substr(std::min(level + 1, l.size()))) + "</" + h + ">\n";
      ++i;
    } else if (l[0] == '|') {
      std::vector<std::string> rows;
      while (i < lines.size() && !lines[i].empty() && lines[i][0] == '|') rows.push_back(lines[i++]);
      auto head = cells_of(rows[0]);
      std::vector<bool> right(head.size(), false);
      if (rows.size() > 1)
        for (std::size_t k = 0; auto& a : cells_of(rows[1])) {
          if (k < right.size()) right[k] = !a.empty() && a.back() == ':' && a.front() != ':';
          ++k;
        }
      out += "<div class=\"scroll\"><table>\n<tr>";
      for (auto& c : head) out += "<th>" + inline_html(c) + "</th>";
      out += "</tr>\n";
      for (std::size_t r = 2; r < rows.size(); ++r) {
        out += "<tr>";
        for (std::size_t k = 0; auto& c : cells_of(rows[r]))
          out += std::string(k < right.size() && right[k++] ? "<td class=\"num\">" : "<td>") + inline_html(c) + "</td>";
        out += "</tr>\n";
      }
      out += "</table></div>\n";
    } else if (l.rfind("- ", 0) == 0) {
      out += "<ul>\n";
      while (i < lines.size() && lines[i].rfind("- ", 0) == 0) out += "<li>" + inline_html(lines[i++].substr(2)) + "</li>\n";
      out += "</ul>\n";
    } else if (l.rfind("> ", 0) == 0) {
      out += "<blockquote>";
      while (i < lines.size() && lines[i].rfind("> ", 0) == 0) out += inline_html(lines[i++].substr(2)) + " ";
      out += "</blockquote>\n";
    } else {
      out += "<p>";
      bool first = true;
      while (i < lines.size() && !lines[i].empty() && lines[i][0] != '#' && lines[i][0] != '|' &&
             lines[i].rfind("- ", 0) != 0) {
        if (!first) out += ' ';
        out += inline_html(lines[i++]);
        first = false;
      }
      out += "</p>\n";
    }
  }
  return out;
}

std::string embedded_markdown(const std::string& md, bool keep_title) {
  auto nl = md.find('\n');
  std::istringstream in(keep_title ? md : nl == std::string::npos ? std::string() : md.substr(nl + 1));
  std::string out;
  bool leading = true;
  for (std::string line; std::getline(in, line);) {
    if (leading && line.empty()) continue;
    leading = false;
    out += (line.rfind("#", 0) == 0 ? "#" + line : line) + "\n";
  }
  return out;
}

}  // namespace cachecheck::reports::detail
