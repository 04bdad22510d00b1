"""The class on GitHub: which repositories are the assignment's, whose they
are, and their open pull requests. Standard library only (the grading
workflow's first step uses it before anything is installed).

GitHub Classroom names each student's repository `<assignment>-<login>`. A
prefix alone is not exact: `calculo-dl-` also starts `calculo-dl-2-ana`, the
next assignment's. So a name matches when it is the prefix followed by
something that can be a GitHub login, and starts with none of the prefixes
named as other assignments' (`--exclude-prefix`); or, exactly, when it is
the prefix followed by a login of the roster (`--roster`).
"""
import csv
import os
import re
import urllib.parse
from pathlib import Path

from .github_api import GitHubError

# GitHub logins: letters, digits and single inner hyphens, at most 39 characters.
LOGIN = re.compile(r"[A-Za-z0-9](?:-?[A-Za-z0-9])*")
MAX_LOGIN = 39
FULL_NAME = re.compile(r"[A-Za-z0-9-]+/[A-Za-z0-9._-]+")
SHA = re.compile(r"[0-9a-f]{40}")
ROSTER_COLUMN = "github_username"   # GitHub Classroom's roster export


class ClassError(GitHubError):
    """The class cannot be named or listed (no prefix, no such organisation)."""


def add_arguments(parser):
    """The options that name the class, shared by `grader pulls` and the workflow's first step."""
    parser.add_argument("--org", help="the GitHub organisation of the class")
    parser.add_argument("--prefix", default="", help="the assignment's repositories are PREFIX<login> "
                        "(GitHub Classroom's assignment-login names)")
    parser.add_argument("--exclude-prefix", action="append", default=[], metavar="PREFIX",
                        help="another assignment's prefix that starts with --prefix (repeatable, or comma-separated): "
                        "not graded")
    parser.add_argument("--roster", help="exact match: the students' logins, one per line, or GitHub Classroom's "
                        f"roster CSV (column {ROSTER_COLUMN}); only PREFIX<login> of these is graded")
    parser.add_argument("--repos", help="a file naming one owner/name per line, instead of --org/--prefix")
    parser.add_argument("--state", default=".grader-state",
                        help="folder kept between runs: what was graded and posted, ETags (default %(default)s)")
    parser.add_argument("--api", default=os.environ.get("GITHUB_API_URL") or "https://api.github.com",
                        help="the REST API's address (default: $GITHUB_API_URL, which GitHub Actions sets, "
                        "else https://api.github.com)")


def add_retry_argument(parser):
    parser.add_argument("--retry", nargs="?", const="yes", default="no", choices=["yes", "no"],
                        help="grade again the heads that failed three runs in a row (they wait for this)")


def student_of(name, prefix, excluded=(), roster=None):
    """The student's login if repository `name` is the assignment's, else None."""
    if not prefix or not name.lower().startswith(prefix.lower()):
        return None
    excluded = [x.strip() for given in excluded for x in given.split(",")]   # a workflow variable may list several
    if any(name.lower().startswith(x.lower()) for x in excluded if len(x) > len(prefix)):
        return None
    login = name[len(prefix):]
    if roster is not None:
        return next((s for s in roster if s.lower() == login.lower()), None)
    return login if len(login) <= MAX_LOGIN and LOGIN.fullmatch(login) else None


def read_roster(path):
    """Logins from a file: GitHub Classroom's roster CSV, or one login per line."""
    text = Path(path).read_text(encoding="utf-8-sig")
    rows = list(csv.reader(text.splitlines()))
    if rows and ROSTER_COLUMN in [c.strip() for c in rows[0]]:
        column = [c.strip() for c in rows[0]].index(ROSTER_COLUMN)
        logins = [r[column].strip() for r in rows[1:] if len(r) > column]
    else:
        logins = [line.strip() for line in text.splitlines() if not line.lstrip().startswith("#")]
    return [s for s in logins if s and len(s) <= MAX_LOGIN and LOGIN.fullmatch(s)]


def class_repositories(github, org=None, prefix="", listed=None, excluded=(), roster=None, out=None):
    """[(student, 'owner/name')] to grade, sorted: the lines of `listed`, or
    the organisation's repositories of the assignment. Without a roster, a
    repository that reads as another assignment's (see other_assignments) is
    left out, and `out` told why."""
    if listed:
        lines = [line.strip() for line in Path(listed).read_text(encoding="utf-8").splitlines()]
        names = [line for line in lines if line and not line.startswith("#")]
        bad = [n for n in names if not FULL_NAME.fullmatch(n)]
        if bad:
            raise ClassError(f"{listed}: not owner/name: {', '.join(bad[:3])}")
        return sorted((student_of(n.split("/")[1], prefix, excluded) or n, n) for n in names)
    if not org or not prefix:
        raise ClassError("name the class: --org ORG --prefix PREFIX (the assignment's repositories), "
                         "or --repos FILE")
    logins = read_roster(roster) if roster else None
    found = github.pages(f"/orgs/{urllib.parse.quote(org, safe='')}/repos?type=all",
                         keep=lambda r: {"name": r.get("name"), "full_name": r.get("full_name"),
                                         "archived": r.get("archived")})
    matched = [(student_of(str(r.get("name")), prefix, excluded, logins), r) for r in found]
    matched = [(s, r) for s, r in matched if s and FULL_NAME.fullmatch(str(r.get("full_name")))]
    others = {} if logins is not None else other_assignments([s for s, _ in matched])
    for student, tail in sorted(others.items()):
        if out:
            out(f"{prefix}{student}: left out, it reads as another assignment's repository ({prefix}{tail} "
                "exists too); a roster (--roster) or --exclude-prefix decides for sure")
    return sorted((s, r["full_name"]) for s, r in matched if s not in others and not r.get("archived"))


def other_assignments(students):
    """{name: L} of the names after the prefix that read as another
    assignment's: 'S-L' where 'L' is one of them too (calculo-dl-2-ana beside calculo-dl-ana,
    GitHub Classroom's names for assignment 'calculo-dl-2'). A login with a
    hyphen is left out only when its tail is another student's login too."""
    known = {s.lower(): s for s in students}
    found = {}
    for s in students:
        tails = [s[i + 1:] for i, c in enumerate(s) if c == "-" and s[i + 1:].lower() in known]
        if tails:
            found[s] = known[tails[0].lower()]
    return found


def belongs(args):
    """repo -> whether `owner/name` is the assignment's by the options as given now."""
    if args.repos:
        return lambda repo: False     # the file lists the class
    logins = read_roster(args.roster) if args.roster else None
    return lambda repo: (repo.split("/")[0].lower() == str(args.org).lower()
                         and student_of(repo.split("/")[-1], args.prefix, args.exclude_prefix, logins) is not None)


def _pull_fields(pull):
    return {"number": pull.get("number"), "head": {"sha": (pull.get("head") or {}).get("sha")},
            "user": {"login": (pull.get("user") or {}).get("login")}}


def open_pulls(github, repo):
    """The repository's open pull requests: [{"number", "head": {"sha"}, "user"}], oldest first."""
    pulls = github.pages(f"/repos/{repo}/pulls?state=open&sort=created&direction=asc", keep=_pull_fields)
    good = [p for p in pulls if isinstance(p["number"], int) and SHA.fullmatch(str(p["head"]["sha"]))]
    if len(good) != len(pulls):
        raise GitHubError(f"{repo}: the pull requests list holds an entry without a number or a head commit")
    return good
