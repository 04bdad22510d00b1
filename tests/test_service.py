"""The course service in-process (Flask's test client), with the real grader:
the queue runs each task as it is enqueued (Huey's immediate mode), so an
upload comes back graded. The live server, the kill tests and the browser
are in tests/test_service_live.py and tests/test_service_browser.py."""
import io
import re
import sqlite3
import zipfile

import pytest

from grader.service import db, tasks
from grader.service.app import create_app, set_password
from grader.service.config import Config
from grader.service.course import CourseError, load as load_course

from service_helpers import CSRF, LINK, PASSWORD, Clock, solution_files, zipped

DAY = 86400
DEADLINE = "2026-12-20T23:59:00-03:00"
DEADLINE_EPOCH = 1797821940.0
# A bug the hidden suite catches in MSE, with a message that names expected values (full feedback).
MSE_BUG = ("losses.py", "return total * (1 / len(y_true))", "return total * (1 / (len(y_true) + 1))")


def course_text(**rules_):
    late = rules_.get("late", 'policy = "penalty"\npenalty_per_day = 0.10')
    return (f'title = "Curso de teste"\ndeadline = "{DEADLINE}"\n[late]\n{late}\n'
            f'[attempts]\nper_hour = {rules_.get("per_hour", 0)}\ncounts = "{rules_.get("counts", "best")}"\n'
            f'[feedback]\nbefore_deadline = "{rules_.get("before", "hint")}"\n'
            f'after_deadline = "{rules_.get("after", "full")}"\n' + rules_.get("limits", ""))


@pytest.fixture
def service(tmp_path):
    """make(**rules) -> (Flask test client, Clock, Config); the clock starts a day before the deadline."""
    def make(**rules_):
        config = Config.make(tmp_path / "data")
        (config.data / "course.toml").write_text(course_text(**rules_), encoding="utf-8")
        huey = tasks.make_huey(config)
        huey.immediate = True
        clock = Clock(DEADLINE_EPOCH - DAY)
        app = create_app(config, huey, clock=clock)
        set_password(app.extensions["grader"]["Session"], PASSWORD)
        app.config["RATELIMIT_ENABLED"] = True
        client = app.test_client()
        return client, clock, config
    return make


def csrf_of(client, path):
    return CSRF.search(client.get(path).get_data(as_text=True)).group(1)


def login(client, password=PASSWORD):
    token = csrf_of(client, "/prof/login")
    return client.post("/prof/login", data={"csrf_token": token, "password": password})


def roster(client, rows=(("ana", "Ana Souza", "ana@exemplo.br"), ("bruno", "Bruno Lima", "bruno@exemplo.br"))):
    assert login(client).status_code == 303
    text = "id,name,email\n" + "".join(",".join(r) + "\n" for r in rows)
    response = client.post("/prof/roster", data={"csrf_token": csrf_of(client, "/prof"),
                                                 "roster": (io.BytesIO(text.encode()), "turma.csv")},
                           content_type="multipart/form-data")
    assert response.status_code == 200
    tokens = [t for _, t in LINK.findall(response.get_data(as_text=True))]
    return dict(zip([r[0] for r in rows], tokens))


def upload(client, token, files):
    data = {"csrf_token": csrf_of(client, f"/a/{token}"),
            "arquivos": [(io.BytesIO(content), name) for name, content in files]}
    return client.post(f"/a/{token}/enviar", data=data, content_type="multipart/form-data")


def api(client, token, files):
    return client.post("/api/v1/submissions", headers={"Authorization": f"Bearer {token}"},
                       data={"arquivos": [(io.BytesIO(c), n) for n, c in files]}, content_type="multipart/form-data")


def attempt(client, token, attempt_id):
    return client.get(f"/api/v1/submissions/{attempt_id}", headers={"Authorization": f"Bearer {token}"}).get_json()


# -- students ----------------------------------------------------------------------

def test_a_student_uploads_from_their_link_and_sees_the_feedback(service):
    client, _, config = service()
    tokens = roster(client)
    client.post("/prof/logout", data={"csrf_token": csrf_of(client, "/prof")})
    page = client.get(f"/a/{tokens['ana']}")
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and 'name="viewport"' in html and "Olá, <strong>Ana Souza</strong>" in html
    response = upload(client, tokens["ana"], solution_files())
    assert response.status_code == 303 and "#t1" in response.headers["Location"]
    html = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "Tentativa 1" in html and "corrigida" in html and "100 / 100" in html and "conta para a nota" in html
    # Tokens are stored hashed: the database file does not hold them.
    raw = b"".join(p.read_bytes() for p in config.data.glob("service.db*"))   # the file and its WAL
    assert tokens["ana"].encode() not in raw and db.hash_token(tokens["ana"]).encode() in raw


