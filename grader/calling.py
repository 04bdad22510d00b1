"""Judge-side shorthands for the code that tests send to the child."""


def call(student, module, function, *args, what=None):
    """Call module.function(*args) in the child; args must be plain data."""
    code = f"from {module} import {function}\nresult = {function}(*args)"
    return student.run(code, what=what or f"{function}(...)", args=list(args))


def exception_of(student, module, function, *args, what=None):
    """Name of what module.function(*args) raised ('ValueError' for any
    subclass of it), or None if it returned normally."""
    code = (f"from {module} import {function}\n"
            "try:\n"
            f"    {function}(*args)\n"
            "    result = None\n"
            "except ValueError:\n"
            "    result = 'ValueError'\n"
            "except Exception as exc:\n"
            "    result = type(exc).__name__\n")
    return student.run(code, what=what or f"{function}(...)", args=list(args))
