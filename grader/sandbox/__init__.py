"""The sandbox: how the child process that runs student code is confined
(confine.py: bubblewrap, Landlock or a plain process, and its limits), the
Linux calls that needs (linux.py, landlock.py, namespaces.py) and the child
itself (child.py, run by path inside the sandbox). It knows nothing of the
judge: it runs a program and hands back its pipes."""
