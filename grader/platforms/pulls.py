"""`grader pulls`: grade a class's open pull requests from the grading
repository, the one place that holds the hidden suite and the token.

No student can write to the grading repository, and nothing in it is
triggered by an event a student causes (it runs on a schedule or by hand),
so no workflow a student writes can reach its token or its tests. For each
repository of the assignment (grader/platforms/github_classroom.py) and each open pull request
whose head commit was not graded yet, the files the grade needs are fetched
through GitHub's REST API as data (git blobs: never checked out, installed or
run on the runner), graded with the hidden suite in the sandbox, and the
result goes back as a commit status `grader` on that head and one comment on
the pull request, updated in place on each new head. The token lives in
$GRADER_TOKEN; the sandboxed child never sees it.

Each head goes graded -> report saved -> status set -> comment written, and
the state folder (grader/platforms/pulls_state.py) records each step: a run picks up
where the last one stopped, so a failed post is retried without a regrade,
and the saved reports are the grades of record (`--gradebook OUT`). Every
pull request is handled inside its own `try`: whatever one student's files
or one repository's API answers do, the others are graded.
"""
import base64
import hashlib
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

from ..classroom import gradebook
from . import github_classroom as classroom
from .github_classroom import SHA
from ..atomic import write_atomic
from .ci import escape_data, header
from ..errors import GraderError
from .github_api import GitHub, GitHubError, RateLimited
from ..grade import grade
from ..manifest import load
from .pulls_state import MAX_FAILURES, State
from ..show.render import as_markdown
from ..sandbox.confine import SandboxUnavailable, for_hidden_tests

TOKEN_VARIABLE = "GRADER_TOKEN"
CONTEXT = "grader"                 # the commit status that marks a head as graded
MARKER = "<!-- grader-pulls -->"   # first line of the grader's comment: found again by it and its author
MAX_BLOB = 32 * 1024 * 1024        # bytes of one file fetched at all
MAX_EXTRA_NOTEBOOKS = 20           # notebooks not named after a module (combined ones) fetched per head
MAX_GRADED_PER_REPO = 2            # heads graded per repository per run: a student who opens 100 pull
                                   # requests delays only their own, and the rest of the class is graded first
MAX_NAME_BYTES = 200               # a file name the grader writes must fit the file system
MAX_COMMENT = 65_000               # characters: GitHub's limit on a comment is 65,536


class PullsError(GraderError):
    """The class cannot be graded at all (no token)."""


class GraderBroken(PullsError):
    """The grader cannot grade anyone here (the sandbox stopped working): the
    run stops, and no student is charged a failure for it."""


def wanted_files(tree, modules):
    """{name: tree entry} of the top-level files a grade reads: each module's
    .py and .ipynb and any other notebook (a combined one). Regular files
    only: no symlink, no submodule, nothing in a folder."""
    names = {f"{m}.{ext}" for m in modules for ext in ("py", "ipynb")}
    return {e["path"]: e for e in tree.get("tree", [])
            if isinstance(e, dict) and isinstance(e.get("path"), str)
            and e.get("type") == "blob" and e.get("mode") in ("100644", "100755") and "/" not in e["path"]
            and (e["path"] in names or e["path"].endswith(".ipynb"))}


def fetch_submission(github, repo, sha, folder):
    """Write the pull request's files into `folder`; return report errors (pt-BR)."""
    tree = github.call("GET", f"/repos/{repo}/git/trees/{sha}")
    if not isinstance(tree, dict):
        raise GitHubError(f"{repo}@{sha[:7]}: the tree is not an object")
    modules = load().modules
    errors, extra = [], []
    for name, entry in sorted(wanted_files(tree, modules).items()):
        if len(os.fsencode(name)) > MAX_NAME_BYTES:
            errors.append({"module": "", "message": f"{name[:60]}… não foi avaliado: o nome do arquivo é longo demais"})
            continue
        if name.rsplit(".", 1)[0] not in modules:
            extra.append(name)
            if len(extra) > MAX_EXTRA_NOTEBOOKS:
                continue
        size = entry.get("size", 0)
        if not isinstance(size, int) or size > MAX_BLOB:
            errors.append({"module": "", "message": f"{name} não foi avaliado: tem mais de {MAX_BLOB >> 20} MiB"})
            continue
        if not SHA.fullmatch(str(entry.get("sha"))):
            raise GitHubError(f"{repo}@{sha[:7]}: {name!r} has no blob id")
        data = github.call("GET", f"/repos/{repo}/git/blobs/{entry['sha']}")
        (Path(folder) / name).write_bytes(base64.b64decode(data.get("content", "")))
    if len(extra) > MAX_EXTRA_NOTEBOOKS:
        errors.append({"module": "", "message": f"{len(extra) - MAX_EXTRA_NOTEBOOKS} notebook(s) não foram avaliados "
                       f"(só os {MAX_EXTRA_NOTEBOOKS} primeiros, em ordem alfabética, além dos módulos)"})
    return errors


