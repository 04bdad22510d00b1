"""The course service (`grader serve`): students submit over HTTP and see their
feedback at once; the instructor watches the class live.

The layers, imports going down only:

    server.py        `grader serve`: starts the web app and the grading workers
    app.py           the Flask app: student pages, the submit API, instructor pages
    rules.py         the course's rules applied: late, attempts per hour, score of record
    tasks.py         the Huey queue and the one task, grading an attempt
    grading.py       an attempt's files -> a folder -> grader.grade.grade -> report
    db.py            the database (SQLAlchemy): students, attempts, their state transitions
    store.py         submissions' files and reports, content-addressed (sha256)
    course.py        the course file (TOML): deadline, late policy, attempts, feedback
    config.py        where the data folder, database and queue are
"""
