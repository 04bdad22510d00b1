"""The class: grading a whole class (batch.py), what a class run writes
(gradebook.py, class_report.py), the LMS exports it reads (intake.py,
lms_moodle.py, lms_canvas.py, student_ids.py, safe_text.py), the instructor's
overrides (overrides.py) and the similarity check (similarity.py,
similarity_index.py)."""
