"""``journeymaps serve``: build, serve on localhost, rebuild when a map changes, and reload the
page in the browser. The reload script is added to served pages only, never to built files."""

from __future__ import annotations

import datetime as dt
import functools
import gc
import hashlib
import html
import http.server
import ipaddress
import os
import re
import socket
import threading
import time
import urllib.parse
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import NamedTuple

from journeymaps.reading import SKIPPED_FOLDERS
from journeymaps.reporters.base import one_line
from journeymaps.site.staging import MARKER

RELOAD_PATH = "/__journeymaps/build"
#: Answers the digest of the page at ``?page=`` (see :func:`page_digest`).
PAGE_PATH = "/__journeymaps/page"
IDLE_SECONDS = 15.0
#: How long a page's question "has it been rebuilt?" is held open before "not yet".
HOLD_SECONDS = 10.0
#: The page learns of a rebuild from the server, which answers a question "has it been
#: rebuilt since build N?" as soon as one is done (a long poll: no delay between the rebuild
#: and the reload). A browser opens at most 6 connections to one server, and each open tab
#: held one for its question: with 6 tabs open, every other page (a new tab, a link clicked)
#: waited up to HOLD_SECONDS to load (as mkdocs serve did, mkdocs#3391). Keeping background
#: tabs quiet was not enough: 6 preview windows side by side are all visible. So one tab of
#: the browser asks, for all: the one holding the Web Lock ``journeymaps-reload`` (it is
#: released when that tab is closed, hidden or reloaded, and the next tab waiting for it
#: asks from then on), which tells the others each new build number on a BroadcastChannel.
#: Only a visible tab asks; a tab shown again, or just opened, asks once without waiting (a
#: rebuild told while it was hidden or loading). Each tab compares the number with the one
#: its own page was served with (``%(number)s``), so a page read after the rebuild does not
#: reload for it; when they differ, it asks for its page's digest, and reloads only if it
#: is not the one it was served with (``%(digest)s``): every tab reloaded at every rebuild,
#: whatever map it showed, losing what it had open there. Where the page is not a secure
#: context (served to another machine over plain http: no Web Locks) or there is no
#: BroadcastChannel, each tab asks for itself.
RELOAD_SCRIPT = b"""<script>
(function () {
  var seen = "%(number)s", path = "%(path)s", name = "journeymaps-reload", digest = "%(digest)s";
  var shared = !!(navigator.locks && window.BroadcastChannel);
  var channel = shared ? new BroadcastChannel(name) : null;
  var waiting = null, leading = null, asking = null, checking = null;
  function visible() { return document.visibilityState !== "hidden"; }
  function heard(v) {
    if (v === seen || !visible() || checking === v) return;
    checking = v;
    fetch("%(page)s?page=" + encodeURIComponent(location.pathname), {cache: "no-store"}).then(function (r) {
      return r.text();
    }).then(function (d) {
      if (d !== digest) { location.reload(); return; }
      seen = v;  // the site changed, not this page
      checking = null;
    }).catch(function () { location.reload(); });
  }
  // Asks until stopped: held (after the last number known) or, with once, at once.
  function ask(after, once, told) {
    var mine = new AbortController();
    var url = path + (once ? "" : "?after=" + after);
    fetch(url, {cache: "no-store", signal: mine.signal}).then(function (r) {
      return r.text();
    }).then(function (v) {
      if (mine.signal.aborted) return;
      told(v);
      if (!once) asking = ask(v, false, told);
    }).catch(function () {
      if (mine.signal.aborted || once) return;  // stopped on purpose (hidden, leaving)
      setTimeout(function () { if (!mine.signal.aborted) asking = ask(after, false, told); }, 1000);
    });
    return mine;
  }
  function lead() {
    return new Promise(function (done) {
      leading = done;
      asking = ask(seen, false, function (v) { channel.postMessage(v); heard(v); });
    });
  }
  function start() {
    if (!visible()) return;
    if (!shared) { if (asking === null) asking = ask(seen, false, heard); return; }
    if (waiting !== null) return;
    ask(seen, true, heard);  // a rebuild told before this tab listened, or while hidden
    waiting = new AbortController();
    navigator.locks.request(name, {signal: waiting.signal}, lead).catch(function () {});
  }
  function stop() {
    if (asking !== null) asking.abort();
    asking = null;
    if (waiting !== null) waiting.abort();  // no longer in the queue for the lock
    waiting = null;
    if (leading !== null) leading();  // the lock goes to the next tab waiting for it
    leading = null;
  }
  if (channel !== null) channel.onmessage = function (e) { heard(e.data); };
  document.addEventListener("visibilitychange", function () { if (visible()) { start(); } else { stop(); } });
  addEventListener("pagehide", stop);
  addEventListener("pageshow", start);
  start();
})();
</script>
"""


def reload_script(number: int, digest: str = "") -> bytes:
    """The script added to a served page that was read from disk at build ``number``, its
    :func:`page_digest` ``digest`` (none: a page the site does not have)."""
    fields = {"number": str(number), "path": RELOAD_PATH, "page": PAGE_PATH, "digest": digest}
    return RELOAD_SCRIPT % {k.encode(): v.encode() for k, v in fields.items()}