def test_an_unknown_or_replaced_link_is_refused(service):
    client, _, _ = service()
    tokens = roster(client)
    assert client.get("/a/nao-existe").status_code == 404
    assert "Link desconhecido" in client.get("/a/" + "x" * 43).get_data(as_text=True)
    new = client.post("/prof/students/ana/link", data={"csrf_token": csrf_of(client, "/prof/students/ana")})
    fresh = LINK.search(new.get_data(as_text=True)).group(2)
    assert client.get(f"/a/{tokens['ana']}").status_code == 404
    assert client.get(f"/a/{fresh}").status_code == 200


def test_the_api_answers_202_and_the_result_in_portuguese(service):
    client, _, _ = service()
    tokens = roster(client)
    response = api(client, tokens["bruno"], solution_files([MSE_BUG]))
    assert response.status_code == 202
    body = response.get_json()
    assert body["state"] == "queued" and body["status_url"].endswith(f"/api/v1/submissions/{body['id']}")
    result = attempt(client, tokens["bruno"], body["id"])
    assert result["state"] == "done" and result["score"] < 100
    assert "# Resultado:" in result["feedback_markdown"] and "Implementar MSE" in result["feedback_markdown"]
    # Another student's token cannot read it; no token is 401.
    assert client.get(f"/api/v1/submissions/{body['id']}",
                      headers={"Authorization": f"Bearer {tokens['ana']}"}).status_code == 404
    assert client.get(f"/api/v1/submissions/{body['id']}").status_code == 401
    assert api(client, "errado", solution_files()).status_code == 401


HINT_MARK = " Dica: "   # how grader/testing.py ends a full message with its hint


def _failing_messages(client, token, attempt_id):
    """The lines of the feedback's MSE block (its messages and hints)."""
    markdown = attempt(client, token, attempt_id)["feedback_markdown"]
    block = markdown.split("### Implementar MSE", 1)[1].split("\n#", 1)[0] if "### Implementar MSE" in markdown else ""
    return [line for line in block.splitlines() if line.startswith(("- ", "**Dica:**"))]


def test_feedback_level_before_and_after_the_deadline(service):
    client, clock, config = service(before="hint", after="full")
    tokens = roster(client)
    attempt_id = api(client, tokens["ana"], solution_files([MSE_BUG])).get_json()["id"]
    full = db.connect(config.database)
    with full() as s:
        report = tasks.Store(config.data / "blobs").get_json(s.get(db.Attempt, attempt_id).report_sha)
    full_messages = [t["message"] for i in report["items"] if i["id"] == "mse" for t in i["tests"] if not t["passed"]]
    assert full_messages and all(HINT_MARK in m for m in full_messages)
    before = _failing_messages(client, tokens["ana"], attempt_id)
    assert before
    for line, message in zip(before, full_messages):
        detail = message.rpartition(HINT_MARK)[0]
        assert detail[:40] not in line      # what was called and expected: not before the deadline
    page = client.get(f"/a/{tokens['ana']}").get_data(as_text=True)
    assert all(m.rpartition(HINT_MARK)[0][:40] not in page for m in full_messages)
    clock.now = DEADLINE_EPOCH + 60
    after = "\n".join(_failing_messages(client, tokens["ana"], attempt_id))
    assert full_messages[0].rpartition(HINT_MARK)[0][:40] in after.replace("\\", "")


def test_feedback_none_says_only_that_a_test_failed(service):
    client, _, _ = service(before="none")
    tokens = roster(client)
    attempt_id = api(client, tokens["ana"], solution_files([MSE_BUG])).get_json()["id"]
    lines = _failing_messages(client, tokens["ana"], attempt_id)
    assert lines and all(line.endswith(("este teste falhou.", "deste item falhou.", "deste item falharam."))
                         for line in lines)


