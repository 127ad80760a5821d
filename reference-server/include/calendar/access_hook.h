// A point the application passes before every cache and store access. The
// reference server leaves it empty; the harness's deterministic scheduler uses
// it to interleave concurrent requests exactly where real races happen.
#pragma once

#include <string_view>

namespace calendar {

enum class Access { cache_read, cache_write, store_read, store_write };

class AccessHook {
 public:
  virtual ~AccessHook() = default;
  virtual void before(Access access, std::string_view what) = 0;
};

}  // namespace calendar
