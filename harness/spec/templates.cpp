#include "spec/templates.h"

#include <optional>
#include <stdexcept>

namespace cachecheck::spec {
namespace {

using nlohmann::json;

// Splits a text template into literal text and variable names: calls `literal`
// and `variable` in order. Throws std::invalid_argument when malformed.
template <typename Literal, typename Variable>
void scan(std::string_view text, Literal&& literal, Variable&& variable) {
  std::string lit;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if ((c == '{' || c == '}') && i + 1 < text.size() && text[i + 1] == c) {
      lit += c;
      ++i;
    } else if (c == '{') {
      std::size_t close = text.find('}', i + 1);
      if (close == std::string_view::npos) throw std::invalid_argument("an unclosed '{' (write {{ for a brace)");
      std::string name(text.substr(i + 1, close - i - 1));
      if (name.empty() || name.find_first_of("{ ") != std::string::npos)
        throw std::invalid_argument("'{" + name + "}' is not a variable name (write {{ for a brace)");
      literal(lit);
      lit.clear();
      variable(name);
      i = close;
    } else if (c == '}') {
      throw std::invalid_argument("a '}' without its '{' (write }} for a brace)");
    } else {
      lit += c;
    }
  }
  literal(lit);
}

void collect(const json& v, std::set<std::string>& out) {
  if (v.is_string()) {
    for (auto& name : variables_in(v.get<std::string>())) out.insert(name);
  } else if (v.is_structured()) {
    for (auto& e : v) collect(e, out);
  }
}

// The one variable a string consists of ("{x}" → "x"), or "".
std::string whole_variable(const std::string& s) {
  if (s.size() < 3 || s.front() != '{' || s.back() != '}' || s[1] == '{') return "";
  auto names = variables_in(s);
  return names.size() == 1 && s == "{" + names[0] + "}" ? names[0] : "";
}

// Renders one value; nullopt when it is (or is a string naming) a variable `vars` lacks.
std::optional<json> render_or_absent(const json& tmpl, const Vars& vars) {
  if (tmpl.is_string()) {
    const std::string& s = tmpl.get_ref<const std::string&>();
    for (auto& name : variables_in(s))
      if (!vars.count(name)) return std::nullopt;
    std::string name = whole_variable(s);
    if (!name.empty()) return vars.at(name);
    return render_text(s, vars);
  }
  if (tmpl.is_object()) {
    json out = json::object();
    for (auto& [k, v] : tmpl.items())
      if (auto r = render_or_absent(v, vars)) out[k] = std::move(*r);
    return out;
  }
  if (tmpl.is_array()) {
    json out = json::array();
    for (auto& v : tmpl)
      if (auto r = render_or_absent(v, vars)) out.push_back(std::move(*r));
    return out;
  }
  return tmpl;
}

}  // namespace

std::string Where::text() const { return line > 0 ? file + ":" + std::to_string(line) : file; }

std::set<std::string> Template::variables() const {
  std::set<std::string> out;
  collect(value, out);
  return out;
}

std::vector<std::string> variables_in(std::string_view text) {
  std::vector<std::string> out;
  scan(text, [](const std::string&) {}, [&](const std::string& name) { out.push_back(name); });
  return out;
}

std::string text_of(const json& v) {
  if (v.is_string()) return v.get<std::string>();
  if (v.is_null()) return "";
  if (v.is_array()) {
    std::string out;
    for (auto& e : v) {
      if (!out.empty()) out += ',';
      out += text_of(e);
    }
    return out;
  }
  return v.dump();
}

std::string render_text(std::string_view tmpl, const Vars& vars,
                        const std::function<std::string(const std::string&)>& encode) {
  std::string out;
  scan(
      tmpl, [&](const std::string& lit) { out += lit; },
      [&](const std::string& name) {
        auto it = vars.find(name);
        if (it == vars.end()) throw std::out_of_range("no value for {" + name + "}");
        std::string text = text_of(it->second);
        out += encode ? encode(text) : text;
      });
  return out;
}

json render(const json& tmpl, const Vars& vars) {
  auto out = render_or_absent(tmpl, vars);
  if (!out) {
    std::string missing;
    for (auto& name : variables_in(tmpl.get<std::string>()))
      if (!vars.count(name)) missing = name;
    throw std::out_of_range("no value for {" + missing + "}");
  }
  return *out;
}

}  // namespace cachecheck::spec