def test_attempts_per_hour(service):
    client, clock, _ = service(per_hour=2)
    tokens = roster(client)
    files = [("value.py", b"x = 1\n")]
    assert api(client, tokens["ana"], files).status_code == 202
    assert api(client, tokens["ana"], files).status_code == 202
    third = api(client, tokens["ana"], files)
    assert third.status_code == 429 and "limite é 2" in third.get_json()["error"]
    assert api(client, tokens["bruno"], files).status_code == 202     # per student
    page = upload(client, tokens["ana"], files)
    assert page.status_code == 429 and "Tente de novo em" in page.get_data(as_text=True)
    clock.now += 3601
    assert api(client, tokens["ana"], files).status_code == 202


def test_submissions_and_status_checks_are_rate_limited(service):
    client, _, _ = service(limits="[limits]\nsubmissions_per_address = 3\nstatus_per_student = 4\n")
    tokens = roster(client, rows=[(f"s{i}", "x", "y") for i in range(4)])
    codes = [api(client, tokens[f"s{i}"], [("notas.txt", b"x = 1\n")]).status_code for i in range(4)]
    assert codes == [400, 400, 400, 429]     # per address, whichever student, refused or not
    client.application.extensions["grader"]["limiter"].reset()
    api(client, tokens["s0"], [("value.py", b"x = 1\n")])
    api(client, tokens["s1"], [("value.py", b"x = 1\n")])
    checks = [client.get("/api/v1/submissions/1", headers={"Authorization": f"Bearer {tokens['s0']}"}).status_code
              for _ in range(5)]
    assert checks == [200] * 4 + [429]       # per student token
    assert client.get("/api/v1/submissions/2", headers={"Authorization": f"Bearer {tokens['s1']}"}).status_code == 200


def test_late_policy_refuse_and_until(service):
    client, clock, _ = service(late='policy = "refuse"')
    tokens = roster(client)
    clock.now = DEADLINE_EPOCH + 1
    response = api(client, tokens["ana"], solution_files())
    assert response.status_code == 403 and "prazo terminou" in response.get_json()["error"]


def test_late_penalty_and_until(tmp_path, service):
    client, clock, _ = service(late='policy = "penalty"\npenalty_per_day = 0.25\nuntil = "2026-12-23T23:59:00-03:00"')
    tokens = roster(client)
    clock.now = DEADLINE_EPOCH + DAY + 60      # two started days late
    attempt_id = api(client, tokens["ana"], solution_files()).get_json()["id"]
    assert attempt(client, tokens["ana"], attempt_id)["score"] == 50
    html = client.get(f"/a/{tokens['ana']}").get_data(as_text=True)
    assert "2 dias de atraso" in html and "sem o atraso seria 100" in html
    clock.now = DEADLINE_EPOCH + 4 * DAY
    assert api(client, tokens["ana"], solution_files()).status_code == 403


@pytest.mark.parametrize("counts, expected", [("best", 100), ("last", None)])
def test_which_attempt_counts(service, counts, expected):
    client, clock, _ = service(counts=counts)
    tokens = roster(client)
    api(client, tokens["ana"], solution_files())
    clock.now += 60
    second = api(client, tokens["ana"], solution_files([MSE_BUG])).get_json()["id"]
    buggy = attempt(client, tokens["ana"], second)["score"]
    table = client.get("/prof/class.json").get_json()
    ana = next(row for row in table if row["id"] == "ana")
    assert ana["attempts"] == 2 and ana["score"] == (expected or buggy)


# -- what a student may upload ---------------------------------------------------------

def test_a_zip_with_a_nested_folder_and_copy_names(service):
    client, _, _ = service()
    tokens = roster(client)
    files = solution_files()
    renamed = [("value (1).py" if n == "value.py" else n, d) for n, d in files]
    response = api(client, tokens["ana"], [("entrega.zip", zipped(renamed, "minha-entrega/"))])
    assert response.status_code == 202
    # A zip's members keep their names (the folder one level down is found); a loose copy name is the module.
    loose = api(client, tokens["ana"], renamed)
    assert attempt(client, tokens["ana"], loose.get_json()["id"])["score"] == 100


