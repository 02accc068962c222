"""Compiled code in the cache (templates, the Graphviz module) is sealed with an HMAC under a
secret key of this user, kept outside the cache folder.

Ownership and mode only say that this user wrote a file, and a cache restored by CI (or
copied from another machine) is owned by this user with mode 0600 whatever it holds. Only
this user's key can seal a file, and the key never travels with the cache: a restored or
planted compiled file does not verify, so it is compiled again and replaced, never run.

The key is ``$JOURNEYMAPS_CACHE_KEY_FILE``, else ``$XDG_STATE_HOME/journeymaps/cache-key``,
else ``~/.local/state/journeymaps/cache-key`` (none without a home folder: a missing home is
never made, see :func:`journeymaps.diagrams.render.home_folder`): 32 random bytes, mode 0600, in a folder only
this user can write, made on first use (atomically: two processes starting at once agree on
one key). Without a usable key nothing compiled is kept or loaded (compiled every run); a key
file inside the cache folder is not usable (it would travel with the cache).
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import os
import secrets
import stat
import threading
from pathlib import Path

#: What a sealed file starts with, then the MAC, then the payload.
MAGIC = b"journeymaps-sealed-1\n"
_MAC_SIZE = hashlib.sha256().digest_size
_KEY_SIZE = 32

_keys: dict[Path, bytes] = {}
_paths: dict[tuple[str | None, str | None, str | None], Path] = {}
_lock = threading.Lock()


def key_path() -> Path:
    """Where this user's cache key is kept (never in the cache folder)."""
    # Asked for each diagram (its cache entry's tag, in the workers and the main process):
    # worked out from the environment each time, it took ~21 us, a tenth of a cached
    # diagram's publishing. Kept by the variables it depends on, which tests change.
    env = os.environ
    given = (env.get("JOURNEYMAPS_CACHE_KEY_FILE"), env.get("XDG_STATE_HOME"), env.get("HOME"))
    path = _paths.get(given)
    if path is None:
        path = _paths[given] = _key_path(*given[:2])  # (HOME: read by Path.home())
    return path


def _key_path(explicit: str | None, state: str | None) -> Path:
    if explicit:
        return Path(explicit)
    from journeymaps.diagrams.render import home_folder

    # A relative one is ignored, as the XDG specification says (see render.xdg_folder).
    base = Path(state) if state and Path(state).is_absolute() else home_folder(".local/state")
    return base / "journeymaps" / "cache-key"


def secret_key() -> bytes | None:
    """This user's cache key, made on first use; None when it cannot be kept privately (then
    nothing compiled is cached)."""
    path = key_path()
    with _lock:
        if path not in _keys:
            key = _load_or_make(path, named=bool(os.environ.get("JOURNEYMAPS_CACHE_KEY_FILE")))
            if key is None:
                return None
            _keys[path] = key
        return _keys[path]


def seal(name: str, payload: bytes) -> bytes | None:
    """``payload`` as a file named ``name`` in the cache holds it, or None without a key."""
    head = seal_head(name, payload)
    return None if head is None else head + payload


def seal_head(name: str, payload: bytes) -> bytes | None:
    """What :func:`seal` puts before ``payload`` (for a large payload written after it,
    not copied into one string with it), or None without a key."""
    key = secret_key()
    if key is None:
        return None
    return MAGIC + _mac(key, name, payload)


def unseal(name: str, sealed: bytes) -> bytes | None:
    """The payload of a file this user's key sealed under ``name``, else None (another
    key's, another file's, unsealed, damaged)."""
    view = unsealed_view(name, sealed)
    return None if view is None else bytes(view)


def unsealed_view(name: str, sealed: bytes) -> memoryview | None:
    """:func:`unseal`, the payload a view into ``sealed`` (a large one is not copied)."""
    key = secret_key()
    head = len(MAGIC) + _MAC_SIZE
    if key is None or len(sealed) < head or not sealed.startswith(MAGIC):
        return None
    payload = memoryview(sealed)[head:]
    if not hmac.compare_digest(sealed[len(MAGIC) : head], _mac(key, name, payload)):
        return None
    return payload


def tag(name: str, payload: bytes) -> str | None:
    """A short MAC of ``payload`` under ``name`` with this user's key, to put in a file's
    name (32 hex digits: 128 bits); None without a key."""
    key = secret_key()
    return None if key is None else _mac(key, name, payload)[:16].hex()


