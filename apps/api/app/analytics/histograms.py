"""Log-spaced duration histograms: medians and p90 as cheap to read as means.

Bucket 0 holds durations under one second; bucket b >= 1 holds [G^(b-1), G^b) seconds with
G = 1.1. A quantile is reported as the geometric middle of its bucket, so it is within
sqrt(1.1) - 1 = 4.9% of the exact nearest-rank quantile of the same durations.
"""

import math
from collections.abc import Mapping

GROWTH = 1.1
RELATIVE_ERROR_BOUND = math.sqrt(GROWTH) - 1
_LOG_GROWTH = math.log(GROWTH)


def bucket_of(seconds: float) -> int:
    if seconds < 1:
        return 0
    b = math.floor(math.log(seconds) / _LOG_GROWTH) + 1
    # Guard against floating error at exact bucket edges.
    if GROWTH ** (b - 1) > seconds:
        b -= 1
    elif GROWTH**b <= seconds:
        b += 1
    return b


def bucket_value(bucket: int) -> float:
    if bucket <= 0:
        return 0.0
    return float(GROWTH ** (bucket - 0.5))


def quantile(counts: Mapping[int, int], q: float) -> float | None:
    """Nearest-rank quantile: the smallest bucket holding at least q of the observations."""
    total = sum(counts.values())
    if total == 0:
        return None
    rank = max(1, math.ceil(q * total))
    seen = 0
    for bucket in sorted(counts):
        seen += counts[bucket]
        if seen >= rank:
            return bucket_value(bucket)
    raise AssertionError("unreachable: rank is at most the total")