def with_failure(digest: str, failure: tuple[str, ...], kind: str = "failed") -> str:
    """A page's digest as served while the last rebuild failed: another, for each failure
    (and its ``kind``, see :data:`BANNER_WORDS`), so that every open page reloads into the
    page that says so (and out of it once a rebuild works), through the reload script
    pages already have."""
    if not failure:
        return digest
    said = chr(0).join((*failure, kind)).encode()
    return f"{digest}-failed-{hashlib.blake2b(said, digest_size=8).hexdigest()}"


#: How many lines of a failure the banner shows; the terminal has them all.
BANNER_LINES = 20

#: Shown at the top of every page served while the last rebuild failed (see
#: :meth:`Builds.failed`): the site is the last good one, and the edit that broke the
#: build is not in it. Styled inline, over the page (no network, no stylesheet of the
#: site's, which a page may not have); "Hide" puts it away until the next reload. The title
#: is changed first: after the banner, a page still loading could show the banner with its
#: old title (the parser may pause between the two; a browser test saw it 1 run in ~6).
FAILURE_BANNER = """<script>document.title = "%(title)s \u00b7 " + document.title;</script>
<div id="journeymaps-rebuild-failed" role="alert" lang="en" style="position:fixed;\
top:0;left:0;right:0;z-index:2147483647;max-height:60vh;overflow:auto;box-sizing:border-box;\
margin:0;padding:.75rem 1rem .85rem;background:#fff1ef;color:#3d0a05;border-bottom:4px solid #b3261e;\
box-shadow:0 2px 12px rgba(0,0,0,.25);font:15px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;\
text-align:left">
<button type="button" onclick="this.parentNode.hidden=true" style="float:right;margin:0 0 .4rem .75rem;\
padding:.3rem .8rem;font:inherit;font-size:14px;color:#3d0a05;background:#fff;border:1px solid #b3261e;\
border-radius:4px;cursor:pointer">Hide</button>
<p style="margin:0;font-weight:700;font-size:17px;color:#8c1d13">%(heading)s</p>
<p style="margin:.25rem 0 0">%(lead)s</p>
<pre style="margin:.6rem 0 0;padding:.5rem .65rem;white-space:pre-wrap;overflow-wrap:anywhere;\
background:#fff;color:#1f1f1f;border:1px solid #e3aaa3;border-radius:4px;\
font:13px/1.5 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace">%(lines)s</pre>
</div>
"""

#: The banner's words (title, heading, lead), by kind: the last good site kept ("failed");
#: a site built without a file it needs, there being none built with it to keep ("unread");
#: a site built whose owners name teams its teams.yaml does not list ("unlisted").
BANNER_WORDS = {
    "failed": (
        "Rebuild failed",
        "This page is out of date: the last rebuild failed",
        "You are seeing the last site that built, without your latest changes. "
        "Fix the error below; this page reloads by itself once a rebuild works.",
    ),
    "unread": (
        "File unreadable",
        "This site was built without a file it needs",
        "The file named below cannot be read, and there is no earlier site to show: the pages "
        "show what they can without it. Fix it; this page reloads by itself once it is fixed.",
    ),
    "unlisted": (
        "Unknown team",
        "Owners name teams not listed in teams.yaml",
        "journeymaps lint fails on these (and build --strict); the pages show each such team "
        "by its id. Add the team to teams.yaml, or name one it lists; this page reloads by "
        "itself once they agree.",
    ),
}


def failure_banner(failure: tuple[str, ...], kind: str = "failed") -> bytes:
    """The banner of :data:`FAILURE_BANNER` for ``failure``, its text escaped (it quotes
    the user's files: a message may hold ``<script>``), worded for its ``kind`` (see
    :data:`BANNER_WORDS`)."""
    shown = [html.escape(line) for line in failure[:BANNER_LINES]]
    if len(failure) > BANNER_LINES:
        shown.append(
            f"... and {len(failure) - BANNER_LINES} more: see the terminal running journeymaps serve"
        )
    title, heading, lead = BANNER_WORDS[kind]
    words = {"lines": "\n".join(shown), "title": title, "heading": heading, "lead": lead}
    return (FAILURE_BANNER % words).encode("utf-8", "replace")


#: A page's opening <body> tag from its "<body", its attributes quoted or not.
_BODY_TAG = re.compile(rb"""<body(?:[\t\n\f\r /](?:[^>"']|"[^"]*"|'[^']*')*)?>""", re.IGNORECASE)
#: What may follow "<body" in its tag and the tag is still one: seen there when the tag
#: does not end, its rest is in the tag (a quote never closed).
_IN_TAG = (b"\t", b"\n", b"\f", b"\r", b" ", b"/")
#: What may follow "</body" in a closing tag (nothing: the page ends in it).
_CLOSING_TAG = (*_IN_TAG, b">", b"")
#: What may hold the letters "<body" or "</body" and is not the tag (``<body>`` in a head
#: script's string put the banner there, and its own ``</script>`` ended that script;
#: ``</body>`` in one took the reload script, and the page never reloaded): where each
#: starts, and what ends it. A title and a text area hold text, not tags, too.
_NOT_MARKUP = (
    (b"<!--", b"-->"),
    (b"<script", b"</script"),
    (b"<style", b"</style"),
    (b"<title", b"</title"),
    (b"<textarea", b"</textarea"),
)


