"""Where grading runs besides the command line: Gradescope (gradescope.py),
GitHub CI and pull requests (ci.py, pulls.py, pulls_gate.py, pulls_state.py,
github_api.py, github_classroom.py) and the releases that set them up
(release.py, release_files/)."""
