"""The README's pictures of what instructors and students see, made in
headless Chromium from the example class (bench/example_class.py):

    python bench/screenshots.py [--out docs]

writes docs/class_report.png (1280 px wide), docs/class_report_400.png (a
phone, 400 px) and docs/feedback_page.png (the feedback page of the student
with a Value bug, 400 px: its graph drawn, the wrong grad in red). The run
uses a roster with one student who handed nothing in, so the page shows
names and who is missing. Needs chromium (apt-get install chromium).
"""
import argparse
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from PIL import Image

sys.path.insert(0, str(Path(__file__).resolve().parent))
import example_class  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent


def shoot(page, png, width, height):
    """`page` at `width` CSS pixels into `png`, cut to `height` or to where the page ends."""
    browser = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    if browser is None:
        sys.exit("chromium is not installed (apt-get install chromium)")
    subprocess.run([browser, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars",
                    f"--window-size={width},{height}", f"--screenshot={png}", Path(page).resolve().as_uri()],
                   check=True, capture_output=True, timeout=120)
    image = Image.open(png).convert("RGB")
    box = Image.eval(image, lambda v: 255 - v).getbbox()   # the last non-white row: where the page ends
    if box:
        image.crop((0, 0, width, min(height, box[3] + 16))).save(png, optimize=True)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs", help="where the PNGs go (default docs/)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as scratch:
        scratch = Path(scratch)
        roles = example_class.build(scratch / "class")
        example_class.overrides(scratch / "overrides.csv", roles["bug"][0])
        roster = ["student,name"] + [f"{s}," for ids in roles.values() for s in ids] + ["10099,Aluna Que Faltou"]
        (scratch / "turma.csv").write_text("\n".join(roster) + "\n", encoding="utf-8")
        run = scratch / "run"
        subprocess.run([sys.executable, "-m", "grader", "batch", str(scratch / "class"), "--out", str(run),
                        "--ids", "moodle", "--overrides", str(scratch / "overrides.csv"),
                        "--roster", str(scratch / "turma.csv")], check=True, capture_output=True, cwd=ROOT)
        args.out.mkdir(parents=True, exist_ok=True)
        shoot(run / "class_report.html", args.out / "class_report.png", 1280, 2400)
        shoot(run / "class_report.html", args.out / "class_report_400.png", 400, 2400)
        shoot(run / "feedback" / f"{roles['bug'][0]}.html", args.out / "feedback_page.png", 400, 2400)
    for name in ("class_report.png", "class_report_400.png", "feedback_page.png"):
        print(args.out / name)


if __name__ == "__main__":
    main()
