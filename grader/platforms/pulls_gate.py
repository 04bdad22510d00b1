"""The grading workflow's first step: is there anything to grade?

    PYTHONPATH=kit python3 -m grader.platforms.pulls_gate --org ORG --prefix P --deadline 2026-12-20T23:59-03:00

Standard library only, so it runs on the runner's own Python before anything
is installed; it writes `grade=true|false` to $GITHUB_OUTPUT and the later
steps (Python, bubblewrap, the kit, grading) run only on `true`. Most
scheduled runs find nothing new: they cost a checkout, this step and a few
conditional requests (answered 304, which GitHub does not count against the
rate limit).

`false` when a scheduled run starts more than STOP_AFTER past the deadline
(the schedule keeps firing until someone deletes the workflow; a run by hand
always goes on), or when every open pull request's head is graded and
posted already. When the API cannot be asked, `true`: the grading step then
says what went wrong.
"""
import argparse
import datetime
import os
import sys

from . import github_classroom as classroom
from ..errors import GraderError
from .github_api import GitHub, GitHubError, RateLimited
from .pulls_state import State

STOP_AFTER = datetime.timedelta(days=1)   # the runs just after the deadline grade what was pushed just before it


class DeadlineError(GraderError):
    """A deadline that is no moment (not ISO, or without its offset from UTC)."""


def parse_deadline(text):
    if not text:
        return None
    try:
        moment = datetime.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise DeadlineError(f"--deadline {text!r}: not an ISO date and time, e.g. 2026-12-20T23:59-03:00") from None
    if moment.tzinfo is None:
        raise DeadlineError(f"--deadline {text!r}: say its offset from UTC, e.g. 2026-12-20T23:59-03:00")
    return moment


def decide(args, environ, now=None):
    """(grade?, why)."""
    now = now or datetime.datetime.now(datetime.timezone.utc)
    deadline = parse_deadline(args.deadline)
    by_hand = environ.get("GITHUB_EVENT_NAME", "schedule") != "schedule"
    if deadline and not by_hand and now > deadline + STOP_AFTER:
        return False, (f"past the deadline ({deadline.isoformat()}) by more than {STOP_AFTER.days} day: nothing "
                       "to do (run the workflow by hand to grade anyway; delete the schedule to stop these runs)")
    token = environ.get("GRADER_TOKEN", "")
    if not token:
        return True, "no token: the grading step will say so"
    state = State(args.state)
    github = GitHub(token, args.api, cache=state.etags, max_wait=120)
    try:
        repos = classroom.class_repositories(github, args.org, args.prefix, args.repos, args.exclude_prefix,
                                             args.roster)
        for _, repo in repos:
            try:
                pulls = classroom.open_pulls(github, repo)
            except GitHubError as err:
                if err.status not in (403, 404, 410) or isinstance(err, RateLimited):
                    raise
                # Gone or forbidden: the grading step could not do better, and must not be installed for it every run.
                print(_one_line(f"{repo}: {err}"), file=sys.stderr)
                continue
            for pull in pulls:
                key, sha = f"{repo}#{pull['number']}", pull["head"]["sha"]
                if not state.done(key, sha) and (args.retry == "yes" or not state.gave_up(key, sha)):
                    state.save()
                    return True, f"{key} {sha[:7]} is not graded yet"
    except Exception as err:   # noqa: BLE001 - in doubt, grade: the grading step says what is wrong
        return True, f"could not ask the API ({type(err).__name__}: {err}): the grading step will try"
    state.save()   # the ETags just read make the grading step's and the next run's requests cheap
    return False, f"nothing new in {len(repos)} repositories ({github.requests} requests)"


def _one_line(text):
    # GitHub's escaping for workflow command data, as grader/platforms/ci.py's escape_data (which this
    # stdlib-only step cannot import): an API message cannot start a line, so no command.
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def main(argv=None, environ=None):
    environ = os.environ if environ is None else environ
    parser = argparse.ArgumentParser(prog="python -m grader.platforms.pulls_gate", description=__doc__.split("\n")[0])
    classroom.add_arguments(parser)
    classroom.add_retry_argument(parser)
    parser.add_argument("--deadline", help="ISO date and time with its UTC offset; scheduled runs stop a day after")
    args = parser.parse_args(argv)
    try:
        grade, why = decide(args, environ)
    except GraderError as err:
        print(f"grader: {err}", file=sys.stderr)
        return 2
    print(_one_line(f"grade={'true' if grade else 'false'}: {why}"))
    if environ.get("GITHUB_OUTPUT"):
        with open(environ["GITHUB_OUTPUT"], "a", encoding="utf-8") as out:
            out.write(f"grade={'true' if grade else 'false'}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