@pytest.mark.parametrize("files, says", [
    ([("notas.txt", b"oi")], "envie arquivos .py, .ipynb ou um .zip"),
    ([], "Escolha ao menos um arquivo"),
    ([("value.py", b"x" * (2 * 1024 * 1024 + 1))], "mais que o limite de 2 MB"),
    ([("a.zip", b"PK"), ("value.py", b"")], "Envie um .zip sozinho"),
    ([("a.zip", b"not a zip at all")], "corrompido"),
    ([("value.py", b"x=1"), ("Cópia de value.py", b"x=2")], "seriam o mesmo arquivo"),
    ([("../../etc/value.py\x01", b"x=1")], "nome que não pode ser usado"),
])
def test_bad_uploads_are_refused_with_a_reason(service, files, says):
    client, _, _ = service()
    tokens = roster(client)
    response = api(client, tokens["ana"], files)
    assert response.status_code == 400 and says in response.get_json()["error"]


@pytest.mark.parametrize("member, says", [("../fora.py", "sairiam da pasta"), ("/abs/value.py", "sairiam da pasta")])
def test_a_zip_slip_is_refused_before_it_is_queued(service, member, says):
    client, _, config = service()
    tokens = roster(client)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zf:
        zf.writestr(member, b"x = 1\n")
    response = upload(client, tokens["ana"], [("entrega.zip", buffer.getvalue())])
    assert response.status_code == 400 and says in response.get_data(as_text=True)
    with db.connect(config.database)() as s:
        assert s.query(db.Attempt).count() == 0


def test_a_zip_bomb_is_refused(service):
    client, _, _ = service()
    tokens = roster(client)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("value.py", b"0" * (51 * 1024 * 1024))
    response = api(client, tokens["ana"], [("bomba.zip", buffer.getvalue())])
    assert response.status_code == 400 and "se expande para mais de 50 MB" in response.get_json()["error"]


def test_an_upload_past_the_request_cap_is_413(service):
    client, _, _ = service()
    tokens = roster(client)
    response = api(client, tokens["ana"], [("grande.ipynb", b"0" * (52 * 1024 * 1024))])
    assert response.status_code == 413


def test_a_student_text_is_escaped_on_every_page(service):
    client, _, _ = service()
    tokens = roster(client, rows=(("eve", "<script>alert(1)</script>", "e@x"),))
    evil = "def f(:\n<img src=x onerror=alert(1)>"
    api(client, tokens["eve"], [("value.py", evil.encode())])
    for path in (f"/a/{tokens['eve']}", "/prof", "/prof/students/eve"):
        html = client.get(path).get_data(as_text=True)
        assert "<script>alert" not in html and "<img src=x" not in html
    assert "default-src 'self'" in client.get("/prof").headers["Content-Security-Policy"]


# -- instructors -------------------------------------------------------------------

def test_instructor_pages_need_the_password(service):
    client, _, _ = service()
    assert client.get("/prof").status_code == 302
    assert client.get("/prof/gradebook.csv").status_code == 302
    assert login(client, "errada").status_code == 401
    assert client.get("/prof").status_code == 302
    assert login(client).status_code == 303 and client.get("/prof").status_code == 200


def test_forms_need_their_csrf_token(service):
    client, _, _ = service()
    login(client)
    response = client.post("/prof/regrade")
    assert response.status_code == 400 and "Formulário expirado" in response.get_data(as_text=True)
    assert client.post("/prof/login", data={"password": PASSWORD}).status_code == 400


def test_the_session_cookie_is_secure_httponly_samesite(service):
    client, _, _ = service()
    page = client.get("/prof/login", base_url="https://cursos.exemplo.br").get_data(as_text=True)
    response = client.post("/prof/login", data={"csrf_token": CSRF.search(page).group(1), "password": PASSWORD},
                           base_url="https://cursos.exemplo.br")
    assert response.status_code == 303
    cookie = response.headers["Set-Cookie"]
    assert "Secure" in cookie and "HttpOnly" in cookie and "SameSite=Lax" in cookie
    # Plain HTTP to a name that is not loopback still gets a Secure cookie (the browser then drops it).
    response = client.get("/prof/login", base_url="http://cursos.exemplo.br")
    assert "Secure" in response.headers["Set-Cookie"]


def test_login_is_rate_limited_per_address(service):
    client, _, _ = service()
    codes = [login(client, "errada").status_code for _ in range(11)]
    assert codes[:10] == [401] * 10 and codes[10] == 429


