"""The web app. Flask, because the service is a few forms, pages and JSON
endpoints over a synchronous database and queue: Flask's test client drives
it in-process, its Jinja2 templates escape by default, and the two security
pieces come from its well-kept extensions (Flask-WTF's CSRF tokens,
Flask-Limiter's rate limits). Waitress serves it (server.py).

Students (pages in pt-BR) reach /a/<token>, the personal link the instructor
hands out; the submit cell of a notebook uses /api/v1 with the same token.
Instructors (English) log in at /prof."""
import csv
import os
import secrets
import time
from functools import wraps

from flask import (Flask, Response, abort, jsonify, redirect, render_template, request, session, url_for)
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask.sessions import SecureCookieSessionInterface
from flask_wtf.csrf import CSRFError, CSRFProtect
from sqlalchemy import delete, func, select
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.security import check_password_hash, generate_password_hash

from ..show import feedback_page
from ..manifest import load as load_manifest
from ..show.render import as_markdown, format_score
from ..judge.unpack import MAX_TOTAL
from . import course as course_module, db, records, rules
from .config import Config
from .store import Store
from .tasks import make_huey, enqueue
from .uploads import UploadError, checked

PASSWORD_KEY = "instructor_password"
MAX_ID = 200
POLL_MAX, POLL_PER = 10, 10     # seconds between status checks: one more per 10 attempts ahead, at most 10
STATE_PT = {db.QUEUED: "na fila", db.GRADING: "sendo corrigida", db.DONE: "corrigida", db.FAILED: "não corrigida"}


LOOPBACK = ("127.0.0.1", "localhost", "[::1]")
ENV_PROXIES = "GRADER_PROXIES"   # how many reverse proxies (adding X-Forwarded-*) stand in front


class _SessionCookies(SecureCookieSessionInterface):
    """The session cookie is Secure, HttpOnly and SameSite=Lax. Secure is left
    out only for a plain-HTTP request to a loopback address (the instructor's
    own machine, the tests), where a browser would otherwise drop it."""

    def get_cookie_secure(self, app):
        return request.is_secure or request.host.rsplit(":", 1)[0] not in LOOPBACK


