"""Who inspects which site: balanced across inspectors, never one of the site's department
(回避). Pure: no Flask, no database.

A maximum flow decides it: each site sends one unit to an inspector allowed to take it; each
of m inspectors takes q = n // m sites for sure, and r = n % m of them one more (an "extra"
node lets only r units through). A flow of n means every site has an inspector and the counts
differ by at most one; less means no such assignment exists, whatever the order of the sites.
"""

from collections import deque

SOURCE, SINK, EXTRA = "source", "sink", "extra"


class ImpossibleError(Exception):
    """No balanced assignment without breaking 回避: `sites` are those left without one."""

    def __init__(self, sites):
        super().__init__("no balanced assignment respects 回避")
        self.sites = sites


def balance(sites, inspectors, allowed) -> list:
    """The inspector for each of `sites`, in order; counts differ by at most one.

    `allowed(site, inspector)` says whether the inspector may take the site. Deterministic for
    the same inputs in the same order. Raises ImpossibleError when no assignment exists.
    """
    sites, inspectors = list(sites), list(inspectors)
    if not sites:
        return []
    if not inspectors:
        raise ImpossibleError(sites)
    graph = network(sites, inspectors, allowed)
    while augment(graph):
        pass
    chosen = {}
    for i in range(len(sites)):
        for j in range(len(inspectors)):
            # A used site → inspector edge has its unit on the way back.
            if graph[("i", j)].get(("s", i), 0) > 0:
                chosen[i] = inspectors[j]
    if len(chosen) < len(sites):
        raise ImpossibleError([site for i, site in enumerate(sites) if i not in chosen])
    return [chosen[i] for i in range(len(sites))]


def network(sites, inspectors, allowed) -> dict:
    """The flow network as {node: {neighbour: residual capacity}}, in a fixed order."""
    n, m = len(sites), len(inspectors)
    q, r = divmod(n, m)
    graph: dict = {}

    def edge(a, b, capacity):
        graph.setdefault(a, {})[b] = capacity
        graph.setdefault(b, {}).setdefault(a, 0)

    for i, site in enumerate(sites):
        edge(SOURCE, ("s", i), 1)
        # Each site tries the inspectors from a different one, so ties spread round-robin.
        for j in ((i + k) % m for k in range(m)):
            if allowed(site, inspectors[j]):
                edge(("s", i), ("i", j), 1)
    for j in range(m):
        graph.setdefault(("i", j), {})
        if q:
            edge(("i", j), SINK, q)
        if r:
            edge(("i", j), EXTRA, 1)
    if r:
        edge(EXTRA, SINK, r)
    graph.setdefault(SINK, {})
    return graph


def augment(graph) -> bool:
    """Send one more unit along a shortest path with room (Edmonds–Karp); False if none."""
    parent = {SOURCE: None}
    queue = deque([SOURCE])
    while queue and SINK not in parent:
        node = queue.popleft()
        for nxt, capacity in graph[node].items():
            if capacity > 0 and nxt not in parent:
                parent[nxt] = node
                queue.append(nxt)
    if SINK not in parent:
        return False
    node = SINK
    while parent[node] is not None:
        graph[parent[node]][node] -= 1
        graph[node][parent[node]] += 1
        node = parent[node]
    return True
