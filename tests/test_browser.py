"""The explorer app (`apps/explorer.ipynb`) served by Voila and driven in a real browser by Playwright.

The browser is Debian's `chromium` (`apt-get install chromium`, done by `.ci/run`), never `playwright install`.
Without it the test is skipped. `DIFFUSETS_SCREENSHOT=PATH` saves a screenshot of the explorer after generating."""
import os, re, shutil, socket, subprocess, sys, time
from pathlib import Path
import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which('chromium') or shutil.which('chromium-browser')
pytestmark = pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)")
TIMEOUT_MS = 240_000   # kernel start, model load and one generation on a 2-core machine

def _free_port()->int:
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0)); return s.getsockname()[1]

@pytest.fixture(scope='module')
def explorer_url(tmp_path_factory):
    pytest.importorskip('voila'); pytest.importorskip('playwright')
    port, log = _free_port(), tmp_path_factory.mktemp('voila')/'voila.log'
    with open(log, 'w') as f:
        proc = subprocess.Popen([sys.executable, '-m', 'voila', str(ROOT/'apps'/'explorer.ipynb'), '--no-browser',
                                 f'--port={port}', '--Voila.ip=127.0.0.1'], stdout=f, stderr=subprocess.STDOUT,
                                env={**os.environ, 'HF_HUB_OFFLINE': '1', 'MPLBACKEND': 'Agg'}, cwd=ROOT)
    try:
        for _ in range(600):   # until Voila listens (60 s)
            with socket.socket() as s:
                if s.connect_ex(('127.0.0.1', port)) == 0: break
            if proc.poll() is not None: pytest.fail(f'voila exited: {log.read_text()[-2000:]}')
            time.sleep(0.1)
        yield f'http://127.0.0.1:{port}/'
    finally:
        proc.terminate(); proc.wait(20)

def test_explorer_generates_in_a_browser(explorer_url):
    from playwright.sync_api import sync_playwright
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=['--no-sandbox'])
        try:
            page = browser.new_page(viewport={'width': 1300, 'height': 1500})
            page.goto(explorer_url, timeout=TIMEOUT_MS)
            button = page.get_by_role('button', name='generate')
            button.wait_for(timeout=TIMEOUT_MS)
            output = page.locator('.widget-output').first
            assert output.locator('img').count() == 0          # nothing drawn before the first click
            report = page.locator('.widget-text input[type="text"]').first
            report.fill('Sinus bradycardia|Borderline ECG')        # change a control, as a person would
            page.locator('.widget-dropdown select').first.select_option('dpmpp_2m')
            handle = page.locator('.widget-hslider', has_text='HR (bpm)').first.locator('.noUi-handle')
            handle.focus()
            for _ in range(18): handle.press('ArrowLeft')       # the HR slider from 70 to 52, by keyboard
            assert page.locator('.widget-hslider', has_text='HR (bpm)').first.locator('.widget-readout').inner_text().startswith('52')
            button.click()
            status = page.locator('.widget-label', has_text=re.compile(r'measured HR|error'))
            status.wait_for(timeout=TIMEOUT_MS)
            text = status.inner_text()
            assert re.search(r'measured HR \d+ bpm · PR .* QRS \d+', text), text
            img = output.locator('img')
            img.wait_for(timeout=TIMEOUT_MS)
            first = img.get_attribute('src')
            if shot := os.environ.get('DIFFUSETS_SCREENSHOT'): page.screenshot(path=shot, full_page=True)
            page.locator('.widget-inline-hbox:has-text("seed") input').first.fill('7')
            button.click()                                     # a new seed: a new plot replaces the old one
            page.wait_for_function('s => { const i = document.querySelector(".widget-output img"); return i && i.src !== s; }',
                                   arg=first, timeout=TIMEOUT_MS)
            assert output.locator('img').count() == 1
        finally:
            browser.close()
