"""Proof of presence: was an inspection made at its site? Pure: no Flask, no database.

A site may have a location and a radius. An inspection whose GPS lies outside that circle, or
that has no GPS, is flagged for the reviewer; it is never refused (GPS indoors is poor, and a
phone may deny the position).
"""

import math

EARTH_RADIUS_M = 6_371_000


def distance_m(lat1, lon1, lat2, lon2) -> float:
    """Great-circle distance in metres (haversine)."""
    p1, p2 = math.radians(lat1), math.radians(lat2)
    dp, dl = p2 - p1, math.radians(lon2 - lon1)
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * EARTH_RADIUS_M * math.asin(min(1.0, math.sqrt(h)))


def presence(site, lat, lon) -> dict:
    """{"state": "unchecked" | "inside" | "outside" | "missing", "distance": metres or None}.

    unchecked: the site has no location and radius; missing: the inspection has no GPS.
    """
    if site.lat is None or site.lon is None or not site.radius_m:
        return {"state": "unchecked", "distance": None}
    if lat is None or lon is None:
        return {"state": "missing", "distance": None}
    distance = round(distance_m(site.lat, site.lon, lat, lon))
    return {"state": "inside" if distance <= site.radius_m else "outside", "distance": distance}
