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
from .sandbox import Sandbox, kill_strays

# Bytes in one reply line: far above any honest answer (the largest, a batch of
# 300 softmax rows, is ~100 KiB), and what the judge holds and decodes at most.
MAX_RESPONSE = 4 * 1024 * 1024
# After the student's value module, the child installs the judge's Value in its
# place when the suite has one (grader/suites/hidden/stand_in_value.py, SPEC
# section 2); tests of value-backprop reach the student's own module as
# `student_value`, and `import value` always works then.
VALUE_MODULE = "value"
ALIASES = {"student_value": VALUE_MODULE}


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

    kind: 'exception', 'timeout', 'crashed', 'unavailable', 'budget'.
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
        self._item_deadline = self.deadline
        self._item_share = self.limits.total_timeout
        self._budget_reported = set()   # items whose budget ran out
        self._proc = None
        self._token = secrets.token_hex(16)
        self._pending = []              # modules sent for import, answers not read yet
        self._files = None              # the copy as the judge wrote it, read before any child runs
        self._sent_at = 0.0

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
        self._pending, self._sent_at = self._boot(present), time.monotonic()
        try:
            self._spawn()
            for request in self._pending:
                self._send(request, self._sent_at + self.limits.import_timeout)
        except StudentError:
            self._kill()  # settle() imports the modules one by one instead

    def _boot(self, names):
        """The requests that set a child up: import `names` in the manifest's
        order, with the judge's Value installed right after the student's."""
        requests = []
        for name in self.modules:
            if name in names:
                requests.append({"op": "import", "module": name})
            if name == VALUE_MODULE and self.stand_in:
                requests.append({"op": "stand_in", "code": self.stand_in})
        return requests

    def settle(self):
        """Wait for the imports start() sent, recording which modules are usable.
        Import time comes out of the total budget, not the current item's share."""
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
        self.settle()
        self._kill()

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()

    def _spawn(self):
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
            raise StudentError("crashed", f"o processo do aluno não pôde ser iniciado ({err})") from err
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

    def begin_item(self, item, items_left):
        """Give `item` its share of the time left: an equal part per item."""
        if item == self._item:
            return
        self._item = item
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
        try:
            return self._request({"op": "run", "code": code, "vars": variables},
                                 timeout or self.limits.call_timeout)
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
