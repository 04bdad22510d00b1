"""The `grader` command."""
import argparse
import sys

from .grade import grade
from .render import FORMATS
from .student_process import Limits
from .submission import SubmissionError

EXIT_GRADED, EXIT_BELOW, EXIT_CANNOT = 0, 1, 2


def _parser():
    parser = argparse.ArgumentParser(prog="grader", description="Grade the deep-learning calculus module.")
    sub = parser.add_subparsers(dest="command", required=True)
    for name, suite, help_text in (("grade", "hidden", "grade a submission with the hidden tests"),
                                   ("check", "public", "run the public tests (for students)")):
        p = sub.add_parser(name, help=help_text)
        p.add_argument("submission", nargs="?" if name == "check" else None, default=".",
                       help="folder holding derivatives.py, value.py, losses.py, gradient_check.py")
        p.add_argument("--format", choices=sorted(FORMATS), default="table")
        p.add_argument("--fail-under", type=float, metavar="N",
                       help="exit 1 when the score is below N (for CI)")
        p.add_argument("--seed", type=int, help="seed for the random test inputs (default: new each run)")
        p.add_argument("--timeout", type=float, default=Limits.total_timeout,
                       help="seconds for the whole submission (default %(default)s)")
        p.add_argument("--call-timeout", type=float, default=Limits.call_timeout,
                       help="seconds for one call into student code (default %(default)s)")
        p.set_defaults(suite=suite)
    return parser


def main(argv=None):
    args = _parser().parse_args(argv)
    limits = Limits(call_timeout=args.call_timeout, total_timeout=args.timeout,
                    import_timeout=min(Limits.import_timeout, args.timeout))
    try:
        report = grade(args.submission, suite=args.suite, seed=args.seed, limits=limits)
    except SubmissionError as err:
        print(f"grader: {err}", file=sys.stderr)
        return EXIT_CANNOT
    print(FORMATS[args.format](report))
    if args.fail_under is not None and report["score"] < args.fail_under:
        return EXIT_BELOW
    return EXIT_GRADED


if __name__ == "__main__":
    sys.exit(main())
