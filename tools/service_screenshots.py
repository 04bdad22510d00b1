"""Screenshots of the course service's pages for the README, at 1280 and 400
pixels wide (a laptop and a phone), in docs/service/. Starts a real
`grader serve` in a temporary folder, makes a class of three, submits, and
drives Debian's chromium through Playwright.

    python tools/service_screenshots.py [--out docs/service]
"""
import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import requests
from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "senha-das-capturas"
MODULES = ("derivatives.py", "value.py", "losses.py", "gradient_check.py")
# Two classic mistakes for bruno (one line each): MSE divided by n + 1, and a product's gradient that
# overwrites instead of accumulating.
BUGS = {"ana": [],
        "bruno": [("losses.py", "return total * (1 / len(y_true))", "return total * (1 / (len(y_true) + 1))"),
                  ("value.py", "self.grad += other.data * out.grad", "self.grad = other.data * out.grad")]}


def files(replace):
    out = {name: (ROOT / "solutions" / name).read_text(encoding="utf-8") for name in MODULES}
    for name, old, new in replace:
        out[name] = out[name].replace(old, new, 1)
    return [("arquivos", (name, text.encode())) for name, text in out.items()]


def start(data):
    env = {**os.environ, "GRADER_INSTRUCTOR_PASSWORD": PASSWORD}
    process = subprocess.Popen([sys.executable, "-m", "grader", "serve", "--data", str(data), "--port", "0"],
                               stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, env=env)
    for line in process.stdout:
        found = re.search(r"(http://127\.0\.0\.1:\d+)/", line)
        if found:
            return process, found.group(1)
    raise SystemExit("grader serve did not start")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--out", default=str(ROOT / "docs" / "service"))
    out = Path(parser.parse_args().out)
    out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        process, url = start(Path(folder) / "data")
        try:
            shoot(url, out)
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait(60)


def shoot(url, out):
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=["--no-sandbox"])
        for width in (1280, 400):
            context = browser.new_context(viewport={"width": width, "height": 900}, locale="pt-BR")
            page = context.new_page()
            if width == 1280:
                page.goto(f"{url}/prof/login")
                page.fill("#password", PASSWORD)
                page.get_by_role("button", name="Log in").click()
                roster = Path(tempfile.mkdtemp()) / "turma.csv"
                roster.write_text("id,name,email\nana,Ana Souza,ana@exemplo.br\nbruno,Bruno Lima,bruno@exemplo.br\n"
                                  "carla,Carla Dias,carla@exemplo.br\n", encoding="utf-8")
                page.set_input_files("#roster", str(roster))
                page.get_by_role("button", name="Upload roster").click()
                links = {row.locator("td").first.inner_text(): row.locator("input.link").input_value()
                         for row in page.locator("section.links tbody tr").all()}
                page.screenshot(path=out / "links-1280.png", full_page=True)
                for sid, replace in BUGS.items():
                    token = links[sid].rsplit("/", 1)[1]
                    requests.post(f"{url}/api/v1/submissions", headers={"Authorization": f"Bearer {token}"},
                                  files=files(replace), timeout=30).raise_for_status()
                time.sleep(1)
                page.goto(f"{url}/prof")
                deadline = time.monotonic() + 120
                while "queued" in page.content() or "grading" in page.content():
                    if time.monotonic() > deadline:
                        raise SystemExit("grading did not finish")
                    time.sleep(1)
                    page.reload()
                student_link = links["bruno"]
            page.goto(student_link)
            page.screenshot(path=out / f"student-{width}.png", full_page=True)
            page.goto(f"{url}/prof/login")
            if width != 1280:
                page.fill("#password", PASSWORD)
                page.get_by_role("button", name="Log in").click()
            page.goto(f"{url}/prof")
            page.screenshot(path=out / f"class-{width}.png", full_page=True)
            page.goto(f"{url}/prof/students/bruno")
            page.screenshot(path=out / f"student-detail-{width}.png", full_page=True)
            context.close()
        browser.close()
    print(f"screenshots in {out}")


if __name__ == "__main__":
    main()
