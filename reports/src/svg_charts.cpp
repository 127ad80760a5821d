// Inline SVG charts for report.html: a horizontal bar chart and a heat map.
// Text widths are estimated (no font metrics in a pure function); every scale
// guards against zero and empty data.
#include "cachecheck_reports/render.h"

#include <algorithm>
#include <cmath>

namespace cachecheck::reports::detail {

namespace {

constexpr double char_w = 7.0;  // ~ width of one character at 12px
constexpr double axis_title_w = 24;

std::string n(double v) { return trimmed(v, 1); }

double text_width(const std::string& s) {
  // Count code points, not bytes ("×", "–" are one character each).
  std::size_t count = 0;
  for (unsigned char ch : s)
    if ((ch & 0xC0) != 0x80) ++count;
  return static_cast<double>(count) * char_w;
}

double clean(double v) { return std::isfinite(v) && v > 0 ? v : 0.0; }

// A round number ≥ v: 1, 2 or 5 times a power of ten; 1 when v is 0.
double nice_ceiling(double v) {
  if (!(v > 0) || !std::isfinite(v)) return 1.0;
  double p = std::pow(10.0, std::floor(std::log10(v)));
  double f = v / p;
  double nf = f <= 1.0 ? 1.0 : f <= 2.0 ? 2.0 : f <= 5.0 ? 5.0 : 10.0;
  return nf * p;
}

std::string open_svg(double w, double h, const std::string& title, const std::string& css_class) {
  return "<svg class=\"" + css_class + "\" width=\"" + n(w) + "\" height=\"" + n(h) + "\" viewBox=\"0 0 " + n(w) + " " +
         n(h) + "\" role=\"img\" aria-label=\"" + escape_xml_attr(title) + "\">\n<title>" + escape_xml(title) +
         "</title>\n";
}

std::string text(double x, double y, const std::string& s, const std::string& attrs = "") {
  return "<text x=\"" + n(x) + "\" y=\"" + n(y) + "\"" + (attrs.empty() ? "" : " " + attrs) + ">" + escape_xml(s) +
         "</text>\n";
}

std::string rgb(double t) {  // 0 → white, 1 → red (#d32f2f)
  t = std::clamp(t, 0.0, 1.0);
  auto mix = [&](int to) { return static_cast<int>(std::lround(255.0 - t * (255.0 - to))); };
  return "rgb(" + std::to_string(mix(211)) + "," + std::to_string(mix(47)) + "," + std::to_string(mix(47)) + ")";
}

}  // namespace

std::string svg_bar_chart(const BarChart& c) {
  double label_w = 60;
  for (auto& b : c.bars) label_w = std::max(label_w, text_width(b.label) + 10);
  const double left = axis_title_w + label_w, plot_w = 360, value_w = 90, top = 34, row_h = 26, bar_h = 16,
               bottom = 46;
  const double plot_h = c.bars.empty() ? 40 : row_h * static_cast<double>(c.bars.size());
  const double w = left + plot_w + value_w, h = top + plot_h + bottom;

  std::string out = open_svg(w, h, c.title, "chart bar-chart");
  out += text(8, 20, c.title, "class=\"chart-title\"");
  out += text(14, top + plot_h / 2, c.category_axis,
              "class=\"axis-title\" text-anchor=\"middle\" transform=\"rotate(-90 14 " + n(top + plot_h / 2) + ")\"");
  out += text(left + plot_w / 2, top + plot_h + 40, c.value_axis, "class=\"axis-title\" text-anchor=\"middle\"");

  if (c.bars.empty()) {
    out += text(left + plot_w / 2, top + plot_h / 2 + 4, "no data", "class=\"no-data\" text-anchor=\"middle\"");
    out += "</svg>\n";
    return out;
  }

  double largest = 0;
  for (auto& b : c.bars) largest = std::max(largest, clean(b.value));
  const double axis_max = c.fixed_max > 0 ? c.fixed_max : nice_ceiling(largest);

  // Grid and ticks along the value axis.
  constexpr int ticks = 5;
  for (int i = 0; i <= ticks; ++i) {
    double v = axis_max * i / ticks, x = left + plot_w * i / ticks;
    out += "<line class=\"grid\" x1=\"" + n(x) + "\" y1=\"" + n(top) + "\" x2=\"" + n(x) + "\" y2=\"" +
           n(top + plot_h) + "\"/>\n";
    out += text(x, top + plot_h + 16, c.format(v), "class=\"tick\" text-anchor=\"middle\"");
  }
  out += "<line class=\"axis\" x1=\"" + n(left) + "\" y1=\"" + n(top) + "\" x2=\"" + n(left) + "\" y2=\"" +
         n(top + plot_h) + "\"/>\n";
  out += "<line class=\"axis\" x1=\"" + n(left) + "\" y1=\"" + n(top + plot_h) + "\" x2=\"" + n(left + plot_w) +
         "\" y2=\"" + n(top + plot_h) + "\"/>\n";

  for (std::size_t i = 0; i < c.bars.size(); ++i) {
    auto& b = c.bars[i];
    double y = top + row_h * static_cast<double>(i) + (row_h - bar_h) / 2;
    double bw = plot_w * std::min(clean(b.value), axis_max) / axis_max;
    out += text(left - 6, y + bar_h - 4, b.label, "class=\"label\" text-anchor=\"end\"");
    out += "<rect class=\"bar\" x=\"" + n(left) + "\" y=\"" + n(y) + "\" width=\"" + n(bw) + "\" height=\"" + n(bar_h) +
           "\"><title>" + escape_xml(b.label + ": " + c.format(b.value)) + "</title></rect>\n";
    out += text(left + bw + 6, y + bar_h - 4, c.format(b.value), "class=\"value\"");
  }
  out += "</svg>\n";
  return out;
}

std::string svg_heat_map(const HeatMap& m) {
  double label_w = 60, col_label_w = 40;
  for (auto& r : m.rows) label_w = std::max(label_w, text_width(r) + 10);
  for (auto& c : m.columns) col_label_w = std::max(col_label_w, text_width(c));
  const double cell_w = 84, cell_h = 28, top = 34;
  const double cos35 = 0.819, sin35 = 0.574;
  // Column labels hang below the grid, rotated; leave room for them on the left and below.
  const double left = std::max(axis_title_w + label_w, cos35 * col_label_w - cell_w / 2 + 8);
  const double grid_w = cell_w * static_cast<double>(std::max<std::size_t>(m.columns.size(), 1));
  const double grid_h = cell_h * static_cast<double>(std::max<std::size_t>(m.rows.size(), 1));
  const double labels_h = sin35 * col_label_w + 20;
  const double h = top + grid_h + labels_h + 30;

  double largest = 0;
  for (auto& [key, v] : m.values) largest = std::max(largest, clean(v));
  const std::string title = m.title + (largest > 0 ? " — darker is staler, up to " + m.format(largest) : "");
  const double w = std::max(left + grid_w + 16, text_width(title) + 24);

  std::string out = open_svg(w, h, m.title, "chart heat-map");
  out += text(8, 20, title, "class=\"chart-title\"");
  out += text(14, top + grid_h / 2, m.row_axis,
              "class=\"axis-title\" text-anchor=\"middle\" transform=\"rotate(-90 14 " + n(top + grid_h / 2) + ")\"");
  out += text(left + grid_w / 2, h - 8, m.column_axis, "class=\"axis-title\" text-anchor=\"middle\"");

  if (m.rows.empty() || m.columns.empty()) {
    out += text(left + grid_w / 2, top + grid_h / 2 + 4, "no data", "class=\"no-data\" text-anchor=\"middle\"");
    out += "</svg>\n";
    return out;
  }

  for (std::size_t i = 0; i < m.rows.size(); ++i) {
    double y = top + cell_h * static_cast<double>(i);
    out += text(left - 6, y + cell_h / 2 + 4, m.rows[i], "class=\"label\" text-anchor=\"end\"");
    for (std::size_t j = 0; j < m.columns.size(); ++j) {
      double x = left + cell_w * static_cast<double>(j);
      auto it = m.values.find({m.rows[i], m.columns[j]});
      bool present = it != m.values.end();
      double v = present ? clean(it->second) : 0.0;
      double t = largest > 0 ? v / largest : 0.0;
      std::string fill = present ? rgb(t) : "#eeeeee";
      std::string shown = present ? m.format(it->second) : "–";
      out += "<rect class=\"cell\" x=\"" + n(x) + "\" y=\"" + n(y) + "\" width=\"" + n(cell_w) + "\" height=\"" +
             n(cell_h) + "\" fill=\"" + fill + "\"><title>" +
             escape_xml(m.rows[i] + " × " + m.columns[j] + ": " + shown) + "</title></rect>\n";
      out += text(x + cell_w / 2, y + cell_h / 2 + 4, shown,
                  std::string("class=\"value\" text-anchor=\"middle\"") + (t > 0.6 ? " fill=\"#ffffff\"" : ""));
    }
  }
  double label_y = top + grid_h + 12;
  for (std::size_t j = 0; j < m.columns.size(); ++j) {
    double cx = left + cell_w * (static_cast<double>(j) + 0.5);
    out += text(cx, label_y, m.columns[j],
                "class=\"label\" text-anchor=\"end\" transform=\"rotate(-35 " + n(cx) + " " + n(label_y) + ")\"");
  }
  out += "</svg>\n";
  return out;
}

}  // namespace cachecheck::reports::detail