def _mine(thing, me):
    login = ((thing or {}).get("creator") or (thing or {}).get("user") or {}).get("login")
    return bool(me) and isinstance(login, str) and login.lower() == me.lower()


def already_graded(github, repo, sha, me):
    """Whether `me` set the `grader` status on `sha`. Every page is read: a
    student can set statuses of that name too, hundreds of them, and they
    stand for nothing."""
    if not me:
        return False
    statuses = github.pages(f"/repos/{repo}/commits/{sha}/statuses", conditional=False,
                            keep=lambda s: {"context": s.get("context"), "creator": s.get("creator")})
    return any(s.get("context") == CONTEXT and _mine(s, me) for s in statuses)


def grader_comments(github, repo, number, me):
    """Ids of the grader's comments on the pull request: its marker, and written by `me`."""
    if not me:
        return []
    comments = github.pages(f"/repos/{repo}/issues/{number}/comments", conditional=False,
                            keep=lambda c: {"id": c.get("id"), "user": c.get("user"),
                                            "marked": str(c.get("body") or "").startswith(MARKER)})
    return [c["id"] for c in comments if c["marked"] and _mine(c, me) and isinstance(c["id"], int)]


def write_comment(github, repo, number, body, me, known=None):
    """One comment per pull request: update the grader's own in place, or post
    it once. Returns its id."""
    if known:
        try:
            github.call("PATCH", f"/repos/{repo}/issues/comments/{known}", {"body": body})
            return known
        except GitHubError as err:
            if err.status not in (404, 410):   # deleted by someone: find or post anew
                raise
    found = grader_comments(github, repo, number, me)
    if found:
        github.call("PATCH", f"/repos/{repo}/issues/comments/{found[0]}", {"body": body})
        return found[0]
    try:
        made = github.call("POST", f"/repos/{repo}/issues/{number}/comments", {"body": body})
    except GitHubError as err:
        if not err.unsure:
            raise
        found = grader_comments(github, repo, number, me)   # the POST may have landed before its answer was lost
        if not found:
            raise
        github.call("PATCH", f"/repos/{repo}/issues/comments/{found[0]}", {"body": body})
        return found[0]
    return made["id"]


def student_seed(base_seed, student):
    # The recipe of grader/classroom/batch.py's student_seed: the same student gets the same inputs on every run.
    return int.from_bytes(hashlib.sha256(f"{base_seed}:{student}".encode()).digest()[:4], "big")


def grade_head(github, repo, pull, student, sandbox="auto", seed=0):
    """The report of the pull request's head, graded with the hidden suite."""
    sha = pull["head"]["sha"]
    with tempfile.TemporaryDirectory(prefix="grader-pull-") as folder:
        errors = fetch_submission(github, repo, sha, folder)
        try:
            report = grade(folder, suite="hidden", seed=student_seed(seed, student), sandbox=sandbox)
        except SandboxUnavailable as err:
            raise GraderBroken(f"the sandbox stopped working: {err}") from err
    report["submission"] = f"{repo}#{pull['number']}@{sha[:7]}"
    report["errors"] = errors + report["errors"]
    report["pull_request"] = {"repository": repo, "number": pull["number"], "sha": sha, "student": student}
    return report


def comment_body(report, pull):
    body = MARKER + "\n" + header(report, {"pull_request": pull}) + as_markdown(report)
    if len(body) > MAX_COMMENT:   # GitHub refuses longer comments, and would refuse this one every run
        body = body[:MAX_COMMENT - 200].rstrip() + ("\n\n_(comentário cortado: o relatório completo está com o "
                                                    "professor)_\n")
    return body


@dataclass
class Run:
    """What one run did: pull requests graded, posted, left alone, failed."""
    graded: int = 0
    posted: int = 0
    unchanged: int = 0
    failed: int = 0
    repos: int = 0
    stopped: str = ""      # why the run ended early (rate limit, --limit)


