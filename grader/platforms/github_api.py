"""GitHub's REST API as `grader pulls` uses it, with the standard library only
(the grading workflow's first step asks it whether anything changed before
anything is installed; five endpoints need no client library).

What GitHub does on deadline day, and what this client does about it:
- 5xx, 429, and 403 "secondary rate limit" / rate limit exhausted: wait
  (`Retry-After`, else `x-ratelimit-reset`, else exponential backoff) and try
  again, within a total wait budget; `sleep` is injectable so tests do not wait.
- Conditional requests: a GET may send the ETag it saw last time
  (`If-None-Match`); a 304 costs no rate limit and gives back what was kept.
- Lists come in pages: the `Link: <...>; rel="next"` header is followed, never
  a page number guessed.
- Redirects: followed only within the API's own origin (scheme, host, port).
  urllib's default handler copies `Authorization` to whatever host a 301/302/
  307/308 names, https to http included; here the token never leaves.
"""
import email.utils
import json
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from http.client import HTTPException

from ..errors import GraderError

MAX_BODY = 64 * 1024 * 1024       # bytes of one response read at all (a 32 MiB blob is ~43 MiB of base64)
TIMEOUT = 60                      # seconds for one request
ATTEMPTS = 6                      # tries of one request
BACKOFF = 2.0                     # seconds before the second try, doubled for each next one
MIN_RATE_LIMIT_WAIT = 60          # GitHub: after a secondary rate limit, wait at least a minute
MAX_WAIT = 15 * 60                # seconds one client may spend waiting in all (the job has a time limit)
RETRIED = {500, 502, 503, 504}
NEXT = re.compile(r'<([^>]+)>\s*;\s*rel="?next"?')


class GitHubError(GraderError):
    """A request failed for good (after its retries)."""

    def __init__(self, message, status=None, unsure=False):
        super().__init__(message)
        self.status = status
        self.unsure = unsure   # a write that may have been applied (its answer was lost)


class RateLimited(GitHubError):
    """GitHub asks for a longer wait than the budget left: stop this run, the next one goes on."""


class OffOrigin(GitHubError):
    """The API answered with a redirect (or a next page) on another origin: not followed."""


def origin(url):
    parts = urllib.parse.urlsplit(url)
    port = parts.port or {"https": 443, "http": 80}.get(parts.scheme)
    return parts.scheme, (parts.hostname or "").lower(), port


class _SameOrigin(urllib.request.HTTPRedirectHandler):
    def __init__(self, home):
        self.home = home

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        target = urllib.parse.urljoin(req.full_url, newurl)
        if origin(target) != self.home:
            fp.close()
            raise OffOrigin(f"{req.get_method()} {req.full_url}: HTTP {code} redirects to another origin "
                            f"({urllib.parse.urlsplit(target).netloc or target}); not followed, the token stays here",
                            status=code)
        return super().redirect_request(req, fp, code, msg, headers, newurl)