def tagged(name: str, payload: bytes, found: str) -> bool:
    """``found`` is the :func:`tag` this user's key gives ``payload`` under ``name``."""
    expected = tag(name, payload)
    return expected is not None and hmac.compare_digest(expected, found)


def _mac(key: bytes, name: str, payload: bytes | memoryview) -> bytes:
    # The name is part of what is signed: one sealed file cannot stand in for another.
    message = hmac.new(key, b"journeymaps cache\0", hashlib.sha256)
    message.update(name.encode("utf-8", "surrogateescape") + b"\0")
    message.update(payload)
    return message.digest()


def _load_or_make(path: Path, *, named: bool = False) -> bytes | None:
    """The key at ``path``, made when there is none. A file in the way that is not a usable
    key is replaced; but where the user ``named`` the key file ($JOURNEYMAPS_CACHE_KEY_FILE),
    only one that may be an old key of ours (a regular file of the key's size): a typo
    there (a file of theirs, /etc/passwd as root) had it removed and its content lost."""
    from journeymaps.diagrams.render import private_folder

    if private_folder(path.parent) is None or _in_cache(path):
        return None
    for _ in range(3):
        key = _read_key(path)
        if key is not None:
            return key
        if _make_key(path):
            continue  # ours is the key now (read back: it is checked as any other)
        # A file was in the way: another run's key made since the read above (it is the
        # key), or one not private (another mode or owner, a link, the wrong size): a key
        # others may have read is replaced, which only means compiling everything once.
        key = _read_key(path)
        if key is not None:
            return key
        if named and not _maybe_a_key(path):
            return None
        with contextlib.suppress(OSError):
            path.unlink()
    return None


def _maybe_a_key(path: Path) -> bool:
    """A regular file (not a link) of a key's size: a key others could read, say."""
    try:
        st = path.lstat()
    except OSError:
        return False
    return stat.S_ISREG(st.st_mode) and st.st_size == _KEY_SIZE


def _in_cache(path: Path) -> bool:
    """The key would travel with the cache (``$JOURNEYMAPS_CACHE_KEY_FILE`` set inside it): a
    cache restored or copied would bring a key its author knows, and with it templates
    and drawings sealed as this user's. No key then."""
    from journeymaps.diagrams.render import cache_dir

    try:
        cache = os.path.realpath(cache_dir())
        return os.path.commonpath([cache, os.path.realpath(path)]) == cache
    except (OSError, ValueError):
        return False


def _read_key(path: Path) -> bytes | None:
    data = read_owned(path, private=True, size=_KEY_SIZE)
    return data if data is not None and len(data) == _KEY_SIZE else None


def read_owned(path: Path, *, private: bool = False, size: int | None = None) -> bytes | None:
    """The bytes of a regular file only this user can have written (``private``: and only
    this user can read), of ``size`` bytes when given; else None. Not through a link, and
    checked on the open file, so what is read is what was checked."""
    try:
        # O_NONBLOCK: a FIFO named as the key file waited for a writer (build hung)
        flags = (
            os.O_RDONLY
            | getattr(os, "O_NOFOLLOW", 0)
            | getattr(os, "O_CLOEXEC", 0)
            | getattr(os, "O_NONBLOCK", 0)
        )
        fd = os.open(path, flags)
    except OSError:
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or (size is not None and st.st_size != size):
            return None
        others = 0o077 if private else 0o022
        if hasattr(os, "geteuid") and (st.st_uid != os.geteuid() or st.st_mode & others):
            return None
        with os.fdopen(os.dup(fd), "rb") as f:
            return f.read() if size is None else f.read(size + 1)
    except OSError:
        return None
    finally:
        os.close(fd)


def _make_key(path: Path) -> bool:
    """A new key at ``path``, complete before it appears there (written aside, then linked in:
    a process that loses the race reads the winner's key); False when a file was already
    there (or none could be made)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(8)}")
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(temporary, flags, 0o600)
    except OSError:
        return False
    try:
        try:
            os.write(fd, secrets.token_bytes(_KEY_SIZE))
            os.fsync(fd)
        finally:
            os.close(fd)
        try:
            os.link(temporary, path)
        except FileExistsError:
            return False  # another process made it first (its key is the key), or not private
        except OSError:  # a file system without hard links: the last writer wins
            temporary.replace(path)
        return True
    except OSError:
        return False
    finally:
        with contextlib.suppress(OSError):
            temporary.unlink()
