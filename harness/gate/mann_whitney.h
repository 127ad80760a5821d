// The two-sided Mann–Whitney U test (Wilcoxon rank-sum), as Google Benchmark's
// compare tool and Go's benchstat use it on per-repetition samples.
#pragma once

#include <cstddef>
#include <vector>

namespace cachecheck::gate {

struct UTest {
  double u = 0;  // U of the first sample: the pairs (a, b) with a > b, ties counting one half
  double p = 1;  // two-sided p-value
  bool exact = false;  // from the exact distribution (no ties, small samples); else the normal approximation
};

// Exact p-value when there are no ties and n1·n2 ≤ 2500; otherwise the normal
// approximation with the tie correction and a continuity correction (the same
// choices as scipy.stats.mannwhitneyu); force_normal: always the approximation.
// Empty samples give p = 1.
UTest mann_whitney_u(const std::vector<double>& a, const std::vector<double>& b, bool force_normal = false);

// The smallest two-sided p-value samples of these sizes can reach (no ties):
// 2 / C(n1 + n2, n1). When it is above alpha, no difference can be significant.
double smallest_p(std::size_t n1, std::size_t n2);

}  // namespace cachecheck::gate
