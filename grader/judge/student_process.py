"""The judge's handle on the child process that runs student code.

The judge sends code to run and gets plain data back (see child.py). Every
call has a time limit; a call that hangs or kills the child costs only that
call: the child's whole process group is killed and a fresh one started.
The whole submission has a time budget, shared out among the checklist items
as they start, so a hang in one item cannot starve the items after it.
"""
import json
import os
import re
import secrets
import select
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from .failures import import_problem
from .notebooks import COMBINED
from ..sandbox.confine import Sandbox, SandboxFailed, kill_strays

# Bytes in one reply line: far above any honest answer (the largest, a batch of
# 300 softmax rows, is ~100 KiB), and what the judge holds and decodes at most.
MAX_RESPONSE = 4 * 1024 * 1024
READY = '{"ready": true}'   # the child's first line (child.py), before any student code runs
# When the suite has a stand-in Value (grader/suites/hidden/stand_in_value.py,
# SPEC section 2), the items that grade the student's value module run first,
# in a child where no correct Value exists yet: it imports the modules up to
# value (reached as `student_value` too) and nothing more. The first other
# item then has the child install the judge's Value in value's place and
# import the modules after it, so `import value` gives the stand-in there.
# A correct class beside the student's could otherwise be handed out by the
# student's own (`__new__`, `__subclasses__`, `sys.modules`, `gc`).
VALUE_MODULE = "value"
ALIASES = {"student_value": VALUE_MODULE}
# Where the student's Value may be defined: value.py, or the module a combined
# notebook becomes (value.py then takes its names from it).
OWN_VALUE_MODULES = (VALUE_MODULE, COMBINED)
SNIPPET = "<teste>"   # the module of a class a test's snippet defines (child.py)


@dataclass
class Limits:
    call_timeout: float = 10.0      # seconds for one call
    import_timeout: float = 10.0    # seconds for importing one module
    total_timeout: float = 120.0    # seconds for the whole submission
    memory_mb: int = 2048           # address space of the child
    file_size_mb: int = 64          # largest file the child may write
    disk_mb: int = 64               # all it may write in its copy, and again in /tmp (where tmpfs is private)
    processes: int = 64             # RLIMIT_NPROC (ignored for root)


class StudentError(Exception):
    """A call into student code that did not return a value.

    kind: 'exception', 'timeout', 'crashed', 'unavailable', 'budget', 'foreign'.
    """

    def __init__(self, kind, message, error=None, module="", state=""):
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.error = error if isinstance(error, dict) else None   # the child's {type, message, where}
        self.module, self.state = module, state                    # for 'unavailable': which module, and why
        self.what = ""                                             # the call, as the message names it


@dataclass
class ModuleStatus:
    state: str            # 'ok', 'missing', 'error', 'timeout'
    message: str = ""


