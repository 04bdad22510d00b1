"""What a report looks like to people: the feedback's wording (feedback.py),
the terminal, markdown and JSON forms (render.py), the HTML page
(feedback_page.py), the drawn Value graph (value_graph.py) and the Jinja2
templates (templates/)."""
