"""`grader pulls`: grade a class's open pull requests from the grading
repository, the one place that holds the hidden suite and the token.

No student can write to the grading repository, and nothing in it is
triggered by an event a student causes (it runs on a schedule or by hand),
so no workflow a student writes can reach its token or its tests. For each
repository of the class and each open pull request whose head commit has no
`grader` status yet, the files the grade needs are fetched through GitHub's
REST API as data (git blobs: never checked out, installed or run on the
runner), graded with the hidden suite in the sandbox, and the result goes
back as a commit status on that head and a comment on the pull request.
The token lives in $GRADER_TOKEN; the sandboxed child never sees it.
"""
import base64
import json
import os
import sys
import tempfile
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

from .ci import header
from .grade import grade
from .manifest import load
from .render import as_markdown
from .sandbox import for_hidden_tests
from .errors import GraderError

TOKEN_VARIABLE = "GRADER_TOKEN"
CONTEXT = "grader"                 # the commit status that marks a head as graded
MAX_BLOB = 32 * 1024 * 1024        # bytes of one file fetched at all
PAGE = 100


class PullsError(GraderError):
    """The class cannot be listed or graded at all (no token, no such organisation)."""


class GitHub:
    """The few REST calls grading needs, with urllib: no client library for five endpoints."""

    def __init__(self, token, api="https://api.github.com"):
        self.token, self.api = token, api.rstrip("/")

    def call(self, method, path, body=None):
        request = urllib.request.Request(
            self.api + path, method=method, data=None if body is None else json.dumps(body).encode(),
            headers={"Authorization": f"Bearer {self.token}", "Accept": "application/vnd.github+json",
                     "X-GitHub-Api-Version": "2022-11-28", "User-Agent": "calculo-dl-grader"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                data = response.read(MAX_BLOB * 2)
        except urllib.error.HTTPError as err:
            raise PullsError(f"{method} {path}: HTTP {err.code}") from err
        except (urllib.error.URLError, OSError) as err:
            raise PullsError(f"{method} {path}: {err}") from err
        return json.loads(data) if data else None

    def pages(self, path):
        sep = "&" if "?" in path else "?"
        for page in range(1, 100):
            batch = self.call("GET", f"{path}{sep}per_page={PAGE}&page={page}") or []
            yield from batch
            if len(batch) < PAGE:
                return


def class_repositories(github, org=None, prefix="", listed=None):
    """'owner/name' of each repository to grade: the lines of `listed` (a
    file), or the organisation's repositories whose name starts with `prefix`
    (GitHub Classroom names them assignment-login)."""
    if listed:
        lines = Path(listed).read_text(encoding="utf-8").splitlines()
        return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]
    if not org or not prefix:
        raise PullsError("name the class: --org ORG --prefix PREFIX (the assignment's repositories), "
                         "or --repos FILE")
    return sorted(r["full_name"] for r in github.pages(f"/orgs/{urllib.parse.quote(org)}/repos?type=all")
                  if r["name"].startswith(prefix) and not r.get("archived"))


def wanted_files(tree, modules):
    """{name: tree entry} of the top-level files a grade reads: each module's
    .py and .ipynb and any other notebook (a combined one). Regular files
    only: no symlink, no submodule, nothing in a folder."""
    names = {f"{m}.{ext}" for m in modules for ext in ("py", "ipynb")}
    return {e["path"]: e for e in tree.get("tree", [])
            if e.get("type") == "blob" and e.get("mode") in ("100644", "100755") and "/" not in e["path"]
            and (e["path"] in names or e["path"].endswith(".ipynb"))}


def fetch_submission(github, repo, sha, folder):
    """Write the pull request's files into `folder`; return report errors."""
    tree = github.call("GET", f"/repos/{repo}/git/trees/{sha}")
    errors = []
    for name, entry in sorted(wanted_files(tree, load().modules).items()):
        if entry.get("size", 0) > MAX_BLOB:
            errors.append({"module": "", "message": f"{name} não foi avaliado: tem mais de {MAX_BLOB >> 20} MiB"})
            continue
        data = github.call("GET", f"/repos/{repo}/git/blobs/{entry['sha']}")
        (Path(folder) / name).write_bytes(base64.b64decode(data.get("content", "")))
    return errors


def already_graded(github, repo, sha, me):
    """Whether `me` (the token's account) has set the `grader` status on `sha`:
    a student can set a status of that name too, and it stands for nothing."""
    statuses = github.call("GET", f"/repos/{repo}/commits/{sha}/statuses?per_page={PAGE}") or []
    return any(s.get("context") == CONTEXT and (s.get("creator") or {}).get("login") == me for s in statuses)


def grade_pull(github, repo, pull, sandbox="auto", seed=None):
    """Grade one pull request and post its status and comment; return the report."""
    sha = pull["head"]["sha"]
    with tempfile.TemporaryDirectory(prefix="grader-pull-") as folder:
        errors = fetch_submission(github, repo, sha, folder)
        report = grade(folder, suite="hidden", seed=seed, sandbox=sandbox)
    report["submission"] = f"{repo}#{pull['number']}@{sha[:7]}"
    report["errors"] = errors + report["errors"]
    body = header(report, {"pull_request": pull}) + as_markdown(report)
    github.call("POST", f"/repos/{repo}/issues/{pull['number']}/comments", {"body": body})
    github.call("POST", f"/repos/{repo}/statuses/{sha}", {
        "state": "success", "context": CONTEXT,
        "description": f"Nota {report['score']:g}/{report['max_score']:g} (testes ocultos)"})
    return report


def run_pulls(repos, github, sandbox="auto", seed=None, limit=50, out=print):
    """Grade every open, not yet graded pull request of `repos`, at most
    `limit` of them; return [(repo, number, report or error text)]."""
    for_hidden_tests(sandbox)
    me = github.call("GET", "/user")["login"]
    done = []
    for repo in repos:
        try:
            pulls = list(github.pages(f"/repos/{repo}/pulls?state=open"))
        except PullsError as err:
            out(f"{repo}: {err}")
            continue
        for pull in pulls:
            if len(done) >= limit:
                return done
            sha = pull["head"]["sha"]
            try:
                if already_graded(github, repo, sha, me):
                    continue
                report = grade_pull(github, repo, pull, sandbox, seed)
                out(f"{repo}#{pull['number']} {sha[:7]}: {report['score']:g}/{report['max_score']:g}")
                done.append((repo, pull["number"], report))
            except PullsError as err:   # one repository's trouble is not the class's
                out(f"{repo}#{pull['number']}: {err}")
                done.append((repo, pull["number"], str(err)))
    return done


def main(args):
    token = os.environ.get(TOKEN_VARIABLE, "")
    if not token:
        raise PullsError(f"${TOKEN_VARIABLE} is not set: a token that may read the class's repositories and "
                         "write their pull requests and commit statuses")
    github = GitHub(token, args.api)
    repos = class_repositories(github, args.org, args.prefix, args.repos)
    results = run_pulls(repos, github, sandbox=args.sandbox, limit=args.limit,
                        out=lambda line: print(line, file=sys.stderr))
    failed = [r for r in results if isinstance(r[2], str)]
    print(f"graded {len(results) - len(failed)} pull request(s) in {len(repos)} repositories"
          + (f"; {len(failed)} could not be graded" if failed else ""))
    return 1 if failed else 0