class Grader:
    def __init__(self, github, state, sandbox="auto", seed=0, bot_login=None, out=print):
        self.github, self.state, self.sandbox, self.seed, self.out = github, state, sandbox, seed, out
        self.bot_login = bot_login
        self.me = None

    def identify(self):
        """The login the grader's statuses and comments carry: --bot-login, or
        `GET /user` (asked on every run: the token may have changed hands).
        That answers 403 to a GitHub App's installation token: then the login
        the state kept, else the `creator` of the first status this run sets."""
        if self.bot_login:
            self.me = self.bot_login
            return
        try:
            self.me = self.state.login = self.github.call("GET", "/user", conditional=True)["login"]
        except (GitHubError, KeyError, TypeError) as err:
            self.me = self.state.login
            if not self.me:
                self.out(f"who am I: {err}; the login will be read from the first status set "
                         "(give --bot-login APP-SLUG[bot] to skip this)")

    def learn(self, made, field):
        login = ((made or {}).get(field) or {}).get("login")
        if isinstance(login, str) and login:
            if self.me and login.lower() != self.me.lower():
                self.out(f"the token acts as {login}, not {self.me}: using {login}")
            self.me = self.state.login = login

    def pull(self, repo, student, pull, retry=False):
        """Grade and post one pull request's head as far as it has not been;
        return what happened. A failure at any step is counted on the head's
        record: after MAX_FAILURES it waits for --retry instead of costing
        every run an install and a try."""
        key, sha = f"{repo}#{pull['number']}", pull["head"]["sha"]
        if self.state.done(key, sha) or (self.state.gave_up(key, sha) and not retry):
            return "unchanged"
        try:
            what = self._advance(repo, student, pull, key, sha)
        except (RateLimited, GraderBroken):
            raise
        except Exception as err:   # noqa: BLE001 - counted here, then logged by run() for the next student
            record = self.state.pulls.get(key) or {}
            if record.get("sha") != sha:
                record = self.state.pulls[key] = {"sha": sha, "student": student, "comment": record.get("comment")}
            record["failures"] = record.get("failures", 0) + 1
            record["error"] = f"{type(err).__name__}: {err}"[:500]
            self.state.save()
            raise
        self.state.pulls[key].update(failures=0, error="")
        self.state.save()
        return what

    def _advance(self, repo, student, pull, key, sha):
        state = self.state
        record = state.pulls.get(key) or {}
        if record.get("sha") != sha or not record.get("graded") or state.report(key) is None:
            # A head this state has no report for. My status on it means an earlier run whose
            # state is lost: grade it again for the record (same seed, same score), post no new status.
            posted = already_graded(self.github, repo, sha, self.me)
            record = {"sha": sha, "student": student, "comment": record.get("comment"),
                      "failures": record.get("failures", 0) if record.get("sha") == sha else 0}
            state.pulls[key] = record
            report = grade_head(self.github, repo, pull, student, self.sandbox, self.seed)
            state.save_report(key, report)
            record.update(graded=True, status=posted, graded_at=time.time(), score=report["score"])
            state.save()
            what = "graded"
        else:
            report, what = state.report(key), "posted"
        if not record.get("status"):
            made = self.github.call("POST", f"/repos/{repo}/statuses/{sha}", {
                "state": "success", "context": CONTEXT,
                "description": f"Nota {report['score']:g}/{report['max_score']:g} (testes ocultos)"})
            self.learn(made, "creator")
            record["status"] = True
            state.save()
        if record.get("comment_sha") != sha:
            record["comment"] = write_comment(self.github, repo, pull["number"], comment_body(report, pull),
                                              self.me, record.get("comment"))
            record["comment_sha"] = sha
            state.save()
        return what

    def run(self, repos, limit=50, retry=False):
        run = Run(repos=len(repos))
        self.identify()
        for student, repo in repos:
            self.state.repos[repo] = {"student": student, "problem": ""}
            try:
                pulls = classroom.open_pulls(self.github, repo)
            except RateLimited as err:
                run.stopped = str(err)
                break
            except Exception as err:   # noqa: BLE001 - one repository's trouble is not the class's
                self.state.repos[repo]["problem"] = f"{type(err).__name__}: {err}"[:500]
                self.out(f"{repo}: could not list its pull requests: {err}")
                run.failed += 1
                continue
            self.state.repos[repo]["open"] = [p["number"] for p in pulls]
            graded_here = 0
            for pull in pulls:
                if graded_here >= MAX_GRADED_PER_REPO:
                    self.out(f"{repo}: {MAX_GRADED_PER_REPO} heads graded in this run; its other pull requests "
                             "wait for the next")
                    break
                if run.graded >= limit:
                    run.stopped = f"--limit {limit} reached: the rest on the next run"
                    break
                where = f"{repo}#{pull['number']} {pull['head']['sha'][:7]}"
                try:
                    what = self.pull(repo, student, pull, retry)
                except RateLimited as err:
                    run.stopped = str(err)
                    break
                except GraderBroken:
                    self.state.save()   # what was graded before stays graded
                    raise
                except Exception as err:   # noqa: BLE001 - logged, recorded, retried on the next run
                    run.failed += 1
                    self.out(f"{where}: not graded: {type(err).__name__}: {err}")
                    continue
                if what == "graded":
                    run.graded += 1
                    graded_here += 1
                    report = self.state.report(f"{repo}#{pull['number']}")
                    self.out(f"{where}: {report['score']:g}/{report['max_score']:g}")
                elif what == "posted":
                    run.posted += 1
                    self.out(f"{where}: status and comment posted (graded earlier)")
                else:
                    run.unchanged += 1
            if run.stopped:
                break
        self.state.save()
        return run


