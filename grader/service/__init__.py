"""The course service (`grader serve`): students submit over HTTP and see their
feedback at once; the instructor watches the class live.

The layers, imports going down only:

    server.py        `grader serve`: starts the web app and the grading workers
    app.py           the Flask app: student pages, the submit API, instructor pages
    records.py       what the pages show: attempts as they count, the class, the gradebook
    rules.py         the course's rules applied: late, attempts per hour, score of record, feedback level
    uploads.py       what a student sends, checked before it is queued
    tasks.py         the Huey queue, its one task (grading an attempt) and recovery
    grading.py       an attempt's files -> a folder -> grader.grade.grade -> report
    db.py            the database (SQLAlchemy): students, attempts, their state transitions
    store.py         submissions' files and reports, content-addressed (sha256)
    course.py        the course file (TOML): deadline, late policy, attempts, feedback, limits
    config.py        where the data folder, database and queue are
    deploy/          compose file and systemd units for the scale mode

An LMS launch (LTI 1.3, issue 26) plugs in beside the personal links: a
launch maps the platform's user to a `Student` row and lands on the same
student page; a score push hangs off the moment `db.finish` records a result
(and an override or regrade changes the score of record, see records.py).
"""
