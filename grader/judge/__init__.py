"""The judge: what turns one submission into a report. What is read from a
submission and how safely (submission.py, inputs.py, notebooks.py, unpack.py,
course.py), the judge's handle on the sandboxed child (student_process.py),
pytest over the suites (run_suite.py, judge_plugin.py), the judge's own math
(mlp_math.py) and the report (report.py, failures.py). The suites' API is
grader/testing.py, at the top, where the suites import it from."""
