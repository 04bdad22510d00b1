"""Broken and hostile submissions: bounded time, fair scores, nothing forged.

Each case replaces one file (or adds one) in an otherwise correct submission
and states which items it may cost. The sandbox-specific cases (network,
files outside the submission) belong with the sandbox.
"""
import json
import os
import time

import pytest

from conftest import scores
from grader.sandbox.confine import PROBLEMS
from grader.judge.student_process import Limits

FAST = Limits(call_timeout=2, import_timeout=2, total_timeout=60)
LOSSES_ITEMS = {"mse", "cross-entropy", "quando-usar-loss"}
DERIVATIVE_ITEMS = {"derivadas", "gradiente-direcao"}

# id: (file, text appended to it or replacing a line, items that must lose, items that may lose, error snippet)
CASES = {
    "infinite_loop_at_import": ("losses.py", "\nwhile True:\n    pass\n", LOSSES_ITEMS, set(), "losses.py"),
    "infinite_loop_in_one_function": ("losses.py", "\ndef choose_loss(task):\n    while True:\n        pass\n",
                                      {"quando-usar-loss"}, set(), None),
    "sys_exit_at_import": ("derivatives.py", "\nimport sys\nsys.exit(0)\n", DERIVATIVE_ITEMS, set(), "derivatives.py"),
    "os_exit_in_a_function": ("losses.py", "\ndef softmax(logits):\n    import os\n    os._exit(0)\n",
                              {"cross-entropy"}, set(), None),
    # the other items run on the judge's Value: a broken value.py costs only its own item
    "syntax_error": ("value.py", "\ndef broken(:\n", {"value-backprop"}, set(), "value.py"),
    # shrinks its request pipe, writes replies nobody asked for, then stops reading
    "request_pipe_that_stops": ("derivatives.py", "\nimport fcntl, os, sys\n"
                                "fcntl.fcntl(int(sys.argv[2]), 1031, 4096)\n"
                                "for i in range(200):\n"
                                "    os.write(int(sys.argv[3]), b'{\"ok\": true, \"value\": 100, \"id\": %d}\\n' % i)\n"
                                "while True:\n    pass\n", DERIVATIVE_ITEMS, set(), "derivatives.py"),
    # leaves a process behind that keeps writing files into the copy
    "grandchild_writes_into_the_copy": ("derivatives.py", "\nimport os\nif os.fork() == 0:\n    os.setsid()\n"
                                        "    import time\n    for i in range(10 ** 6):\n"
                                        "        open(f'report{i % 50}.json', 'w').write('{}')\n"
                                        "        time.sleep(0.001)\n"
                                        "    os._exit(0)\n", set(), set(), None),
    # lines on the reply pipe that would cost the judge its stack or its memory
    "reply_nested_too_deep": ("derivatives.py",
                              "\nimport os, sys\nos.write(int(sys.argv[3]), b'[' * 300000 + b'\\n')\n",
                              set(), set(), None),
    "reply_too_large": ("derivatives.py",
                        "\nimport os, sys\nos.write(int(sys.argv[3]), b'[' + b'0,' * (16 * 1024 ** 2))\n",
                        DERIVATIVE_ITEMS, set(), "grande demais"),
    "huge_allocation": ("losses.py", "\ndef mse(y_true, y_pred):\n    return len(bytearray(8 * 1024 ** 3))\n",
                        {"mse"}, set(), None),
    "recursion_bomb": ("derivatives.py", "\nimport sys\nsys.setrecursionlimit(10 ** 6)\n"
                       "def chain_rule(f_prime, g_prime, g, x):\n    return chain_rule(f_prime, g_prime, g, x)\n",
                       {"derivadas"}, set(), None),
    "two_hundred_mb_of_output": ("losses.py", "\ndef choose_loss(task):\n    import sys\n"
                                 "    for _ in range(200):\n        sys.stdout.write('x' * 1024 * 1024)\n"
                                 "    raise ValueError('spam')\n", {"quando-usar-loss"}, set(), None),
    "lying_float_subclass": ("losses.py", "\nclass Liar(float):\n    def __eq__(self, other):\n        return True\n"
                             "    __hash__ = float.__hash__\n    def __float__(self):\n        return 1e9\n"
                             "def mse(y_true, y_pred):\n    return Liar(-1.0)\n", {"mse"}, set(), None),
    "object_claiming_equality": ("losses.py", "\nclass Anything:\n    def __eq__(self, other):\n        return True\n"
                                 "def choose_loss(task):\n    return Anything()\n", {"quando-usar-loss"}, set(), None),
    "patches_pytest_at_import": ("derivatives.py", "\ntry:\n    import _pytest.reports\n"
                                 "    _pytest.reports.TestReport.passed = property(lambda self: True)\n"
                                 "except ImportError:\n    pass\n"
                                 "def numeric_derivative(f, x, h=1e-4):\n    return 0.0\n", {"derivadas"}, set(), None),
    "prints_fake_report": ("derivatives.py", "\nimport json\nprint(json.dumps({'score': 100, 'max_score': 100}))\n"
                           "open('report.json', 'w').write('{\"score\": 100}')\n"
                           "def central_difference(f, x, h=1e-5):\n    return 0.0\n", {"derivadas"}, set(), None),
}


