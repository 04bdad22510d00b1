"""The deep-learning calculus module's autograder."""
__version__ = "0.2.0"
