"""The site's templates are compiled once and kept in the cache (issue 18: compiling them
cost every build ~0.4 s), never at the price of a stale page or of running code that
someone else could have put there."""

from __future__ import annotations

import os
from pathlib import Path

import jinja2
import pytest

from journeymaps.templating import _CompiledTemplates, compiled_templates, environment


@pytest.fixture(autouse=True)
def _no_user_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Only the cache each test names: not the user's own, which a cache of its own reads too."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "no-user-cache"))


def _never_compiled(env: jinja2.Environment) -> jinja2.Environment:
    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("compiled again")

    env.compile = refuse  # type: ignore[method-assign]
    return env


def _counting_compiles(env: jinja2.Environment) -> tuple[jinja2.Environment, list[str]]:
    """The environment, and the list each compile it does then appends to."""
    compiled: list[str] = []
    original = env.compile

    def spy(source: str, *args: object, **kwargs: object) -> object:
        compiled.append(source)
        return original(source, *args, **kwargs)  # type: ignore[arg-type]

    env.compile = spy  # type: ignore[method-assign]
    return env, compiled


def test_the_next_run_loads_the_compiled_templates(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("JOURNEYMAPS_CACHE", str(tmp_path / "cache"))
    first = environment().get_template("map.html")
    kept = list((tmp_path / "cache" / "templates").iterdir())
    assert kept and all(p.stat().st_mode & 0o777 == 0o600 for p in kept)
    again = _never_compiled(environment()).get_template("map.html")
    assert again.blocks.keys() == first.blocks.keys()


def _env(cache: jinja2.BytecodeCache | None, source: str, **options: bool) -> jinja2.Environment:
    return jinja2.Environment(loader=jinja2.DictLoader({"t": source}), bytecode_cache=cache, **options)


SOURCE = "{% if true %}\n  x\n{% endif %}\n"


def test_other_code_or_another_source_compiles_again(tmp_path: Path) -> None:
    """The compiled code depends on the environment's options (ours, in our code) and on
    the source: a file kept by other code, or for another source, is not used."""
    folder = tmp_path / "templates"
    folder.mkdir(mode=0o700)
    assert _env(_CompiledTemplates(folder, "code 1"), SOURCE).get_template("t").render() == "\n  x\n"
    # Another journeymaps trims blocks: the kept code (which does not) must not be run.
    trimmed = _env(_CompiledTemplates(folder, "code 2"), SOURCE, trim_blocks=True, lstrip_blocks=True)
    assert trimmed.get_template("t").render() == "  x\n"
    changed = _env(_CompiledTemplates(folder, "code 2"), SOURCE.replace("x", "y"), trim_blocks=True)
    assert changed.get_template("t").render() == "  y\n"
    assert len(list(folder.iterdir())) == 1  # replaced in place, not piling up


def test_a_damaged_file_is_compiled_again_and_replaced(tmp_path: Path) -> None:
    folder = tmp_path / "templates"
    folder.mkdir(mode=0o700)
    _env(_CompiledTemplates(folder, "code"), SOURCE).get_template("t")
    (kept,) = folder.iterdir()
    for damage in (b"", kept.read_bytes()[:40], os.urandom(300)):
        kept.write_bytes(damage)
        assert _env(_CompiledTemplates(folder, "code"), SOURCE).get_template("t").render() == "\n  x\n"
        assert kept.read_bytes() not in (b"", damage)


def test_compiled_code_others_could_write_is_never_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compiled templates are code: one in a folder others may write to, or a file others
    may have written, is compiled again instead (as the compiled Graphviz module is)."""
    cache = tmp_path / "cache"
    monkeypatch.setenv("JOURNEYMAPS_CACHE", str(cache))
    environment().get_template("format.html")
    (kept,) = list((cache / "templates").iterdir())

    kept.chmod(0o666)  # a file others may have written (another user's, without root)
    env, compiled = _counting_compiles(environment())
    env.get_template("format.html")
    assert compiled

    (cache / "templates").chmod(0o777)  # a folder others may write to: nothing is kept or read
    assert compiled_templates() is None
    env = environment()
    assert env.bytecode_cache is None
    env.get_template("format.html")  # compiled, as it is without a cache


def test_the_sealing_key_is_private_and_one_others_could_read_is_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Compiled files are sealed with this user's key, kept outside the cache: made on first
    use, 0600 in a 0700 folder; a key others could have read is replaced (what it sealed
    is then compiled again); without a private place for it nothing compiled is kept."""
    from journeymaps import cache_seal

    key = tmp_path / "state" / "journeymaps" / "cache-key"
    monkeypatch.setenv("JOURNEYMAPS_CACHE_KEY_FILE", str(key))
    monkeypatch.setenv("JOURNEYMAPS_CACHE", str(tmp_path / "cache"))
    sealed = cache_seal.seal("templates/t.jinja", b"code")
    assert sealed is not None and b"code" in sealed
    assert key.stat().st_mode & 0o777 == 0o600 and key.parent.stat().st_mode & 0o777 == 0o700
    assert cache_seal.unseal("templates/t.jinja", sealed) == b"code"
    assert cache_seal.unseal("templates/u.jinja", sealed) is None  # not another file's
    assert cache_seal.unseal("templates/t.jinja", sealed[:-1] + b"x") is None

    key.chmod(0o644)
    cache_seal._keys.clear()  # a new process
    assert cache_seal.unseal("templates/t.jinja", sealed) is None
    assert key.stat().st_mode & 0o777 == 0o600

    key.parent.chmod(0o777)
    cache_seal._keys.clear()
    assert cache_seal.seal("templates/t.jinja", b"code") is None
    assert compiled_templates() is None


@pytest.mark.parametrize("kind", ["a file of the user's", "a link"])
def test_a_named_key_file_that_is_not_a_key_is_never_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, kind: str
) -> None:
    """$JOURNEYMAPS_CACHE_KEY_FILE naming a file that is not a key (a typo, another tool's
    file, /etc/passwd or /dev/zero as root) had it removed and replaced by 32 random bytes:
    a user's file lost. Only a key of journeymaps' own (32 bytes) that others could read is
    replaced; anything else is left as it was, and nothing compiled is kept."""
    from journeymaps import cache_seal

    folder = tmp_path / "private"
    folder.mkdir(mode=0o700)
    named = folder / "notes.txt"
    if kind == "a link":
        (folder / "target").write_text("kept\n")
        named.symlink_to("target")
    else:
        named.write_text("kept: not a key at all\n")
        named.chmod(0o600)
    before = (named.readlink() if named.is_symlink() else None, named.read_bytes())
    monkeypatch.setenv("JOURNEYMAPS_CACHE_KEY_FILE", str(named))
    cache_seal._keys.clear()
    assert cache_seal.seal("templates/t.jinja", b"code") is None
    assert (named.readlink() if named.is_symlink() else None, named.read_bytes()) == before