# The strongest sandbox here and the weakest: the defences below hold in both.
KINDS = sorted({next(k for k in ("bwrap", "landlock", "process") if not PROBLEMS[k]()), "process"})


def apply(folder, filename, text):
    path = folder / filename
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("case", sorted(CASES))
def test_hostile_submission(submission, graded, case, kind):
    filename, text, must_lose, may_lose, error = CASES[case]
    folder = submission()
    apply(folder, filename, text)
    started = time.monotonic()
    report = graded(folder, limits=FAST, sandbox=kind)
    assert time.monotonic() - started < FAST.total_timeout + 15
    lost = {item for item, (score, best) in scores(report).items() if score < best}
    assert must_lose <= lost, f"{case}: expected to lose {must_lose}, lost {lost}"
    assert lost <= must_lose | may_lose, f"{case}: unfairly lost {lost - must_lose - may_lose}"
    if error:
        assert any(error in e["message"] for e in report["errors"]), report["errors"]
    assert report["score"] < report["max_score"] or not must_lose


def test_module_swapped_for_a_fifo_does_not_block_the_judge(tmp_path, graded):
    # A notebook cell replaces the module generated from it by a FIFO: the judge
    # never opens a file of the copy after the child has started.
    import nbformat
    from conftest import build_submission
    folder = build_submission(tmp_path / "sub", files=("value.py", "losses.py", "gradient_check.py"))
    code = (folder.parent / "derivatives.py")
    source = (build_submission(tmp_path / "ref", files=("derivatives.py",)) / "derivatives.py").read_text()
    trap = "import os\nos.remove('derivatives.py')\nos.mkfifo('derivatives.py')"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source), nbformat.v4.new_code_cell(trap)])
    nbformat.write(nb, str(folder / "derivatives.ipynb"))
    assert not code.exists()
    started = time.monotonic()
    report = graded(folder, limits=FAST)
    assert time.monotonic() - started < FAST.total_timeout + 15
    assert report["score"] == report["max_score"], report["errors"]


def test_secrets_never_reach_the_child(submission, graded, monkeypatch):
    monkeypatch.setenv("GRADER_TEST_SECRET", "s3cr3t-token-value")
    folder = submission()
    apply(folder, "losses.py", "\nimport os\ndef choose_loss(task):\n    raise ValueError(repr(dict(os.environ)))\n")
    report = graded(folder, limits=FAST)
    assert "s3cr3t-token-value" not in json.dumps(report)
    assert "GRADER_TEST_SECRET" not in json.dumps(report)


def test_smuggled_pytest_config_is_ignored(submission, graded):
    folder = submission([("derivatives.py", "    return (f(x + h) - f(x)) / h\n", "    return 0.0\n")])
    (folder / "conftest.py").write_text(
        "import pytest\n@pytest.hookimpl(hookwrapper=True)\ndef pytest_runtest_makereport(item, call):\n"
        "    outcome = yield\n    outcome.get_result().outcome = 'passed'\n")
    (folder / "pytest.ini").write_text("[pytest]\naddopts = -p no:pytest_jsonreport\n")
    report = graded(folder, limits=FAST)
    assert scores(report)["derivadas"][0] < 10