def test_override_regrade_and_gradebook(service):
    client, _, config = service()
    tokens = roster(client)
    first = api(client, tokens["ana"], solution_files([MSE_BUG])).get_json()["id"]
    before = attempt(client, tokens["ana"], first)["score"]
    response = client.post("/prof/students/ana/override", data={
        "csrf_token": csrf_of(client, "/prof/students/ana"), "item": "mse", "score": "10", "reason": "revisão aceita"})
    assert response.status_code == 303
    detail = client.get("/prof/students/ana").get_data(as_text=True)
    assert "revisão aceita" in detail
    csv_text = client.get("/prof/gradebook.csv").get_data(as_text=True)
    lines = csv_text.splitlines()
    assert lines[0].startswith("student,derivadas")
    ana = next(line for line in lines if line.startswith("ana,"))
    bruno = next(line for line in lines if line.startswith("bruno,"))
    assert "mse: " in ana and "revisão aceita" in ana and "no submission" in bruno
    adjusted = client.get("/prof/class.json").get_json()[0]["score"]
    assert adjusted > before and attempt(client, tokens["ana"], first)["score"] == adjusted   # the student sees it
    semicolon = client.get("/prof/gradebook.csv?csv=semicolon").get_data(as_text=True)
    assert semicolon.splitlines()[0].startswith("student;derivadas")
    # An override out of range is refused.
    bad = client.post("/prof/students/ana/override", data={
        "csrf_token": csrf_of(client, "/prof/students/ana"), "item": "mse", "score": "11", "reason": ""})
    assert bad.status_code == 400
    # Regrade all: a new generation, graded once more, the same score.
    response = client.post("/prof/regrade", data={"csrf_token": csrf_of(client, "/prof")})
    assert response.status_code == 303 and "regraded=1" in response.headers["Location"]
    with sqlite3.connect(config.data / "service.db") as con:
        done = con.execute("select attempt_id, generation from events where state='done' order by id").fetchall()
    assert done == [(first, 1), (first, 2)]
    assert attempt(client, tokens["ana"], first)["score"] == adjusted


def test_the_roster_is_checked(service):
    client, _, _ = service()
    login(client)
    bad = client.post("/prof/roster", data={"csrf_token": csrf_of(client, "/prof"),
                                            "roster": (io.BytesIO(b"nome;email\nAna;a@x\n"), "r.csv")},
                      content_type="multipart/form-data")
    assert bad.status_code == 400 and "missing id" in bad.get_data(as_text=True)
    # A Brazilian spreadsheet's export: semicolons, Portuguese headers; a second upload keeps the known links.
    text = "matrícula;nome;e-mail\n123;Ana;a@x\n".encode()
    first = client.post("/prof/roster", data={"csrf_token": csrf_of(client, "/prof"),
                                              "roster": (io.BytesIO(text), "r.csv")},
                        content_type="multipart/form-data")
    assert len(LINK.findall(first.get_data(as_text=True))) == 1
    again = client.post("/prof/roster", data={"csrf_token": csrf_of(client, "/prof"),
                                              "roster": (io.BytesIO(text), "r.csv")},
                        content_type="multipart/form-data")
    assert not LINK.findall(again.get_data(as_text=True)) and "already had a link" in again.get_data(as_text=True)


# -- exactly once -------------------------------------------------------------------------

def test_state_transitions_are_owned_by_one_task(tmp_path):
    Session = db.connect(f"sqlite:///{tmp_path / 's.db'}")
    with Session.begin() as s:
        s.add(db.Student(id="ana", token_hash="0" * 64))
    attempt_id, task = db.add_attempt(Session, "ana", [], 1, "")
    assert db.claim(Session, attempt_id, "another task") is None
    assert db.claim(Session, attempt_id, task) is not None
    assert db.claim(Session, attempt_id, task) is None                 # delivered twice
    new = db.requeue(Session, attempt_id, task)                          # its worker died
    assert new and db.finish(Session, attempt_id, task, "a" * 64, 1, 1) is False   # the old task's result is dropped
    assert db.claim(Session, attempt_id, new) is not None
    assert db.finish(Session, attempt_id, new, "b" * 64, 1, 1) is True
    assert db.finish(Session, attempt_id, new, "c" * 64, 1, 1) is False  # written once
    with Session() as s:
        assert s.get(db.Attempt, attempt_id).report_sha == "b" * 64
        assert [e.state for e in s.query(db.Event).order_by(db.Event.id)] == ["queued", "grading", "queued",
                                                                              "grading", "done"]