def test_a_key_another_run_makes_meanwhile_is_the_key(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two runs using the cache for the first time at once: the one that found no key, when
    the other made it right after, took that new key for one that was not private, removed
    it and made its own. What the other had sealed and tagged (compiled templates, its
    diagrams) then never verified again: compiled and checked in full at every build."""
    from journeymaps import cache_seal

    key = tmp_path / "state" / "journeymaps" / "cache-key"
    monkeypatch.setenv("JOURNEYMAPS_CACHE_KEY_FILE", str(key))
    read = cache_seal._read_key
    other: list[bytes] = []

    def read_then_the_other_run_makes_it(path: Path) -> bytes | None:
        found = read(path)
        if found is None and not other:  # the other run makes the key just after this read
            cache_seal._make_key(path)
            other.append(key.read_bytes())
        return found

    monkeypatch.setattr(cache_seal, "_read_key", read_then_the_other_run_makes_it)
    cache_seal._keys.clear()
    assert cache_seal.secret_key() == other[0] == key.read_bytes()


def test_a_cache_of_its_own_reads_what_the_users_cache_compiled(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Each $JOURNEYMAPS_CACHE of its own compiled the site's templates again (~0.4 s of
    CPU a build) though the user's cache held them: they are read from there, under the
    same checks, and nothing is written there or compiled."""
    user = tmp_path / "home-cache"
    monkeypatch.setenv("XDG_CACHE_HOME", str(user))
    monkeypatch.delenv("JOURNEYMAPS_CACHE", raising=False)
    first = environment().get_template("map.html")  # the user's own cache compiles them
    kept = {p.name: p.stat().st_mtime_ns for p in (user / "journeymaps" / "templates").iterdir()}
    monkeypatch.setenv("JOURNEYMAPS_CACHE", str(tmp_path / "project-cache"))
    again = _never_compiled(environment()).get_template("map.html")
    assert again.blocks.keys() == first.blocks.keys()
    assert {p.name: p.stat().st_mtime_ns for p in (user / "journeymaps" / "templates").iterdir()} == kept
    assert not list((tmp_path / "project-cache" / "templates").iterdir())

    for path in (user / "journeymaps" / "templates").iterdir():  # others could have written them
        path.chmod(0o666)
    env, compiled = _counting_compiles(environment())
    env.get_template("map.html")
    assert compiled
