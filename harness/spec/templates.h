// Templates of a target spec: request paths, headers and bodies that name the
// values of one request as variables, "{title}", "/api/tasks/{id}".
//
//   text template   every {name} becomes the variable's text (strings as they are,
//                   numbers, true/false, "" for null, arrays joined with commas),
//                   passed through an encoder (path segments are percent-encoded);
//   value template  a JSON value (written in YAML or JSON) whose strings are text
//                   templates, except that a string that is exactly "{name}" becomes
//                   the variable's value with its type (a number, a list, null, an
//                   object); an object member or list element that is a string naming
//                   a variable the request does not have is left out (an edit sends only
//                   the fields it changes; a create without a parent sends no parent);
//                   nested objects and lists keep what they can.
// "{{" and "}}" are literal braces.
#pragma once

#include <functional>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

namespace cachecheck::spec {

// A place in a spec file: "targets/app.yaml:12" (line 1-based; 0 = the file itself).
struct Where {
  std::string file;
  int line = 0;
  std::string text() const;
};

struct Template {
  nlohmann::json value;  // a string for text templates
  bool given = false;
  Where where;
  std::set<std::string> variables() const;  // every {name} anywhere in it
};

using Vars = std::map<std::string, nlohmann::json>;

// The variables one text names, in order. Throws std::invalid_argument for an
// unbalanced brace or an empty name.
std::vector<std::string> variables_in(std::string_view text);
// The text form of a value (see above).
std::string text_of(const nlohmann::json& v);
// Renders a text template. Throws std::out_of_range naming a variable `vars` lacks.
std::string render_text(std::string_view tmpl, const Vars& vars,
                        const std::function<std::string(const std::string&)>& encode = {});
// Renders a value template. Throws std::out_of_range for a variable `vars` lacks
// where it cannot be left out (the whole value).
nlohmann::json render(const nlohmann::json& tmpl, const Vars& vars);

}  // namespace cachecheck::spec
