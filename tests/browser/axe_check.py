"""Run axe-core in a Playwright page and fail on WCAG 2.1 A/AA violations.

axe-core comes from the npm registry (`npm ci` at the repository root puts it
in node_modules/). It is handed to the page through `page.evaluate`, which
runs over the DevTools protocol and so is not subject to the page's
Content-Security-Policy. The alternatives were worse: `add_script_tag` makes
an inline <script> that our strict CSP rightly blocks; a `bypass_csp` context
would switch the CSP off and hide the very violations we want to see; serving
the file from webapp/static would ship a test tool to users.
"""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
AXE_PATH = REPO_ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


class AxeMissing(RuntimeError):
    """axe-core is not installed."""


@lru_cache(maxsize=1)
def axe_source() -> str:
    if not AXE_PATH.is_file():
        raise AxeMissing(f"{AXE_PATH} not found: run `npm ci` at the repository root")
    return AXE_PATH.read_text(encoding="utf-8")


def run_axe(page, tags: list[str] | None = None) -> list[dict]:
    """Inject axe-core if needed, run it on the whole document, return the violations."""
    if getattr(page, "javascript_enabled", True) is False:
        # axe.run is asynchronous; with scripts off its promise never settles and the test hangs.
        raise RuntimeError("axe-core needs a page with JavaScript enabled (use `page`, not `nojs_page`)")
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(axe_source())
    return page.evaluate(
        """async (tags) => {
            // resultTypes: only violations get full node details, which makes a run much faster.
            const result = await axe.run(document, {
                runOnly: {type: 'tag', values: tags},
                resultTypes: ['violations'],
            });
            return result.violations.map(v => ({
                id: v.id,
                impact: v.impact,
                help: v.help,
                helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({target: n.target.join(' '), summary: n.failureSummary})),
            }));
        }""",
        tags or WCAG_TAGS,
    )


def format_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        lines.append(f"- {violation['id']} ({violation['impact']}): {violation['help']}")
        for node in violation["nodes"]:
            lines.append(f"    {node['target']}")
            if node.get("summary"):
                lines.extend(f"      {line}" for line in node["summary"].splitlines())
    return "\n".join(lines)


def check_axe(page, tags: list[str] | None = None) -> None:
    """Fail with each violation's id, impact and nodes' selectors."""
    violations = run_axe(page, tags)
    if violations:
        raise AssertionError(
            f"axe-core found {len(violations)} WCAG 2.1 AA violation(s) on {page.url}:\n"
            + format_violations(violations)
        )