class StudentProcess:
    def __init__(self, workdir, modules, limits=None, sandbox=None, stand_in=None):
        self.workdir = Path(workdir)
        self.stand_in = stand_in        # source of the judge's Value, or None
        self.modules = list(modules)
        self.limits = limits or Limits()
        self.sandbox = sandbox or Sandbox("process")
        self.status = {}
        self.errors = []            # whole-submission problems, for the report
        self.deadline = time.monotonic() + self.limits.total_timeout
        self._item = ""                 # the checklist item now being graded
        self._item_module = None        # the student module it grades
        self._stand_in_on = False       # whether the child has (or boots with) the stand-in
        self._present = []              # the modules the copy holds
        self._item_deadline = self.deadline
        self._item_share = self.limits.total_timeout
        self._budget_reported = set()   # items whose budget ran out
        self._proc = None
        self._token = secrets.token_hex(16)
        self._pending = []              # modules sent for import, answers not read yet
        self._files = None              # the copy as the judge wrote it, read before any child runs
        self._sent_at = 0.0
        self._ready = False             # whether the running child said it started (child.READY)
        self._start_failure = ""        # why the sandbox could not start a child, if it could not

    # -- life cycle -------------------------------------------------------
    def start(self):
        """Start the child and send it every module to import, without waiting:
        it boots while pytest starts. settle() reads the answers."""
        present = []
        for name in self.modules:
            if (self.workdir / f"{name}.py").exists():
                present.append(name)
            else:
                self.status[name] = ModuleStatus("missing", f"o arquivo {name}.py (ou {name}.ipynb) não foi entregue")
        self._files = _snapshot(self.workdir)
        self.sandbox.hand_over(self.workdir)
        self._present = present
        self._pending, self._sent_at = self._boot(present), time.monotonic()
        try:
            self._spawn()
            for request in self._pending:
                self._send(request, self._sent_at + self.limits.import_timeout)
        except StudentError:
            self._kill()  # settle() imports the modules one by one instead

    def _boot(self, names, after_value=False):
        """The requests that set a child up: import `names` in the manifest's
        order, with the judge's Value installed right after the student's;
        before the stand-in is on, only the modules up to value (see
        VALUE_MODULE). `after_value`: only what comes after value."""
        requests, past_value = [], False
        for name in self.modules:
            if self.stand_in and past_value and not self._stand_in_on:
                break
            if name in names and (past_value or not after_value):
                requests.append({"op": "import", "module": name})
                if name == VALUE_MODULE and self.stand_in:
                    requests[-1]["alias"] = "student_value"
            if name == VALUE_MODULE:
                past_value = True
                if self.stand_in and self._stand_in_on:
                    requests.append({"op": "stand_in", "code": self.stand_in})
        return requests

    def _stand_in_wanted(self):
        return bool(self.stand_in) and not self._stand_in_on and self._item_module != VALUE_MODULE

    def settle(self):
        """Wait for the imports start() sent, recording which modules are usable.
        Import time comes out of the total budget, not the current item's share.
        Outside the items that grade value, the stand-in goes in, then the
        modules after value."""
        self._settle_pending()
        if self._stand_in_wanted():
            self._stand_in_on = True
            self._pending, self._sent_at = self._boot(self._present, after_value=True), time.monotonic()
            if self._proc is not None:
                try:
                    for request in self._pending:
                        self._send(request, self._sent_at + self.limits.import_timeout)
                except StudentError:
                    self._kill()
            self._settle_pending()

    def _settle_pending(self):
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        sent = self._proc is not None   # whether the running child holds the requests
        began = clock = self._sent_at if sent else time.monotonic()
        for request in pending:
            name = request.get("module", VALUE_MODULE)
            try:
                if sent:
                    self._receive(min(self.deadline, clock + self.limits.import_timeout), self.limits.import_timeout,
                                  request["id"])
                else:  # after a failure: the rest one by one, in a fresh child
                    self._request(request, self.limits.import_timeout, self.deadline)
                if request["op"] == "import":
                    self.status[name] = ModuleStatus("ok")
            except StudentError as err:
                sent = False
                if request["op"] == "import":
                    state = "timeout" if err.kind in ("timeout", "budget") else "error"
                    self.status[name] = ModuleStatus(state, err.message)
                    self.errors.append({"module": name, "message": f"{name}.py não pôde ser importado",
                                        "detail": import_problem(err.error) or err.message})
                else:
                    self.errors.append({"module": "", "message": "erro interno: o Value do avaliador não pôde ser "
                                        "instalado", "detail": err.message})
                self._kill()  # a half-imported module must not linger
            clock = time.monotonic()
        self._item_deadline = min(self.deadline, self._item_deadline + (time.monotonic() - began))

    def close(self):
        """Settle and stop the child; a sandbox that could not start one is
        the grader's failure (SandboxFailed), never a score for the student."""
        self.settle()
        self._kill()
        if self._start_failure:
            raise SandboxFailed(f"the {self.sandbox.kind} sandbox could not start the child that runs the "
                                f"submission ({self._start_failure}); no grade was given. A process limit "
                                "(RLIMIT_NPROC counts every thread of the user) or a missing interpreter?")

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, exc_type, *rest):
        try:
            self.close()
        except SandboxFailed:
            if exc_type is None:   # an exception already on its way (Ctrl-C, say) is what the caller must see
                raise

    def _spawn(self):
        if self._start_failure:   # no point in trying again: the grade ends with SandboxFailed
            raise StudentError("crashed", "o avaliador não conseguiu iniciar o processo que roda o seu código")
        req_r, req_w = os.pipe()
        resp_r, resp_w = os.pipe()
        blocked = ",".join(n for n, s in self.status.items() if s.state != "ok")
        if self._files is None:
            self._files = _snapshot(self.workdir)
        extra = ()
        try:
            command, cwd, env, extra = self.sandbox.command(self.workdir, (req_r, resp_w), blocked, self._token,
                                                            self._files, self.limits.disk_mb)
            # Nothing the child prints is read: results cross only on the reply pipe.
            self._proc = subprocess.Popen(
                command, pass_fds=(req_r, resp_w, *extra), stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL, cwd=cwd, env=env, start_new_session=True,
                preexec_fn=self.sandbox.preexec(self.limits, self.workdir, self._files))
        except (OSError, subprocess.SubprocessError) as err:
            for fd in (req_r, req_w, resp_r, resp_w, *extra):
                os.close(fd)
            self._start_failure = self._start_failure or str(err)
            raise StudentError("crashed", "o avaliador não conseguiu iniciar o processo que roda o seu código") \
                from err
        self._ready = False
        for fd in (req_r, resp_w, *extra):
            os.close(fd)
        os.set_blocking(req_w, False)   # a child that stops reading must not block the judge
        self._requests = req_w
        self._responses = resp_r
        self._buffer = bytearray()
        # Re-import what worked before, so a restarted child is like the first.
        worked = [n for n, s in self.status.items() if s.state == "ok"]
        for request in self._boot(worked) if worked else ():
            self._request(request, self.limits.import_timeout)

    def _kill(self):
        if self._proc is None:
            return
        try:
            os.killpg(self._proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self._proc.wait()
        if self.sandbox.kind != "bwrap":
            kill_strays(self._token)
        try:
            os.close(self._requests)
        except OSError:
            pass
        try:
            os.close(self._responses)
        except OSError:
            pass
        self._proc = None

    def begin_item(self, item, items_left, module=None):
        """Give `item` (which grades student `module`) its share of the time
        left: an equal part per item. An item that grades value never runs
        in a child that held the stand-in (the judge plugin runs those first)."""
        if item == self._item:
            return
        self._item, self._item_module = item, module
        if module == VALUE_MODULE and self._stand_in_on:
            self.settle()
            self._kill()
            self._stand_in_on = False
        now = time.monotonic()
        self._item_share = max(0.0, self.deadline - now) / max(1, items_left)
        self._item_deadline = now + self._item_share

    def _budget_message(self):
        """What ran out, in the numbers that applied (not only the total limit)."""
        total = self.limits.total_timeout
        if not self._item:
            return f"o tempo da entrega acabou (limite de {total:g} s); os testes restantes não rodaram"
        return (f"o item {self._item} usou todo o tempo que lhe cabia ({self._item_share:.1f} s: os {total:g} s da "
                "entrega são divididos entre os itens que faltam); os testes restantes dele não rodaram. Procure "
                "um laço que demora demais nas funções desse item")

    # -- calls -------------------------------------------------------------
    def run(self, code, what="", timeout=None, **variables):
        """Run `code` in the child with `variables` bound; return its `result`."""
        self.settle()
        for name in re.findall(r"^\s*(?:from|import)\s+(\w+)", code, re.M):
            if name == VALUE_MODULE and self.stand_in:
                continue
            state = self.status.get(ALIASES.get(name, name))
            if state is not None and state.state != "ok":
                raise StudentError("unavailable", f"{what or name}: {state.message}", module=ALIASES.get(name, name),
                                   state=state.state)
        request = {"op": "run", "code": code, "vars": variables}
        if self._item_module == VALUE_MODULE:
            request["built_by"] = VALUE_MODULE
        try:
            reply = self._request(request, timeout or self.limits.call_timeout)
            return _built_by_value(reply) if "built_by" in request else reply
        except StudentError as err:
            if what:
                err.what = what
                err.message = f"{what}: {err.message}"
                err.args = (err.message,)
            raise

    def _request(self, request, timeout, deadline=None):
        """Send one request and wait for its answer, within `timeout` and the
        budget (`deadline`, by default the current item's share)."""
        remaining = (deadline or min(self.deadline, self._item_deadline)) - time.monotonic()
        if remaining <= 0:
            if self._item not in self._budget_reported:
                self._budget_reported.add(self._item)
                self.errors.append({"module": "", "message": self._budget_message()})
            raise StudentError("budget", "o tempo reservado para este item acabou antes deste teste")
        if self._proc is None:
            self._spawn()
        limit = min(timeout, remaining)
        self._send(request, time.monotonic() + limit)
        try:
            return self._receive(time.monotonic() + limit, timeout, request["id"])
        except StudentError as err:
            if err.kind == "timeout" and limit < timeout:
                return self._request(request, timeout, deadline)  # reports the budget
            raise

    def _send(self, request, deadline):
        """Write one request by `deadline` (the pipe is non-blocking)."""
        # An id the child cannot guess in advance: replies written before they
        # were asked for never answer a later request.
        request["id"] = secrets.token_hex(8)
        data = (json.dumps(request) + "\n").encode("utf-8")
        while data:
            wait = deadline - time.monotonic()
            ready = select.select([], [self._requests], [], max(0.0, wait))[1] if wait > 0 else []
            if not ready:
                self._kill()
                raise StudentError("timeout", "o processo que roda o seu código parou de receber pedidos")
            try:
                data = data[os.write(self._requests, data):]
            except BlockingIOError:
                continue
            except OSError as err:
                self._kill()
                raise StudentError("crashed", "o processo que roda o seu código terminou inesperadamente") from err

    def _receive(self, deadline, timeout, expected):
        """The answer to request `expected`, by `deadline` (`timeout` is only for
        the message). Lines that are not that answer are skipped: replies the
        child writes unasked never stand for another request's."""
        while True:
            line = self._read_line(deadline)
            if line is None:
                self._kill()
                raise StudentError("timeout",
                                   f"passou do limite de {timeout:g} s (laço infinito ou código lento demais?)")
            if not self._ready and line == READY:
                self._ready = True
                continue
            try:
                reply = json.loads(line)
                if reply.get("id") != expected:
                    continue
                ok, payload = reply["ok"], reply["value"] if reply["ok"] else reply["error"]
            except (ValueError, KeyError, TypeError, AttributeError, RecursionError):   # "[[[[..." too
                continue
            if ok is True:
                return payload
            raise StudentError("exception", _describe_exception(payload), payload)

    def _read_line(self, deadline):
        while b"\n" not in self._buffer:
            wait = deadline - time.monotonic()
            if wait <= 0:
                return None
            ready, _, _ = select.select([self._responses], [], [], wait)
            if not ready:
                return None
            chunk = os.read(self._responses, 1 << 16)
            if not chunk and not self._ready:   # before any student code ran: the sandbox's failure
                try:
                    status = self._proc.wait(timeout=2)
                except subprocess.TimeoutExpired:
                    status = "unknown"
                self._start_failure = self._start_failure or f"it ended with status {status} before it was ready"
                self._kill()
                raise StudentError("crashed", "o avaliador não conseguiu iniciar o processo que roda o seu código")
            if not chunk:  # the child died (os._exit, segfault, memory)
                self._kill()
                raise StudentError("crashed", "o processo que roda o seu código terminou no meio da chamada "
                                   "(os._exit, falta de memória ou recursão profunda?)")
            self._buffer += chunk
            if len(self._buffer) > MAX_RESPONSE:
                self._kill()
                raise StudentError("crashed", "a resposta do seu código é grande demais")
        end = self._buffer.index(b"\n")
        line = bytes(self._buffer[:end])
        del self._buffer[:end + 1]
        return line.decode("utf-8", "replace")


def _built_by_value(reply):
    """The `result` of a reply to a run with built_by, once every object the
    snippet left is found to be of a class the student's value.py defines:
    the tests of value grade that class, not one the child found elsewhere."""
    if not isinstance(reply, dict) or not isinstance(reply.get("types"), list):
        raise StudentError("foreign", "a resposta do processo que roda o seu código veio incompleta")
    for entry in reply["types"]:
        name, module, qualname, file = (list(entry) + ["", "", "", ""])[:4] if isinstance(entry, list) else [""] * 4
        if module == SNIPPET:   # a class the test's own snippet defined
            continue
        if module not in OWN_VALUE_MODULES or file != f"{module}.py":
            raise StudentError("foreign", f"`{str(name)[:50]}` não foi criado pela classe Value do seu value.py (é "
                               f"um {str(qualname)[:80] or 'objeto'} de {str(module)[:80] or 'outro lugar'}); este "
                               "item avalia a sua classe")
    return reply.get("result")


def _snapshot(workdir):
    """{name: bytes} of the regular files in the copy (the judge has just
    written them; no child has run yet): what every child starts from."""
    files = {}
    for entry in os.scandir(workdir):
        if entry.is_file(follow_symlinks=False):
            with open(entry.path, "rb") as f:
                files[entry.name] = f.read()
    return files


def _describe_exception(error):
    if not isinstance(error, dict):
        return "erro desconhecido"
    kind = str(error.get("type", "Exception"))[:100]
    text = str(error.get("message", ""))[:500]
    spot = str(error.get("where", ""))[:200]
    out = f"levantou {kind}" + (f": {text}" if text else "")
    return out + (f" (em {spot})" if spot else "")