def test_recover_takes_back_a_dead_workers_attempt_and_gives_up_after_three(tmp_path):
    Session = db.connect(f"sqlite:///{tmp_path / 's.db'}")
    with Session.begin() as s:
        s.add(db.Student(id="ana", token_hash="0" * 64))
    attempt_id, task = db.add_attempt(Session, "ana", [], 1, "")
    queued = []

    class Queue:
        def grade_attempt(self, *args):
            queued.append(args)
    for round_ in range(3):
        assert db.claim(Session, attempt_id, task)
        with Session.begin() as s:   # as if the worker that claimed it had died
            s.get(db.Attempt, attempt_id).worker = f"{db.worker_name().rpartition(':')[0]}:999999999"
        assert tasks.recover(Session, Queue(), lease_seconds=3600) == ([attempt_id] if round_ < 2 else [])
        task = queued[-1][1]
    with Session() as s:
        row = s.get(db.Attempt, attempt_id)
        assert row.state == db.FAILED and "parou 3 vezes" in row.problem


def test_the_course_file_is_checked(tmp_path):
    path = tmp_path / "c.toml"
    path.write_text('deadline = "2026-12-20T23:59:00"\n')
    with pytest.raises(CourseError, match="UTC offset"):
        load_course(path)
    path.write_text('[attempts]\ncounts = "first"\n')
    with pytest.raises(CourseError, match="attempts.counts"):
        load_course(path)
    assert load_course().counts in ("best", "last")


def test_the_submit_cell_is_shown_with_the_token_and_is_not_graded(service):
    client, _, _ = service()
    tokens = roster(client)
    html = client.get(f"/a/{tokens['ana']}").get_data(as_text=True)
    cell = re.search(r"<pre><code>(.*?)</code></pre>", html, re.S).group(1)
    assert tokens["ana"] in cell and cell.startswith("# não avaliada")
    from grader.judge.notebooks import clean_cell
    import html as html_module
    assert clean_cell(html_module.unescape(cell)) is None     # the grader skips it in a graded notebook
    compile(html_module.unescape(cell), "cell", "exec")


def test_a_page_far_back_in_the_queue_is_told_to_ask_less_often(service):
    client, _, config = service()
    tokens = roster(client)
    Session = client.application.extensions["grader"]["Session"]
    ids = [db.add_attempt(Session, "ana", [], 1, "")[0] for _ in range(25)]   # queued, no worker yet
    last = attempt(client, tokens["ana"], ids[-1])
    first = attempt(client, tokens["ana"], ids[0])
    assert (last["state"], last["ahead"], last["ask_again_in"]) == ("queued", 24, 3)
    assert (first["ahead"], first["ask_again_in"]) == (0, 1)


@pytest.mark.parametrize("path", ["/static/..%2fcourse.toml", "/static/../../suites/hidden/test_mse.py",
                                  "/static/%2e%2e/%2e%2e/manifest.toml", "/static/../secret_key"])
def test_nothing_outside_the_static_folder_is_served(service, path):
    client, _, _ = service()
    response = client.get(path)
    assert response.status_code == 404 and b"def test_" not in response.data


def test_first_run_password_is_printed_once_and_stored_hashed(tmp_path, monkeypatch):
    from grader.service.app import PASSWORD_KEY
    from grader.service.server import instructor_password
    monkeypatch.delenv("GRADER_INSTRUCTOR_PASSWORD", raising=False)
    Session = db.connect(f"sqlite:///{tmp_path / 's.db'}")
    out = io.StringIO()
    instructor_password(Session, out)
    instructor_password(Session, out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 1 and "shown once" in lines[0]
    password = lines[0].rsplit(" ", 1)[1]
    stored = db.get_setting(Session, PASSWORD_KEY)
    assert password not in stored and stored.startswith("scrypt:")
    monkeypatch.setenv("GRADER_INSTRUCTOR_PASSWORD", "outra-senha")
    instructor_password(Session, out)
    assert db.get_setting(Session, PASSWORD_KEY) != stored


def test_the_secret_key_is_made_once_and_private(tmp_path):
    config = Config.make(tmp_path / "data")
    key = config.secret_key()
    assert len(key) == 32 and config.secret_key() == key
    assert (config.data / "secret_key").stat().st_mode & 0o077 == 0
