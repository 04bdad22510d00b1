"""The service as a person uses it, in a real Chromium (Debian's, driven by
Playwright; never `playwright install`): the student flow (link -> upload
-> feedback) and the instructor flow (class -> student -> override ->
export), against a real `grader serve` on 127.0.0.1."""
import os
import re
import shutil

import pytest
import requests

from service_helpers import PASSWORD, LiveServer, add_roster, solution_files

CHROMIUM = os.environ.get("GRADER_CHROMIUM", "/usr/bin/chromium")
MSE_BUG = ("losses.py", "return total * (1 / len(y_true))", "return total * (1 / (len(y_true) + 1))")

sync_api = pytest.importorskip("playwright.sync_api")
pytestmark = pytest.mark.skipif(not shutil.which(CHROMIUM), reason="Debian's chromium is not installed")


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    server = LiveServer(tmp_path_factory.mktemp("browser") / "data", workers=2).start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser():
    with sync_api.sync_playwright() as p:
        # --no-sandbox: Chromium's own sandbox needs user namespaces CI containers may not give.
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        yield chromium
        chromium.close()


def test_student_flow_on_a_phone(live, browser, tmp_path):
    tokens = add_roster(requests.Session(), live.url, [("carla", "Carla Dias", "carla@x")])
    for name, data in solution_files([MSE_BUG]):
        (tmp_path / name).write_bytes(data)
    page = browser.new_page(viewport={"width": 400, "height": 900})
    page.goto(f"{live.url}/a/{tokens['carla']}")
    assert page.locator("h1").inner_text().startswith("Cálculo")
    assert "Nenhuma tentativa ainda" in page.content()
    page.set_input_files("#arquivos", [str(tmp_path / n) for n, _ in solution_files()])
    page.get_by_role("button", name="Enviar").click()
    page.wait_for_selector("#t1 .state-done", timeout=120_000)     # the page followed the attempt by itself
    attempt = page.locator("#t1")
    text = attempt.inner_text()
    assert "Tentativa 1" in text and "corrigida" in text and "Implementar MSE" in text and "/ 100" in text
    assert "10/10" in text and "0/10" in text
    # Nothing wider than the phone's screen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
    # A second attempt, with a wrong file type: refused with its reason, in Portuguese.
    (tmp_path / "notas.txt").write_text("oi")
    page.set_input_files("#arquivos", str(tmp_path / "notas.txt"))
    page.get_by_role("button", name="Enviar").click()
    assert "envie arquivos .py, .ipynb ou um .zip" in page.locator(".message").inner_text()
    page.close()


def test_instructor_flow(live, browser, tmp_path):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    page.goto(f"{live.url}/prof")
    page.fill("#password", PASSWORD)
    page.get_by_role("button", name="Log in").click()
    roster = tmp_path / "turma.csv"
    roster.write_text("id,name,email\ndavi,Davi Rocha,davi@x\n", encoding="utf-8")
    page.set_input_files("#roster", str(roster))
    page.get_by_role("button", name="Upload roster").click()
    link = page.locator("input.link").first.input_value()
    assert "/a/" in link
    token = link.rsplit("/", 1)[1]
    files = [("arquivos", (n, d)) for n, d in solution_files([MSE_BUG])]
    response = requests.post(f"{live.url}/api/v1/submissions", headers={"Authorization": f"Bearer {token}"},
                             files=files, timeout=30)
    assert response.status_code == 202
    # The class table updates by itself once the attempt is graded.
    page.goto(f"{live.url}/prof")
    cell = page.locator('tr[data-id="davi"] [data-col="score"]')
    sync_api.expect(cell).to_have_text(re.compile(r"\d+/100"), timeout=120_000)   # no reload: class.js polls
    before = cell.inner_text()
    page.get_by_role("link", name="davi").click()
    assert re.search(r"Attempt \d+: done", page.locator("body").inner_text())
    page.select_option("#item", "mse")
    page.fill("#score", "10")
    page.fill("#reason", "pedido de revisão aceito")
    page.get_by_role("button", name="Save override").click()
    assert "pedido de revisão aceito" in page.locator("body").inner_text()
    page.get_by_role("link", name="Class").click()
    after = page.locator('tr[data-id="davi"] [data-col="score"]').inner_text()
    assert float(after.split("/")[0]) > float(before.split("/")[0])    # mse now 10/10
    with page.expect_download() as download:
        page.get_by_role("link", name="gradebook.csv", exact=True).click()
    text = open(download.value.path(), encoding="utf-8").read()
    davi = next(line for line in text.splitlines() if line.startswith("davi,"))
    assert "pedido de revisão aceito" in davi
    context.close()
