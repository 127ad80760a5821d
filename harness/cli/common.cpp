#include <algorithm>
#include <fstream>
#include <iostream>
#include <sstream>

#include "commands.h"

namespace cachecheck::cli {
namespace {
int g_exit_code = 0;
}

void set_exit_code(int code) { g_exit_code = code; }
int exit_code() { return g_exit_code; }

void run_verb(const char* verb, const std::function<int()>& body) {
  try {
    set_exit_code(body());
  } catch (const CLI::Error&) {
    throw;
  } catch (const std::exception& e) {
    std::cerr << "cachecheck " << verb << ": " << e.what() << "\n";
    set_exit_code(kUsageError);
  }
}

std::vector<std::string> name_list(const std::string& csv, const std::vector<std::string>& known, const char* what) {
  if (csv.empty() || csv == "all") return known;
  std::vector<std::string> out;
  std::stringstream ss(csv);
  std::string name;
  while (std::getline(ss, name, ',')) {
    if (name.empty()) continue;
    bool found = false;
    for (auto& k : known) found = found || k == name;
    if (!found) {
      std::string list;
      for (auto& k : known) list += (list.empty() ? "" : ", ") + k;
      throw CLI::ValidationError(std::string("unknown ") + what + " '" + name + "' (known: " + list + ")");
    }
    out.push_back(name);
  }
  if (out.empty()) throw CLI::ValidationError(std::string("the ") + what + " list '" + csv + "' selects nothing");
  return out;
}

const CLI::Validator decimal_number(
    [](std::string& value) -> std::string {
      if (value.empty() || value.find_first_not_of("0123456789") != std::string::npos)
        return "'" + value + "' is not a decimal number";
      const std::string digits = value.substr(std::min(value.find_first_not_of('0'), value.size()));
      if (digits.size() > 20 || (digits.size() == 20 && digits > "18446744073709551615"))
        return "'" + value + "' is out of range (at most 18446744073709551615)";
      return "";
    },
    "DECIMAL");

void write_atomically(const std::filesystem::path& path, const std::string& text) {
  std::filesystem::path tmp = path;
  tmp += ".tmp";
  {
    std::ofstream out(tmp);
    if (!out || !(out << text) || !out.flush()) throw std::runtime_error("cannot write " + path.string());
  }
  std::filesystem::rename(tmp, path);
}

}  // namespace cachecheck::cli