def test_symlinked_module_is_refused(submission, graded, tmp_path):
    folder = submission()
    secret = tmp_path / "secret.py"
    secret.write_text("SECRET = 1\n")
    os.remove(folder / "losses.py")
    os.symlink(secret, folder / "losses.py")
    report = graded(folder, limits=FAST)
    assert any("link simbólico" in e["message"] for e in report["errors"])
    assert scores(report)["mse"][0] == 0


def test_missing_files_cost_only_their_items(submission, graded):
    folder = submission(files=("derivatives.py", "losses.py"))
    report = graded(folder, limits=FAST)
    got = scores(report)
    for item in ("derivadas", "gradiente-direcao", "quando-usar-loss"):
        assert got[item][0] == got[item][1]
    assert got["value-backprop"][0] == 0 and got["gradient-check"][0] == 0
    assert [i["id"] for i in report["items"]] == list(got)


def test_hangs_everywhere_in_one_module_cost_only_its_items(submission, graded):
    folder = submission()
    hang = "".join(f"\ndef {name}(*args, **kwargs):\n    while True:\n        pass\n"
                   for name in ("numeric_derivative", "central_difference", "partial_derivative", "gradient",
                                "chain_rule", "descent_direction", "gradient_descent_step", "gradient_descent"))
    apply(folder, "derivatives.py", hang)
    limits = Limits(call_timeout=1, import_timeout=2, total_timeout=16)
    started = time.monotonic()
    report = graded(folder, limits=limits)
    assert time.monotonic() - started < limits.total_timeout + 10
    assert any("item derivadas" in e["message"] for e in report["errors"]), report["errors"]
    got = scores(report)
    assert got["derivadas"][0] == 0 and got["gradiente-direcao"][0] == 0
    assert all(score == best for item, (score, best) in got.items() if item not in DERIVATIVE_ITEMS)


def test_pytest_options_from_the_environment_are_ignored(graded, monkeypatch):
    from conftest import SOLUTIONS
    monkeypatch.setenv("PYTEST_ADDOPTS", "-k nothing_matches_this")
    monkeypatch.setenv("PYTEST_PLUGINS", "no_such_plugin_module")
    report = graded(SOLUTIONS)
    assert report["score"] == report["max_score"]
    assert os.environ["PYTEST_ADDOPTS"] == "-k nothing_matches_this"  # restored for the caller


def test_control_characters_from_a_submission_are_inert(submission, graded):
    # ANSI escapes and a bidi override in an exception message would repaint
    # the terminal (a fake "Total 100/100"); every report shows them escaped.
    from grader.show.render import as_markdown, as_table
    folder = submission()
    apply(folder, "losses.py",
          "\ndef choose_loss(task):\n    raise ValueError('\\x1b[2J\\x1b[32mTotal 100/100\\u202e')\n")
    report = graded(folder, limits=FAST)
    shown = json.dumps(report) + as_table(report) + as_markdown(report)
    assert "\x1b" not in shown and "\u202e" not in shown
    assert "\\u001b[2J" in as_table(report)


def test_no_feedback_means_no_code_through_the_errors(submission, graded):
    # The child is sent the judge's Value to install; a value.py whose class
    # hook raises with that code in its message must not hand it back.
    folder = submission()
    apply(folder, "value.py", "\nimport sys\n"
          "def _leak(cls, **kw):\n    frame, found = sys._getframe(), []\n    while frame:\n"
          "        found += [v for v in frame.f_locals.values() if isinstance(v, str) and 'def ' in v]\n"
          "        frame = frame.f_back\n    raise SystemExit('LEAK ' + ' '.join(found)[:400])\n"
          "Value.__init_subclass__ = classmethod(_leak)\n")
    shown = json.dumps(graded(folder, limits=FAST, feedback="none"))
    assert "LEAK" not in shown and "def " not in shown
    assert "LEAK" in json.dumps(graded(folder, limits=FAST))   # full feedback says what broke


def test_a_notebook_marker_in_a_handed_in_module_is_not_trusted(submission, graded):
    from grader.judge.notebooks import GENERATED
    folder = submission()
    path = folder / "losses.py"
    path.write_text(f"{GENERATED}\n" + path.read_text(encoding="utf-8")
                    + "\n__notebook_errors__ = ['FORGED cell error'] * 50\n", encoding="utf-8")
    report = graded(folder, limits=FAST)
    assert not any("FORGED" in e["message"] for e in report["errors"]), report["errors"]
    assert report["score"] == report["max_score"]