def _ends_from(opening: bytes) -> int:
    """Where, from its start, the end of what ``opening`` opens may begin: a comment's within
    its opening, as browsers read "<!-->" and "<!--->" (whole, empty comments); taken for
    one never closed, the rest of a hand-made page was in it, and the failed rebuild's
    banner went before its doctype."""
    return 2 if opening == b"<!--" else len(opening)


def _markup(low: bytes) -> Iterator[int]:
    """Where each "<" of a page's markup is (``low``: the page in lower case), in order:
    none in a comment, script, style, title or text area, nor any after one never closed
    (the rest of the page is in it). One pass, by ``find``: a regular expression skipping
    comments took 25 s on a page of 25,000 "<!--" never closed."""
    at = 0
    while (at := low.find(b"<", at)) != -1:
        for opening, closing in _NOT_MARKUP:
            after = at + len(opening)
            # <scripts> or <titles> is no script nor title: their names end the word
            if low.startswith(opening, at) and (opening == b"<!--" or low[after : after + 1] in _CLOSING_TAG):
                end = low.find(closing, at + _ends_from(opening))
                if end == -1:
                    return
                at = end + len(closing)
                break
        else:
            yield at
            at += 1


def _body_opening(page: bytes) -> int | None:
    """Where a page's body starts (after its <body> tag); None when it has no such tag."""
    low = page.lower()
    for at in _markup(low):
        if not low.startswith(b"<body", at):
            continue
        tag = _BODY_TAG.match(low, at)
        if tag is not None:
            return tag.end()
        if low[at + 5 : at + 6] in _IN_TAG:
            # A <body tag that never ends: the rest of the page is in it. Looked for again
            # at each "<body" after, 8,000 of them (with a quote each) took 9 s.
            return None
    return None


def _body_closing(page: bytes) -> int | None:
    """Where a page's closing </body> tag starts: the last one outside comments, scripts
    and the like (see :func:`_markup`); None when it has none.

    Looked for from the end first: walking every "<" of a diagram's full-size page (1 MB,
    17,000 tags) took 17 ms of each request for it, where putting the script in took 1 ms.
    The last "</body" is the tag unless a comment, script or the like may hold it; only
    then is the page walked."""
    low = page.lower()
    end = len(low)
    while (at := low.rfind(b"</body", 0, end)) != -1 and low[at + 6 : at + 7] not in _CLOSING_TAG:
        end = at + 5  # "</bodyguard": the one before it
    if at == -1:
        return None
    if not _may_be_held(low, at):
        return at
    last = None
    for at in _markup(low):
        if low.startswith(b"</body", at) and low[at + 6 : at + 7] in _CLOSING_TAG:
            last = at
    return last


def _may_be_held(low: bytes, at: int) -> bool:
    """Whether a comment, script, style, title or text area may hold the "<" at ``at``: the
    last of a kind to open before it does not end before it. (No means it is markup; yes is
    only maybe: that opening may be in another one, or no tag at all.)"""
    for opening, closing in _NOT_MARKUP:
        last = low.rfind(opening, 0, at)
        if last != -1 and low.find(closing, last + _ends_from(opening), at) == -1:
            return True
    return False


def served_page(
    page: bytes, number: int, digest: str, failure: tuple[str, ...], kind: str = "failed"
) -> bytes:
    """A page as served: the reload script added before its closing </body> tag (at its
    end when it has none: the tag may be left out) and, while the last rebuild failed, the
    banner that says so at the start of its body, worded for its ``kind``."""
    script, end = reload_script(number, digest), _body_closing(page)
    if end is None:
        end = len(page)
    if not failure:
        view = memoryview(page)  # one copy of a page of a few MB, not three
        return b"".join((view[:end], script, view[end:]))
    # Both looked for in the page as built: the reload script's own text is no markup of it.
    banner, at = failure_banner(failure, kind), _body_opening(page) or 0
    if at <= end:
        return page[:at] + banner + page[at:end] + script + page[end:]
    return page[:end] + script + page[end:at] + banner + page[at:]  # a "</body>" before <body>


#: The addresses a page names (src=, href=, and data-*-script=: the index page loads its
#: cards' script by itself): those of its pictures, stylesheet and scripts count in its digest.
_REFERENCE = re.compile(rb"""(?:src|href|data-[a-z-]+-script)=["']([^"'#?]*)""")


