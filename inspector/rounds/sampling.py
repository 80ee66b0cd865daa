"""The random draw of a round's sites. Pure: no Flask, no database.

Reproducible everywhere: the pool is ordered by site code before anything is drawn, and the
draw uses Python's own generator (`random.Random(seed)`), never a database's random(), so the
same pool, size, strata and seed give the same sites on SQLite, PostgreSQL or a laptop.
"""

import math
import random
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")


def draw(pool: Sequence[T], size: int, seed: int, code: Callable, stratum=None) -> list[T]:
    """`size` members of `pool` drawn with `seed`, ordered by `code`.

    With `stratum` (member → stratum name), every stratum gets at least one member when
    `size` allows it, and the rest are shared in proportion to the strata's sizes (largest
    remainders first, ties by stratum name). A pool no larger than `size` is taken whole.
    """
    ordered = sorted(pool, key=code)
    if size >= len(ordered):
        return ordered
    rng = random.Random(seed)  # nosec B311: a reproducible draw from a published seed, no secret
    if stratum is None:
        return sorted(rng.sample(ordered, size), key=code)
    groups: dict[str, list[T]] = {}
    for member in ordered:
        groups.setdefault(str(stratum(member)), []).append(member)
    names = sorted(groups)
    if size < len(names):
        # Too few for one per stratum: which strata get one is drawn too.
        chosen = sorted(rng.sample(names, size))
        return sorted((rng.choice(groups[name]) for name in chosen), key=code)
    shares = allocate({name: len(groups[name]) for name in names}, size)
    picked = []
    for name in names:
        picked.extend(rng.sample(groups[name], shares[name]))
    return sorted(picked, key=code)


def allocate(sizes: dict[str, int], size: int) -> dict[str, int]:
    """Split `size` over strata of `sizes`: at least one each, the rest in proportion.

    Needs len(sizes) <= size < sum(sizes). Deterministic: ties go to the stratum named first.
    """
    total = sum(sizes.values())
    ideal = {name: size * count / total for name, count in sizes.items()}
    shares = {name: min(count, max(1, math.floor(ideal[name]))) for name, count in sizes.items()}
    while sum(shares.values()) < size:
        room = [name for name in sorted(sizes) if shares[name] < sizes[name]]
        best = max(room, key=lambda name: (ideal[name] - shares[name], -room.index(name)))
        shares[best] += 1
    while sum(shares.values()) > size:
        over = [name for name in sorted(sizes) if shares[name] > 1]
        worst = max(over, key=lambda name: (shares[name] - ideal[name], -over.index(name)))
        shares[worst] -= 1
    return shares
