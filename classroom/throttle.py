"""Throttles against guessing: class codes, picture codes, and (with
`classroom.axes_handler`) teacher passwords.

Who is counted:

- the client address, `client_address(request)`: REMOTE_ADDR, or, when REMOTE_ADDR is
  one of `settings.TRUSTED_PROXIES` (addresses or networks), the right-most address in
  X-Forwarded-For that is not a trusted proxy. django-axes asks the same function
  (AXES_CLIENT_IP_CALLABLE). The throttles here count an IPv6 client per /64 network,
  the block one household or school gets.
- the device, `Device.of(request)`: a random id in a signed cookie (set on the class
  grid) together with the address. Without a valid cookie, all clients of one address
  are one device.

What is counted (the numbers are settings; docs/architecture.md, "Logins"):

- wrong class codes per address (`class_code_wait`, `class_code_missed`): after
  CLASS_CODE_MISS_LIMIT misses, each within CLASS_CODE_MISS_MINUTES of the one before,
  the address waits that many minutes for every class-code lookup. A device whose signed
  cookie says it opened a class before keeps opening that class.
- wrong picture codes per (device, pupil) (`code_lock_seconds`, `count_wrong_code`):
  PUPIL_CODE_FAILURE_LIMIT in a row lock the pupil on that device only, for
  PUPIL_CODE_LOCK_MINUTES; the teacher's unlock (`forget_code_locks`) lifts it on every
  device.
- the pupils a device or an address got wrong (`picture_code_wait`): a device with wrong
  codes for PUPIL_CODE_DEVICE_PUPILS different pupils, or an address with
  PUPIL_CODE_ADDRESS_PUPILS pupils or PUPIL_CODE_ADDRESS_FAILURES wrong codes, may try
  one code per PUPIL_CODE_SLOW_SECONDS. A pupil who then logs in on it takes their own
  wrong codes off the count. Everything is forgotten PUPIL_CODE_WINDOW_MINUTES after the
  last wrong code.

The counts live in Django's cache: this process's memory by default, Redis when
REDIS_URL is set (config/settings.py). Several processes must share one cache, or each
counts on its own. Cache keys are hashes: no address is stored in the clear. When the
cache cannot be reached (Redis down), the throttles let everything through and log a
warning: a class keeps logging in.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import ipaddress
import logging
import math
import secrets
import time
from dataclasses import dataclass
from functools import lru_cache

from django.conf import settings
from django.core.cache import cache
from django.core.checks import Error, Tags, register
from django.utils.crypto import constant_time_compare

try:
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover - redis comes with channels_redis
    RedisError = OSError

logger = logging.getLogger(__name__)

DEVICE_COOKIE = "leerregie_apparaat"
DEVICE_COOKIE_AGE = 365 * 24 * 60 * 60
_DEVICE_SALT = "classroom.throttle.device"

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network


# --- The client address -----------------------------------------------------------------


@lru_cache(maxsize=4)
def _networks(entries: tuple[str, ...]) -> tuple[IPNetwork, ...]:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def trusted_proxies() -> tuple[IPNetwork, ...]:
    return _networks(tuple(getattr(settings, "TRUSTED_PROXIES", ())))


def _parse(value: str) -> IPAddress | None:
    """An address as a proxy or a server writes it, with or without a port; None if it is
    none. An IPv4 address written as IPv6 (::ffff:a.b.c.d) is the IPv4 address."""
    value = value.strip()
    if value.startswith("["):  # [v6] or [v6]:port
        value = value[1:].partition("]")[0]
    elif value.count(":") == 1:  # v4:port
        value = value.partition(":")[0]
    try:
        address = ipaddress.ip_address(value)
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _is_trusted(address: IPAddress | None, networks) -> bool:
    return address is not None and any(
        address.version == net.version and address in net for net in networks
    )


def client_address(request) -> str | None:
    """The address of the client behind a request, for throttles and django-axes.

    REMOTE_ADDR, unless REMOTE_ADDR is a trusted proxy: then the right-most entry of
    X-Forwarded-For that is not a trusted proxy (what the first trusted proxy saw; entries
    further left are the client's own word). A malformed entry there stops the walk at the
    proxy's own address, so a broken chain throttles more, never less. None when the
    server does not know the address (a Unix socket)."""
    remote = _parse(request.META.get("REMOTE_ADDR") or "")
    if remote is None:
        return request.META.get("REMOTE_ADDR") or None
    networks = trusted_proxies()
    if not _is_trusted(remote, networks):
        return str(remote)
    hops = [hop for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
    address = remote
    for hop in reversed(hops):
        parsed = _parse(hop)
        if parsed is None:
            break
        address = parsed
        if not _is_trusted(parsed, networks):
            break
    return str(address)


def _bucket(address: str | None) -> str:
    """What the throttles count: the address, or an IPv6 address's /64 network."""
    parsed = _parse(address or "")
    if parsed is None:
        return address or "unknown"
    if parsed.version == 6:
        return str(ipaddress.ip_network(f"{parsed}/64", strict=False))
    return str(parsed)


@register(Tags.security)
def check_trusted_proxies(app_configs=None, **kwargs):
    try:
        trusted_proxies()
    except ValueError as error:
        return [
            Error(
                f"TRUSTED_PROXIES holds something that is not an address or network: {error}",
                id="leerregie.E001",
            )
        ]
    return []


# --- Counting ---------------------------------------------------------------------------


def _fail_open(default):
    """Without a reachable cache a throttle answers `default` (let through)."""

    def wrap(func):
        @functools.wraps(func)
        def inner(*args, **kwargs):
            try:
                return func(*args, **kwargs)
            except (OSError, RedisError) as error:
                logger.warning("throttle %s not applied, no cache: %s", func.__name__, error)
                return default

        return inner

    return wrap


def _key(kind: str, *parts) -> str:
    digest = hashlib.sha256("|".join(str(part) for part in parts).encode()).hexdigest()[:32]
    return f"throttle:{kind}:{digest}"


def _count(key: str) -> int:
    return max(0, cache.get(key) or 0)


def _add(key: str, forget_after: int, amount: int = 1) -> int:
    """Add to a count that is forgotten `forget_after` seconds after it last grew."""
    cache.add(key, 0, forget_after)
    try:
        value = cache.incr(key, amount)
    except ValueError:  # it expired between add and incr
        cache.set(key, amount, forget_after)
        value = amount
    cache.touch(key, forget_after)
    return value


def _subtract(key: str, amount: int) -> None:
    if amount:
        with contextlib.suppress(ValueError):  # already forgotten
            cache.decr(key, amount)


def _wait_for(key: str) -> int:
    """Whole seconds until the deadline stored at `key`; 0 if there is none."""
    deadline = cache.get(key)
    return max(0, math.ceil(deadline - time.time())) if deadline else 0


# --- Class codes ------------------------------------------------------------------------


@_fail_open(0)
def class_code_wait(request) -> int:
    """Seconds before this address may look up a class code again; 0: now."""
    return _wait_for(_key("class-code-wait", _bucket(client_address(request))))


@_fail_open(None)
def class_code_missed(request) -> None:
    """Count a class code that matched no class; enough of them make the address wait."""
    who = _bucket(client_address(request))
    seconds = settings.CLASS_CODE_MISS_MINUTES * 60
    misses_key = _key("class-code-misses", who)
    if _add(misses_key, seconds) >= settings.CLASS_CODE_MISS_LIMIT:
        cache.set(_key("class-code-wait", who), time.time() + seconds, seconds)
        cache.delete(misses_key)


# --- Devices ----------------------------------------------------------------------------


@dataclass(frozen=True)
class Device:
    """The device a request comes from: the signed cookie's id (empty without one), the
    class it last opened, and the counted address."""

    id: str
    class_code: str
    address: str

    @classmethod
    def of(cls, request) -> Device:
        value = request.get_signed_cookie(DEVICE_COOKIE, default="", salt=_DEVICE_SALT)
        device_id, _, class_code = value.partition(":")
        return cls(device_id, class_code, _bucket(client_address(request)))

    @classmethod
    def unknown(cls) -> Device:
        return cls("", "", "unknown")

    @property
    def key(self) -> str:
        return hashlib.sha256(f"{self.id}|{self.address}".encode()).hexdigest()[:32]

    def opened(self, class_code: str) -> bool:
        """Whether this device's signed cookie says it opened this class before."""
        return bool(self.id and class_code) and constant_time_compare(self.class_code, class_code)


def remember_device(request, response, class_code: str) -> None:
    """Give the device an id of its own (kept if it has one) and remember its class."""
    device_id = Device.of(request).id or secrets.token_urlsafe(12)
    response.set_signed_cookie(
        DEVICE_COOKIE,
        f"{device_id}:{class_code}",
        salt=_DEVICE_SALT,
        max_age=DEVICE_COOKIE_AGE,
        httponly=True,
        samesite="Lax",
        secure=getattr(settings, "SESSION_COOKIE_SECURE", False),
    )


# --- Picture codes ----------------------------------------------------------------------


def _window() -> int:
    return settings.PUPIL_CODE_WINDOW_MINUTES * 60


def _generation(pupil_pk: int) -> str:
    """Changes when the teacher unlocks the pupil, which forgets every device's lock and
    count for them. It outlives every key it names (see `forget_code_locks`)."""
    return cache.get(_key("code-generation", pupil_pk)) or "0"


def _lock_key(pupil_pk: int, device: Device) -> str:
    return _key("code-lock", pupil_pk, _generation(pupil_pk), device.key)


def _wrong_key(pupil_pk: int, device: Device) -> str:
    return _key("code-wrong", pupil_pk, _generation(pupil_pk), device.key)


@_fail_open(0)
def code_lock_seconds(pupil_pk: int, device: Device) -> int:
    """Seconds this pupil stays locked on this device; 0 if not locked there."""
    return _wait_for(_lock_key(pupil_pk, device))


@_fail_open((0, 0))
def count_wrong_code(pupil_pk: int, device: Device) -> tuple[int, int]:
    """Count a wrong picture code for a pupil on a device: (wrong codes in a row, seconds
    of the lock this one set, or 0). The lock resets the count."""
    wrong_key = _wrong_key(pupil_pk, device)
    wrong = _add(wrong_key, _window())
    _count_for_spread(pupil_pk, device)
    for key in _slowed(device):  # slowed from now on: the next code waits
        _claim(key)
    if wrong < settings.PUPIL_CODE_FAILURE_LIMIT:
        return wrong, 0
    seconds = settings.PUPIL_CODE_LOCK_MINUTES * 60
    cache.set(_lock_key(pupil_pk, device), time.time() + seconds, seconds)
    cache.delete(wrong_key)
    return wrong, seconds


@_fail_open(None)
def count_right_code(pupil_pk: int, device: Device) -> None:
    """The pupil logged in on this device: their wrong codes there no longer count."""
    cache.delete(_wrong_key(pupil_pk, device))
    for scope, who in _spread_scopes(device):
        mark = _key("code-pupil", scope, who, pupil_pk)
        wrong = cache.get(mark)
        if wrong is not None and cache.delete(mark):
            _subtract(_key("code-pupils", scope, who), 1)
            _subtract(_key("code-wrongs", scope, who), wrong)


@_fail_open(None)
def forget_code_locks(pupil_pk: int) -> None:
    """Lift the pupil's locks and counts on every device (the teacher is there)."""
    outlives = max(_window(), settings.PUPIL_CODE_LOCK_MINUTES * 60) + 60
    cache.set(_key("code-generation", pupil_pk), secrets.token_hex(8), outlives)


def _spread_scopes(device: Device) -> tuple[tuple[str, str], ...]:
    return (("device", device.key), ("address", device.address))


def _count_for_spread(pupil_pk: int, device: Device) -> None:
    # The totals are touched with every mark, so they outlive the marks they count.
    window = _window()
    for scope, who in _spread_scopes(device):
        mark = _key("code-pupil", scope, who, pupil_pk)
        new_pupil = cache.add(mark, 0, window)
        _add(mark, window)
        _add(_key("code-pupils", scope, who), window, 1 if new_pupil else 0)
        _add(_key("code-wrongs", scope, who), window)


def _slowed(device: Device) -> list[str]:
    slowed = []
    if _count(_key("code-pupils", "device", device.key)) >= settings.PUPIL_CODE_DEVICE_PUPILS:
        slowed.append(_key("code-slow", "device", device.key))
    address_pupils = _count(_key("code-pupils", "address", device.address))
    address_wrongs = _count(_key("code-wrongs", "address", device.address))
    if (
        address_pupils >= settings.PUPIL_CODE_ADDRESS_PUPILS
        or address_wrongs >= settings.PUPIL_CODE_ADDRESS_FAILURES
    ):
        slowed.append(_key("code-slow", "address", device.address))
    return slowed


def _claim(key: str) -> bool:
    """Take the one attempt per PUPIL_CODE_SLOW_SECONDS; False if it is taken."""
    seconds = settings.PUPIL_CODE_SLOW_SECONDS
    return cache.add(key, time.time() + seconds, seconds)


@_fail_open(0)
def picture_code_wait(device: Device) -> int:
    """Seconds before this device may try a picture code; 0: now. A slowed device's
    attempt takes its turn at once, so that simultaneous ones wait too."""
    slowed = _slowed(device)
    waits = [_wait_for(key) for key in slowed]
    if any(waits):
        return max(waits)
    for key in slowed:
        if not _claim(key):  # another request was first
            return max(1, _wait_for(key))
    return 0
