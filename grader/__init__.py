"""The deep-learning calculus module's autograder."""
import sys

__version__ = "0.2.0"

# The sandbox is built on Linux (namespaces, Landlock, seccomp, /proc): say so
# at once, in the students' language, rather than fail later on a missing module.
if sys.platform != "linux":
    raise SystemExit("grader: o avaliador só roda no Linux. No Windows, use o WSL (Ubuntu) ou o Colab; "
                     "no macOS, o Colab. O README do repositório mostra como.")
