// A point the application passes before every cache and store access. The
// reference server leaves it empty; the harness's deterministic scheduler uses
// it to interleave concurrent requests exactly where real races happen.
#pragma once

#include <functional>
#include <string_view>

namespace calendar {

enum class Access { cache_read, cache_write, store_read, store_write };

class AccessHook {
 public:
  virtual ~AccessHook() = default;
  virtual void before(Access access, std::string_view what) = 0;
  // Blocks the calling request until `ready()` holds (a free thread slot of a
  // worker). Returns false when the caller is not one of the hook's requests; it
  // must then wait by its own means. `ready` is evaluated with no other request running.
  virtual bool wait_until(const std::function<bool()>& ready) = 0;
};

}  // namespace calendar