def create_app(config: Config, huey=None, clock=time.time):
    app = Flask(__name__)
    app.session_interface = _SessionCookies()
    proxies = int(os.environ.get(ENV_PROXIES, "0") or 0)
    if proxies:   # the client's address and scheme as the proxy saw them (rate limits, Secure cookies)
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    app.config.update(SECRET_KEY=config.secret_key(), MAX_CONTENT_LENGTH=MAX_TOTAL + 1024 * 1024,
                      SESSION_COOKIE_HTTPONLY=True, SESSION_COOKIE_SAMESITE="Lax",
                      SESSION_COOKIE_NAME="grader_session", PERMANENT_SESSION_LIFETIME=12 * 3600,
                      WTF_CSRF_TIME_LIMIT=None, WTF_CSRF_SSL_STRICT=False)
    Session = db.connect(config.database)
    store = Store(config.data / "blobs")
    huey = huey or make_huey(config)
    course_path = config.course_file or course_module.in_data(config.data)
    course_module.load(course_path)   # a broken course file stops the start, with its message
    csrf = CSRFProtect(app)
    storage = config.queue if config.queue.startswith("redis") else "memory://"
    # Per address (whoever is asking) from the course file's [limits]; per student, the status checks
    # (by token) and the course rule on attempts per hour.
    limiter = Limiter(get_remote_address, app=app, storage_uri=storage, headers_enabled=True,
                      default_limits=[lambda: f"{course().requests_per_address}/minute"])
    per_address = {"submit": lambda: f"{course().submissions_per_address}/minute",
                   "login": lambda: f"{course().logins_per_address}/minute"}

    def student_key():
        return request.view_args.get("token") or request.headers.get("Authorization", "")

    def status_limit(view):
        return limiter.limit(lambda: f"{course().status_per_student}/minute", key_func=student_key)(view)
    app.extensions["grader"] = {"Session": Session, "store": store, "huey": huey, "config": config,
                                "limiter": limiter}
    app.jinja_env.filters["score"] = format_score
    app.jinja_env.filters["feedback"] = feedback_page.body   # the kit's own words, as on the feedback pages
    app.jinja_env.filters["when"] = _when
    app.jinja_env.globals.update(STATE_PT=STATE_PT, db=db)

    @app.template_global()
    def submit_cell(token):
        """The notebook cell that submits with this token (templates/submit_cell.py.j2)."""
        return render_template("submit_cell.py.j2", token=token, base_url=request.url_root.rstrip("/"))

    def course():
        return course_module.current(course_path)   # an edit to the file applies at once

    @app.after_request
    def headers(response):
        # Pages use only their own CSS and JS: nothing a student's text could inject runs.
        response.headers.setdefault("Content-Security-Policy", "default-src 'self'; frame-ancestors 'none'; "
                                    "form-action 'self'; base-uri 'none'; object-src 'none'")
        response.headers.setdefault("X-Content-Type-Options", "nosniff")
        response.headers.setdefault("Referrer-Policy", "no-referrer")   # the token is in the page's address
        response.headers.setdefault("Cache-Control", "no-store")
        return response

    # -- students ---------------------------------------------------------------

    def student_for(token):
        if not token or len(token) > 100:
            return None
        with Session() as s:
            return s.scalar(select(db.Student).where(db.Student.token_hash == db.hash_token(token)))

    def submit(student):
        """Accept the request's files as a new attempt: (attempt id, None) or (None, Refusal)."""
        files = [(f.filename, f.read(MAX_TOTAL + 1)) for f in request.files.getlist("arquivos") if f.filename]
        now = clock()
        since = now - rules.HOUR
        with Session() as s:
            recent = s.scalars(select(db.Attempt.created_at).where(db.Attempt.student_id == student.id,
                                                                    db.Attempt.created_at >= since)).all()
        refused = rules.refusal(course(), now, len(recent), min(recent) if recent else None)
        if refused:
            return None, refused
        try:
            files = checked(files)
        except UploadError as err:
            return None, rules.Refusal(400, str(err))
        stored = [{"name": name, "sha": store.put(data), "size": len(data)} for name, data in files]
        attempt_id, task_id = db.add_attempt(Session, student.id, stored, secrets.randbits(31),
                                             get_remote_address() or "", created_at=now)
        enqueue(huey, attempt_id, task_id)   # if this is lost (a crash right here), recover() queues it on start
        return attempt_id, None

    def student_page(token, student, message="", status=200):
        rules_now = course()
        level = rules.feedback_level(rules_now, clock())
        view = records.student_view(Session, store, rules_now, student)
        shown = [(a, rules.for_student(a.report, level) if a.report else None) for a in view.attempts]
        return render_template("student.html", token=token, student=student, view=view, shown=shown,
                               course=rules_now, level=level, message=message, now=clock()), status

    @app.get("/a/<token>")
    def student_home(token):
        student = student_for(token)
        if student is None:
            return render_template("unknown_link.html"), 404
        return student_page(token, student)

    @app.post("/a/<token>/enviar")
    @limiter.limit(per_address["submit"])
    def student_submit(token):
        student = student_for(token)
        if student is None:
            return render_template("unknown_link.html"), 404
        attempt_id, refused = submit(student)
        if refused:
            return student_page(token, student, refused.message, refused.status)
        return redirect(url_for("student_home", token=token, enviada=attempt_id, _anchor=f"t{attempt_id}"), 303)

    @app.get("/a/<token>/tentativas/<int:attempt_id>")
    @status_limit
    def student_attempt_state(token, attempt_id):
        student = student_for(token)
        if student is None:
            abort(404)
        return jsonify(_attempt_json(student, attempt_id, with_feedback=False))

    def _attempt_json(student, attempt_id, with_feedback=True):
        with Session() as s:
            attempt = s.get(db.Attempt, attempt_id)
            if attempt is None or attempt.student_id != student.id:
                abort(404)
            adjustments = {o.item: (o.score, o.reason) for o in s.scalars(
                select(db.Override).where(db.Override.student_id == student.id))}
            ahead = s.scalar(select(func.count()).select_from(db.Attempt).where(
                db.Attempt.state == db.QUEUED, db.Attempt.id < attempt.id)) if attempt.state == db.QUEUED else 0
        # When to ask again: at once near the front of the queue, less often far behind it (a deadline
        # burst of pages asking every second would slow the server that answers them).
        out = {"id": attempt.id, "state": attempt.state, "estado": STATE_PT[attempt.state],
               "problem": attempt.problem, "ahead": ahead, "ask_again_in": min(POLL_MAX, 1 + ahead // POLL_PER)}
        if attempt.state == db.DONE and with_feedback:
            rules_now = course()
            level = rules.feedback_level(rules_now, clock())
            report = rules.counted(rules_now, store.get_json(attempt.report_sha), attempt.created_at, adjustments)
            out.update(score=report["score"], max_score=report["max_score"],
                       feedback_markdown=as_markdown(rules.for_student(report, level)))
        return out

    # -- the API (a notebook's submit cell) -----------------------------------------

    @app.post("/api/v1/submissions")
    @csrf.exempt      # a token in the header, no cookie: nothing a third-party page can forge
    @limiter.limit(per_address["submit"])
    def api_submit():
        student = _api_student()
        attempt_id, refused = submit(student)
        if refused:
            return jsonify(error=refused.message), refused.status
        return jsonify(id=attempt_id, state=db.QUEUED,
                       status_url=url_for("api_attempt", attempt_id=attempt_id, _external=True)), 202

    @app.get("/api/v1/submissions/<int:attempt_id>")
    @status_limit
    def api_attempt(attempt_id):
        return jsonify(_attempt_json(_api_student(), attempt_id))

    def _api_student():
        header = request.headers.get("Authorization", "")
        token = header[7:].strip() if header.lower().startswith("bearer ") else ""
        student = student_for(token)
        if student is None:
            response = jsonify(error="token desconhecido: copie o token da sua página de entrega")
            response.status_code = 401
            abort(response)
        return student

    # -- instructors --------------------------------------------------------------

    def instructor(view):
        @wraps(view)
        def guarded(*args, **kwargs):
            if not session.get("instructor"):
                return redirect(url_for("login", next=request.path))
            return view(*args, **kwargs)
        return guarded

    @app.route("/prof/login", methods=["GET", "POST"])
    @limiter.limit(per_address["login"], methods=["POST"])
    def login():
        error = ""
        if request.method == "POST":
            stored = db.get_setting(Session, PASSWORD_KEY)
            if stored and check_password_hash(stored, request.form.get("password", "")):
                session.clear()
                session["instructor"] = True
                session.permanent = True
                target = request.args.get("next", "")
                return redirect(target if target.startswith("/prof") else url_for("class_page"), 303)
            error = "Wrong password."
        return render_template("login.html", error=error), 401 if error else 200

    @app.post("/prof/logout")
    def logout():
        session.clear()
        return redirect(url_for("login"), 303)

    @app.get("/prof")
    @instructor
    def class_page():
        views = records.class_views(Session, store, course())
        return render_template("class.html", views=views, course=course(), links=None)

    @app.get("/prof/class.json")
    @instructor
    def class_data():
        return jsonify(records.class_json(records.class_views(Session, store, course())))

    @app.post("/prof/roster")
    @instructor
    def roster():
        upload = request.files.get("roster")
        text = upload.read().decode("utf-8-sig", errors="replace") if upload else ""
        try:
            people = _roster(text)
        except ValueError as err:
            return render_template("class.html", views=records.class_views(Session, store, course()),
                                   course=course(), links=None, error=str(err)), 400
        links = []
        with Session.begin() as s:
            for sid, name, email in people:
                student = s.get(db.Student, sid)
                if student is not None:   # known: keep the link already handed out, update the details
                    student.name, student.email = name, email
                    continue
                token = secrets.token_urlsafe(32)
                s.add(db.Student(id=sid, name=name, email=email, token_hash=db.hash_token(token)))
                links.append((sid, name, email, url_for("student_home", token=token, _external=True)))
        return _links_page(links)

    @app.post("/prof/students/<sid>/link")
    @instructor
    def new_link(sid):
        token = secrets.token_urlsafe(32)
        with Session.begin() as s:
            student = s.get(db.Student, sid) or abort(404)
            student.token_hash = db.hash_token(token)   # the old link stops working
            links = [(student.id, student.name, student.email, url_for("student_home", token=token, _external=True))]
        return _links_page(links)

    def _links_page(links):
        views = records.class_views(Session, store, course())
        return render_template("class.html", views=views, course=course(), links=links)

    @app.get("/prof/students/<sid>")
    @instructor
    def student_detail(sid):
        with Session() as s:
            student = s.get(db.Student, sid) or abort(404)
        view = records.student_view(Session, store, course(), student)
        return render_template("student_detail.html", view=view, items=load_manifest().items, course=course())

    @app.post("/prof/students/<sid>/override")
    @instructor
    def override(sid):
        items = {i.id: i.weight for i in load_manifest().items}
        item, raw, reason = request.form.get("item", ""), request.form.get("score", "").strip(), \
            request.form.get("reason", "").strip()[:500]
        if item not in items:
            abort(400, "no such item")
        with Session.begin() as s:
            s.get(db.Student, sid) or abort(404)
            if not raw:
                s.execute(delete(db.Override).where(db.Override.student_id == sid, db.Override.item == item))
            else:
                try:
                    score = float(raw.replace(",", "."))
                except ValueError:
                    abort(400, "the score is not a number")
                if not 0 <= score <= items[item]:
                    abort(400, f"the score must be between 0 and {items[item]:g}")
                s.merge(db.Override(student_id=sid, item=item, score=score, reason=reason, at=time.time()))
        return redirect(url_for("student_detail", sid=sid), 303)

    @app.post("/prof/regrade")
    @instructor
    def regrade_all():
        with Session() as s:
            rows = s.execute(select(db.Attempt.id, db.Attempt.task_id)
                             .where(db.Attempt.state.in_((db.DONE, db.FAILED)))).all()
        count = 0
        for attempt_id, task_id in rows:
            new = db.requeue(Session, attempt_id, task_id, regrade=True)
            if new:
                enqueue(huey, attempt_id, new)
                count += 1
        return redirect(url_for("class_page", regraded=count), 303)

    @app.get("/prof/gradebook.csv")
    @instructor
    def export_gradebook():
        dialect = request.args.get("csv", "comma")
        if dialect not in ("comma", "semicolon"):
            abort(400)
        text = records.gradebook_csv(records.class_views(Session, store, course()), dialect)
        return Response(text, mimetype="text/csv; charset=utf-8",
                        headers={"Content-Disposition": "attachment; filename=gradebook.csv"})

    @app.get("/")
    def index():
        return render_template("index.html")

    @app.errorhandler(CSRFError)
    def csrf_failed(err):
        return render_template("message.html", title="Formulário expirado",
                               text="Recarregue a página e tente de novo."), 400

    @app.errorhandler(413)
    def too_large(err):
        return render_template("message.html", title="Envio grande demais",
                               text=f"O limite é de {MAX_TOTAL // 2**20} MB por envio."), 413

    @app.errorhandler(429)
    def too_many(err):
        if request.path.startswith("/api/"):
            return jsonify(error="muitos pedidos seguidos; espere um minuto"), 429
        return render_template("message.html", title="Muitos pedidos seguidos",
                               text="Espere um minuto e tente de novo."), 429

    return app


def _roster(text):
    """[(id, name, email)] from the instructor's CSV (header id,name,email;
    Portuguese headers and ; separators, as a Brazilian spreadsheet saves, too)."""
    lines = text.splitlines()
    if not lines:
        raise ValueError("The roster is empty: the first line must be id,name,email.")
    delimiter = ";" if lines[0].count(";") > lines[0].count(",") else ","
    reader = csv.reader(lines, delimiter=delimiter)
    header = [h.strip().lower() for h in next(reader)]
    aliases = {"id": ("id", "matricula", "matrícula", "student"), "name": ("name", "nome"),
               "email": ("email", "e-mail")}
    where = {}
    for key, names in aliases.items():
        found = [i for i, h in enumerate(header) if h in names]
        if not found:
            raise ValueError(f"The roster's first line must name the columns id, name, email (missing {key}).")
        where[key] = found[0]
    people, seen = [], set()
    for number, row in enumerate(reader, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = [(row[where[k]].strip() if where[k] < len(row) else "") for k in ("id", "name", "email")]
        sid = cells[0]
        if not sid or len(sid) > MAX_ID or any(ord(c) < 32 for c in sid) or "/" in sid:
            raise ValueError(f"Line {number}: the id {sid!r} cannot be used (empty, too long or with '/').")
        if sid in seen:
            raise ValueError(f"Line {number}: the id {sid} appears twice.")
        seen.add(sid)
        people.append((sid, cells[1][:300], cells[2][:300]))
    return people


def _when(epoch):
    return rules.when(epoch) if epoch else ""


def set_password(Session, password):
    db.set_setting(Session, PASSWORD_KEY, generate_password_hash(password))

