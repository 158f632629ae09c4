"""Fixtures for the browser test: one JupyterLab (serving a temp copy of the notebooks) and one
headless Chromium per session, a fresh page per notebook.

UNROLLED_NOTEBOOKS=/some/dir points the test at other notebooks (default: the repo's notebooks/).
"""

from __future__ import annotations

import os
from typing import Iterator

import pytest
from playwright.sync_api import Browser, Page

from labserver import (CHROMIUM, INSTALL_HINT, LabServer, copy_notebooks, launch_chromium,
                       notebook_paths, running_lab)


def require_chromium() -> None:
    """Fail on CI (CI=true) when Debian's Chromium is missing; skip locally with the install hint."""
    if CHROMIUM.exists():
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"CI=true but {INSTALL_HINT}", pytrace=False)
    pytest.skip(INSTALL_HINT)


@pytest.fixture(scope="session")
def lab(tmp_path_factory: pytest.TempPathFactory) -> Iterator[LabServer]:
    """A JupyterLab serving a scratch copy of the notebooks (the UI run never writes into git)."""
    require_chromium()
    root = copy_notebooks(notebook_paths(), tmp_path_factory.mktemp("notebooks"))
    with running_lab(root) as server:
        yield server


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    """Debian's headless Chromium, driven by Playwright."""
    require_chromium()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = launch_chromium(playwright)
        yield chromium
        chromium.close()


@pytest.fixture()
def page(browser: Browser, lab: LabServer) -> Iterator[Page]:
    """A fresh page (1280×900); afterwards the page closes and every kernel is shut down."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    try:
        yield page
    finally:
        context.close()
        lab.shutdown_kernels()
