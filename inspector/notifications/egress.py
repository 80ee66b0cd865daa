"""Which receivers the server may call: any by default, or WEBHOOK_ALLOWED_HOSTS when set.

A bureau's own OA system on the intranet is the usual receiver, so private and loopback
addresses are allowed unless the list says otherwise. The list holds host names and CIDR
ranges; a name is checked as written, an address after resolving it, and the connection then
goes to that checked address (a second lookup cannot swap it).
"""

import ipaddress
import socket
from urllib.parse import urlsplit

from flask_babel import lazy_gettext as _l

MAX_URL = 2000


class TargetRefusedError(ValueError):
    """The URL is malformed or its host is not allowed."""


def parse_allowed(entries):
    """(names, networks) from the setting: a list, or text separated by commas or spaces."""
    if not entries:
        return None
    if isinstance(entries, str):
        entries = entries.replace(",", " ").split()
    names, networks = set(), []
    for raw in entries:
        entry = str(raw).strip().lower()
        try:
            networks.append(ipaddress.ip_network(entry, strict=False))
        except ValueError:
            names.add(entry.rstrip("."))
    return names, networks


def split_url(url):
    """(scheme, host, port) of an http(s) URL; TargetRefusedError when it is not one."""
    if not isinstance(url, str) or not url or len(url) > MAX_URL or not url.isprintable():
        raise TargetRefusedError(_l("Use an http:// or https:// address."))
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise TargetRefusedError(_l("Use an http:// or https:// address.")) from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise TargetRefusedError(_l("Use an http:// or https:// address."))
    if parts.username or parts.password:
        raise TargetRefusedError(_l("Put no user name or password in the address."))
    return (
        parts.scheme,
        parts.hostname.lower().rstrip("."),
        port or (443 if parts.scheme == "https" else 80),
    )


def as_address(host):
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def check_url(url, setting):
    """Refuse at registration what can be refused without a DNS lookup."""
    _scheme, host, _port = split_url(url)
    allowed = parse_allowed(setting)
    if allowed is None:
        return
    names, networks = allowed
    address = as_address(host)
    if host in names or (address and any(address in net for net in networks)):
        return
    if address is None and networks:
        return  # a name: its addresses are checked when it is called
    raise TargetRefusedError(_l("This host is not in WEBHOOK_ALLOWED_HOSTS."))


def resolve(url, setting):
    """(scheme, host, port, address to connect to or None); TargetRefusedError if not allowed."""
    scheme, host, port = split_url(url)
    allowed = parse_allowed(setting)
    if allowed is None:
        return scheme, host, port, None
    names, networks = allowed
    if host in names:
        return scheme, host, port, None
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except OSError:
        raise TargetRefusedError(_l("The host name does not resolve.")) from None
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not addresses or not all(any(a in net for net in networks) for a in addresses):
        raise TargetRefusedError(_l("This host is not in WEBHOOK_ALLOWED_HOSTS."))
    return scheme, host, port, str(addresses[0])
