// The one renderer that touches the disk: report.md, report.html and junit.xml
// into the output directory. (results.json is the caller's.)
#include "cachecheck_reports/render.h"

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <system_error>

namespace cachecheck::reports {

namespace {

void write_file(const std::filesystem::path& path, const std::string& text) {
  std::ofstream f(path, std::ios::binary | std::ios::trunc);
  if (!f) throw std::runtime_error("cannot write " + path.string());
  f.write(text.data(), static_cast<std::streamsize>(text.size()));
  f.close();
  if (!f) throw std::runtime_error("cannot write " + path.string());
}

}  // namespace

void write_all(const RunResults& r, const std::string& out_dir) {
  std::filesystem::path dir(out_dir.empty() ? "." : out_dir);
  std::error_code ec;
  std::filesystem::create_directories(dir, ec);
  if (ec || !std::filesystem::is_directory(dir))
    throw std::runtime_error("cannot create directory " + dir.string() + (ec ? ": " + ec.message() : ""));
  write_file(dir / "report.md", markdown_report(r, out_dir));
  write_file(dir / "report.html", html_report(r, out_dir));
  write_file(dir / "junit.xml", junit_xml(r, out_dir));
}

}  // namespace cachecheck::reports
