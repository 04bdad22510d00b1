"""numpy where a number or a list is asked (SPEC section 4), in every sandbox."""
import pytest

from conftest import build_submission, scores
from grader.sandbox.confine import PROBLEMS

NUMPY_LOSSES = [
    ("losses.py", '"""Funções de perda e seus gradientes (solução de referência)."""\nimport math\n',
     '"""Funções de perda com numpy."""\nimport math\n\nimport numpy as np\n'),
    ("losses.py", "    top = max(logits)\n    exps = [math.exp(z - top) for z in logits]\n    s = sum(exps)\n"
                  "    return [e / s for e in exps]\n",
     "    z = np.asarray(logits, dtype=float)\n    e = np.exp(z - z.max())\n    return e / e.sum()\n"),
    ("losses.py", "    return [2 * (p - y) / n for y, p in zip(y_true, y_pred)]\n",
     "    return 2 * (np.asarray(y_pred, dtype=float) - np.asarray(y_true, dtype=float)) / n\n"),
]
NUMPY_DATASET = [("gradient_check.py", "def make_dataset(n=100, seed=0):\n",
                  "def make_dataset(n=100, seed=0):\n    import numpy as np\n"
                  "    rng = np.random.default_rng(seed)\n    y = np.arange(n) % 2\n"
                  "    X = rng.normal(0, 0.7, size=(n, 2)) + np.where(y[:, None] == 1, 1.0, -1.0)\n"
                  "    return X, y\n\n\ndef _unused(n=100, seed=0):\n")]


@pytest.mark.parametrize("kind", [k for k in ("bwrap", "landlock", "process") if not PROBLEMS[k]()])
def test_numpy_arrays_and_scalars_count(tmp_path, graded, kind):
    folder = build_submission(tmp_path / "sub", NUMPY_LOSSES + NUMPY_DATASET)
    report = graded(folder, sandbox=kind, seed=31)
    assert report["score"] == report["max_score"], [t for i in report["items"] for t in i["tests"] if not t["passed"]]


def test_numpy_bool_is_not_a_number(tmp_path, graded):
    folder = build_submission(tmp_path / "sub", [
        ("derivatives.py", "def descent_direction(derivative):\n",
         "def descent_direction(derivative):\n    import numpy as np\n    return np.bool_(derivative < 0)\n\n\n"
         "def _unused(derivative):\n")])
    assert scores(graded(folder, seed=31))["gradiente-direcao"][0] < 10
