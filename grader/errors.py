"""The one base class of the errors the grader reports to the person running
it: a path that does not exist, a sandbox that cannot run here, an output
folder another run is writing to. The command line catches GraderError once,
prints it and exits 2 (twine's way). Errors that stay inside the grader (a
student's call that failed, a notebook that cannot be read, a zip member
refused) have their own classes where they are handled, and end in a report.
"""


class GraderError(Exception):
    """Something stops the command: its message says what, for the user."""