# -- the grades of record ------------------------------------------------------------

@dataclass
class Row:
    """One gradebook row (grader/classroom/gradebook.py reads these fields, as of batch's Outcome)."""
    student: str
    entry: str
    report: dict = None
    problem: str = ""
    feedback: str = ""


def rows(state, repos, belongs=lambda repo: False):
    """One row per student of the class: the latest graded head of their
    pull requests, or why there is none. `repos` is the class as listed
    now; a repository graded before that is no longer listed (archived)
    stays if `belongs` says it is still the assignment's."""
    known = dict(repos)
    for repo, seen in state.repos.items():
        if repo not in known.values() and belongs(repo):
            known.setdefault(seen.get("student") or repo, repo)
    out = []
    for student, repo in sorted(known.items()):
        records = [(key, r) for key, r in state.pulls.items() if key.rsplit("#", 1)[0] == repo]
        graded = sorted(((r.get("graded_at", 0), key) for key, r in records if r.get("graded")), reverse=True)
        report = next((state.report(key) for _, key in graded if state.report(key) is not None), None)
        if report is not None:
            pr = report.get("pull_request", {})
            out.append(Row(student, f"{repo}#{pr.get('number')}@{str(pr.get('sha'))[:7]}", report))
            continue
        waiting = (f" (gave up after {MAX_FAILURES} tries; run the workflow by hand with retry, "
                   "or grader pulls --retry)")
        failures = [f"#{key.rsplit('#', 1)[1]}: {r['error']}"
                    + (waiting if r.get("failures", 0) >= MAX_FAILURES else "")
                    for key, r in records if r.get("error")]
        problem = ("; ".join(failures) or (state.repos.get(repo) or {}).get("problem")
                   or "no pull request graded yet")
        out.append(Row(student, repo, problem=problem))
    return out


def export(state, repos, folder, dialect="comma", belongs=lambda repo: False):
    """FOLDER/gradebook.csv (batch's format, grader/classroom/gradebook.py) and FOLDER/reports/STUDENT.json."""
    folder = Path(folder)
    (folder / "reports").mkdir(parents=True, exist_ok=True)
    table = rows(state, repos, belongs)
    write_atomic(folder / "gradebook.csv", gradebook.gradebook_csv(table, load(), dialect))
    for row in table:
        if row.report is not None:
            name = row.student.replace("/", "__")
            write_atomic(folder / "reports" / f"{name}.json",
                         json.dumps(row.report, ensure_ascii=False, indent=2) + "\n")
    return table


def log(line):
    # File names and messages may come from students: one log line each, never a workflow command.
    print(escape_data(line), file=sys.stderr)


def main(args, sleep=time.sleep):
    token = os.environ.get(TOKEN_VARIABLE, "")
    if not token:
        raise PullsError(f"${TOKEN_VARIABLE} is not set: a token that may read the class's repositories and "
                         "write their pull requests and commit statuses")
    for_hidden_tests(args.sandbox)
    state = State(args.state)
    github = GitHub(token, args.api, sleep=sleep, cache=state.etags)
    repos = classroom.class_repositories(github, args.org, args.prefix, args.repos, args.exclude_prefix, args.roster,
                                         out=log)
    grader = Grader(github, state, sandbox=args.sandbox, seed=args.seed, bot_login=args.bot_login or None, out=log)
    run = grader.run(repos, limit=args.limit, retry=args.retry == "yes")
    if args.gradebook:
        table = export(state, repos, args.gradebook, args.csv, classroom.belongs(args))
        log(f"gradebook of {len(table)} student(s) in {Path(args.gradebook) / 'gradebook.csv'}")
    print(f"graded {run.graded} pull request(s) in {run.repos} repositories"
          + (f"; posted {run.posted} graded earlier" if run.posted else "")
          + (f"; {run.failed} could not be graded (retried on the next run)" if run.failed else "")
          + (f"; stopped early: {run.stopped}" if run.stopped else "")
          + f" ({github.requests} API requests)")
    return 1 if run.failed or (run.stopped and not run.stopped.startswith("--limit")) else 0