class GitHub:
    """One token, one API origin. `cache` ({url: {"etag", "body", "next"}}) holds
    the conditional GETs' last answers; the caller keeps it between runs."""

    def __init__(self, token, api="https://api.github.com", sleep=time.sleep, cache=None, max_wait=MAX_WAIT,
                 clock=time.time):
        self.token, self.api = token, api.rstrip("/")
        self.home = origin(self.api)
        self.sleep, self.clock, self.max_wait = sleep, clock, max_wait
        self.waited = 0.0
        self.cache = {} if cache is None else cache
        self.requests = 0
        self._opener = urllib.request.build_opener(_SameOrigin(self.home))

    def url(self, path):
        url = path if "://" in path else self.api + path
        if origin(url) != self.home:
            raise OffOrigin(f"{url}: not on the API's origin; not requested, the token stays here")
        return url

    def call(self, method, path, body=None, conditional=False):
        """The decoded JSON answer (None when empty). GETs, PATCHes and status
        POSTs are safe to repeat; any other POST is retried only when GitHub
        refused it outright (429, rate limit), and otherwise fails `unsure`."""
        return self._request(method, path, body, conditional)[0]

    def _request(self, method, path, body=None, conditional=False, keep=None):
        url = self.url(path)
        repeatable = method in ("GET", "PATCH", "PUT", "DELETE") or "/statuses/" in url
        kept = self.cache.get(url) if conditional and method == "GET" else None
        headers = {"Authorization": f"Bearer {self.token}", "Accept": "application/vnd.github+json",
                   "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "calculo-dl-grader"}
        if kept:
            headers["If-None-Match"] = kept["etag"]
        data = None if body is None else json.dumps(body).encode()
        if data is not None:
            headers["Content-Type"] = "application/json"
        for attempt in range(ATTEMPTS):
            request = urllib.request.Request(url, method=method, data=data, headers=headers)
            self.requests += 1
            try:
                with self._opener.open(request, timeout=TIMEOUT) as response:
                    raw = response.read(MAX_BODY + 1)
                    answer_headers = response.headers
            except urllib.error.HTTPError as err:
                with err:
                    if err.code == 304 and kept:
                        return kept["body"], kept.get("next")
                    message = _message(err)
                    delay, limited = self._delay(err, message, attempt)
                    if delay is None or (not repeatable and not limited):
                        raise GitHubError(f"{method} {_short(url)}: HTTP {err.code}{': ' + message if message else ''}",
                                          status=err.code, unsure=not repeatable and err.code >= 500) from None
                    self._wait(delay, attempt, limited, f"{method} {_short(url)}: HTTP {err.code} {message}")
                continue
            except OffOrigin:
                raise
            except (urllib.error.URLError, HTTPException, OSError) as err:
                if not repeatable:
                    raise GitHubError(f"{method} {_short(url)}: {err}", unsure=True) from None
                self._wait(BACKOFF * 2 ** attempt, attempt, False, f"{method} {_short(url)}: {err}")
                continue
            if len(raw) > MAX_BODY:
                raise GitHubError(f"{method} {_short(url)}: answer larger than {MAX_BODY >> 20} MiB")
            try:
                value = json.loads(raw) if raw else None
            except ValueError:
                raise GitHubError(f"{method} {_short(url)}: the answer is not JSON") from None
            following = _next(answer_headers.get("Link", ""), url)
            if keep and isinstance(value, list):
                if not all(isinstance(v, dict) for v in value):
                    raise GitHubError(f"{method} {_short(url)}: a list of something else than objects")
                value = [keep(v) for v in value]
            if conditional and method == "GET" and answer_headers.get("ETag"):
                self.cache[url] = {"etag": answer_headers["ETag"], "body": value, "next": following}
            return value, following
        raise AssertionError("unreachable")   # the last attempt raises in _wait

    def _delay(self, err, message, attempt):
        """(seconds to wait, whether GitHub limited the rate) or (None, False): do not retry."""
        headers = err.headers or {}
        remaining = headers.get("x-ratelimit-remaining")
        limited = err.code == 429 or (err.code == 403 and ("rate limit" in message.lower() or remaining == "0"
                                                           or headers.get("Retry-After") is not None))
        if not limited and err.code not in RETRIED:
            return None, False
        after = _seconds(headers.get("Retry-After"), self.clock())
        if after is not None:
            return after, limited
        if remaining == "0" and headers.get("x-ratelimit-reset", "").isdigit():
            return max(0.0, int(headers["x-ratelimit-reset"]) - self.clock()) + 1, True
        if limited:
            return MIN_RATE_LIMIT_WAIT * 2 ** attempt, True
        return BACKOFF * 2 ** attempt, False

    def _wait(self, delay, attempt, limited, what):
        if attempt == ATTEMPTS - 1 or self.waited + delay > self.max_wait:
            kind = RateLimited if limited else GitHubError
            raise kind(f"{what} (gave up after {attempt + 1} tries; waited {self.waited:.0f} s in this run, "
                       f"{delay:.0f} s more asked)")
        self.sleep(delay)
        self.waited += delay

    def pages(self, path, conditional=True, keep=None):
        """Every item of a list, page after page by the `Link` header. `keep`
        (item -> item) trims each item before it is returned and cached."""
        url = path + ("&" if "?" in path else "?") + "per_page=100"
        items = []
        while url:
            value, url = self._request("GET", url, conditional=conditional, keep=keep)
            if not isinstance(value, list):
                raise GitHubError(f"GET {_short(path)}: expected a list")
            items += value
        return items


def _message(err):
    try:
        text = err.read(64 * 1024).decode("utf-8", "replace")
        return str(json.loads(text).get("message", ""))[:300]
    except (ValueError, AttributeError, OSError, HTTPException):
        return ""


def _seconds(value, now):
    """Retry-After: seconds, or an HTTP date."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max(0.0, email.utils.parsedate_to_datetime(value).timestamp() - now)
    except (TypeError, ValueError):
        return None


def _next(link, url):
    found = NEXT.search(link or "")
    return urllib.parse.urljoin(url, found.group(1)) if found else None


def _short(url):
    parts = urllib.parse.urlsplit(url)
    return parts.path + ("?" + parts.query if parts.query else "")
