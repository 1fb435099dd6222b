"""mkdocs hook: repository files included as sections of a page, and repository paths linked.

`<!-- include: PATH -->` on a line of its own is replaced by that file without its top-level title and
with every heading one level deeper, so an included README or report becomes sections of the page
(and of its table of contents) instead of a second page title. Inline code that names a file or
folder of the repository (`tests/test_docs.py`) links to it on the repository host.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
INCLUDE = re.compile(r"^<!-- include: (\S+) -->$", re.M)
FENCE = re.compile(r"^(```|~~~)")
HEADING = re.compile(r"^(#{1,5}) ")


def as_sections(text: str) -> str:
    """The file's text without its `# title` line, headings one level deeper (fenced code untouched)."""
    out, fenced, dropped = [], False, False
    for line in text.splitlines():
        if FENCE.match(line):
            fenced = not fenced
        elif not fenced and not dropped and line.startswith("# "):
            dropped = True
            continue
        elif not fenced and HEADING.match(line):
            line = "#" + line
        out.append(line)
    return "\n".join(out).strip() + "\n"


def on_page_markdown(markdown: str, page, config, files) -> str:
    return INCLUDE.sub(lambda m: as_sections((ROOT / m.group(1)).read_text()), markdown)


CODE = re.compile(r"<code>([A-Za-z0-9_.\-/]+?)(::[\w\[\]-]+)?</code>")
LINK = re.compile(r"<a\b.*?</a>", re.S)


def branch(config) -> str:
    """The branch named in edit_uri (`edit/<branch>/docs/`): links to repository files use the same."""
    parts = (config.get("edit_uri") or "edit/main/docs/").strip("/").split("/")
    return parts[1] if len(parts) >= 2 else "main"


def repo_link(repo: str, branch: str, match: re.Match) -> str:
    path = match.group(1).rstrip("/")
    target = ROOT / path
    if "/" not in path and not target.is_file() or not target.exists() or path.startswith("."):
        return match.group(0)
    kind = "blob" if target.is_file() else "tree"
    return f'<a href="{repo}/{kind}/{branch}/{path}" title="{path} in the repository">{match.group(0)}</a>'


def on_page_content(html: str, page, config, files) -> str:
    """Link inline code naming a repository path; code already inside a link is left alone."""
    repo = (config.get("repo_url") or "").rstrip("/")
    if not repo:
        return html
    link = functools.partial(repo_link, repo, branch(config))
    parts, last = [], 0
    for a in LINK.finditer(html):
        parts.append(CODE.sub(link, html[last:a.start()]))
        parts.append(a.group(0))
        last = a.end()
    parts.append(CODE.sub(link, html[last:]))
    return "".join(parts)
