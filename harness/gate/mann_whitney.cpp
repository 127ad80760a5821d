#include "gate/mann_whitney.h"

#include <algorithm>
#include <cmath>
#include <utility>

namespace cachecheck::gate {

namespace {

// P(U ≤ u) under the null hypothesis, without ties: the number of orderings of
// n1 a's and n2 b's with U = k, by the recurrence f(m, n; k) = f(m-1, n; k-n) + f(m, n-1; k).
double exact_cdf(std::size_t n1, std::size_t n2, double u) {
  const std::size_t max_u = n1 * n2;
  // row[n][k] holds f(m, n; k) for the current m.
  std::vector<std::vector<double>> row(n2 + 1, std::vector<double>(max_u + 1, 0.0));
  for (std::size_t n = 0; n <= n2; ++n) row[n][0] = 1;  // m = 0: one ordering, U = 0
  for (std::size_t m = 1; m <= n1; ++m) {
    std::vector<std::vector<double>> next(n2 + 1, std::vector<double>(max_u + 1, 0.0));
    next[0][0] = 1;  // n = 0: one ordering, U = 0
    for (std::size_t n = 1; n <= n2; ++n)
      for (std::size_t k = 0; k <= m * n; ++k)
        next[n][k] = (k >= n ? row[n][k - n] : 0.0) + next[n - 1][k];
    row = std::move(next);
  }
  double total = 0, below = 0;
  for (std::size_t k = 0; k <= max_u; ++k) {
    total += row[n2][k];
    if (static_cast<double>(k) <= u + 1e-9) below += row[n2][k];
  }
  return below / total;
}

double normal_sf(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

}  // namespace

double smallest_p(std::size_t n1, std::size_t n2) {
  double c = 1;  // C(n1 + n2, n1)
  for (std::size_t i = 1; i <= n1; ++i) c = c * static_cast<double>(n2 + i) / static_cast<double>(i);
  return std::min(1.0, 2.0 / c);
}

UTest mann_whitney_u(const std::vector<double>& a, const std::vector<double>& b, bool force_normal) {
  UTest t;
  const std::size_t n1 = a.size(), n2 = b.size();
  if (n1 == 0 || n2 == 0) return t;
  // Ranks of the pooled samples, ties sharing their mean rank.
  std::vector<std::pair<double, int>> pooled;
  for (double x : a) pooled.emplace_back(x, 0);
  for (double x : b) pooled.emplace_back(x, 1);
  std::sort(pooled.begin(), pooled.end(), [](auto& l, auto& r) { return l.first < r.first; });
  const std::size_t n = pooled.size();
  double rank_sum_a = 0, tie_term = 0;
  bool ties = false;
  for (std::size_t i = 0; i < n;) {
    std::size_t j = i;
    while (j < n && pooled[j].first == pooled[i].first) ++j;
    const double mean_rank = (static_cast<double>(i + 1) + static_cast<double>(j)) / 2;
    for (std::size_t k = i; k < j; ++k)
      if (pooled[k].second == 0) rank_sum_a += mean_rank;
    const double size = static_cast<double>(j - i);
    if (j - i > 1) ties = true;
    tie_term += size * size * size - size;
    i = j;
  }
  const double d1 = static_cast<double>(n1), d2 = static_cast<double>(n2), dn = static_cast<double>(n);
  t.u = rank_sum_a - d1 * (d1 + 1) / 2;
  const double u_big = std::max(t.u, d1 * d2 - t.u);  // the larger of U1 and U2
  if (!ties && n1 * n2 <= 2500 && !force_normal) {
    t.exact = true;
    // P(U ≥ u_big) = P(U ≤ n1·n2 − u_big) by symmetry.
    t.p = std::min(1.0, 2.0 * exact_cdf(n1, n2, d1 * d2 - u_big));
    return t;
  }
  const double mu = d1 * d2 / 2;
  const double var = d1 * d2 / 12 * ((dn + 1) - tie_term / (dn * (dn - 1)));
  if (!(var > 0)) return t;  // every value equal: no evidence of a difference
  const double z = (u_big - mu - 0.5) / std::sqrt(var);
  t.p = std::clamp(2.0 * normal_sf(z), 0.0, 1.0);
  return t;
}

}  // namespace cachecheck::gate