def page_digest(page: Path, site: str, body: bytes | None = None) -> str:
    """What a page looks like: its bytes and those of every file of the site it names but
    pages (its diagrams, photos, stylesheet, scripts), as a digest; "" when there is no
    such page. ``body``: the page's bytes, already read."""
    try:
        body = page.read_bytes() if body is None else body
    except OSError:
        return ""
    digest = hashlib.blake2b(body, digest_size=16)
    for ref in dict.fromkeys(_REFERENCE.findall(body)):
        name = urllib.parse.unquote(ref.decode("utf-8", "replace"))
        if not name or ":" in name or name.startswith("//") or name.endswith((".html", "/")):
            continue  # another page (its own digest), or not the site's
        target = Path(site) / name.lstrip("/") if name.startswith("/") else page.parent / name
        if not _inside(target, site):
            continue
        try:
            digest.update(target.read_bytes())
        except OSError:
            digest.update(b"\0")  # gone, or not a file: a change all the same
    return digest.hexdigest()


#: Answered for a page while the site is gone (its folder deleted): what happened, instead
#: of a bare 404; it asks again every second and shows the page once the site is back.
REBUILDING_PAGE = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="1">
<title>Rebuilding the site</title></head>
<body><h1>Rebuilding the site</h1>
<p>The site's folder was deleted while <code>journeymaps serve</code> was running; it is being
built again. This page reloads by itself. If it does not come back, the terminal running
<code>journeymaps serve</code> says why.</p></body></html>
"""


#: Answered for a page the site does not have, with the reload script: it shows the page
#: once a rebuild brings it (back).
NOT_FOUND_PAGE = b"""<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>File not found</title></head>
<body><h1>File not found</h1>
<p>The site has no page at this address. If it was a map's page, the map's id may have
changed, or its file been moved or deleted; this page reloads by itself when the site is
rebuilt, and shows the page if it is back.</p></body></html>
"""


def site_present(out: Path) -> bool:
    """Whether ``out`` holds a built site: its marker, the last file a build writes, is
    there (gone with ``rm -rf site`` and with ``rm -rf site/*`` alike). One ``stat``."""
    return os.path.lexists(out / MARKER)


class BuildState(NamedTuple):
    """What one rebuild left for the pages: its number, why it failed (if it did: lines) and
    what the failure is (see :data:`BANNER_WORDS`)."""

    number: int
    failure: tuple[str, ...]
    kind: str


class Builds:
    """A counter the pages ask about: it changes after every successful rebuild, once, as
    soon as its site is in place (:meth:`published`, called by the build itself before it
    tidies up, or by the loop after it), and when a rebuild fails (:meth:`failed`) or works
    again: the open pages then say that they are out of date, and why, or stop saying so."""

    def __init__(self) -> None:
        self.number = 0
        self.changed = threading.Condition()
        self._told = True  # the current rebuild's site has been announced
        #: Why the last rebuild failed, in lines (``file:line:col: CODE [rule] ...``): the
        #: pages served meanwhile are the last good site's, marked out of date. Empty
        #: once a rebuild works.
        self.failure: tuple[str, ...] = ()
        #: What the failure is (see :data:`BANNER_WORDS`): of a rebuild, or of the site served.
        self.kind = "failed"

    def failed(self, lines: tuple[str, ...], *, kind: str = "failed") -> None:
        """The current rebuild failed outright (a settings file that cannot be read, say):
        the last good site stays, and every open page is told, to say so. The same failure
        again (saved once more, still broken) reloads no page. ``kind`` "unread": the site
        was built all the same, without a file it needs (there was no last good site to
        keep)."""
        # As the terminal shows them: a path named in bytes that are not UTF-8 (a project
        # folder so named) held a surrogate, and every page answered failed to encode.
        lines = tuple(one_line(x).encode("utf-8", "backslashreplace").decode("utf-8") for x in lines)
        with self.changed:
            self._told = True
            if lines != self.failure or kind != self.kind:
                self.failure, self.kind = lines, kind
                self.number += 1
                self.changed.notify_all()

    def started(self) -> None:
        """A rebuild begins: its site is announced once, by the first :meth:`published`."""
        with self.changed:
            self._told = False

    def published(self, notice: tuple[str, ...] = ()) -> None:
        """The current rebuild's site is in place; ``notice``: what its pages say of it
        (owners naming teams not listed, kind "unlisted"), at once, not in a reload after."""
        with self.changed:
            if self._told:
                return
            self._told = True
            self.failure, self.kind = notice, "unlisted"
            self.number += 1
            self.changed.notify_all()

    def unchanged(self) -> None:
        """The current rebuild found the site as it was (a file saved unchanged): nothing
        to announce, or every open page would reload for nothing; unless the last rebuild
        failed (the error undone): the pages stop saying they are out of date."""
        with self.changed:
            self._told = True
            if self.failure:
                self.failure, self.kind = (), "failed"
                self.number += 1
                self.changed.notify_all()

    def state(self) -> BuildState:
        """The number, failure and kind together, as one rebuild left them: read one by one
        without the lock they are written under, a request between a rebuild's writes had
        one failure's lines under another kind's banner, and a digest of neither."""
        with self.changed:
            return BuildState(self.number, self.failure, self.kind)

    def after(self, seen: str | None, timeout: float) -> int:
        """The build number once it is no longer ``seen`` (at once when it already is
        not), or after ``timeout`` seconds."""
        with self.changed:
            self.changed.wait_for(lambda: str(self.number) != seen, timeout)
            return self.number


class Handler(http.server.SimpleHTTPRequestHandler):
    builds: Builds
    #: Seconds a connection may sit idle before it is closed: each held a thread for ever.
    timeout = IDLE_SECONDS

    def do_GET(self) -> None:  # the http.server API names it so
        self._respond()

    def do_HEAD(self) -> None:  # the http.server API names it so
        """GET's status and headers, without its body: HEAD went to the plain file server,
        which gave a page's length on disk (without the reload script), no charset and no
        Cache-Control."""
        self._respond()

    def _respond(self) -> None:
        """Answer a GET, or a HEAD (:meth:`_answer` and the file server leave its body out)."""
        if self._refused():
            return
        try:
            self._answer_path()
        except OSError as exc:
            if isinstance(exc, (ConnectionError, TimeoutError)):
                raise  # the browser went away: the server says nothing of it
            # A path no file can have here ("File name too long", a name that is a file's
            # inside another file): Path.is_dir/exists raise for such errors, which closed
            # the connection with no answer and put the whole path on the terminal.
            self.send_error(404, "File not found")

    def _answer_path(self) -> None:
        url = urllib.parse.urlsplit(self.path)
        if url.path == RELOAD_PATH:
            seen = urllib.parse.parse_qs(url.query).get("after", [None])[0]
            # A HEAD is not held: it cannot be told the number (curl -I waited 10 s for it)
            held = seen is not None and self.command != "HEAD"
            body = str(self.builds.after(seen, HOLD_SECONDS if held else 0)).encode()
            self._answer(200, "text/plain", body)
            return
        if url.path == PAGE_PATH:
            asked = urllib.parse.parse_qs(url.query).get("page", ["/"])[0]
            found = self._page(asked)
            digest = page_digest(found, self.directory) if found is not None else ""
            state = self.builds.state()
            said = with_failure(digest, state.failure, state.kind)
            self._answer(200, "text/plain", said.encode())
            return
        path = self._page(self.path)
        if path is None:
            self.send_error(404, "File not found")
            return
        if path.suffix == ".html" and not path.exists() and not site_present(Path(self.directory)):
            self._answer(503, "text/html; charset=utf-8", REBUILDING_PAGE, ("Retry-After", "1"))
            return
        # The number before the page is read: a page read from a newer site than its number
        # says reloads once more for nothing; the other way round, never.
        number, failure, kind = self.builds.state()
        if path.suffix == ".html" and path.is_file():
            page = path.read_bytes()
            digest = with_failure(page_digest(path, self.directory, page), failure, kind)
            self._answer(200, "text/html; charset=utf-8", served_page(page, number, digest, failure, kind))
            return
        if path.suffix == ".html":
            # A page the site does not have (now): a map's id changed, its file moved away or
            # stashed. The open tab reloaded into the file server's 404, which has no reload
            # script, and stayed there once the page was back.
            body = served_page(NOT_FOUND_PAGE, number, with_failure("", failure, kind), failure, kind)
            self._answer(404, "text/html; charset=utf-8", body)
            return
        # A file rewritten in the second the browser's copy is dated was answered "304 Not
        # Modified" (Last-Modified counts whole seconds): never asked, the file is sent.
        del self.headers["If-Modified-Since"]
        if self.command == "HEAD":
            super().do_HEAD()
        else:
            super().do_GET()

    def end_headers(self) -> None:
        """Every answer uncached. The file server's had no Cache-Control, only Last-Modified,
        so the browser kept a file for a tenth of its age without asking: a diagram
        unchanged for an hour, then changed, showed its old picture in the reloaded page
        for 6 minutes (a reload asks again for the page, not for its pictures)."""
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def _page(self, address: str) -> Path | None:
        """The file an address names, a folder's ``index.html`` for a folder; None outside
        the site."""
        if _no_file(address):  # no file's name (?page=%2500)
            return None
        path = Path(self.translate_path(address))
        if not _inside(path, self.directory):
            return None
        if path.is_dir() or urllib.parse.urlsplit(address).path.endswith("/"):  # (the folder may be gone)
            path = path / "index.html"
        return path

    def _answer(self, status: int, content_type: str, body: bytes, *headers: tuple[str, str]) -> None:
        """A response made here (never cached, as none: see :meth:`end_headers`)."""
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _refused(self) -> bool:
        """A path no file can have (a NUL byte: %00) is a 404, not a traceback; a request
        for another host name than this machine's, when listening on loopback only, a 403
        (see :func:`loopback_name`)."""
        if _no_file(self.path):
            self.send_error(404, "File not found")
            return True
        host = self.headers.get("Host")
        bound = self.server.server_address  # (address, port), and two more fields for IPv6
        on_loopback = _is_loopback(bound[0] if isinstance(bound, tuple) else "")
        if host is not None and on_loopback and not loopback_name(host):
            self.send_error(403, "This preview answers only to localhost")
            return True
        return False

    def log_message(self, format: str, *args: object) -> None:  # quiet: the terminal shows builds
        pass


def _no_file(address: str) -> bool:
    """Whether the path of ``address`` is one no file can have (a NUL byte: %00). Its query
    and fragment name no file: ``/index.html?x=%00`` was a 404, the page there. Cut as the
    file server's translate_path cuts (urlsplit reads ``//%00/x`` as a host and a path)."""
    return "\0" in urllib.parse.unquote(address.split("?", 1)[0].split("#", 1)[0])


def _inside(path: Path, site: str) -> bool:
    """Whether ``path``, its links followed, is in the site. A build writes no links: one
    found there was put there by someone else (``ln -s / site/all``), and the file server
    followed it to any file on the machine until the next rebuild replaced the site."""
    real, top = os.path.realpath(path), os.path.realpath(site)
    return real == top or real.startswith(top.rstrip(os.sep) + os.sep)


def loopback_name(host: str) -> bool:
    """Whether a request's Host names this machine (localhost, *.localhost, a loopback
    address), port aside. A loopback server answered any name: DNS rebinding (a page the
    user opens points a name of its own at 127.0.0.1) let another site's script read the
    preview, customer journeys and costs, as its own."""
    try:
        name = urllib.parse.urlsplit(f"//{host}").hostname
    except ValueError:  # a malformed port or bracket
        return False
    if name is None:
        return False
    return name == "localhost" or name.endswith(".localhost") or _is_loopback(name)


def _is_loopback(address: object) -> bool:
    try:
        return ipaddress.ip_address(str(address)).is_loopback
    except ValueError:
        return False


class Server(http.server.ThreadingHTTPServer):
    """The preview server: room for a burst of connections (the default backlog is 5), and
    an error while answering one request is a line on the terminal, never a traceback."""

    request_queue_size = 128
    daemon_threads = True
    say: Callable[[str], None] = print

    def handle_error(self, request: object, client_address: object) -> None:
        import sys

        exc = sys.exc_info()[1]
        if isinstance(exc, (ConnectionError, TimeoutError)):
            return  # the browser went away: nothing to tell
        self.say(f"journeymaps: serve: could not answer a request: {type(exc).__name__}: {exc}")


class Server6(Server):
    """The preview server on an IPv6 address (``--host ::1``)."""

    address_family = socket.AF_INET6


def address_family(host: str) -> socket.AddressFamily:
    """IPv6 for an IPv6 address (``::1``, ``fe80::1%eth0``) or a name only IPv6 resolves;
    else IPv4, as before (``localhost`` stays 127.0.0.1). An IPv4-only server said "Address
    family for hostname not supported" for ``--host ::1``."""
    if ":" in host:
        return socket.AF_INET6
    try:
        socket.getaddrinfo(host, None, socket.AF_INET, socket.SOCK_STREAM)
    except OSError:
        try:
            socket.getaddrinfo(host, None, socket.AF_INET6, socket.SOCK_STREAM)
        except OSError:
            return socket.AF_INET  # binding says why
        return socket.AF_INET6
    return socket.AF_INET


def url_host(host: str) -> str:
    """``host`` as a URL writes it: an IPv6 address in brackets (``http://[::1]:8000/``)."""
    return f"[{host}]" if ":" in host else host


def attempt(rebuild: Callable[[], bool], say: Callable[[str], None], builds: Builds | None = None) -> bool:
    """One rebuild; whatever goes wrong, the last good site keeps being served and the
    terminal says why; ``builds`` is told of an error of ours (``rebuild`` tells it of the
    others, :meth:`Builds.failed`), and the open pages say so."""
    try:
        built = rebuild()
    except Exception as exc:
        said = f"journeymaps: internal error while building: {type(exc).__name__}: {exc}"
        say(said)
        say("journeymaps: please report the error above")
        if builds is not None:
            builds.failed((said, "Please report it; the terminal running journeymaps serve has it too."))
        built = False
    return built


#: Said when a rebuild fails and the last good site stays served.
STILL_SERVING = (
    "journeymaps: the rebuild failed: still serving the last site that built, its pages marked out of date"
)
#: Said when a rebuild fails and there is no site to serve (it was deleted).
NOTHING_SERVED = "journeymaps: the rebuild failed: no site to serve until a rebuild works"


#: What a watched file looks like (size and times to the nanosecond, inode and status
#: change): two saves within one clock tick, or a file replaced by another of the same size
#: and time (an editor's save-by-rename, ``cp -p``), are still changes.
Look = tuple[int, int, int, int]

_YAML = re.compile(r".*\.y.*ml", re.DOTALL | re.IGNORECASE)  # as Path.rglob("*.y*ml"), any case


def snapshot(folders: list[Path], extra: list[Path]) -> dict[str, Look]:
    """How every YAML file under ``folders`` and every settings file looks: what a change
    looks like. One ``scandir`` walk, with the stat it already made for each entry (about
    a third of ``rglob`` and a stat per file: cheap enough to look ten times a second)."""
    seen: dict[str, Look] = {}
    for folder in folders:
        if os.path.isdir(folder):  # noqa: PTH112 - false, not an error, for a name too long
            _walk(str(folder), seen, set())
        else:
            _look(str(folder), seen)
    for path in extra:
        _look(str(path), seen)  # no such settings file (yet): nothing
    return seen


def _walk(folder: str, seen: dict[str, Look], visited: set[tuple[int, int]]) -> None:
    try:
        info = os.stat(folder)  # noqa: PTH116 - a linked folder counts once (no loop)
        if (info.st_dev, info.st_ino) in visited:
            return
        visited.add((info.st_dev, info.st_ino))
        with os.scandir(folder) as entries:
            found = list(entries)
    except OSError:
        return
    for entry in found:
        try:
            # Not a link to a folder: lint does not follow one (maps/sub -> / was walked,
            # the whole machine, ten times a second).
            if entry.is_dir(follow_symlinks=False):
                if _YAML.fullmatch(entry.name):
                    # a folder named teams.yaml is an error of its own: its removal, once
                    # empty, is a change (the page said so until some other file was saved)
                    _look(entry.path, seen)
                if entry.name not in SKIPPED_FOLDERS:  # never read: a change there is none
                    _walk(entry.path, seen, visited)
            elif _YAML.fullmatch(entry.name):
                st = entry.stat()
                seen[entry.path] = (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)
        except OSError:
            continue  # gone meanwhile


def _look(path: str, seen: dict[str, Look]) -> None:
    try:
        st = os.stat(path)  # noqa: PTH116
    except OSError:
        return
    seen[path] = (st.st_mtime_ns, st.st_size, st.st_ino, st.st_ctime_ns)


#: How long the files must look the same before a rebuild starts: a save seen half done
#: (the file truncated, not yet written) was built as an empty map, the page reloaded on
#: that, and the save itself was built again after it.
SETTLE_SECONDS = 0.05
#: A file that never stops changing (a generator writing maps) is built anyway after this.
SETTLE_LIMIT_SECONDS = 1.0


def _settled(
    now: dict[str, Look], look: Callable[[], dict[str, Look]], stop: threading.Event
) -> dict[str, Look]:
    """How the files look once they have stayed the same for :data:`SETTLE_SECONDS`."""
    deadline = time.monotonic() + SETTLE_LIMIT_SECONDS
    while not stop.wait(SETTLE_SECONDS) and time.monotonic() < deadline:
        again = look()
        if again == now:
            break
        now = again
    return now


class Collector:
    """Each rebuild's garbage collected, as the interpreter would have without the freeze.

    A build runs with the cyclic collector paused and freezes everything alive when it ends
    (:func:`journeymaps.project.collector_paused`); ``gc.unfreeze()`` puts it all back in
    the oldest generation, which the interpreter collects only once enough objects have
    *survived* younger collections to get there: unfrozen ones never count. So the cycles a
    rebuild left were never collected, and serve grew by each rebuild's garbage (the
    example maps: ~0.7 MB a save). As the interpreter does, a full collection runs once the
    heap has grown by a quarter since the last one: its cost, a walk of everything alive,
    is spread over that many new objects."""

    def __init__(self) -> None:
        self._after_last = 0  # objects alive after the last full collection (none yet)

    def idle(self) -> None:
        alive = gc.get_freeze_count()  # freeze() took every object the collector tracks
        gc.unfreeze()
        if alive > self._after_last + self._after_last // 4:
            gc.collect()
            # Counted as freeze() would: a walk, where len(gc.get_objects()) made a list of
            # millions of pointers on a large project.
            gc.freeze()
            self._after_last = gc.get_freeze_count()
            gc.unfreeze()


def _today() -> str:
    """The date a build judges the maps as of (see :func:`journeymaps.site.build.build_date`):
    today, or what ``SOURCE_DATE_EPOCH`` fixes, which never changes while serve runs."""
    return os.environ.get("SOURCE_DATE_EPOCH") or dt.date.today().isoformat()


def _out_look(out: Path) -> dict[str, Look]:
    """How the site's folder itself looks (its entries added or removed change it)."""
    seen: dict[str, Look] = {}
    _look(str(out), seen)
    return seen


#: How far a file's status-change time may lag the clock read just before it changed: the
#: kernel stamps files from a coarse clock (a tick of up to 10 ms behind).
_CLOCK_SLACK_NS = 50_000_000


def _rewatched(
    old: tuple[list[Path], list[Path]],
    new: tuple[list[Path], list[Path]],
    last: dict[str, Look],
    since_ns: int,
) -> tuple[tuple[list[Path], list[Path]], dict[str, Look]]:
    """``new`` to watch from now on, and ``last`` (how the files looked when the rebuild
    started, at ``since_ns`` on the wall clock) made to cover it: a file newly watched
    counts as it looks now (or every change of what is watched would rebuild once more for
    nothing) unless it changed since the rebuild started, one no longer watched is
    forgotten, and one watched before and after keeps its look from before the rebuild (a
    save during the rebuild is still a change, as is a map created or deleted meanwhile)."""
    if new == old:
        return old, last
    before, after = snapshot(*old), snapshot(*new)
    kept = {k: v for k, v in last.items() if k in after or k not in before}
    # A map saved in a newly watched folder while the rebuild ran (or right after it said
    # "Rebuilt", before this look) was taken as the starting state and never rebuilt:
    # one changed since the rebuild started is left out, so the next look sees a change.
    settled = since_ns - _CLOCK_SLACK_NS
    return new, kept | {k: after[k] for k in after.keys() - before.keys() if after[k][3] < settled}


def listen(out: Path, host: str, port: int, builds: Builds, idle: float = IDLE_SECONDS) -> Server:
    """A server bound to ``host:port`` for ``out``, not yet answering (OSError when the port
    is taken). Bound before the first build: a port in use is said at once, not after a
    build of minutes; a browser that asks meanwhile waits in the queue and is answered.
    ``idle``: seconds a connection may sit idle before it is closed (a test waits less)."""
    bound = type("BoundHandler", (Handler,), {"builds": builds, "timeout": idle})
    handler = functools.partial(bound, directory=str(out))
    server_class = Server6 if address_family(host) == socket.AF_INET6 else Server
    return server_class((host, port), handler)


def serve(
    out: Path,
    host: str,
    port: int,
    rebuild: Callable[[], bool],
    watched: list[Path],
    extra: list[Path],
    say: Callable[[str], None],
    stop: threading.Event | None = None,
    interval: float = 0.1,
    builds: Builds | None = None,
    last: dict[str, Look] | None = None,
    server: Server | None = None,
    watching: Callable[[], tuple[list[Path], list[Path]]] | None = None,
) -> None:
    """Serve ``out`` until interrupted, calling ``rebuild`` whenever a watched file changes
    or the site is deleted (:func:`site_present` turns false: once, not again and again
    while a rebuild fails).
    ``builds``: the counter pages ask about, when ``rebuild`` tells it its site is in place
    (:meth:`Builds.published`) before it returns. ``last``: how the files looked when the
    site being served was built (default: now). ``server``: from :func:`listen`, made
    before the first build (default: made now). ``watching``: what to watch as of the last
    rebuild (its folders and files, see :mod:`journeymaps.site.watching`), asked after each
    (default: ``watched`` and ``extra`` for good)."""
    builds = builds or Builds()
    server = server or listen(out, host, port, builds)
    server.say = say
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    stop = stop or threading.Event()
    # The state to compare with is taken before saying where the site is: a deletion right
    # after the announcement was taken as the starting state and never seen (CI caught it).
    last = snapshot(watched, extra) if last is None else last
    if watching is not None:  # what the first build (before serve) depends on
        (watched, extra), last = _rewatched((watched, extra), watching(), last, time.time_ns())
    present = site_present(out)
    # How the site's path looked when a rebuild left no site there (a file in its way, a
    # folder journeymaps did not write): built again once that changes, not at the next
    # edit only (every page answered "Rebuilding the site" for good after ``rm -rf site;
    # touch site; rm site``).
    blocked: dict[str, Look] | None = None
    collector = Collector()
    day = _today()
    say(f"Serving {out.as_posix()}/ on http://{url_host(host)}:{server.server_address[1]}/ (Ctrl+C to stop)")
    try:
        while not stop.wait(interval):
            now = snapshot(watched, extra)
            # A deleted site was served as 404s until the next edit (mkdocs serve builds it
            # again): one more stat a look, next to the watched files' walk.
            here = site_present(out)
            gone, present = present and not here, here
            unblocked = blocked is not None and not here and _out_look(out) != blocked
            # The site is judged as of its date (stale badges, "reviewed N days ago"): one
            # serve left running overnight showed yesterday's judgement until a map was saved.
            new_day = (today := _today()) != day
            day = today
            if now != last or gone or unblocked or new_day:
                if new_day:
                    say(f"The date is now {today}: building again (maps are judged as of the date)")
                if gone:
                    say(f"{out.as_posix()}/ was deleted: building it again")
                    # the deletion may still be under way (rm -rf of a large site): wait
                    # for the folder to stay as it is, as for a save
                    _settled(_out_look(out), lambda: _out_look(out), stop)
                now = _settled(now, functools.partial(snapshot, watched, extra), stop)
                last = now
                started, since = time.perf_counter(), time.time_ns()
                builds.started()
                number = builds.number
                built = attempt(rebuild, say, builds)
                if built:
                    builds.published()  # unless the rebuild has said so already
                    took = time.perf_counter() - started
                    say(
                        f"Rebuilt in {took:.2f} s"
                        if builds.number != number
                        else f"Nothing changed ({took:.2f} s)"
                    )
                else:
                    say(STILL_SERVING if site_present(out) else NOTHING_SERVED)
                # A rebuild that worked put the site in place: if it is not there at the
                # next look, it was deleted since (taking its absence now as the state to
                # compare with missed a deletion landing as the rebuild ended). A failed
                # one is not tried again until the next change.
                present = built or site_present(out)
                blocked = None if present else _out_look(out)
                if watching is not None:
                    (watched, extra), last = _rewatched((watched, extra), watching(), last, since)
                # A build leaves its model frozen out of the collector (project.collector_
                # paused); idle now, hand it back, and collect (see Collector).
                collector.idle()
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()
        server.server_close()
